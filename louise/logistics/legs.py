"""Turning orders into legs: which places a parcel or an item moves between, and when.

Places are written as snapshots (`ref`, label, coordinates) so the planner can tell two
legs at the same shop apart from two different shops with one look at `ref`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from louise.catalog.models import Merchant
from louise.core.validation import save_validated
from louise.geo.models import Zone
from louise.geo.selectors import zone_of_place
from louise.geo.stop_times import StopTimes
from louise.orders.models import Order

from . import hub_routing
from .models import Leg, LegKind, LegStatus
from .running import new_legs_announce
from .windows import Hours, Span, place_window, wave_drop_window
from .withdrawal import stops_withdraw

# How long before its wave a parcel may be collected where no opening hours say otherwise
# (a shop that has entered no hours, a parcel waiting at the hub): the riders' shifts begin
# about then (14:00 for the 17:30 wave) to fetch from the shops and gather at the hub, so
# the planner can bring a checkout's orders from several shops to one door together.
PICKUP_LEAD = timedelta(hours=4)


@dataclass(frozen=True)
class Spot:
    """A place a leg starts or ends at; `zone` (of the leg's town) decides which vehicle
    kinds may go there: a leg needs one allowed at both ends."""

    ref: str
    label: str
    lat: float
    lon: float
    zone: Zone | None = None


def merchant_spot(merchant: Merchant) -> Spot:
    return Spot(f"merchant:{merchant.pk}", f"{merchant.name}, {merchant.street}",
                merchant.lat, merchant.lon, zone_of_place(merchant, merchant.town))


def destination_spot(order: Order) -> Spot:
    place = order.destination
    kind = {"door": "address", "point": "point", "locker": "locker"}[order.delivery_method]
    name = order.recipient_name if order.delivery_method == "door" else place.name
    return Spot(f"{kind}:{place.pk}", f"{name}, {place.street}", place.lat, place.lon,
                zone_of_place(place, order.town))


def _handover_window(merchant: Merchant, wave_start: datetime, wave_end: datetime,
                     now: datetime, service: timedelta) -> Span:
    """When the shop can hand over goods for the wave (or a shopper can buy there): while
    it is open from `now` until the wave ends (a shop without hours from `PICKUP_LEAD`
    before the wave), long enough for the `service` time."""
    hours = Hours.of_merchant(merchant)
    start = now if hours.on else max(now, wave_start - PICKUP_LEAD)
    return place_window(hours, start, wave_end, service)


def _service_at(spot: Spot, times: StopTimes, elsewhere: timedelta) -> timedelta:
    """A stop's service at `spot`: the hub's bay time there, else `elsewhere`."""
    return times.hub if spot.ref.startswith("hub:") else elsewhere


def _create(order: Order, kind: str, source: Spot, target: Spot, *, pickup_from: datetime,
            pickup_until: datetime, drop_from: datetime, drop_until: datetime,
            status: str = LegStatus.OPEN, depends_on: Leg | None = None,
            group: str = "") -> Leg:
    """A leg between two spots, with its stops' service from the town's stop times
    (`Town.stop_times`, kept on the leg, so a changed setting applies to new legs): the
    hub's bay time at a hub, a shopper's purchase at a shopping list's pickup."""
    times = order.town.stop_times
    pickup_service = _service_at(source, times, times.shopping if kind == LegKind.SHOPPING
                                 else times.pickup)
    drop_service = _service_at(target, times, times.drop)
    leg = Leg(
        order=order, kind=kind, status=status, depends_on=depends_on,
        pickup_ref=source.ref, pickup_label=source.label[:160], pickup_lat=source.lat,
        pickup_lon=source.lon, pickup_from=pickup_from, pickup_until=pickup_until,
        pickup_service_s=int(pickup_service.total_seconds()),
        drop_ref=target.ref, drop_label=target.label[:160], drop_lat=target.lat,
        drop_lon=target.lon, drop_from=drop_from, drop_until=drop_until,
        drop_service_s=int(drop_service.total_seconds()),
        weight_g=order.weight_g, volume_ml=order.volume_ml, parcels=order.parcels,
        cooled=order.cooled, bulky=order.bulky, zone=target.zone, pickup_zone=source.zone,
        group=group,
    )
    return save_validated(leg)


@transaction.atomic
def legs_for_ready_goods(order: Order, *, now: datetime | None = None,
                         route: str | None = None) -> list[Leg]:
    """A packed order: via the hub (`hub_routing.goods_via_hub`: a multi-shop delivery, or
    where it is cheaper, or as the dispatcher's `route` says), else one leg shop →
    destination, collected while the shop is open and dropped in the wave while the
    destination is open."""
    now = now or timezone.now()
    legs = hub_routing.goods_via_hub(order, now=now, route=route)
    if legs is None:
        target = destination_spot(order)
        pickup_from, pickup_until = _handover_window(order.merchant, order.wave_start,
                                                     order.wave_end, now,
                                                     order.town.stop_times.pickup)
        drop_from, drop_until = wave_drop_window(order, target.ref, now)
        legs = [_create(order, LegKind.DELIVERY, merchant_spot(order.merchant), target,
                        pickup_from=pickup_from, pickup_until=pickup_until,
                        drop_from=drop_from, drop_until=drop_until)]
    new_legs_announce(legs)
    return legs


@transaction.atomic
def legs_for_shopping(order: Order, *, now: datetime | None = None) -> Leg:
    """A shopping list is one leg of its own kind, store → destination, straight (no shop
    packs it for the hub): the rider buys it at the store (a long stop, the town's
    `StopTimes.shopping`, while it is open) and brings it in the wave."""
    now = now or timezone.now()
    target = destination_spot(order)
    pickup_from, pickup_until = _handover_window(order.merchant, order.wave_start,
                                                 order.wave_end, now,
                                                 order.town.stop_times.shopping)
    drop_from, drop_until = wave_drop_window(order, target.ref, now)
    leg = _create(order, LegKind.SHOPPING, merchant_spot(order.merchant), target,
                  pickup_from=pickup_from, pickup_until=pickup_until, drop_from=drop_from,
                  drop_until=drop_until)
    new_legs_announce([leg])
    return leg


@transaction.atomic
def legs_for_service_booking(order: Order) -> list[Leg]:
    """A service is a round trip: the item is fetched in the booked slot, and the return leg
    waits (status `waiting`, `depends_on` the pickup) until the shop reports it done.

    The item is handed in while the shop is open: the slot cut to its hours, or, if it is
    shut all the slot, its next opening (`windows.shop_next_open`), so it is never planned
    into a closed shop (the way there overnight, via the hub, is the hub's chain)."""
    home, shop = destination_spot(order), merchant_spot(order.merchant)
    hours, times = Hours.of_merchant(order.merchant), order.town.stop_times
    drop_from, drop_until = place_window(hours, order.wave_start, order.wave_end, times.drop)
    fetch = hub_routing.fetch_via_hub(order) or [  # the shop closes first: overnight at the hub
        _create(order, LegKind.ITEM_PICKUP, home, shop, pickup_from=order.wave_start,
                pickup_until=order.wave_end, drop_from=drop_from, drop_until=drop_until)]
    pickup_from, pickup_until = place_window(hours, order.wave_start, order.wave_end,
                                             times.pickup)
    back = _create(order, LegKind.RETURN, shop, home, pickup_from=pickup_from,
                   pickup_until=pickup_until, drop_from=order.wave_start,
                   drop_until=order.wave_end, status=LegStatus.WAITING, depends_on=fetch[-1])
    new_legs_announce(fetch)  # a day already under way takes the fetch at once
    return [*fetch, back]


@transaction.atomic
def leg_release_return(order: Order, *, wave_start: datetime, wave_end: datetime,
                       now: datetime | None = None) -> Leg:
    """The shop finished the service: the waiting return leg becomes plannable in a wave
    (the live one: a rescheduled booking keeps its old legs, cancelled)."""
    leg = (Leg.objects.select_for_update().exclude(status=LegStatus.CANCELLED)
           .get(order=order, kind=LegKind.RETURN))
    leg.status = LegStatus.OPEN
    leg.pickup_from, leg.pickup_until = _handover_window(order.merchant, wave_start, wave_end,
                                                         now or timezone.now(),
                                                         order.town.stop_times.pickup)
    leg.drop_from, leg.drop_until = wave_start, wave_end
    save_validated(leg)
    new_legs_announce([leg])
    return leg


def legs_cancel(order: Order) -> None:
    """The order is called off: its open legs are cancelled and leave the tours."""
    live = order.legs.filter(status__in=[LegStatus.OPEN, LegStatus.WAITING, LegStatus.PLANNED])
    leg_ids = list(live.values_list("pk", flat=True))
    live.update(status=LegStatus.CANCELLED)
    stops_withdraw(leg_ids)
