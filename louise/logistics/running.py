"""The running plan: published tours as the planner sees them in the middle of the day.

A published tour's done stops are history; its pending stops are the plan. Each vehicle
starts where its rider is now (last position or last finished stop) at the current time;
goods already collected ride `on_board`. New legs (a late order, a failure's fallback) are
slotted in with `planning.insert`, which keeps the order of the stops already there, and
ETAs are re-projected from the rider's progress (`eta.project`).
"""

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from louise import planning
from louise.accounts.access import DISPATCH, require_role, visible_to
from louise.accounts.models import User
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, DomainError, NotFound
from louise.core.logs import logged_failure
from louise.geo.models import Town
from louise.geo.stop_times import StopTimes

from .eta import Visit, pace, project
from .models import (
    ACTIVE_RUN,
    InsertionFailure,
    InsertionRun,
    Leg,
    LegStatus,
    RunStatus,
    Shift,
    StopStatus,
    Tour,
    TourStatus,
    TourStop,
)
from .planning_bridge import (
    Day,
    own_service_s,
    place,
    plan_running,
    plannable_legs,
    plannable_shifts,
    problem_for,
    to_vehicle,
    tour_write,
)
from .shifts import shift_start_to_tour


def stop_location(stop: TourStop, times: StopTimes) -> planning.Location:
    """A stop as the planner's place (its ref tells two stops at one address apart), with
    the handover of the town's `times`."""
    return place(stop.ref, stop.lat, stop.lon, times)


def _pending(tour: Tour) -> list[TourStop]:
    return [s for s in tour.stops.select_related("leg").order_by("sequence")
            if s.status == StopStatus.PENDING]


def _from_now(vehicle: planning.Vehicle, day: Day, now: datetime,
              start: planning.Location | None = None) -> planning.Vehicle:
    """`vehicle` leaving `start` (its own by default) now at the earliest: the time before
    is gone."""
    begin = max(day.seconds(now), vehicle.shift.start)
    return dataclasses.replace(vehicle, start=start or vehicle.start,
                               shift=planning.TimeWindow(begin, max(begin, vehicle.shift.end)))


def vehicle_now(tour: Tour, day: Day, now: datetime) -> planning.Vehicle:
    """The tour's vehicle as it is now: where the rider was last seen, from now on."""
    vehicle = to_vehicle(tour.shift, day)
    last_stop = (tour.stops.exclude(status=StopStatus.PENDING).exclude(done_at=None)
                 .select_related("leg").order_by("-done_at").first())
    position = tour.positions.order_by("-at").first()
    start = vehicle.start
    last_done = last_stop.done_at if last_stop else None
    if position and (last_done is None or position.at >= last_done):
        start = planning.Location(id=f"pos:{position.pk}", lat=position.lat, lon=position.lon)
    elif last_stop:
        start = stop_location(last_stop, day.times)
    return _from_now(vehicle, day, now, start)


def _segments(tour: Tour, vehicle: planning.Vehicle, matrix: planning.TravelMatrix,
              times: StopTimes) -> list[tuple[int, int]]:
    """(expected, actual) seconds from finishing one stop to finishing the next, for the
    stops done so far; time spent waiting for a window to open is not the rider's pace."""
    out, here, left = [], vehicle.start, tour.starts_at
    for stop in (tour.stops.exclude(done_at=None).select_related("leg")
                 .order_by("done_at")):
        assert stop.done_at is not None  # the query leaves out stops not done
        there = stop_location(stop, times)
        travel = planning.travel_s(matrix, here, there, vehicle)
        arrived = left + timedelta(seconds=travel)
        wait = max(0.0, (stop.window[0] - arrived).total_seconds())
        out.append((travel + own_service_s(stop.leg, stop.kind, times),
                    int((stop.done_at - left).total_seconds() - wait)))
        here, left = there, stop.done_at
    return out


def _visit(stop: TourStop, day: Day) -> Visit:
    """A pending stop timed as the planner times it: it begins after the handover at its
    place (in `travel_s`), so its window moves by that and its service is its own part."""
    location = stop_location(stop, day.times)
    opens, closes = (day.seconds(t) + location.handover_s for t in stop.window)
    return Visit(location, opens, closes, own_service_s(stop.leg, stop.kind, day.times))


