"""ETAs from the rider's progress: where the rider is now, and the stops still to do.

Pure (no Django), so `bench/eta.py` measures exactly the function the live console uses.
The projection times stops like the planning checker does (same travel matrix, waiting
for a window to open, service time), but starts from the rider's last known position and
the moment it was sent instead of the plan's start.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from louise import planning


@dataclass(frozen=True, slots=True)
class Visit:
    """A stop still to do: where, its window (seconds of the day) and its service time."""

    location: planning.Location
    window_start: int
    window_end: int
    service: int


@dataclass(frozen=True, slots=True)
class Projection:
    arrival: int
    begin: int
    late_s: int  # how far `begin` passes the window's end (0 when on time)


PACE_LIMITS = (0.7, 1.6)
PACE_PRIOR = 3  # finished segments that weigh as much as the matrix's own estimate


def pace(history: Sequence[tuple[int, int]]) -> float:
    """How much slower (>1) or faster (<1) than the matrix this rider is going today.

    `history` holds (expected, actual) seconds of the segments already done, each from
    leaving one stop to finishing the next. The ratio of sums is pulled towards 1 while
    there are few segments, so one slow staircase does not shift every ETA of the night.
    """
    expected = sum(e for e, _ in history)
    if not history or expected <= 0:
        return 1.0
    raw = min(max(sum(a for _, a in history) / expected, PACE_LIMITS[0]), PACE_LIMITS[1])
    weight = len(history) / (len(history) + PACE_PRIOR)
    return 1 + (raw - 1) * weight


def project(vehicle: planning.Vehicle, here: planning.Location, now: int,
            visits: Sequence[Visit], matrix: planning.TravelMatrix | None = None,
            speed_factor: float = 1.0) -> list[Projection]:
    """Arrival and service start of each visit, in order, from `here` at `now`; travel and
    service take `speed_factor` (see `pace`) times what the matrix says."""
    matrix = matrix or planning.HaversineMatrix()
    out = []
    for visit in visits:
        arrival = now + round(planning.travel_s(matrix, here, visit.location, vehicle)
                              * speed_factor)
        begin = max(arrival, visit.window_start)
        out.append(Projection(arrival, begin, max(0, begin - visit.window_end)))
        now, here = begin + round(visit.service * speed_factor), visit.location
    return out
