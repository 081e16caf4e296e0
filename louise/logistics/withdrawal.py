"""Taking a called-off order's stops off the tours that still hold them.

A cancelled leg must not send a rider to a shop or a door: its pending stops leave the
draft and published tours, the tours close their numbering, a draft day is re-timed as the
dispatcher's console times it, and a running tour's ETAs are projected afresh. Stops
already done stay as the record of what happened.
"""

from collections.abc import Iterable

from .adjust import renumber, tours_check
from .models import StopStatus, Tour, TourStatus, TourStop
from .planning_bridge import Day
from .running import etas_refresh


def stops_withdraw(leg_ids: Iterable[int]) -> list[Tour]:
    """Remove the pending stops of these legs; return the tours that changed."""
    stops = TourStop.objects.filter(leg_id__in=list(leg_ids), status=StopStatus.PENDING)
    tours = list(Tour.objects.filter(stops__in=stops).distinct()
                 .select_related("plan_run", "shift__vehicle__hub"))
    if not tours:
        return []
    stops.delete()
    days: set[Day] = set()
    for tour in tours:
        renumber(tour, list(tour.stops.order_by("sequence")))
        if tour.status == TourStatus.PUBLISHED:
            etas_refresh(tour=tour)
        else:
            days.add(Day.of(tour.plan_run))
    for day in days:
        tours_check(day=day)
    return tours
