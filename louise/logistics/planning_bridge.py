"""Between the database and the pure planning library: rows in, problem out; plan in, rows out.

Times cross the boundary as whole seconds from local midnight of the planning day, so
the library never sees a time zone; ids cross as strings (leg and shift primary keys).
"""

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache, cached_property

from django.conf import settings
from django.db.models import F

from louise import planning
from louise.core.calendar import BERLIN
from louise.geo.models import Hub, Town, Zone
from louise.geo.stop_times import StopTimes

from .models import (
    Leg,
    LegStatus,
    PlanRun,
    RunStatus,
    Shift,
    StopKind,
    StopStatus,
    Tour,
    TourStatus,
    TourStop,
)
from .windows import Hours, Span, handover_at


@dataclass(frozen=True)
class Day:
    """A town's planning day and its epoch (local midnight, aware): each town plans its own
    legs with its own fleet."""

    day: date
    town_id: int

    @classmethod
    def of(cls, run: PlanRun) -> "Day":
        """The day and town a plan run is for."""
        assert run.town_id is not None  # NOT NULL in the database
        return cls(run.day, run.town_id)

    @property
    def epoch(self) -> datetime:
        return datetime.combine(self.day, time(0), BERLIN)

    def seconds(self, at: datetime) -> int:
        return int((at - self.epoch).total_seconds())

    def at(self, seconds: int) -> datetime:
        return self.epoch + timedelta(seconds=seconds)

    @cached_property
    def times(self) -> StopTimes:
        """The town's stop times (`Town.stop_times`), read once for the day's planning: the
        handover its stops at one place share."""
        return Town.objects.get(pk=self.town_id).stop_times


def hub_location(hub: Hub) -> planning.Location:
    return planning.Location(id=f"hub:{hub.pk}", lat=hub.lat, lon=hub.lon)


def plannable_legs(day: Day):
    """Open legs whose drop window starts on the day (waiting legs wait for their event)."""
    return (Leg.objects.filter(town=day.town_id, status=LegStatus.OPEN, drop_from__gte=day.epoch,
                               drop_from__lt=day.epoch + timedelta(days=1))
            .select_related("zone", "pickup_zone"))


def plan_time_limit(day: Day) -> float:
    """The search time of the day's plan when nobody asks for another: it grows with the
    open legs (settings `LOUISE_PLAN_*`). A flat 5 s gave a 500-order day of 865 legs the
    demo's time: planned in 5 s it cost 7 % more at the town's rates than in its 17 s
    (another day, 672 legs, about the same; docs/planning.md). The dispatcher plans once,
    20 minutes before the wave, and can wait that long."""
    wanted = plannable_legs(day).count() / settings.LOUISE_PLAN_LEGS_PER_SECOND
    return min(max(wanted, settings.LOUISE_PLAN_TIME_LIMIT), settings.LOUISE_PLAN_TIME_MAX)