def etas_refresh(*, tour: Tour, now: datetime | None = None) -> list[TourStop]:
    """Re-project the pending stops' ETAs from the rider's position and pace, and store them."""
    now, matrix = now or timezone.now(), planning.HaversineMatrix()
    day = Day.of(tour.plan_run)
    pending = _pending(tour)
    vehicle = vehicle_now(tour, day, now)
    visits = [_visit(s, day) for s in pending]
    factor = pace(_segments(tour, to_vehicle(tour.shift, day), matrix, day.times))
    projected = project(vehicle, vehicle.start, vehicle.shift.start, visits, matrix, factor)
    for stop, p in zip(pending, projected, strict=True):
        stop.eta = day.at(p.begin)
    TourStop.objects.bulk_update(pending, ["eta"])
    if pending:  # the expected return to the hub moves with the stops
        back = project(vehicle, stop_location(pending[-1], day.times),
                       projected[-1].begin + round(visits[-1].service * factor),
                       [Visit(vehicle.end, 0, 0, 0)], matrix, factor)[0]
        Tour.objects.filter(pk=tour.pk).update(ends_at=day.at(back.arrival))
    return pending


@dataclasses.dataclass(frozen=True)
class Inserted:
    """What an insertion did: legs placed (leg id -> tour id) and legs left out, with why."""

    placed: dict[int, int]
    unassigned: list[dict]


def running_tours(day: Day) -> list[Tour]:
    return list(Tour.objects.filter(plan_run__day=day.day, plan_run__town=day.town_id,
                                    status=TourStatus.PUBLISHED)
                .select_related("shift__vehicle__hub", "shift__rider"))


def idle_shifts(day: Day, now: datetime) -> dict[str, Shift]:
    """The day's shifts not over by `now` that have no tour at all, by the planner's vehicle
    id: riders on duty or still to come whom nobody called off. A leg no running tour has
    room for rides with one of them rather than being reported as "no room" while the
    console lists the rider as free. None while the day is being planned (that run's drafts
    are for these riders) and none with a draft (it waits for the dispatcher's word).
    `legs_insert` asks after locking the running tours, so two insertions at once never
    give one shift two tours."""
    if plan_running(day):
        return {}
    return {str(shift.pk): shift for shift in
            plannable_shifts(day).filter(ends_at__gt=now).exclude(tours__status=TourStatus.DRAFT)}


@transaction.atomic
def legs_insert(*, day: Day, legs: Iterable[Leg], now: datetime | None = None,
                on_board: dict[int, int] | None = None) -> Inserted:
    """Slot `legs` into the day's published tours without reordering what is there, or
    into a new published tour of a shift that has none yet (`idle_shifts`).

    `on_board` maps a leg to the shift whose vehicle already carries it (a failed drop's
    parcel). When keeping the current order makes an existing stop late, the insertion is
    retried with the current stops fixed at the head of each tour, so a stop a rider was
    promised is never dropped to make room.
    """
    now, the_day, on_board = now or timezone.now(), day, on_board or {}
    tours = {str(t.shift_id): t for t in
             Tour.objects.select_for_update().filter(pk__in=[t.pk for t in running_tours(day)])
             .select_related("shift__vehicle__hub", "shift__rider")}
    new = list(legs)
    pending = {vid: _pending(t) for vid, t in tours.items()}
    carried = {s.leg_id: int(vid) for vid, stops in pending.items() for s in stops
               if s.leg.status == LegStatus.COLLECTED}
    carried |= on_board
    all_legs = {s.leg_id: s.leg for stops in pending.values() for s in stops}
    all_legs |= {leg.pk: leg for leg in new}
    # a late parcel of a delivery rides with its siblings (one drop, the checker's "group")
    siblings = {s.leg.group: int(vid) for vid, stops in pending.items() for s in stops
                if s.leg.group}
    locks = {leg.pk: siblings[leg.group] for leg in new if leg.group in siblings}
    idle = idle_shifts(the_day, now)
    vehicles = [vehicle_now(t, the_day, now) for t in tours.values()]
    vehicles += [_from_now(to_vehicle(shift, the_day), the_day, now) for shift in idle.values()]
    problem = problem_for(the_day, all_legs.values(), vehicles, on_board=carried, locks=locks)
    current = planning.Plan(
        tours=tuple(planning.Tour(vid, tuple(
            planning.Stop(str(s.leg_id), s.kind, stop_location(s, the_day.times), 0, 0, 0, ())
            for s in stops),
            0, 0, 0) for vid, stops in pending.items()),
        unassigned=(), distance_m=0, duration_s=0, solver="running")
    new_ids = [str(leg.pk) for leg in new]
    try:
        result = planning.insert(problem, current, new_ids)
        if any(u.leg_id not in new_ids for u in result.unassigned):
            fixed = {vid: tuple((str(s.leg_id), s.kind) for s in stops)
                     for vid, stops in pending.items() if stops}
            result = planning.insert(dataclasses.replace(problem, fixed=fixed), current,
                                     new_ids)
    except planning.PlanningError as exc:
        raise Conflict(f"Einfügen nicht möglich: {exc}", code="insert_failed") from exc
    for planned in result.tours:
        if planned.vehicle_id in tours:
            tour_write(tours[planned.vehicle_id], planned, the_day, legs=all_legs,
                       stops=pending[planned.vehicle_id], running=True)
        elif planned.stops:
            tours[planned.vehicle_id] = _tour_for_idle(
                idle[planned.vehicle_id], planned, the_day, all_legs, now,
                run_id=max(t.plan_run_id for t in tours.values()))
    placed = {int(s.leg_id): tours[t.vehicle_id].pk for t in result.tours for s in t.stops
              if s.leg_id in new_ids}
    Leg.objects.filter(pk__in=placed, status=LegStatus.OPEN).update(status=LegStatus.PLANNED)
    return Inserted(placed, [{"leg": int(u.leg_id), "code": u.code, "reason": u.reason}
                             for u in result.unassigned if u.leg_id in new_ids])


