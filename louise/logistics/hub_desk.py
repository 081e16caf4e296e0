"""The City-Depot's desk: parcels scanned in, what each delivery still lacks, the evening's
outbound in tour order, and the "sortiert" mark that releases a delivery's legs.

A parcel is scanned once (`HubScan`, unique per order and parcel); an order whose parcels
are all in is "im City-Depot" on its timeline. The legs leaving the hub that the hub built
(`Leg.group`, logistics/hub_routing.py) may be collected by a rider only after the staff
marked their delivery sorted (`release_check`, called by the rider's pickup).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from louise.accounts.access import HUB_DESK, require_role
from louise.accounts.models import User
from louise.core.errors import Conflict, Invalid, NotFound
from louise.geo.models import Town
from louise.geo.selectors import town_for
from louise.orders.labels import label_payload_parse
from louise.orders.lifecycle import can, order_transition
from louise.orders.models import CALLED_OFF, EventKind, Order, OrderEvent

from .models import HubScan, Leg, LegStatus, StopKind, TourStatus, TourStop
from .planning_bridge import Day

LIVE = (LegStatus.OPEN, LegStatus.PLANNED, LegStatus.COLLECTED, LegStatus.DELIVERED)


def release_check(leg: Leg) -> None:
    """A rider may take a delivery from the hub only once the staff sorted it."""
    if leg.group and leg.pickup_ref.startswith("hub:") and leg.released_at is None:
        raise Conflict("Diese Sendung ist im City-Depot noch nicht sortiert. Bitte beim "
                       "Depot-Team melden und erst nach dem Sortieren mitnehmen.",
                       code="not_sorted")


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
        if can(order, "arrive_at_hub"):
            order_transition(order, "arrive_at_hub", by=by, now=now)
        else:  # not on the goods' way (a repair item overnight) or the rider has not
            # confirmed the pickup yet: on the trail all the same
            OrderEvent.objects.create(order=order, kind=EventKind.AT_HUB, at=now, by=by,
                                      from_status=order.status, to_status=order.status)
    return scan


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
