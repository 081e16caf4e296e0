"""What a hotline agent does for a caller: make them a customer (phone and address, no
e-mail), order for them, cancel or move a delivery, take a SEPA mandate on paper, and note
the call.

Every write goes through the service that owns it (the checkout, the order's lifecycle,
the mandate) with the agent as the one acting, and is recorded in the town's audit trail
as "by agent X for customer Y" in the same transaction; the order's own trail names the
agent through the event's `by` and the order's `placed_by`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from louise.accounts.access import require_role
from louise.accounts.audit import audit_record
from louise.accounts.models import AuditEntry, Role, User
from louise.accounts.services import user_create
from louise.billing.models import SepaMandate
from louise.billing.services import invoice_payment_set, mandate_create
from louise.core.calendar import BERLIN
from louise.core.errors import Invalid, NotFound
from louise.core.phone import phone_clean, phone_digits
from louise.customers.registration import address_add
from louise.geo.models import Address, Locker, PickupPoint, Town
from louise.logistics.rescheduling import order_reschedule
from louise.orders import services as order_services
from louise.orders.checkout import (
    Destination,
    LineRequest,
    checkout_place,
    service_request,
    shopping_list_place,
)
from louise.orders.models import Channel, Checkout, Order
from louise.orders.selectors import order_get
from louise.orders.shopping import purchase_answer

from .models import Call, CallReason, PaperMandate
from .selectors import caller_get, customer_of_town, follow_ups_due


def _on_behalf(*, agent: User, action: str, obj: models.Model, customer: User, town: Town,
               note: str = "") -> None:
    """The audit line every hotline action leaves: who did what for whom."""
    audit_record(by=agent, action=action, obj=obj, town_id=town.pk,
                 note=f"per Hotline von {agent.display_name} für {customer.display_name}"
                      + (f": {note}" if note else ""))


@dataclass(frozen=True)
class NewCaller:
    customer: User
    address: Address
    # Outside the town's active zones: the points and lockers nearest to the address.
    alternatives: list[PickupPoint | Locker]


def _username(phone: str) -> str:
    """A login name from the number ("tel-02041987654"), numbered on if a household shares
    the phone; the person never types it unless they ask for a web login."""
    base = f"tel-{phone_digits(phone)}"
    taken = set(User.objects.filter(username__startswith=base).values_list("username",
                                                                           flat=True))
    return next(name for n in range(1, len(taken) + 2)
                if (name := base if n == 1 else f"{base}-{n}") not in taken)


@transaction.atomic
def caller_create(*, agent: User, town: Town, first_name: str, last_name: str, phone: str,
                  street: str, postcode: str) -> NewCaller:
    """A customer made on the phone: name, telephone number and address, no e-mail and no
    password (confirmations go by letter or by call; the person may ask for a web login
    later). The agent confirms an unknown street by saying it back, so it is kept."""
    require_role(agent, Role.HOTLINE)
    first_name, last_name = first_name.strip(), last_name.strip()
    if not first_name or not last_name:
        raise Invalid("Bitte Vor- und Nachnamen angeben.", field="last_name")
    phone = phone_clean(phone)
    if not street.strip() or not postcode.strip():
        raise Invalid("Bitte Straße mit Hausnummer und Postleitzahl angeben.", field="street")
    username = _username(phone)
    customer = user_create(username=username, password="", password_hash=make_password(None),
                           check_password=False, role=Role.CUSTOMER, first_name=first_name,
                           last_name=last_name, phone=phone)
    address, alternatives = address_add(owner=customer, street=" ".join(street.split()),
                                        postcode=postcode.strip(), city=town.name,
                                        label="Zuhause", confirm_unknown_street=True)
    _on_behalf(agent=agent, action="angelegt", obj=customer, customer=customer, town=town)
    return NewCaller(customer=customer, address=address, alternatives=alternatives)


def hotline_checkout(*, agent: User, town: Town, customer_id: int, lines: list[LineRequest],
                     destination: Destination, idempotency_key: str,
                     slot_start: str | None = None, notes: str = "",
                     now: datetime | None = None) -> Checkout:
    """Order for a caller from any shops of the agent's town: the one checkout, on the
    hotline channel, with the agent as the one who placed it."""
    now = now or timezone.now()
    customer = caller_get(agent=agent, town=town, customer_id=customer_id)
    with transaction.atomic():
        done = checkout_place(customer=customer, lines=lines, destination=destination,
                              idempotency_key=idempotency_key, slot_start=slot_start,
                              notes=notes, channel=Channel.HOTLINE, placed_by=agent, now=now)
        _audit_once(agent=agent, done=done, customer=customer, town=town)
    return done


def hotline_service_book(*, agent: User, town: Town, customer_id: int, service_id: int,
                         address_id: int, item_description: str, idempotency_key: str,
                         slot_start: str | None = None, now: datetime | None = None
                         ) -> Checkout:
    """Book a shop's service for a caller (their item fetched at their door): the one
    checkout, on the hotline channel."""
    customer = caller_get(agent=agent, town=town, customer_id=customer_id)
    with transaction.atomic():
        done = service_request(customer=customer, service_id=service_id, address_id=address_id,
                               item_description=item_description, slot_start=slot_start,
                               idempotency_key=idempotency_key, channel=Channel.HOTLINE,
                               placed_by=agent, now=now)
        _audit_once(agent=agent, done=done, customer=customer, town=town)
    return done


def hotline_shopping_list(*, agent: User, town: Town, customer_id: int, merchant_id: int,
                          items: str, budget_cents: int, destination: Destination,
                          idempotency_key: str, substitutions: str = "",
                          slot_start: str | None = None, now: datetime | None = None
                          ) -> Checkout:
    """A caller's shopping list for a store with "Einkaufsservice": the one checkout, on the
    hotline channel."""
    customer = caller_get(agent=agent, town=town, customer_id=customer_id)
    with transaction.atomic():
        done = shopping_list_place(customer=customer, merchant_id=merchant_id, items=items,
                                   budget_cents=budget_cents, substitutions=substitutions,
                                   destination=destination, idempotency_key=idempotency_key,
                                   slot_start=slot_start, channel=Channel.HOTLINE,
                                   placed_by=agent, now=now)
        _audit_once(agent=agent, done=done, customer=customer, town=town)
    return done


@transaction.atomic
def hotline_purchase_answer(*, agent: User, town: Town, number: str, confirm: bool,
                            now: datetime | None = None) -> Order:
    """The caller, on the phone, confirms or declines a purchase over their budget."""
    order, customer = _caller_order(agent, town, number)
    answered = purchase_answer(order_number=order.number, by=agent, confirm=confirm, now=now)
    _on_behalf(agent=agent, action="Mehrbetrag bestätigt" if confirm else "Mehrbetrag abgelehnt",
               obj=answered, customer=customer, town=town)
    return answered


@transaction.atomic
def invoice_payment_allow(*, by: User, town: Town, customer_id: int, allowed: bool) -> bool:
    """The hotline or the operator lets a customer of their town pay by invoice (or takes it
    back); recorded in the town's audit trail."""
    customer = customer_of_town(by=by, town=town, customer_id=customer_id)
    return invoice_payment_set(by=by, customer=customer, allowed=allowed, town_id=town.pk)