def _tour_for_idle(shift: Shift, planned: planning.Tour, day: Day, legs: dict[int, Leg],
                   now: datetime, *, run_id: int) -> Tour:
    """A new tour for a shift that had none, published at once like the stops slotted into
    running tours (the rider sees it on the app; the shift begins with it, as on publishing)
    and counted with the day's latest plan run."""
    tour = Tour.objects.create(plan_run_id=run_id, shift=shift, status=TourStatus.PUBLISHED,
                               published_at=now, starts_at=day.at(planned.start),
                               ends_at=day.at(planned.end))
    tour_write(tour, planned, day, legs=legs)
    shift_start_to_tour(shift=shift, tour_start=tour.starts_at, by=None, now=now)
    return tour


NO_RUNNING_PLAN = "Es gibt noch keine veröffentlichten Touren; bitte zuerst planen."


def _running_tours_required(day: Day) -> None:
    if not running_tours(day):
        raise Conflict(NO_RUNNING_PLAN, code="no_running_plan")


def open_legs_insert(*, town: Town, day: date, by: User) -> Inserted:
    """Every open leg of the day into the running plan, here and now (the simulation's
    dispatcher; the console queues the same as a job, `insertion_start`)."""
    require_role(by, *DISPATCH)
    the_day = Day(day, town.pk)
    _running_tours_required(the_day)
    return legs_insert(day=the_day, legs=list(plannable_legs(the_day)))


def insertion_runs_expire(*, now: datetime | None = None) -> int:
    """Fail the insertions whose worker is gone (running longer than `LOUISE_PLAN_STALE_S`,
    queued longer than `LOUISE_PLAN_QUEUE_MAX_S`), so a killed worker never blocks the
    day's "Neue Aufträge einfügen" for good. Returns how many were failed."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.LOUISE_PLAN_STALE_S)
    waited = now - timedelta(seconds=settings.LOUISE_PLAN_QUEUE_MAX_S)
    failed = InsertionRun.objects.filter(status=RunStatus.RUNNING).filter(
        Q(started_at__lt=stale) | Q(started_at=None, created_at__lt=stale)).update(
        status=RunStatus.FAILED, error="Abgebrochen: der Rechenprozess antwortet nicht mehr.")
    failed += InsertionRun.objects.filter(status=RunStatus.QUEUED, created_at__lt=waited).update(
        status=RunStatus.FAILED, error="Abgebrochen: kein Hintergrund-Worker hat das Einfügen "
                                       "übernommen.")
    return failed


INSERTION_BUSY = ("Neue Aufträge werden gerade schon eingefügt; bitte warten, bis das fertig "
                  "ist.")


def insertion_start(*, town: Town, day: date, by: User) -> InsertionRun:
    """The console's "Neue Aufträge einfügen": store the job and queue it once committed, so
    the request returns at once and a worker does the insertion (`insertion_run_execute`).

    While one of the town's day is queued or running, a second is refused: it would slot
    the same open legs in again. The database's unique constraint decides a race."""
    require_role(by, *DISPATCH)
    if not visible_to(Town, by).filter(pk=town.pk).exists():
        raise NotFound("Diese Stadt gibt es nicht.")
    _running_tours_required(Day(day, town.pk))
    insertion_runs_expire()
    if InsertionRun.objects.filter(town=town, day=day, status__in=ACTIVE_RUN).exists():
        raise Conflict(INSERTION_BUSY, code="insert_running")
    try:
        with transaction.atomic():
            run = InsertionRun.objects.create(town=town, day=day, created_by=by)
            transaction.on_commit(lambda: insertion_run_execute.enqueue(run.pk))
    except IntegrityError:  # a second click at the same moment
        raise Conflict(INSERTION_BUSY, code="insert_running") from None
    return run


