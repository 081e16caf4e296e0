"""What tours cost and did as ridden: metres along their stops in the order they were done
and the seconds from the start to the return to the hub (`tour_use`, the
one rule for `louise simulate`, the town's report and the tour's closing), and the stops
done, their service seconds and the parcels dropped (`served_of`).

A finished tour keeps these (`Tour.ridden_*`, written by `ridden_store` when its last stop
is done); a running tour, or one closed before they were kept, is followed along its stops
here.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from louise.geo.models import Town
from louise.planning.matrix import DETOUR_FACTOR, great_circle_m, metres_to_seconds

from .models import StopKind, StopStatus, Tour, TourStatus, TourStop
from .windows import handover_at

Point = tuple[float, float]


@dataclass(frozen=True)
class Visit:
    """A stop as ridden: where, and when the rider finished it."""

    lat: float
    lon: float
    done_at: datetime


@dataclass(frozen=True)
class TourUse:
    kind: str
    seconds: int
    metres: float


def route_metres(points: Sequence[Point]) -> float:
    """Metres along `points` in turn, as the planner measures a way (great circle times its
    detour factor)."""
    return sum(great_circle_m(*a, *b) for a, b in pairwise(points)) * DETOUR_FACTOR


def tour_use(*, kind: str, hub: Point, start: datetime, visits: Sequence[Visit],
             back: bool, speed_kmh: float) -> TourUse:
    """What one tour cost: from its start along the stops in the order done and, when it
    is finished (`back`), home to the hub at the vehicle's speed."""
    points = [hub, *((v.lat, v.lon) for v in visits), *([hub] if back else [])]
    metres = route_metres(points)
    end = visits[-1].done_at if visits else start
    if back and visits:
        home = route_metres([points[-2], hub])
        end += timedelta(seconds=metres_to_seconds(round(home), speed_kmh * DETOUR_FACTOR))
    return TourUse(kind, max(0, int((end - start).total_seconds())), metres)




def ridden_of(tours: Sequence[Tour]) -> dict[int, TourUse]:
    """Per tour id, what it has ridden so far; the stops of all of them in one query. The
    tours come with `shift__vehicle__hub` (else one query each)."""
    visits: dict[int, list[Visit]] = defaultdict(list)
    for tour_id, kind, at, p_lat, p_lon, d_lat, d_lon in (
            TourStop.objects.filter(tour__in=[t.pk for t in tours], done_at__isnull=False)
            .order_by("done_at", "sequence")
            .values_list("tour_id", "kind", "done_at", "leg__pickup_lat", "leg__pickup_lon",
                         "leg__drop_lat", "leg__drop_lon")):
        assert at is not None  # asked for above
        visits[tour_id].append(Visit(p_lat, p_lon, at) if kind == StopKind.PICKUP
                               else Visit(d_lat, d_lon, at))
    out = {}
    for tour in tours:
        vehicle = tour.shift.vehicle
        out[tour.pk] = tour_use(kind=vehicle.kind, hub=(vehicle.hub.lat, vehicle.hub.lon),
                                start=tour.starts_at, visits=visits.get(tour.pk, []),
                                back=tour.status == TourStatus.DONE,
                                speed_kmh=vehicle.speed_kmh)
    return out


@dataclass(frozen=True)
class Served:
    stops: int  # done
    service_s: int  # their service times, one handover per visit of a place
    parcels: int  # dropped, not counting drops at a hub


def served_of(tour_ids: Iterable[int]) -> dict[int, Served]:
    """Per tour id (with a stop done), what its done stops served: each stop its leg's
    service there, less the handover of the tour's town (`windows.handover_at`) when the
    stop done before it was at the same place, as the planner times it
    (`planning_bridge.own_service_s`)."""
    rows = list(TourStop.objects.filter(tour__in=tour_ids, status=StopStatus.DONE,
                                        done_at__isnull=False)
                .order_by("tour_id", "done_at", "sequence")
                .values_list("tour_id", "tour__plan_run__town_id", "kind", "leg__pickup_ref",
                             "leg__drop_ref", "leg__pickup_service_s", "leg__drop_service_s",
                             "leg__parcels"))
    times = {town.pk: town.stop_times
             for town in Town.objects.filter(pk__in={row[1] for row in rows})}
    stops: dict[int, int] = defaultdict(int)
    service: dict[int, int] = defaultdict(int)
    parcels: dict[int, int] = defaultdict(int)
    last: dict[int, str] = {}
    for tour, town, kind, pickup_ref, drop_ref, pickup_s, drop_s, count in rows:
        pickup = kind == StopKind.PICKUP
        ref, seconds = (pickup_ref, pickup_s) if pickup else (drop_ref, drop_s)
        if last.get(tour) == ref:  # a second stop there: the handover was made already
            seconds = max(0, seconds - int(handover_at(ref, times[town]).total_seconds()))
        stops[tour] += 1
        service[tour] += seconds
        parcels[tour] += 0 if pickup or drop_ref.startswith("hub:") else count
        last[tour] = ref
    return {pk: Served(stops[pk], service[pk], parcels[pk]) for pk in stops}


def ridden_store(tours: Sequence[Tour]) -> None:
    """Keep the figures of finished tours (`status` done, as saved)."""
    finished = [t for t in tours if t.status == TourStatus.DONE]
    served = served_of([t.pk for t in finished])
    for pk, use in ridden_of(finished).items():
        done = served.get(pk, Served(0, 0, 0))
        Tour.objects.filter(pk=pk).update(
            ridden_m=use.metres, ridden_s=use.seconds, ridden_stops=done.stops,
            ridden_service_s=done.service_s, ridden_parcels=done.parcels)
