"""Independent checks of a planned day, on plain values: does each stop fall in the opening
hours of its place, may each leg's vehicle enter the zones at both of its ends, does each
delivery from several shops reach its door in one drop, and when does each stop really
happen if a rider follows the tour as it is written.

They share no code with the planner or its checker on purpose (like `planning/check.py`):
they read what the rows say and measure it against the places' own rules, so a planner
that believes a wrong thing cannot confirm itself. `plan_figures` fills them from the
database; the tests feed them tiny hand-made days.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from louise.logistics.ridden import route_metres
from louise.planning.matrix import DETOUR_FACTOR, metres_to_seconds

Span = tuple[datetime, datetime]
Point = tuple[float, float]


@dataclass(frozen=True)
class StopRow:
    """A stop as its row says: where, the window of its leg there, how long it takes, and
    when the plan says it begins; `handover_s` of its service is meeting someone at the
    place, which a stop right after another at the same place shares with it."""

    lat: float
    lon: float
    opens: datetime
    closes: datetime
    service_s: int
    planned: datetime
    handover_s: int = 0


@dataclass(frozen=True)
class Timed:
    """A stop as a rider following the tour does it: arrives, waits for the window or for the
    planned time, serves, leaves. `start` is when its service begins as its leg's window
    means it (with the handover, also when an earlier stop there did that)."""

    arrival: datetime
    start: datetime
    departure: datetime
    window_wait_s: int  # waiting for the leg's window to open
    idle_s: int  # waiting beyond that, for the time the plan gives
    late: bool  # begins after the window closed


@dataclass(frozen=True)
class TimedTour:
    stops: list[Timed]
    end: datetime  # back at the hub
    metres: float
    driving_s: int


def retime(*, start: datetime, hub: Point, stops: Sequence[StopRow],
           speed_kmh: float, park_s: int = 0) -> TimedTour:
    """Ride the stops in their order from the hub at `start` and back: each leg of the way at
    the vehicle's speed over the great circle times the detour factor (as the planner's
    matrix and the simulation's figures measure a way), plus `park_s` to park and walk to
    the door wherever the rider comes to a new position (not back at the hub), no stop
    begun before its window opens nor before its planned time. On coming to a position
    the rider hands over first (`StopRow.handover_s`, not before the window opens); the
    stops there then take their service without it (the plan's times are of that part)."""
    here, now, driving, out = hub, start, 0, []
    for stop in stops:
        at = (stop.lat, stop.lon)
        drive = _travel_s(here, at, speed_kmh)
        arrival = now + timedelta(seconds=drive + (park_s if at not in (here, hub) else 0))
        shared = timedelta(seconds=stop.handover_s)
        handed = arrival + (shared if at != here else timedelta(0))
        ready = max(handed, stop.opens + shared)
        begin = max(ready, stop.planned)
        own = max(timedelta(seconds=stop.service_s) - shared, timedelta(0))
        out.append(Timed(arrival, begin - shared, begin + own,
                         int((ready - handed).total_seconds()),
                         int((begin - ready).total_seconds()), begin - shared > stop.closes))
        here, now, driving = at, out[-1].departure, driving + drive
    home = _travel_s(here, hub, speed_kmh) if stops else 0
    points = [hub, *((s.lat, s.lon) for s in stops), hub] if stops else []
    return TimedTour(out, now + timedelta(seconds=home), route_metres(points), driving + home)


def _travel_s(a: Point, b: Point, speed_kmh: float) -> int:
    return metres_to_seconds(round(route_metres([a, b])), speed_kmh * DETOUR_FACTOR)


def open_at(at: datetime, hours: Sequence[Span]) -> bool:
    """Whether the place is open when a stop there begins; like a leg's window, the hours
    bound when a stop may begin (a parcel handed over at closing time is handed over)."""
    return any(opens <= at <= closes for opens, closes in hours)


@dataclass(frozen=True)
class Visit:
    """A stop at a place: which place (its ref), and when it begins."""

    ref: str
    at: datetime


def outside_hours(visits: Iterable[Visit],
                  hours: Mapping[str, Sequence[Span]]) -> list[Visit]:
    """The visits at a place with opening hours (a shop, a pickup point) that begin while it
    is closed; a place missing from `hours` (a door, a locker, the hub) is always open."""
    return [v for v in visits if v.ref in hours and not open_at(v.at, hours[v.ref])]


@dataclass(frozen=True)
class Ride:
    """A leg on a vehicle: its two ends (refs) and the vehicle's kind."""

    leg: int
    pickup: str
    drop: str
    kind: str


def zone_breaches(rides: Iterable[Ride],
                  allowed: Mapping[str, frozenset[str] | None]) -> list[Ride]:
    """The rides whose vehicle kind may not enter the zone at the pickup or at the drop.
    `allowed` gives a place's allowed kinds (empty: a switched-off zone); None or a place
    missing from it: no zone rule there."""
    def ok(ref: str, kind: str) -> bool:
        kinds = allowed.get(ref)
        return kinds is None or kind in kinds

    return [r for r in rides if not (ok(r.pickup, r.kind) and ok(r.drop, r.kind))]


@dataclass(frozen=True)
class Drop:
    """A delivery's drop at the door as planned: its tour, its position among the tour's
    stops, and the place; None for a leg the plan left out."""

    tour: int
    position: int
    ref: str


def in_one_drop(drops: Sequence[Drop | None]) -> bool:
    """Whether the goods of one delivery reach the door together: every drop planned, all on
    one vehicle, at one place, one stop right after the other."""
    if not drops or any(d is None for d in drops):
        return False
    planned = [d for d in drops if d is not None]
    positions = sorted(d.position for d in planned)
    return (len({d.tour for d in planned}) == 1 and len({d.ref for d in planned}) == 1
            and positions == list(range(positions[0], positions[0] + len(positions))))