@task
def insertion_run_execute(run_id: int) -> dict:
    """Insert the day's open legs for a queued `InsertionRun`; idempotent (only the caller
    that claims the queued run inserts). Legs left out are kept as `InsertionFailure`s,
    which the console shows as "Nicht eingefügt: N Aufträge"."""
    claimed = InsertionRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now())
    run = InsertionRun.objects.get(pk=run_id)
    if not claimed:
        return {"status": run.status}
    day = Day(run.day, run.town_id)
    try:
        _running_tours_required(day)
        inserted = _insert_or_record(day, list(plannable_legs(day)))
    except DomainError as exc:
        InsertionRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED,
                                                      error=exc.message)
        return {"status": RunStatus.FAILED}
    except BaseException as exc:
        # The run must not stay "running" for ever; the task result keeps the traceback.
        InsertionRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED,
                                                      error=f"Interner Fehler: {exc!r}")
        raise
    InsertionRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE, placed=len(inserted.placed),
        unassigned=len(inserted.unassigned))
    return {"status": RunStatus.DONE, "placed": len(inserted.placed),
            "unassigned": len(inserted.unassigned)}


@task
@logged_failure
def new_legs_insert(leg_ids: list[int]) -> dict:
    """Slot legs that became plannable during the day into that day's published tours
    (fast insertion); days without published tours wait for the dispatcher's "Plan".
    A day that fails is kept as an `InsertionFailure` for the console, the others go on."""
    placed: dict[int, int] = {}
    days = {Day(day, town) for day, town in
            ((leg.drop_from.astimezone(BERLIN).date(), leg.town_id) for leg in
             Leg.objects.filter(pk__in=leg_ids, status=LegStatus.OPEN)) if town is not None}
    for day in sorted(days, key=lambda d: (d.day, d.town_id)):
        if not running_tours(day):
            continue
        legs = Leg.objects.filter(pk__in=leg_ids, status=LegStatus.OPEN, town=day.town_id,
                                  drop_from__gte=day.epoch,
                                  drop_from__lt=day.epoch + timedelta(days=1))
        placed |= _insert_or_record(day, list(legs)).placed
    return {str(k): v for k, v in placed.items()}


def _insert_or_record(day: Day, legs: list[Leg]) -> Inserted:
    """Insert, or keep why not: nobody reads a worker's log, the dispatcher reads the console
    (legs the planner left out too, one record per reason)."""
    if not legs:
        return Inserted({}, [])
    try:
        inserted = legs_insert(day=day, legs=legs)
    except DomainError as exc:
        InsertionFailure.objects.create(town_id=day.town_id, day=day.day,
                                        legs=[leg.pk for leg in legs], message=exc.message)
        return Inserted({}, [{"leg": leg.pk, "code": exc.code, "reason": exc.message}
                             for leg in legs])
    except Exception as exc:
        InsertionFailure.objects.create(town_id=day.town_id, day=day.day,
                                        legs=[leg.pk for leg in legs],
                                        message=f"Interner Fehler: {exc!r}")
        raise  # the task result keeps the traceback
    left_out: dict[str, list[int]] = {}
    for item in inserted.unassigned:
        left_out.setdefault(item["reason"], []).append(item["leg"])
    InsertionFailure.objects.bulk_create(
        InsertionFailure(town_id=day.town_id, day=day.day, legs=leg_ids, message=reason)
        for reason, leg_ids in left_out.items())
    return inserted


def new_legs_announce(legs: list[Leg]) -> None:
    """Called where legs become open: queue their insertion once the transaction commits."""
    ids = [leg.pk for leg in legs if leg.status == LegStatus.OPEN]
    if ids:
        transaction.on_commit(lambda: new_legs_insert.enqueue(ids))
