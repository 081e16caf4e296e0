"""The City-Station: which goods travel via the hub, and the two chained legs that take them.

Via the hub, a parcel moves twice: shop → hub in the afternoon collection rounds (a
`TRANSFER` leg, from the town's `hub_collection_start`, within the shop's hours, at the hub
by its `hub_sorting_deadline`), then hub → destination in the evening wave (the delivery
leg, `depends_on` the transfer). The hub legs of one delivery share a `group`: the planner
hands them over in one drop, and the rider collects them only once the hub staff marked
the delivery sorted (logistics/hub_desk.py).

A repair item that cannot reach its shop before the shop closes goes the same way
backwards: door → hub in the evening, hub → shop the next morning the shop opens.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from louise import planning
from louise.accounts.access import DISPATCH, require_role, visible_to
from louise.accounts.audit import audit_record
from louise.accounts.models import User
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, Invalid, NotFound
from louise.geo.models import Hub
from louise.geo.selectors import zone_of_place
from louise.geo.stop_times import StopTimes
from louise.orders.models import CALLED_OFF, EventKind, Order, OrderEvent, OrderKind, OrderStatus

from . import legs as legs_mod
from .models import Leg, LegKind, LegStatus, TourStatus, TourStop
from .windows import Hours, Span, shop_can_receive, shop_next_open, wave_drop_window

VIA_HUB, DIRECT = "hub", "direct"
ROUTES = {VIA_HUB: "über das City-Depot", DIRECT: "direkt"}

# `hub_pays` weighs metres of riding (HaversineMatrix, with its detour factor), a stop's
# seconds at the bikes' straight-line `RIDE_KMH`. An afternoon round collects many legs
# from several shops in one loop out of the hub and back, so a leg costs it only a share
# of its own way there and back: measured on `louise bench day --legs 500 --seed 1`
# (2026-12-01, the kept rows), the bikes' rounds rode 0.134 of that way per leg (178 km
# for 214 legs, 831 m each), the cars' 0.18; rounded up for smaller days.
COLLECTION_SHARE = 0.15
# The earliest a fetched item can be at its shop: the slot's start, the town's pickup and
# drop services and the ride at a bike's straight-line 12 km/h.
RIDE_KMH = 12.0


def hub_spot(hub: Hub) -> legs_mod.Spot:
    return legs_mod.Spot(f"hub:{hub.pk}", hub.name, hub.lat, hub.lon,
                         zone_of_place(hub, hub.town))


def _metres(a: legs_mod.Spot, b: legs_mod.Spot) -> int:
    return planning.HaversineMatrix().distance(planning.Location(a.ref, a.lat, a.lon),
                                               planning.Location(b.ref, b.lat, b.lon))


def town_hub(order: Order) -> Hub | None:
    """The town's hub nearest the order's destination (None: the town has no hub)."""
    target = legs_mod.destination_spot(order)
    hubs = list(Hub.objects.filter(town=order.town_id))
    return min(hubs, key=lambda h: _metres(hub_spot(h), target), default=None)


def multi_shop(order: Order) -> bool:
    """The order's checkout brings goods from two or more shops to its one destination."""
    if order.checkout_id is None:
        return False
    return (Order.objects.filter(checkout=order.checkout_id, kind=OrderKind.GOODS)
            .exclude(status__in=CALLED_OFF).values("merchant").distinct().count() > 1)


def hub_pays(*, shop_closes: datetime, wave_start: datetime, hub_to_shop_m: int,
             shop_to_door_m: int, hub_to_door_m: int, times: StopTimes) -> bool:
    """Whether a single shop's parcel is cheaper via the hub than on a direct leg.

    Direct, an evening rider leaves the hub, stops at the shop in the wave (the town's
    whole pickup time) and rides on to the door. Via the hub, the afternoon round stops at
    the shop (its share of the loop, `COLLECTION_SHARE`, and the pickup without the
    handover it shares with the shop's other parcels), gives the parcel in at the hub and
    the evening rider takes it out (the town's hub time at each end), the depot's staff
    handle it in between (the town's depot time, paid like a rider's minutes), and the
    evening rider rides from the hub to the door. A shop that closes before the wave
    always pays: a direct leg would be fetched early and carried around for hours, or not
    at all.
    """
    if shop_closes <= wave_start:
        return True
    direct = hub_to_shop_m + shop_to_door_m + _ridden(times.pickup)
    via = (COLLECTION_SHARE * 2 * hub_to_shop_m + _ridden(times.pickup - times.shared)
           + _ridden(2 * times.hub + times.depot) + hub_to_door_m)
    return via < direct


