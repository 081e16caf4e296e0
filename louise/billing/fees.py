"""Fee schedules with validity: which one is in force on a day, what a delivery costs under
it, and new schedules (refused when their span overlaps another of the same town, or of the
same shop for an agreed schedule)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from louise.accounts.audit import audit_record, snapshot
from louise.accounts.models import User
from louise.catalog.models import Merchant
from louise.core.calendar import BERLIN
from louise.core.errors import Invalid
from louise.core.validation import save_validated
from louise.geo.models import Town
from louise.geo.towns import town_managed

from .models import CustomerFees, MerchantFees

SERVICE = "service"  # a service's round trip, priced apart from the delivery methods
SINCE_EVER = date(2000, 1, 1)  # a town's first schedules: nothing before them is charged
SHOPPING_LIST = "shopping_list"  # a shopping list bought and delivered, priced apart too


def _in_force[S: (CustomerFees, MerchantFees)](rows: QuerySet[S], day: date) -> S | None:
    return (rows.filter(valid_from__lte=day)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day)).first())


def first_schedules(town: Town) -> None:
    """A new town's first customer and merchant schedules, from the `LOUISE_FEE_*` and
    `LOUISE_MERCHANT_FEE_CENTS` defaults, so that no town is free by accident (only if the
    defaults say so); its operator sets the next ones in the console. A service's round
    trip costs the door fee, as it did before schedules existed."""
    fees = settings.LOUISE_DELIVERY_FEES
    CustomerFees.objects.create(town=town, valid_from=SINCE_EVER, door_cents=fees["door"],
                                point_cents=fees["point"], locker_cents=fees["locker"],
                                service_cents=fees["door"])
    MerchantFees.objects.create(town=town, valid_from=SINCE_EVER,
                                per_order_cents=settings.LOUISE_MERCHANT_FEE_CENTS)


def town_founded(sender: type[Town], instance: Town, created: bool, raw: bool = False,
                 **kwargs) -> None:
    """`post_save` of a town (connected in `BillingConfig.ready`): a new one gets its first
    schedules. (The very first town is inserted by geo's migrations, without a save;
    billing's 0003 gave it its schedules from the same defaults.)"""
    if created and not raw:
        first_schedules(instance)


def customer_fees_on(town: Town, day: date) -> CustomerFees | None:
    """The town's customer schedule of that day; none: deliveries cost nothing."""
    return _in_force(CustomerFees.objects.filter(town=town), day)


def merchant_fees_on(town: Town, merchant_id: int | None, day: date) -> MerchantFees | None:
    """A shop's agreed schedule of that day, else the town's."""
    rows = MerchantFees.objects.filter(town=town)
    return (_in_force(rows.filter(merchant_id=merchant_id), day) if merchant_id else None
            ) or _in_force(rows.filter(merchant__isnull=True), day)


def merchant_schedules_on(town: Town, day: date) -> dict[int | None, MerchantFees]:
    """Every merchant schedule of the town in force on `day`, by shop (None: the town's),
    in one query: `merchant_fees_on` of all shops at once, for the month's close."""
    rows = (MerchantFees.objects.filter(town=town, valid_from__lte=day)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day)))
    return {row.merchant_id: row for row in rows}


def fee_for(fees: CustomerFees | None, *, method: str, basket_cents: int, day: date) -> int:
    """The customer's fee for one delivery (a delivery method, `SERVICE` for a round trip,
    `SHOPPING_LIST` for a list bought for the customer) under a schedule: nothing in the
    pilot or at or above the free basket value."""
    if fees is None or (fees.pilot_free_until is not None and day <= fees.pilot_free_until):
        return 0
    if method == SERVICE:
        return fees.service_cents
    if method == SHOPPING_LIST:
        return fees.shopping_list_cents
    if fees.free_above_cents is not None and basket_cents >= fees.free_above_cents:
        return 0
    return {"door": fees.door_cents, "point": fees.point_cents,
            "locker": fees.locker_cents}.get(method, 0)


@dataclass(frozen=True)
class Span:
    valid_from: date
    valid_until: date | None


def _make_room[S: (CustomerFees, MerchantFees)](rows: QuerySet[S], span: Span, whose: str, *,
                                                by: User, today: date) -> None:
    """A new schedule starts on a coming day (what was charged stays as it was); the
    open-ended schedule before it then ends the day before, and any other schedule sharing
    a day with it is refused: the fee of that day would be ambiguous."""
    if span.valid_until is not None and span.valid_until < span.valid_from:
        raise Invalid("„gültig bis“ liegt vor „gültig ab“.", field="valid_until")
    if span.valid_from <= today:
        raise Invalid(f"Neue Gebühren gelten frühestens ab morgen "
                      f"({today + timedelta(days=1):%d.%m.%Y}); berechnete Gebühren bleiben, "
                      "wie sie waren.", field="valid_from", code="fees_in_past")
    current = rows.filter(valid_until__isnull=True, valid_from__lt=span.valid_from).first()
    clash = rows.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=span.valid_from))
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if span.valid_until is not None:
        clash = clash.filter(valid_from__lte=span.valid_until)
    if (other := clash.order_by("valid_from").first()) is not None:
        until = f"{other.valid_until:%d.%m.%Y}" if other.valid_until else "auf Weiteres"
        raise Invalid(f"Der Zeitraum überschneidet sich mit {whose} vom "
                      f"{other.valid_from:%d.%m.%Y} bis {until}. Bitte wählen Sie einen "
                      "anderen Zeitraum.", field="valid_from", code="fees_overlap")
    if current is not None:
        before = snapshot(current)
        current.valid_until = span.valid_from - timedelta(days=1)
        current.save(update_fields=["valid_until"])
        audit_record(by=by, action="beendet", obj=current, before=before)


def _today() -> date:
    return timezone.now().astimezone(BERLIN).date()


@transaction.atomic
def customer_fees_create(*, by: User, town_id: int, span: Span, today: date | None = None,
                         **amounts: int | date | None) -> CustomerFees:
    """A new customer schedule of a town its operator runs (the town row is locked, so two
    new schedules cannot both pass the overlap check)."""
    town = town_managed(by=by, pk=town_id)
    _make_room(CustomerFees.objects.filter(town=town), span, "den Kundengebühren", by=by,
               today=today or _today())
    fees = save_validated(CustomerFees(town=town, valid_from=span.valid_from,
                                       valid_until=span.valid_until, **amounts))
    audit_record(by=by, action="angelegt", obj=fees)
    return fees


@transaction.atomic
def merchant_fees_create(*, by: User, town_id: int, span: Span, merchant_id: int | None = None,
                         today: date | None = None, **amounts: int) -> MerchantFees:
    """A new schedule for the town's shops, or one agreed with one shop of that town."""
    town = town_managed(by=by, pk=town_id)
    if merchant_id is not None and not Merchant.objects.filter(pk=merchant_id,
                                                               town=town).exists():
        raise Invalid("Dieses Geschäft gibt es in dieser Stadt nicht.", field="merchant_id")
    whose = "der vereinbarten Gebühr des Geschäfts" if merchant_id else "den Händlergebühren"
    owner = Q(merchant_id=merchant_id) if merchant_id else Q(merchant__isnull=True)
    _make_room(MerchantFees.objects.filter(owner, town=town), span, whose, by=by,
               today=today or _today())
    fees = save_validated(MerchantFees(town=town, merchant_id=merchant_id,
                                       valid_from=span.valid_from,
                                       valid_until=span.valid_until, **amounts))
    audit_record(by=by, action="angelegt", obj=fees)
    return fees