def _audit_once(*, agent: User, done: Checkout, customer: User, town: Town) -> None:
    """Record the checkout once: a retried form is answered with the first one."""
    if not AuditEntry.objects.filter(action="bestellt", object_id=str(done.pk),
                                     model=str(Checkout._meta.verbose_name)).exists():
        _on_behalf(agent=agent, action="bestellt", obj=done, customer=customer, town=town,
                   note=", ".join(o.number for o in done.orders.all()))


def _caller_order(agent: User, town: Town, number: str) -> tuple[Order, User]:
    order = order_get(number=number, user=agent)
    if order.customer is None or order.town_id != town.pk:
        raise NotFound(f"Bestellung {number} gibt es nicht.")
    return order, caller_get(agent=agent, town=town, customer_id=order.customer.pk)


@transaction.atomic
def hotline_cancel(*, agent: User, town: Town, number: str) -> Order:
    """Cancel an order for the caller, while nothing is on its way (the customer's rule)."""
    order, customer = _caller_order(agent, town, number)
    cancelled = order_services.order_cancel(order_number=order.number, by=agent)
    _on_behalf(agent=agent, action="storniert", obj=cancelled, customer=customer, town=town)
    return cancelled


@transaction.atomic
def hotline_move(*, agent: User, town: Town, number: str, slot_start: str,
                 now: datetime | None = None) -> list[Order]:
    """Move the caller's delivery (every order of its checkout) to another wave."""
    order, customer = _caller_order(agent, town, number)
    moved = order_reschedule(order_number=order.number, by=agent, slot_start=slot_start,
                             now=now)
    for each in moved:
        _on_behalf(agent=agent, action="umgeplant", obj=each, customer=customer, town=town,
                   note=f"{each.wave_start.astimezone(BERLIN):%d.%m.%Y %H:%M}")
    return moved