def _ridden(spent: timedelta) -> float:
    """The metres a bike rides in ``time``: what a stop costs in `hub_pays`' currency."""
    return spent.total_seconds() * RIDE_KMH / 3.6


def route_choose(order: Order, hub: Hub) -> str:
    """Hub or direct for a packed order: every order of a multi-shop delivery goes via the
    hub (one drop at the door); any other when `hub_pays`."""
    if multi_shop(order):
        return VIA_HUB
    shop, door, station = (legs_mod.merchant_spot(order.merchant),
                           legs_mod.destination_spot(order), hub_spot(hub))
    return VIA_HUB if hub_pays(shop_closes=_closes(order), wave_start=order.wave_start,
                               hub_to_shop_m=_metres(station, shop),
                               shop_to_door_m=_metres(shop, door),
                               hub_to_door_m=_metres(station, door),
                               times=order.town.stop_times) else DIRECT


def _closes(order: Order) -> datetime:
    """When the shop last closes on the wave's day (`windows.Hours`: split shifts, holidays,
    special days); the wave's end for a shop without hours, its start if it is shut."""
    spans = Hours.of_merchant(order.merchant).between(order.wave_start, order.wave_end)
    if spans is None:
        return order.wave_end
    return max((closes for _, closes in spans), default=order.wave_start)


def _local(day: date, at) -> datetime:
    return datetime.combine(day, at, BERLIN)


def group_of(order: Order) -> str:
    """The drop a hub leg belongs to: a checkout's (one destination), else the order's."""
    return f"checkout:{order.checkout_id}" if order.checkout_id else f"order:{order.pk}"


def goods_via_hub(order: Order, *, now: datetime, route: str | None = None) -> list[Leg] | None:
    """The packed order's legs via the hub, or None when it goes direct: by `route` (the
    dispatcher's choice), else by `route_choose`; also None when the town has no hub or the
    goods cannot be at the hub by the sorting deadline (packed too late)."""
    hub = town_hub(order)
    if hub is None or route == DIRECT or (route is None and route_choose(order, hub) == DIRECT):
        return None
    town, day = order.town, order.wave_start.astimezone(BERLIN).date()
    collection, deadline = (_local(day, town.hub_collection_start),
                            _local(day, town.hub_sorting_deadline))
    # in the rounds, while the shop is open; if it closes before they start, while it is open
    hours, service = Hours.of_merchant(order.merchant), town.stop_times.pickup
    found = (hours.window(max(now, collection), deadline, service)
             or hours.window(now, deadline, service))
    if found is None:
        return None
    start, until = found
    target = legs_mod.destination_spot(order)
    (pickup_from, pickup_until), (drop_from, drop_until) = onward_windows(
        order, target.ref, now=now)
    station = hub_spot(hub)
    transfer = legs_mod._create(order, LegKind.TRANSFER, legs_mod.merchant_spot(order.merchant),
                                station, pickup_from=start, pickup_until=until,
                                drop_from=start, drop_until=deadline)
    onward = legs_mod._create(order, LegKind.DELIVERY, station, target,
                              pickup_from=pickup_from, pickup_until=pickup_until,
                              drop_from=drop_from, drop_until=drop_until,
                              depends_on=transfer, group=group_of(order))
    return [transfer, onward]


def onward_windows(order: Order, drop_ref: str, *, now: datetime) -> tuple[Span, Span]:
    """When a parcel leaves the hub for `drop_ref` in the order's wave: collected there from
    the town's sorting deadline on, dropped in the wave while the destination is open
    (`windows.wave_drop_window`, as a direct leg's). Shared by a new chain and a delivery
    the depot held back (hub_desk.delivery_hold), whose legs move to the next wave."""
    deadline = _local(order.wave_start.astimezone(BERLIN).date(), order.town.hub_sorting_deadline)
    drop_from, drop_until = wave_drop_window(order, drop_ref, now)
    return (deadline, drop_until), (drop_from, drop_until)


