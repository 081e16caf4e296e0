"""Rider positions: sent every ~30 s while on tour, for ETAs and tracking.

Privacy by construction: a position is only accepted while the rider has a published tour
under way today, positions of earlier days are deleted whenever a new one arrives (and by
`positions_purge`), and who may see one is decided in `selectors`.
"""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from louise.accounts.access import require_role
from louise.accounts.models import Role, User
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict
from louise.core.validation import save_validated

from .models import RiderPosition, Tour, TourStatus
from .running import etas_refresh


def day_start(now: datetime) -> datetime:
    """Local midnight of `now`'s day: the retention boundary."""
    return datetime.combine(now.astimezone(BERLIN).date(), time(0), BERLIN)


def tour_under_way(rider: User, now: datetime) -> Tour | None:
    """The rider's published, unfinished tour of today (the only time they are tracked)."""
    today = now.astimezone(BERLIN).date()
    return (Tour.objects.filter(shift__rider=rider, status=TourStatus.PUBLISHED,
                                plan_run__day=today).select_related("plan_run", "shift")
            .order_by("starts_at").first())


def positions_purge(*, now: datetime | None = None) -> int:
    """Delete every position from before today; returns how many went."""
    deleted, _ = RiderPosition.objects.filter(at__lt=day_start(now or timezone.now())).delete()
    return deleted


@transaction.atomic
def position_record(*, rider: User, lat: float, lon: float, accuracy_m: int | None = None,
                    at: datetime | None = None) -> RiderPosition:
    """Store where the rider is and re-project the ETAs of the stops still ahead."""
    require_role(rider, Role.RIDER)
    now = timezone.now()
    at = min(at or now, now)
    tour = tour_under_way(rider, now)
    if tour is None or at < day_start(now):
        raise Conflict("Position wird nur während einer laufenden Tour gespeichert.",
                       code="not_on_tour")
    positions_purge(now=now)
    position = save_validated(RiderPosition(rider=rider, tour=tour, lat=lat, lon=lon,
                                            accuracy_m=accuracy_m, at=at))
    etas_refresh(tour=tour, now=at)
    return position
