"""Standing deliveries: a weekly rule ("Di und Fr", `dateutil.rrule`), the same goods to one
address for a list of recipients, and its orders made ahead for the coming weeks.

Each date becomes one checkout through the one checkout service, on the standing channel
with the idempotency key `standing-<id>-<rule date>`: the nightly run (`louise standing`)
may run any number of times and books each date once. A public holiday drops the date or
moves it to the working day before or after, as the standing order says; one date can be
skipped or moved by hand (`StandingChange`), and a date already booked is then cancelled
or moved with it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.rrule import WEEKLY, rrule, weekday
from django.db import transaction
from django.utils import timezone

from louise.accounts.access import require_role
from louise.accounts.audit import audit_record
from louise.accounts.models import Role, User
from louise.core.calendar import (
    WEEKDAY_NAMES,
    is_working_day,
    next_working_day,
    public_holiday,
    wave_on,
)
from louise.core.errors import DomainError, Invalid, NotFound
from louise.geo.models import Address, Town
from louise.orders.checkout import Destination, LineRequest, checkout_place
from louise.orders.models import BEFORE_FIRST_PICKUP, CALLED_OFF, Channel, Checkout, Order
from louise.orders.services import order_cancel

from .models import HolidayRule, StandingChange, StandingOrder
from .selectors import caller_get


@dataclass(frozen=True)
class Recipient:
    name: str
    room: str = ""


def _weekdays(days: list[int], town: Town) -> list[int]:
    if not days:
        raise Invalid("Bitte mindestens einen Wochentag wählen.", field="weekdays")
    if any(d not in range(7) for d in days):
        raise Invalid("Unbekannter Wochentag.", field="weekdays")
    if off := [d for d in days if d not in town.schedule.working_days]:
        raise Invalid(f"{town.name} liefert nicht am {WEEKDAY_NAMES[off[0]]}.",
                      field="weekdays")
    return sorted(set(days))


@transaction.atomic
def standing_create(*, agent: User, town: Town, customer_id: int, name: str, address_id: int,
                    weekdays: list[int], lines: list[LineRequest],
                    recipients: list[Recipient], starts_on: date,
                    holidays: str = HolidayRule.DROP, horizon_days: int = 28,
                    today: date | None = None) -> StandingOrder:
    """A standing order for a caller (an institution or a person), set up by the hotline."""
    today = today or timezone.localdate()
    customer = caller_get(agent=agent, town=town, customer_id=customer_id)
    address = Address.objects.filter(owner=customer, pk=address_id).first()
    if address is None:
        raise Invalid("Diese Lieferadresse gibt es im Konto nicht.", field="address_id")
    if not name.strip():
        raise Invalid("Bitte eine Bezeichnung angeben.", field="name")
    if not lines or any(line.quantity < 1 for line in lines):
        raise Invalid("Bitte mindestens eine Ware mit Menge angeben.", field="lines")
    if holidays not in HolidayRule.values:
        raise Invalid("Bitte wählen, was an Feiertagen geschieht.", field="holidays")
    if not 1 <= horizon_days <= 90:
        raise Invalid("Der Vorlauf muss zwischen 1 und 90 Tagen liegen.", field="horizon_days")
    if starts_on < today:
        raise Invalid("Der Beginn liegt in der Vergangenheit.", field="starts_on")
    standing = StandingOrder.objects.create(
        town=town, customer=customer, name=name.strip()[:80], address=address,
        weekdays=_weekdays(weekdays, town), holidays=holidays, horizon_days=horizon_days,
        lines=[{"product_id": line.product_id, "quantity": line.quantity} for line in lines],
        recipients=[{"name": r.name.strip(), "room": r.room.strip()} for r in recipients
                    if r.name.strip()],
        starts_on=starts_on, created_by=agent)
    audit_record(by=agent, action="angelegt", obj=standing, town_id=town.pk,
                 note=f"per Hotline von {agent.display_name} für {customer.display_name}")
    return standing


def rule_dates(standing: StandingOrder, until: date) -> list[date]:
    """The dates the weekly rule names from its start until `until` (inclusive)."""
    last = min(until, standing.ends_on) if standing.ends_on else until
    if last < standing.starts_on:
        return []
    rule = rrule(WEEKLY, byweekday=[weekday(d) for d in standing.weekdays],
                 dtstart=datetime.combine(standing.starts_on, datetime.min.time()),
                 until=datetime.combine(last, datetime.min.time()))
    return [moment.date() for moment in rule]


def _previous_working_day(day: date, town: Town) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day, town.schedule):
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class Date:
    """One date of the rule and what becomes of it."""

    rule_day: date
    day: date | None     # the delivery day; None: none this time
    why: str = ""        # a holiday's name, "einzeln geändert", …


def standing_dates(standing: StandingOrder, until: date) -> list[Date]:
    """Every rule date until `until` with the day it is delivered on (or not): changed by
    hand first, then the holiday rule."""
    changes = {c.day: c for c in standing.changes.all()}
    schedule = standing.town.schedule
    dates = []
    for rule_day in rule_dates(standing, until):
        if (change := changes.get(rule_day)) is not None:
            dates.append(Date(rule_day, change.moved_to, "einzeln geändert"))
        elif (holiday := public_holiday(rule_day, schedule)) is not None:
            moved = {HolidayRule.DROP: None,
                     HolidayRule.BEFORE: _previous_working_day(rule_day, standing.town),
                     HolidayRule.AFTER: next_working_day(rule_day, schedule)}[
                         HolidayRule(standing.holidays)]
            dates.append(Date(rule_day, moved, holiday))
        else:
            dates.append(Date(rule_day, rule_day))
    return dates


def _key(standing: StandingOrder, rule_day: date, day: date | None = None) -> str:
    """The checkout's idempotency key for one date of the rule, delivered on `day` (a
    date moved later is a new booking); without `day`, the prefix of all of them."""
    prefix = f"standing-{standing.pk}-{rule_day.isoformat()}>"
    return prefix + day.isoformat() if day is not None else prefix


def _note(standing: StandingOrder) -> str:
    """The delivery note on the order: one stop, the recipients listed for the rider."""
    names = "; ".join(f"{r['name']}" + (f" ({r['room']})" if r.get("room") else "")
                      for r in standing.recipients)
    text = f"Dauerauftrag {standing.name}" + (f" – für: {names}" if names else "")
    return text[:300]


@dataclass(frozen=True)
class Booked:
    rule_day: date
    day: date
    checkout: Checkout | None
    error: str = ""


def standing_generate(*, standing: StandingOrder, now: datetime | None = None) -> list[Booked]:
    """Book every date of the horizon not yet booked; a date that cannot be booked (slot
    full, goods sold out, no mandate) is reported and tried again on the next run."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    results = []
    for item in standing_dates(standing, today + timedelta(days=standing.horizon_days)):
        if item.day is None or item.day < today:
            continue
        wave = wave_on(item.day, standing.town.schedule)
        if wave.start <= now:
            continue
        try:
            checkout = checkout_place(
                customer=standing.customer, channel=Channel.STANDING,
                lines=[LineRequest(line["product_id"], line["quantity"])
                       for line in standing.lines],
                destination=Destination("door", address_id=standing.address_id),
                idempotency_key=_key(standing, item.rule_day, item.day),
                slot_start=wave.start.isoformat(), notes=_note(standing), now=now)
        except DomainError as exc:
            results.append(Booked(item.rule_day, item.day, None, exc.message))
        else:
            results.append(Booked(item.rule_day, item.day, checkout))
    return results


