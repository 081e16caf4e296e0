"""Reads for logistics, scoped: dispatch and operator see everything, a rider their tours."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from louise.accounts.access import require_role
from louise.accounts.models import Role
from louise.core.errors import NotFound

from .models import Leg, PlanRun, Tour, TourStatus, TourStop

DISPATCH = (Role.DISPATCHER, Role.OPERATOR)


def legs_for_dispatch(*, user, day: date | None = None, status: str | None = None
                      ) -> QuerySet[Leg]:
    require_role(user, *DISPATCH)
    qs = Leg.objects.select_related("order", "zone")
    if day:
        qs = qs.filter(drop_from__date=day)
    return qs.filter(status=status) if status else qs


def tours_visible_to(user) -> QuerySet[Tour]:
    stops = Prefetch("stops", queryset=TourStop.objects.select_related("leg__order")
                     .order_by("sequence"))
    qs = Tour.objects.select_related("shift__rider", "shift__vehicle").prefetch_related(stops)
    if user.is_authenticated and user.has_role(*DISPATCH):
        return qs.exclude(status=TourStatus.DISCARDED)
    if user.is_authenticated and user.has_role(Role.RIDER):
        return qs.filter(shift__rider=user, status__in=[TourStatus.PUBLISHED, TourStatus.DONE])
    return qs.none()


def tour_get(*, tour_id: int, user) -> Tour:
    tour = tours_visible_to(user).filter(pk=tour_id).first()
    if tour is None:
        raise NotFound(f"Tour {tour_id} gibt es nicht.")
    return tour


def plan_run_get(*, run_id: int, user) -> PlanRun:
    require_role(user, *DISPATCH)
    run = PlanRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"Planungslauf {run_id} gibt es nicht.")
    return run
