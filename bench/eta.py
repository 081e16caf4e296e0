"""ETA error on a simulated day: how far off are the times a customer is told?

A seeded Bottrop day (`bench.city.day`) is planned with `louise.planning.plan`; then the
tours are "driven" with noise the plan does not know: each rider has their own pace, each
leg of the ride its own traffic, each stop its own handover time, and now and then a
stop holds the rider up (a staircase, a chat, no parking). Every 30 s the simulated
phone reports a position, and the ETAs of the stops still ahead are re-projected with
`louise.logistics.eta.project`, the function the live console uses.

Reported: the absolute error between the predicted and the actual start of service, in
minutes, for the static plan (the time promised at publishing) and for the projection
from progress, split by how many stops ahead the predicted stop was, plus the share of
stops that started inside the ±15-minute window the customer is shown.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass

from louise import planning
from louise.logistics.eta import Visit, pace, project

from .city import day

PING_S = 30
WINDOW_S = 15 * 60
LOOK_S = 60 * 60  # when the customer looks: an hour before the rider is there
HORIZONS = (("nächster Stopp", 1, 1), ("2–3 Stopps voraus", 2, 3), ("4+ Stopps voraus", 4, 999))


@dataclass
class Drive:
    """One tour as it really went: per stop the actual start, and the position trace."""

    vehicle: planning.Vehicle
    visits: list[Visit]
    planned: list[int]
    actual: list[int]
    trace: list[tuple[int, planning.Location, int]]  # (time, where, stops already done)
    segments: list[tuple[int, int]]  # per done stop: (expected, actual) s from leaving the last


def _drive(
    tour: planning.Tour,
    vehicle: planning.Vehicle,
    legs: dict[str, planning.Leg],
    matrix: planning.TravelMatrix,
    rng: random.Random,
) -> Drive:
    pace = rng.uniform(0.85, 1.25)  # this rider is slower or faster than the matrix thinks
    visits, planned, actual, trace, segments = [], [], [], [], []
    here, now = vehicle.start, tour.start
    for k, stop in enumerate(tour.stops):
        leg = legs[stop.leg_id]
        pickup = stop.kind == planning.model.PICKUP
        window = leg.pickup_window if pickup else leg.delivery_window
        service = leg.pickup_service if pickup else leg.delivery_service
        visits.append(Visit(stop.location, window.start, window.end, service))
        planned.append(stop.start)
        ride = round(
            planning.travel_s(matrix, here, stop.location, vehicle) * pace
            * rng.lognormvariate(0, 0.2)
        )
        for t in range(PING_S, ride, PING_S):  # positions on the way, straight line
            f = t / ride
            trace.append(
                (
                    now + t,
                    planning.Location(
                        f"p{now + t}",
                        here.lat + f * (stop.location.lat - here.lat),
                        here.lon + f * (stop.location.lon - here.lon),
                    ),
                    k,
                )
            )
        begin = max(now + ride, window.start)
        actual.append(begin)
        hold = rng.choice([0] * 9 + [rng.randint(120, 600)])
        done = begin + round(service * rng.lognormvariate(0, 0.3)) + hold
        # what the phone can know: left `now`, finished `done`; minus any wait for the window
        wait = max(0, window.start - (now + ride))
        segments.append(
            (planning.travel_s(matrix, here, stop.location, vehicle) + service, done - now - wait)
        )
        now, here = done, stop.location
        trace.append((now, here, k + 1))
    return Drive(vehicle, visits, planned, actual, trace, segments)


def _errors(drive: Drive, matrix: planning.TravelMatrix, learn: bool) -> dict[str, list[float]]:
    """Absolute errors (min) by horizon; `learn` applies the rider's pace so far."""
    out: dict[str, list[float]] = {name: [] for name, _, _ in HORIZONS}
    for t, where, done in drive.trace:
        ahead = drive.visits[done:]
        if not ahead:
            continue
        factor = pace(drive.segments[:done]) if learn else 1.0
        for k, p in enumerate(project(drive.vehicle, where, t, ahead, matrix, factor), start=1):
            name = next(n for n, lo, hi in HORIZONS if lo <= k <= hi)
            out[name].append(abs(p.begin - drive.actual[done + k - 1]) / 60)
    return out


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else 0.0


def main(n_legs: int, n_vehicles: int, seed: int, time_limit: float) -> int:
    problem = day(n_legs, n_vehicles, seed)
    matrix = planning.HaversineMatrix()
    plan = planning.plan(problem, time_limit=time_limit, seed=seed, matrix=matrix)
    legs = {leg.id: leg for leg in problem.legs}
    vehicles = {v.id: v for v in problem.vehicles}
    rng = random.Random(seed)
    errors: dict[str, dict[str, list[float]]] = {"Position": {}, "Position + Tempo": {}}
    static_errors: list[float] = []
    inside = learned = static = total = 0
    for tour in plan.tours:
        if not tour.stops:
            continue
        drive = _drive(tour, vehicles[tour.vehicle_id], legs, matrix, rng)
        static_errors += [abs(p - a) / 60 for p, a in zip(drive.planned, drive.actual, strict=True)]
        for method, learn in (("Position", False), ("Position + Tempo", True)):
            for name, values in _errors(drive, matrix, learn).items():
                errors[method].setdefault(name, []).extend(values)
        # the customer's ±15 min window as shown an hour before the rider arrives
        for k, actual in enumerate(drive.actual):
            before = [(t, w, d) for t, w, d in drive.trace if t <= actual - LOOK_S and d <= k]
            t, where, done = before[-1] if before else (tour.start, drive.vehicle.start, 0)
            ahead = drive.visits[done : k + 1]
            eta = project(drive.vehicle, where, t, ahead, matrix)[-1].begin
            inside += abs(eta - actual) <= WINDOW_S
            factor = pace(drive.segments[:done])
            eta = project(drive.vehicle, where, t, ahead, matrix, factor)[-1].begin
            learned += abs(eta - actual) <= WINDOW_S
            static += abs(drive.planned[k] - actual) <= WINDOW_S
            total += 1
    served = sum(len(t.stops) for t in plan.tours)
    print(
        f"ETA-Benchmark: {n_legs} Aufträge, {sum(1 for t in plan.tours if t.stops)} Touren, "
        f"{served} Stopps, Seed {seed}, Position alle {PING_S} s"
    )
    print(f"{'Vorhersage':<20}{'Horizont':<20}{'n':>7}{'MAE min':>9}{'p50':>7}{'p90':>7}")
    rows = [("Plan (statisch)", "beim Veröffentlichen", static_errors)]
    rows += [
        (method, name, by[name])
        for method, by in errors.items()
        for name, _, _ in HORIZONS
        if by.get(name)
    ]
    for method, name, values in rows:
        print(
            f"{method:<20}{name:<20}{len(values):>7}{statistics.fmean(values):>9.1f}"
            f"{_p(values, 50):>7.1f}{_p(values, 90):>7.1f}"
        )
    share = [100 * n / max(total, 1) for n in (static, inside, learned)]
    print(
        f"Beginn im ±15-Min.-Fenster, das 60 Min. vorher angezeigt wurde: Plan {share[0]:.1f} %, "
        f"Position {share[1]:.1f} %, Position + Tempo {share[2]:.1f} %"
    )
    return 0
