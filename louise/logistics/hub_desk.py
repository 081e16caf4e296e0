"""The City-Depot's desk: parcels scanned in, what each delivery still lacks, the evening's
outbound in tour order, the "sortiert" mark that releases a delivery's legs, and holding
back a delivery that is still incomplete when its tour leaves.

A parcel is scanned once (`HubScan`, unique per order and parcel); an order whose parcels
are all in is "im City-Depot" on its timeline. The legs leaving the hub that the hub built
(`Leg.group`, logistics/hub_routing.py) may be collected by a rider only after the staff
marked their delivery sorted (`release_check`, called by the rider's pickup).

A delivery that cannot be sorted because a parcel never came (its shop packed late, its
collection was not planned, the pickup failed) is held back by the staff
(`delivery_hold`): it leaves tonight's tour, so the rider rides the rest, and the whole
delivery goes in the next wave as one drop. It is the staff's decision, not a timer's: only
they see whether the missing parcel is on a bike turning into the yard.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from louise.accounts.access import HUB_DESK, require_role
from louise.accounts.audit import audit_record
from louise.accounts.models import User
from louise.core.calendar import BERLIN, Wave
from louise.core.errors import Conflict, Invalid, NotFound
from louise.core.logs import logged_failure
from louise.core.validation import save_validated
from louise.geo.models import Town
from louise.geo.selectors import town_for
from louise.orders.labels import label_payload_parse
from louise.orders.lifecycle import can, order_transition
from louise.orders.models import CALLED_OFF, FINISHED, EventKind, Order, OrderEvent
from louise.orders.notifications import customer_mail_send, customer_wants_mail

from .fallback import next_wave
from .hub_routing import VIA_HUB, onward_windows
from .legs import legs_cancel, legs_for_ready_goods
from .models import (
    HubScan,
    Leg,
    LegKind,
    LegStatus,
    StopKind,
    StopStatus,
    TourStatus,
    TourStop,
)
from .planning_bridge import Day
from .running import new_legs_announce
from .withdrawal import stops_withdraw

LIVE = (LegStatus.OPEN, LegStatus.PLANNED, LegStatus.COLLECTED, LegStatus.DELIVERED)


def release_check(leg: Leg) -> None:
    """A rider may take a delivery from the hub only once the staff sorted it."""
    if leg.group and leg.pickup_ref.startswith("hub:") and leg.released_at is None:
        raise Conflict("Diese Sendung ist im City-Depot noch nicht sortiert. Bitte beim "
                       "Depot-Team melden und erst nach dem Sortieren mitnehmen; fehlt noch "
                       "ein Paket, stellt das Depot sie zurück (nächste Welle) und Sie fahren "
                       "ohne sie weiter.", code="not_sorted")


def desk_town(user: User, slug: str | None = None) -> Town:
    """The town whose depot the person works at (hub staff, dispatch, operator)."""
    return town_for(user, slug, roles=HUB_DESK)


def _order_via_hub(order: Order) -> bool:
    return order.legs.filter(drop_ref__startswith="hub:").exclude(
        status=LegStatus.CANCELLED).exists()


@transaction.atomic
def parcel_scan(*, by: User, town: Town, code: str, now: datetime | None = None) -> HubScan:
    """A parcel arrives at the depot (label QR or typed order number). Anything that does
    not belong here changes nothing and says why: an unknown code, another town's parcel,
    a cancelled order, one not routed via the depot, a parcel scanned before."""
    require_role(by, *HUB_DESK)
    town = desk_town(by, town.slug)
    label = label_payload_parse(code)
    order = (Order.objects.select_for_update().select_related("town", "merchant")
             .filter(number=label.number).first())
    if order is None:
        raise NotFound(f"Unbekannter Code: eine Bestellung {label.number} gibt es nicht.")
    if order.town_id != town.pk:
        raise Conflict(f"Dieses Paket gehört nach {order.town.name}, nicht ins City-Depot "
                       f"{town.name}. Bitte nicht einlagern.", code="other_town")
    if order.status in CALLED_OFF:
        raise Conflict(f"Bestellung {order.number} ist {order.get_status_display()}. Paket "
                       f"nicht einlagern, sondern an {order.merchant.name} zurückgeben.",
                       code="called_off")
    if not _order_via_hub(order):
        raise Conflict(f"Bestellung {order.number} läuft nicht über das City-Depot.",
                       code="not_via_hub")
    parcel = label.parcel
    if not code.strip().upper().startswith("LOUISE:"):  # typed: the next parcel not yet in
        scanned = set(HubScan.objects.filter(order=order).values_list("parcel", flat=True))
        parcel = next((n for n in range(1, order.parcels + 1) if n not in scanned), 1)
    elif label.of != order.parcels:
        raise Invalid(f"Das Etikett passt nicht zu Bestellung {order.number} ("
                      f"{order.parcels} Pakete, Etikett sagt {label.of}).", field="code",
                      code="bad_label")
    earlier = HubScan.objects.filter(order=order, parcel=parcel).first()
    if earlier is not None:
        raise Conflict(f"Paket {parcel}/{order.parcels} der Bestellung {order.number} ist "
                       f"schon eingescannt ({timezone.localtime(earlier.at):%H:%M} Uhr).",
                       code="scanned_twice")
    now = now or timezone.now()
    scan = HubScan.objects.create(order=order, parcel=parcel, by=by, at=now)
    if HubScan.objects.filter(order=order).count() == order.parcels:
        _brought_by_the_shop(order, by=by, now=now)
        if can(order, "arrive_at_hub"):
            order_transition(order, "arrive_at_hub", by=by, now=now)
        else:  # not on the goods' way (a repair item overnight) or the rider has not
            # confirmed the pickup yet: on the trail all the same
            OrderEvent.objects.create(order=order, kind=EventKind.AT_HUB, at=now, by=by,
                                      from_status=order.status, to_status=order.status)
    return scan


def _brought_by_the_shop(order: Order, *, by: User, now: datetime) -> None:
    """Every parcel of a packed order is in, but no rider has collected it: the shop brought
    it over itself. Its way to the depot is done, and its stops leave the tours, or a rider
    would call at the shop for nothing (tomorrow's round, say). A round under way keeps
    them: its rider may have the parcel with the confirmation still on an offline phone."""
    way = order.legs.filter(pickup_ref__startswith="merchant:", drop_ref__startswith="hub:",
                            status__in=[LegStatus.OPEN, LegStatus.PLANNED]).first()
    if way is None or not can(order, "collect"):
        return
    if TourStop.objects.filter(tour__stops__leg=way).exclude(status=StopStatus.PENDING).exists():
        return  # its round is under way
    way.status = LegStatus.DELIVERED
    way.save(update_fields=["status"])
    stops_withdraw([way.pk])
    order_transition(order, "collect", by=by, now=now,
                     note=f"von {order.merchant.name} selbst ins City-Depot gebracht")


@dataclass
class Delivery:
    """One drop leaving the depot: its legs, the parcels still missing, its place on a tour."""

    group: str
    label: str
    legs: list[Leg]
    missing: list[str] = field(default_factory=list)
    tour: str = ""
    sequence: int | None = None
    unplanned: int = 0

    @property
    def released(self) -> bool:
        """Sorted only when every leg left the desk: a leg added after the sort (or one
        released alone) keeps the delivery open."""
        return all(leg.released_at is not None for leg in self.legs)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class Desk:
    town: Town
    day: date
    inbound: list[Leg]
    scanned: set[int]
    deliveries: list[Delivery]

    @property
    def outbound(self) -> list[Delivery]:
        """The deliveries on a tour, in the order they are loaded: by tour, then stop."""
        return sorted((d for d in self.deliveries if d.tour),
                      key=lambda d: (d.tour, d.sequence or 0))


def _missing(order: Order, scanned: set[tuple[int, int]]) -> list[str]:
    return [f"{order.number} ({order.merchant.name}): Paket {n}/{order.parcels}"
            for n in range(1, order.parcels + 1) if (order.pk, n) not in scanned]


def desk_day(*, user: User, town: Town, day: date) -> Desk:
    """The depot's day: what comes in (legs to the hub), and each delivery leaving it."""
    town = desk_town(user, town.slug)
    the_day = Day(day, town.pk)
    start, end = the_day.epoch, the_day.epoch + timedelta(days=1)
    inbound = list(Leg.objects.filter(town=town, drop_ref__startswith="hub:", status__in=LIVE,
                                      drop_until__gte=start, drop_from__lt=end)
                   .select_related("order__merchant").order_by("drop_until", "pk"))
    outbound = list(Leg.objects.filter(town=town, pickup_ref__startswith="hub:",
                                       status__in=LIVE, pickup_until__gte=start,
                                       pickup_from__lt=end).exclude(group="")
                    .select_related("order__merchant").order_by("group", "pk"))
    orders = {leg.order_id for leg in [*inbound, *outbound]}
    scanned = set(HubScan.objects.filter(order__in=orders).values_list("order_id", "parcel"))
    stops = {s.leg_id: s for s in TourStop.objects.filter(
        leg__in=outbound, kind=StopKind.PICKUP,
        tour__status__in=[TourStatus.DRAFT, TourStatus.PUBLISHED, TourStatus.DONE])
        .select_related("tour__shift__vehicle")}
    deliveries: dict[str, Delivery] = {}
    for leg in outbound:
        d = deliveries.setdefault(leg.group, Delivery(leg.group, leg.drop_label, []))
        d.legs.append(leg)
        d.missing += _missing(leg.order, scanned) if leg.order else []
        if (stop := stops.get(leg.pk)) is not None:
            d.tour, d.sequence = stop.tour.shift.vehicle.name, stop.sequence
        else:
            d.unplanned += 1
    return Desk(town, day, inbound, {order for order, _n in scanned}, list(deliveries.values()))


@transaction.atomic
def delivery_sort(*, by: User, town: Town, group: str, now: datetime | None = None) -> int:
    """The staff sorted a delivery: all its parcels are in, its legs may leave the depot.
    Returns how many legs were released."""
    town = desk_town(by, town.slug)
    legs = list(Leg.objects.select_for_update(of=("self",)).filter(
        town=town, group=group, pickup_ref__startswith="hub:", status__in=LIVE)
        .select_related("order__merchant"))
    if not legs or not group:
        raise NotFound("Diese Sendung gibt es im City-Depot nicht.")
    if all(leg.released_at for leg in legs):
        raise Conflict("Diese Sendung ist schon sortiert.", code="already_sorted")
    scanned = set(HubScan.objects.filter(order__in=[leg.order_id for leg in legs])
                  .values_list("order_id", "parcel"))
    missing = [m for leg in legs if leg.order for m in _missing(leg.order, scanned)]
    if missing:
        raise Conflict("Noch nicht vollständig, es fehlt: " + "; ".join(missing),
                       code="parcels_missing")
    now = now or timezone.now()
    return Leg.objects.filter(pk__in=[leg.pk for leg in legs], released_at=None).update(
        released_at=now)


# Legs of a delivery that no rider holds yet: these can still wait for another wave.
NOT_ON_BOARD = (LegStatus.OPEN, LegStatus.PLANNED)


@dataclass(frozen=True)
class Held:
    """A delivery held back: its orders, the wave it goes in now, what was missing."""

    orders: list[Order]
    wave: Wave
    missing: list[str]


# How long before its tour loads at the depot a delivery may be held back.
HOLD_BEFORE_LOADING = timedelta(minutes=30)


@transaction.atomic
def delivery_hold(*, by: User, town: Town, group: str, now: datetime | None = None) -> Held:
    """The staff hold back a delivery that is not complete when its tour leaves: it goes,
    whole, in the next wave instead (the depot's page, "Zurückstellen – nächste Welle").

    Its pending stops leave the tours (ETAs refreshed), so the rider rides the rest of the
    tour. An order whose parcels are in the depot (or on a bike bringing them) waits there:
    its leg from the hub moves to the next wave, to be sorted again. An order whose parcel
    is still at its shop gets its chain shop → hub → door anew for the next wave (the
    collection rounds fetch it). Every order of the delivery moves to that wave, the
    timeline says so, the customer gets one mail, the audit keeps who did it.

    Refused, changing nothing: a delivery that is complete (sort it instead), sorted, or
    already with a rider; another town's depot does not find it."""
    require_role(by, *HUB_DESK)
    town = desk_town(by, town.slug)
    legs = list(Leg.objects.select_for_update(of=("self",)).filter(
        town=town, group=group, pickup_ref__startswith="hub:", status__in=LIVE)
        .select_related("order__merchant", "order__town").order_by("pk"))
    if not legs or not group:
        raise NotFound("Diese Sendung gibt es im City-Depot nicht.")
    if any(leg.status not in NOT_ON_BOARD for leg in legs):
        raise Conflict("Diese Sendung ist schon unterwegs und kann nicht mehr zurückgestellt "
                       "werden.", code="already_out")
    if all(leg.released_at for leg in legs):
        raise Conflict("Diese Sendung ist schon sortiert und geht mit ihrer Tour hinaus.",
                       code="already_sorted")
    orders = list({leg.order.pk: leg.order for leg in legs if leg.order is not None}.values())
    scanned = set(HubScan.objects.filter(order__in=orders).values_list("order_id", "parcel"))
    missing = [m for order in orders for m in _missing(order, scanned)]
    if not missing:
        raise Conflict("Diese Sendung ist vollständig: bitte sortieren statt zurückstellen.",
                       code="complete")
    now = now or timezone.now()
    loading = min(leg.pickup_from for leg in legs).astimezone(BERLIN)
    if now < loading - HOLD_BEFORE_LOADING:
        # the collection rounds may still bring the missing parcels: holding now would
        # send a delivery a day late that could have gone tonight
        raise Conflict(f"Noch zu früh: die fehlenden Pakete können bis zur Beladung am "
                       f"{loading:%d.%m. um %H:%M} Uhr noch kommen. Zurückstellen geht ab "
                       f"{loading - HOLD_BEFORE_LOADING:%H:%M} Uhr.", code="too_early")
    wave = next_wave(town, now)
    for order in _delivery_orders(orders):
        order.wave_start, order.wave_end = wave.start, wave.end
        order.save(update_fields=["wave_start", "wave_end"])
        _legs_to_wave(order, [leg for leg in legs if leg.order_id == order.pk], now)
        OrderEvent.objects.create(
            order=order, kind=EventKind.HELD, by=by, at=now, from_status=order.status,
            to_status=order.status,
            note=f"kommt vollständig mit der nächsten Lieferwelle: {wave.label}"[:300])
    audit_record(by=by, action="zurückgestellt", obj=legs[0], town_id=town.pk,
                 note=(f"{', '.join(o.number for o in orders)} in die nächste Welle "
                       f"({wave.label}); es fehlte: {'; '.join(missing)}")[:500])
    order_ids = [order.pk for order in orders]
    transaction.on_commit(lambda: hold_mail_send.enqueue(order_ids, wave.start.isoformat()))
    return Held(orders, wave, missing)


def _delivery_orders(orders: list[Order]) -> list[Order]:
    """The orders of the held delivery, and those of its checkout still to come from a shop
    (not packed, so without legs yet): they join it in the next wave, as one drop."""
    checkouts = {order.checkout_id for order in orders if order.checkout_id}
    later = (Order.objects.select_for_update().filter(checkout__in=checkouts)
             .exclude(pk__in=[order.pk for order in orders]).exclude(status__in=FINISHED)
             .exclude(legs__status__in=LIVE).select_related("merchant", "town"))
    return [*orders, *later]


def _legs_to_wave(order: Order, onward: list[Leg], now: datetime) -> None:
    """Move the order's legs to its (new) wave: a parcel still at the shop gets a fresh
    chain via the hub; one in or on its way to the depot only its leg out of it. An order
    not packed yet has no legs: they are made for the new wave when it is."""
    if not onward:
        return
    if order.legs.filter(kind=LegKind.TRANSFER, drop_ref__startswith="hub:",
                         status__in=NOT_ON_BOARD).exists():
        legs_cancel(order)  # its stops leave the tours with it
        legs_for_ready_goods(order, now=now, route=VIA_HUB)
        return
    stops_withdraw([leg.pk for leg in onward])
    for leg in onward:
        (leg.pickup_from, leg.pickup_until), (leg.drop_from, leg.drop_until) = onward_windows(
            order, leg.drop_ref, now=now)
        leg.status, leg.released_at = LegStatus.OPEN, None
        save_validated(leg)
    new_legs_announce(onward)


@task
@logged_failure
def hold_mail_send(order_ids: list[int], wave_start: str) -> str:
    """The customer learns that their delivery comes whole in the next wave, in one plain
    German mail for the delivery (read fresh: a delivery moved again is not told twice)."""
    orders = list(Order.objects.filter(pk__in=order_ids).select_related(
        "customer", "town").order_by("pk"))
    first = orders[0] if orders else None
    if first is None or first.customer is None or not first.customer.email:
        return "no recipient"
    if not customer_wants_mail(first.customer, "failed"):
        return "not wanted"
    if first.wave_start != datetime.fromisoformat(wave_start):
        return "superseded"
    start, end = first.wave_start.astimezone(BERLIN), first.wave_end.astimezone(BERLIN)
    wave = Wave(start.date(), start, end)
    numbers = ", ".join(order.number for order in orders)
    subject = f"Ihre Lieferung {numbers} kommt mit der nächsten Lieferwelle"
    customer_mail_send(first.customer, subject, "status", {
        "order": first,
        "lead": f"Ein Teil Ihrer Lieferung ({numbers}) ist heute nicht rechtzeitig in unserem "
                f"City-Depot angekommen. Damit Sie alles zusammen bekommen, bringen wir die "
                f"ganze Lieferung mit der nächsten Lieferwelle: {wave.label}."})
    return subject
