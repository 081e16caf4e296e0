"""The figures of one town's day, read from the database, so they mean the same for a
simulated day and for a real one (the town report can use them on either).

`figures_for(town, day)` reads the rows; the arithmetic is in the pure functions below it
(`route_metres`, `tour_use`, `vehicle_use`, `on_time`, `share`). `DayFigures.as_json()`
is the entry `louise simulate` writes per day and town (also kept in
`SimulatedDay.figures`, with the simulation's own keys added, see `runner.TownDay`):

    day               "2026-12-01"
    town, town_name   the town's slug and name
    orders            goods orders placed that day (a checkout from two shops: two orders)
    orders_next_wave  of those, placed for a later wave (after the cut-off)
    cancelled         of those, cancelled by the customer (status now)
    declined          of those, declined by the shop (status now)
    service_bookings  service orders booked that day
    legs              transport legs whose drop window begins that day, not cancelled
    tours             the day's tours handed to riders (published or done)
    pickups           pickup stops done on those tours
    drops             drop stops done on those tours (goods, items to a shop, returns)
    on_time_share     share of the drops to customers (goods, repaired items) handed over
                      by the end of the leg's promised drop window (the rider's arrival:
                      the stop's done time less its service time, as the planner promises
                      it), 0…1; null when there were none
    failures          failed stops by reason, e.g. {"not_home": 2}
    fallbacks         the ways failed drops took, e.g. {"locker": 1, "next_wave": 1}
    lockers_emptied   locker compartments their customers opened that day
    stops_left        stops still open on the day's tours at its end
    vehicles          per vehicle kind ("bike", "car"): {"tours", "hours", "km"}; hours
                      from the tour's start to its return to the hub (last stop plus the
                      way back), km along the stops in the order they were done (great
                      circle times the planner's detour factor)
    unassigned        legs of the day still open at its end: [{"leg", "order", "reason"}],
                      the reason from the day's last plan run or failed insertion
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from louise.core.calendar import BERLIN
from louise.geo.models import Town
from louise.logistics.models import (
    InsertionFailure,
    Leg,
    LegKind,
    LegStatus,
    PlanRun,
    RunStatus,
    StopKind,
    StopStatus,
    Tour,
    TourStatus,
)
from louise.logistics.ridden import TourUse, Visit, tour_use
from louise.orders.models import EventKind, Order, OrderEvent, OrderKind, OrderStatus

NOT_PLANNED = "nach der letzten Planung offen geblieben"
TO_CUSTOMERS = (LegKind.DELIVERY, LegKind.RETURN)


@dataclass(frozen=True)
class VehicleUse:
    tours: int
    hours: float
    km: float


@dataclass(frozen=True)
class Unassigned:
    leg: int
    order: str | None
    reason: str


@dataclass(frozen=True)
class DayFigures:
    day: date
    town: str
    town_name: str
    orders: int
    orders_next_wave: int
    cancelled: int
    declined: int
    service_bookings: int
    legs: int
    tours: int
    pickups: int
    drops: int
    on_time_share: float | None
    failures: dict[str, int]
    fallbacks: dict[str, int]
    lockers_emptied: int
    stops_left: int
    vehicles: dict[str, VehicleUse]
    unassigned: list[Unassigned]

    def as_json(self) -> dict:
        return {
            "day": self.day.isoformat(), "town": self.town, "town_name": self.town_name,
            "orders": self.orders, "orders_next_wave": self.orders_next_wave,
            "cancelled": self.cancelled, "declined": self.declined,
            "service_bookings": self.service_bookings, "legs": self.legs, "tours": self.tours,
            "pickups": self.pickups, "drops": self.drops, "on_time_share": self.on_time_share,
            "failures": self.failures, "fallbacks": self.fallbacks,
            "lockers_emptied": self.lockers_emptied, "stops_left": self.stops_left,
            "vehicles": {kind: {"tours": use.tours, "hours": use.hours, "km": use.km}
                         for kind, use in self.vehicles.items()},
            "unassigned": [{"leg": u.leg, "order": u.order, "reason": u.reason}
                           for u in self.unassigned],
        }


# --- the arithmetic -------------------------------------------------------------------------

def vehicle_use(tours: Iterable[TourUse]) -> dict[str, VehicleUse]:
    """Tours, hours and km per vehicle kind, rounded for reading."""
    out: dict[str, list[TourUse]] = {}
    for tour in tours:
        out.setdefault(tour.kind, []).append(tour)
    return {kind: VehicleUse(len(used), round(sum(t.seconds for t in used) / 3600, 2),
                             round(sum(t.metres for t in used) / 1000, 2))
            for kind, used in sorted(out.items())}


def on_time(done_at: datetime, service_s: int, until: datetime) -> bool:
    """Handed over by the window's end: the rider arrived (finished less the stop's service
    time) in time, as the planner promises a drop. Nobody is early: riders wait for a
    window to open."""
    return done_at - timedelta(seconds=service_s) <= until


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


# --- the rows ---------------------------------------------------------------------------------

def _span(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), BERLIN)
    return start, start + timedelta(days=1)


def _reasons(town: Town, day: date) -> dict[int, str]:
    """Why legs were left out: the day's last plan run, then failed insertions."""
    reasons: dict[int, str] = {}
    run = (PlanRun.objects.filter(town=town, day=day, status=RunStatus.DONE)
           .order_by("-created_at", "-pk").first())
    if run is not None:
        reasons |= {u["leg"]: u["reason"] for u in run.summary.get("unassigned", [])}
    for failure in InsertionFailure.objects.filter(town=town, day=day).order_by("pk"):
        reasons |= dict.fromkeys(failure.legs, failure.message)
    return reasons