def standing_generate_all(*, now: datetime | None = None) -> dict[int, list[Booked]]:
    """The nightly run: every active standing order's coming dates."""
    return {standing.pk: standing_generate(standing=standing, now=now)
            for standing in StandingOrder.objects.filter(active=True)
            .select_related("town", "customer").prefetch_related("changes")}


def standing_get(*, agent: User, town: Town, standing_id: int) -> StandingOrder:
    require_role(agent, Role.HOTLINE)
    standing = StandingOrder.objects.filter(pk=standing_id, town=town).first()
    if standing is None:
        raise NotFound("Diesen Dauerauftrag gibt es nicht.")
    caller_get(agent=agent, town=town, customer_id=standing.customer_id)
    return standing


@transaction.atomic
def standing_date_change(*, agent: User, town: Town, standing_id: int, day: date,
                         moved_to: date | None = None, now: datetime | None = None
                         ) -> StandingChange:
    """Skip one date (`moved_to` None) or move it to another working day; what was already
    booked for it is cancelled (while nothing has left the shops) and a moved date is
    booked anew for its new day."""
    now = now or timezone.now()
    standing = standing_get(agent=agent, town=town, standing_id=standing_id)
    if day not in rule_dates(standing, day):
        raise Invalid("An diesem Tag liefert der Dauerauftrag nicht.", field="day")
    if day < timezone.localdate(now):
        raise Invalid("Dieser Termin ist schon vorbei.", field="day")
    if moved_to is not None and (not is_working_day(moved_to, town.schedule)
                                 or moved_to < timezone.localdate(now)):
        raise Invalid("Bitte einen kommenden Liefertag wählen.", field="moved_to")
    change, _made = StandingChange.objects.update_or_create(
        standing=standing, day=day, defaults={"moved_to": moved_to, "by": agent})
    booked = Order.objects.filter(checkout__idempotency_key__startswith=_key(standing, day),
                                  checkout__customer=standing.customer).exclude(
        status__in=CALLED_OFF)
    for order in booked.select_for_update():
        if order.status not in BEFORE_FIRST_PICKUP[order.kind]:
            raise Invalid("Die Lieferung ist schon unterwegs.", field="day")
        order_cancel(order_number=order.number, by=agent)
    if moved_to is not None:  # booked at once, for the day it now has
        standing_generate(standing=standing, now=now)
    audit_record(by=agent, action="Termin geändert", obj=standing, town_id=town.pk,
                 note=f"{change} (per Hotline von {agent.display_name})")
    return change


@dataclass(frozen=True)
class DateRow:
    """A coming date of the rule with the orders booked for it."""

    date: Date
    orders: list[Order]

    @property
    def changeable(self) -> bool:
        return all(o.status in BEFORE_FIRST_PICKUP[o.kind] for o in self.orders)


def standing_overview(*, standing: StandingOrder, today: date) -> list[DateRow]:
    """The dates of the horizon (and those moved into it), for the console."""
    booked: dict[str, list[Order]] = {}
    for order in (Order.objects.filter(
            checkout__idempotency_key__startswith=f"standing-{standing.pk}-",
            checkout__customer=standing.customer).exclude(status__in=CALLED_OFF)
            .select_related("checkout", "merchant").order_by("merchant__name")):
        assert order.checkout is not None  # the filter above
        booked.setdefault(order.checkout.idempotency_key.partition(">")[0], []).append(order)
    until = today + timedelta(days=standing.horizon_days)
    return [DateRow(item, booked.get(_key(standing, item.rule_day).rstrip(">"), []))
            for item in standing_dates(standing, until) if item.rule_day >= today]
