"""What tours cost as ridden: metres along their stops in the order they were done and the
seconds from the start to the return to the hub (`simulation.figures.tour_use`, the one rule
for `louise simulate`, the town's report and the tour's closing).

A finished tour keeps its figures (`Tour.ridden_m`, `Tour.ridden_s`, written by
`ridden_store` when its last stop is done); a running tour, or one closed before they were
kept, is followed along its stops here.
"""

from collections import defaultdict
from collections.abc import Sequence

from louise.simulation.figures import TourUse, Visit, tour_use

from .models import StopKind, Tour, TourStatus, TourStop


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


def ridden_store(tours: Sequence[Tour]) -> None:
    """Keep the figures of finished tours (`status` done, as saved)."""
    for pk, use in ridden_of([t for t in tours if t.status == TourStatus.DONE]).items():
        Tour.objects.filter(pk=pk).update(ridden_m=use.metres, ridden_s=use.seconds)