# A signed form older than this is not entered: the customer is asked to sign a new one.
PAPER_MANDATE_MAX_AGE = timedelta(days=90)


@transaction.atomic
def paper_mandate_record(*, agent: User, town: Town, customer_id: int, holder: str,
                         iban: str, received_on: date, today: date | None = None
                         ) -> SepaMandate:
    """Enter a mandate the customer signed on the printed form; it replaces their valid
    one, as any new mandate does, and keeps when the paper arrived."""
    today = today or timezone.localdate()
    customer = caller_get(agent=agent, town=town, customer_id=customer_id)
    if received_on > today:
        raise Invalid("Das Eingangsdatum liegt in der Zukunft.", field="received_on")
    if received_on < today - PAPER_MANDATE_MAX_AGE:
        raise Invalid("Das Formular ist älter als 90 Tage; bitte ein neues unterschreiben "
                      "lassen.", field="received_on")
    mandate = mandate_create(customer=customer, holder=holder, iban=iban)
    PaperMandate.objects.create(mandate=mandate, received_on=received_on, recorded_by=agent)
    _on_behalf(agent=agent, action="Mandat erfasst", obj=mandate, customer=customer, town=town,
               note=f"Papier, erhalten am {received_on:%d.%m.%Y}")
    return mandate


@transaction.atomic
def call_record(*, agent: User, town: Town, customer_id: int, reason: str, notes: str = "",
                follow_up_on: date | None = None, today: date | None = None) -> Call:
    """Note a call: why they rang, what was said, and when to call back."""
    today = today or timezone.localdate()
    customer = caller_get(agent=agent, town=town, customer_id=customer_id)
    if reason not in CallReason.values:
        raise Invalid("Bitte einen Anlass wählen.", field="reason")
    if follow_up_on is not None and follow_up_on < today:
        raise Invalid("Der Rückruf kann nicht in der Vergangenheit liegen.",
                      field="follow_up_on")
    if len(notes) > 2000:
        raise Invalid("Die Notiz ist zu lang (höchstens 2000 Zeichen).", field="notes")
    return Call.objects.create(town=town, customer=customer, agent=agent, reason=reason,
                               notes=notes.strip(), follow_up_on=follow_up_on)


@transaction.atomic
def follow_up_done(*, agent: User, town: Town, call_id: int) -> Call:
    """The agent has called back."""
    call = follow_ups_due(agent=agent, town=town, today=date.max).filter(pk=call_id).first()
    if call is None:
        raise NotFound("Diesen offenen Rückruf gibt es nicht.")
    call.follow_up_done = True
    call.save(update_fields=["follow_up_done"])
    return call