def plan_running(day: Day) -> bool:
    """A plan run of the town's day is queued or computing: its result replaces the drafts."""
    return PlanRun.objects.filter(town=day.town_id, day=day.day,
                                  status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists()


def plannable_shifts(day: Day):
    """Shifts on the day without a published tour (published tours are the riders' now),
    of vehicles in service and riders still with us (a deactivated one cannot sign in)."""
    return (Shift.objects.filter(starts_at__lt=day.epoch + timedelta(days=1),
                                 ends_at__gt=day.epoch, vehicle__active=True,
                                 rider__is_active=True, vehicle__town=day.town_id)
            .exclude(tours__status="published").select_related("vehicle__hub__town", "rider"))


def draft_locks(day: Day) -> dict[int, int]:
    """Leg id -> shift id for stops the dispatcher locked on the day's draft tours."""
    return dict(TourStop.objects.filter(locked=True, tour__status=TourStatus.DRAFT,
                                        tour__plan_run__day=day.day,
                                        tour__plan_run__town=day.town_id)
                .values_list("leg_id", "tour__shift_id"))


def place(ref: str, lat: float, lon: float, times: StopTimes) -> planning.Location:
    """A place for the planner, with the handover its stops in a row share (the town's,
    `windows.handover_at`): the one way a ref becomes a location, so a ref always carries
    the same handover."""
    return planning.Location(id=ref, lat=lat, lon=lon,
                             handover_s=int(handover_at(ref, times).total_seconds()))


def own_service_s(leg: Leg, kind: str, times: StopTimes) -> int:
    """A stop's service for the planner: the leg's service at that end without the town's
    handover the planner adds on coming to the place (`place`), which stops there in a row
    share."""
    ref, service = ((leg.pickup_ref, leg.pickup_service_s) if kind == StopKind.PICKUP
                    else (leg.drop_ref, leg.drop_service_s))
    return max(0, service - int(handover_at(ref, times).total_seconds()))


def _hours(spans: list[Span] | None, day: Day, handover_s: int
           ) -> tuple[planning.TimeWindow, ...]:
    """A place's open spans for the checker; () without a limit, one empty span if shut.
    The planner's stop begins after the handover, which must not begin before the opening."""
    if spans is None:
        return ()
    return tuple(planning.TimeWindow(min(day.seconds(a) + handover_s, day.seconds(b)),
                                     day.seconds(b)) for a, b in spans) or (
        planning.TimeWindow(0, 0),)


def _at_place(hours: Hours, start: datetime, end: datetime, service_s: int, handover_s: int,
              day: Day) -> tuple[planning.TimeWindow, tuple[planning.TimeWindow, ...]]:
    """A stop's window cut to its place's hours (a leg made before the hours changed: a
    special day, a holiday), and the place's spans; a window that no longer fits is kept
    as it is, so the checker names the stop. The leg's windows are for the begin of its
    whole service, the planner's for the begin after the handover: both move by it."""
    begin, until = hours.window(start, end, timedelta(seconds=service_s)) or (start, end)
    return (planning.TimeWindow(day.seconds(begin) + handover_s,
                                day.seconds(until) + handover_s),
            _hours(hours.between(start, end), day, handover_s))


def to_leg(leg: Leg, day: Day, *, locked_to: int | None = None,
           on_board: int | None = None,
           hours: Callable[[str], Hours] = Hours.of_ref) -> planning.Leg:
    """The leg for the planner, with the handovers of the day's town (`Day.times`); `hours`
    reads a place's hours by its ref (`problem_for` reads each place once)."""
    pickup = place(leg.pickup_ref, leg.pickup_lat, leg.pickup_lon, day.times)
    delivery = place(leg.drop_ref, leg.drop_lat, leg.drop_lon, day.times)
    pickup_window, pickup_hours = _at_place(hours(leg.pickup_ref), leg.pickup_from,
                                            leg.pickup_until, leg.pickup_service_s,
                                            pickup.handover_s, day)
    delivery_window, delivery_hours = _at_place(hours(leg.drop_ref), leg.drop_from,
                                                leg.drop_until, leg.drop_service_s,
                                                delivery.handover_s, day)
    return planning.Leg(
        id=str(leg.pk),
        pickup=pickup,
        delivery=delivery,
        pickup_window=pickup_window,
        delivery_window=delivery_window,
        pickup_service=own_service_s(leg, StopKind.PICKUP, day.times),
        delivery_service=own_service_s(leg, StopKind.DELIVERY, day.times),
        size=(leg.weight_g, leg.volume_ml, leg.parcels),
        requirements=frozenset(r for r, on in (("cooled", leg.cooled), ("bulky", leg.bulky))
                               if on),
        zone=leg.zone.name if leg.zone else None,
        locked_to=None if locked_to is None else str(locked_to),
        on_board=None if on_board is None else str(on_board),
        pickup_hours=pickup_hours,
        delivery_hours=delivery_hours,
        pickup_zone=leg.pickup_zone.name if leg.pickup_zone else None,
        group=leg.group or None,
    )


# A group of legs merged into one planning leg, by the merged leg's id (its first member's).
Groups = Mapping[int, Sequence[Leg]]


def drop_groups(legs: Iterable[Leg]) -> dict[int, list[Leg]]:
    """The groups of two or more legs among `legs` (the parcels of one delivery from the
    hub), by their first member's id, which stands for the group in a merged problem."""
    by_group: dict[str, list[Leg]] = {}
    for leg in legs:
        if leg.group:
            by_group.setdefault(leg.group, []).append(leg)
    return {members[0].pk: members for members in
            (sorted(m, key=lambda leg: leg.pk) for m in by_group.values()) if len(members) > 1}


def _merged(parts: list[planning.Leg]) -> planning.Leg:
    """One planning leg for a group: the solver then cannot split it, and `tour_write`
    hands out its stops again, one per member, back to back. Services add up, so the
    expanded stops are timed exactly as `schedule.make_tour` times them one by one (the
    publish check); windows are the members' common part (the same by construction), ending
    early enough for the last member's stop, which begins after the others' services."""
    first = parts[0]

    def common(windows: list[planning.TimeWindow], services: list[int]
               ) -> planning.TimeWindow:
        start = max(w.start for w in windows)
        before = itertools.accumulate(services, initial=0)  # each member's delay in the stop
        end = min(w.end - delay for w, delay in zip(windows, before, strict=False))
        return planning.TimeWindow(start, max(start, end))

    return replace(
        first,
        pickup_window=common([p.pickup_window for p in parts],
                             [p.pickup_service for p in parts]),
        delivery_window=common([p.delivery_window for p in parts],
                               [p.delivery_service for p in parts]),
        pickup_service=sum(p.pickup_service for p in parts),
        delivery_service=sum(p.delivery_service for p in parts),
        size=tuple(sum(dims) for dims in zip(*(p.size for p in parts), strict=True)),
        requirements=frozenset().union(*(p.requirements for p in parts)),
        locked_to=next((p.locked_to for p in parts if p.locked_to), None),
        after=tuple(sorted({feeder for p in parts for feeder in p.after})),
    )


def to_vehicle(shift: Shift, day: Day) -> planning.Vehicle:
    """The shift's vehicle with its kind's costs and parking time in the town
    (`Town.costs_of`); a
    charge time of 0 means the battery is swapped at the hub."""
    vehicle = shift.vehicle
    hub = hub_location(vehicle.hub)
    costs = vehicle.hub.town.costs_of(vehicle.kind)
    return planning.Vehicle(
        id=str(shift.pk),
        profile=vehicle.kind,
        capacity=(vehicle.capacity_g, vehicle.capacity_ml, vehicle.capacity_parcels),
        shift=planning.TimeWindow(day.seconds(shift.starts_at), day.seconds(shift.ends_at)),
        start=hub,
        end=hub,
        speed_kmh=vehicle.speed_kmh,
        range_m=vehicle.range_km * 1000,
        capabilities=frozenset(c for c, on in (("cooled", vehicle.cooled),
                                               ("bulky", vehicle.bulky)) if on),
        fixed_cost=costs.cents_per_day,
        cost_per_km=costs.cents_per_km,
        cost_per_hour=costs.cents_per_hour,
        co2_g_per_km=costs.co2_g_per_km,
        charge_s=vehicle.charge_minutes * 60,
        park_s=costs.park_seconds,
    )


def zone_rules(town_id: int) -> dict[str, frozenset[str]]:
    """Allowed vehicle profiles per zone of the town; a switched-off zone allows none."""
    return {z.name: frozenset(z.vehicle_kinds) if z.active else frozenset()
            for z in Zone.objects.filter(town=town_id)}


def problem_for(day: Day, legs: Iterable[Leg], vehicles: Iterable[planning.Vehicle], *,
                locks: dict[int, int] | None = None,
                on_board: dict[int, int] | None = None,
                groups: Groups | None = None) -> planning.Problem:
    """The one way rows become a problem: `locks` pins legs to a shift (the dispatcher's
    locked stops), `on_board` names the shift whose vehicle already carries a leg, and each
    of `groups` (see `drop_groups`) becomes one planning leg, so a plan from scratch keeps
    a delivery's parcels in one drop (the checker's rule "group" holds everywhere else)."""
    locks, on_board, groups = locks or {}, on_board or {}, groups or {}
    hours = cache(Hours.of_ref)
    merged = {m.pk for members in groups.values() for m in members}
    legs = list(legs)
    planned = {leg.pk: to_leg(leg, day, locked_to=locks.get(leg.pk),
                              on_board=on_board.get(leg.pk), hours=hours) for leg in legs}
    chained = _chained(legs, planned)
    return planning.Problem(
        legs=tuple(_merged([chained[m.pk] for m in groups[pk]]) if pk in groups else p
                   for pk, p in chained.items() if pk in groups or pk not in merged),
        vehicles=tuple(vehicles),
        zones=zone_rules(day.town_id),
    )


def _chained(legs: list[Leg], planned: dict[int, planning.Leg]) -> dict[int, planning.Leg]:
    """Each leg out of the hub names the legs of the same order into the hub that this
    problem plans too (`planning.Leg.after`): goods already there, or on a published tour,
    need no such tie."""
    into_hub: dict[int, list[str]] = {}
    for leg in legs:
        if leg.order_id is not None and leg.drop_ref.startswith("hub:"):
            into_hub.setdefault(leg.order_id, []).append(str(leg.pk))
    return {pk: replace(p, after=tuple(into_hub[leg.order_id]))
            if leg.pickup_ref.startswith("hub:") and leg.order_id in into_hub else p
            for leg, (pk, p) in zip(legs, planned.items(), strict=True)}


def expanded(planned: Iterable[planning.Stop], groups: Groups, legs: Mapping[int, Leg],
             times: StopTimes) -> list[tuple[Leg, str, int, int]]:
    """The planned stops as (leg, kind, start, departure), a merged group's stop
    as its members' stops back to back (the services add up to the merged one's); a stop
    begins after the handover at its place, and its departure is its own service later
    (`own_service_s`, with the town's `times`)."""
    out = []
    for p in planned:
        at = p.start
        for leg in groups.get(int(p.leg_id), [legs[int(p.leg_id)]]):
            service = own_service_s(leg, p.kind, times)
            out.append((leg, p.kind, at, at + service))
            at += service
    return out


def tour_write(tour: Tour, planned: planning.Tour, day: Day, *, legs: dict[int, Leg],
               stops: Iterable[TourStop] = (), running: bool = False,
               groups: Groups | None = None) -> None:
    """The one way a planned tour becomes rows: its stops in the planned order with their
    times, and its times. `stops` are the tour's rows the plan already holds (they keep
    their rows); the others are added. `groups` are the merged legs of the problem.

    `running`: the plan is the rest of a published tour, so done stops keep their numbers
    and the rest follows them, the times are the stops' new ETAs, and the tour keeps its
    start and distance (the plan only covers its rest). Numbers move out of the way first:
    the sequence is unique per tour.
    """
    by_key = {(s.leg_id, s.kind): s for s in stops}
    TourStop.objects.filter(pk__in=[s.pk for s in by_key.values()]).update(
        sequence=F("sequence") + 10_000)
    first = 1 + ((tour.stops.exclude(status=StopStatus.PENDING).order_by("-sequence")
                  .values_list("sequence", flat=True).first() or 0) if running else 0)
    kept, added = [], []
    for sequence, (leg, kind, start, departure) in enumerate(
            expanded(planned.stops, groups or {}, legs, day.times), start=first):
        stop = by_key.get((leg.pk, kind))
        if stop is None:
            stop = TourStop(tour=tour, leg=leg, kind=kind)
            added.append(stop)
        else:
            kept.append(stop)
        stop.tour, stop.sequence = tour, sequence
        stop.planned_arrival, stop.planned_departure = day.at(start), day.at(departure)
        if running:
            stop.eta = stop.planned_arrival
    TourStop.objects.bulk_update(kept, ["tour", "sequence", "planned_arrival",
                                        "planned_departure", "eta"])
    TourStop.objects.bulk_create(added)
    times: dict[str, object] = {"ends_at": day.at(planned.end)}
    if not running:
        times |= {"starts_at": day.at(planned.start), "distance_m": planned.distance_m}
    Tour.objects.filter(pk=tour.pk).update(**times)