def fetch_via_hub(order: Order) -> list[Leg] | None:
    """A service item fetched in its slot whose drop at the shop cannot happen before the
    shop closes that day: door → hub in the evening, hub → shop the next morning the shop
    opens (None: straight to the shop). A shop without opening hours has no limit."""
    if not order.merchant.opening_hours:
        return None
    hub = town_hub(order)
    if hub is None:
        return None
    home, shop = legs_mod.destination_spot(order), legs_mod.merchant_spot(order.merchant)
    day, times = order.wave_start.astimezone(BERLIN).date(), order.town.stop_times
    ride = timedelta(seconds=_metres(home, shop) / (RIDE_KMH / 3.6))
    earliest = order.wave_start + times.pickup + times.drop + ride  # at the shop, at best
    if shop_can_receive(order.merchant, earliest, order.wave_end, times.drop):
        return None
    found = shop_next_open(order.merchant, _local(day + timedelta(days=1), time(0)), times.drop)
    if found is None:
        return None
    # On that day its last open span, as for every drop at a shop (`windows.fit`): the
    # riders' shifts run in the afternoon, a morning-only window would find nobody.
    open_day = found[0].astimezone(BERLIN).date()
    opens, closes = Hours.of_merchant(order.merchant).window(
        found[0], _local(open_day + timedelta(days=1), time(0)), times.drop) or found
    station = hub_spot(hub)
    fetch = legs_mod._create(order, LegKind.ITEM_PICKUP, home, station,
                             pickup_from=order.wave_start, pickup_until=order.wave_end,
                             drop_from=order.wave_start, drop_until=order.wave_end)
    onward = legs_mod._create(order, LegKind.TRANSFER, station, shop,
                              pickup_from=opens - legs_mod.PICKUP_LEAD, pickup_until=closes,
                              drop_from=opens, drop_until=closes, depends_on=fetch,
                              group=group_of(order))
    return [fetch, onward]


@transaction.atomic
def route_force(*, by: User, leg_id: int, route: str, now: datetime | None = None) -> list[Leg]:
    """The dispatcher sends a packed order via the hub or direct, overriding `route_choose`:
    its legs that no rider holds yet are replaced in one transaction (their draft stops
    go with them), on the order's trail and in the audit. Only while the goods are still at
    the shop and none of its legs is on a published tour."""
    require_role(by, *DISPATCH)
    if route not in ROUTES:
        raise Invalid("Bitte „über das City-Depot“ oder „direkt“ wählen.", field="route")
    leg = visible_to(Leg.objects.select_for_update(), by).filter(pk=leg_id).first()
    if leg is None or leg.order is None:
        raise NotFound("Diesen Transportauftrag gibt es nicht.")
    order = Order.objects.select_for_update().get(pk=leg.order.pk)
    live = order.legs.exclude(status=LegStatus.CANCELLED)
    if order.kind != OrderKind.GOODS or order.status != OrderStatus.READY:
        raise Conflict(f"Bestellung {order.number} ist „{order.get_status_display()}“: der Weg "
                       "lässt sich nur ändern, solange die Ware noch im Geschäft liegt.",
                       code="route_fixed")
    if live.exclude(status__in=[LegStatus.OPEN, LegStatus.PLANNED]).exists() or \
            TourStop.objects.filter(leg__in=live, tour__status=TourStatus.PUBLISHED).exists():
        raise Conflict(f"Bestellung {order.number} ist schon auf einer veröffentlichten Tour; "
                       "bitte dort umplanen.", code="route_published")
    current = VIA_HUB if live.filter(drop_ref__startswith="hub:").exists() else DIRECT
    if current == route:
        raise Conflict(f"Bestellung {order.number} läuft schon {ROUTES[route]}.",
                       code="route_unchanged")
    TourStop.objects.filter(leg__in=live, tour__status=TourStatus.DRAFT).delete()
    live.update(status=LegStatus.CANCELLED)
    legs = legs_mod.legs_for_ready_goods(order, now=now or timezone.now(), route=route)
    if route == VIA_HUB and not any(leg.drop_ref.startswith("hub:") for leg in legs):
        raise Conflict(f"Bestellung {order.number} kann nicht mehr vor dem Sortierschluss im "
                       "City-Depot sein.", code="route_too_late")
    OrderEvent.objects.create(order=order, kind=EventKind.ROUTED, by=by,
                              from_status=order.status, to_status=order.status,
                              note=ROUTES[route])
    audit_record(by=by, action="Weg festgelegt", obj=leg, town_id=order.town_id,
                 note=f"{order.number}: {ROUTES[route]}")
    return legs