def figures_for(town: Town, day: date) -> DayFigures:
    begin, end = _span(day)
    placed = Order.objects.filter(town=town, placed_at__gte=begin, placed_at__lt=end)
    goods = placed.filter(kind=OrderKind.GOODS)
    legs = (Leg.objects.filter(town=town, drop_from__gte=begin, drop_from__lt=end)
            .exclude(status=LegStatus.CANCELLED))
    tours = list(Tour.objects.filter(plan_run__town=town, plan_run__day=day,
                                     status__in=[TourStatus.PUBLISHED, TourStatus.DONE])
                 .select_related("shift__vehicle__hub").order_by("pk"))
    stops = [s for tour in tours for s in
             tour.stops.select_related("leg").order_by("done_at", "sequence")]
    done = [s for s in stops if s.status == StopStatus.DONE]
    failed = [s for s in stops if s.status == StopStatus.FAILED]
    drops = [s for s in done if s.kind == StopKind.DELIVERY]
    to_customers = [s for s in drops if s.leg.kind in TO_CUSTOMERS]
    reasons = _reasons(town, day)
    return DayFigures(
        day=day, town=town.slug, town_name=town.name,
        orders=goods.count(),
        orders_next_wave=goods.filter(wave_start__gte=end).count(),
        cancelled=goods.filter(status=OrderStatus.CANCELLED).count(),
        declined=goods.filter(status=OrderStatus.DECLINED).count(),
        service_bookings=placed.filter(kind=OrderKind.SERVICE).count(),
        legs=legs.count(),
        tours=len(tours),
        pickups=sum(1 for s in done if s.kind == StopKind.PICKUP),
        drops=len(drops),
        on_time_share=share(sum(1 for s in to_customers if s.done_at is not None
                                and on_time(s.done_at, s.service_s, s.window[1])),
                            len(to_customers)),
        failures=dict(sorted(Counter(s.failure_reason for s in failed).items())),
        fallbacks=dict(sorted(Counter(s.fallback for s in failed if s.fallback).items())),
        lockers_emptied=OrderEvent.objects.filter(
            order__town=town, kind=EventKind.LOCKER_OPENED, at__gte=begin, at__lt=end).count(),
        stops_left=sum(1 for s in stops if s.status == StopStatus.PENDING),
        vehicles=vehicle_use(
            tour_use(kind=tour.shift.vehicle.kind,
                     hub=(tour.shift.vehicle.hub.lat, tour.shift.vehicle.hub.lon),
                     start=tour.starts_at,
                     visits=[Visit(s.lat, s.lon, s.done_at) for s in stops
                             if s.tour_id == tour.pk and s.done_at is not None],
                     back=tour.status == TourStatus.DONE,
                     speed_kmh=tour.shift.vehicle.speed_kmh)
            for tour in tours),
        unassigned=[Unassigned(leg.pk, leg.order.number if leg.order else None,
                               reasons.get(leg.pk, NOT_PLANNED))
                    for leg in legs.filter(status=LegStatus.OPEN).select_related("order")
                    .order_by("pk")],
    )
