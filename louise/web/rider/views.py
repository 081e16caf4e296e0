"""The rider app (installable PWA): today's tour, stop by stop. The page carries the tour as
data; the browser works from it offline and sends queued actions to the JSON API."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from louise.accounts.models import Role
from louise.core.calendar import BERLIN
from louise.logistics.selectors import rider_tour_current, rider_tour_view
from louise.logistics.services import FailureReason
from louise.web.access import AuthedRequest, role_required


@never_cache
@role_required(Role.RIDER)
def today(request: AuthedRequest) -> HttpResponse:
    today = timezone.now().astimezone(BERLIN).date()
    tour = rider_tour_current(rider=request.user, today=today)
    return render(request, "rider/today.html", {
        "today": today,
        "day": tour.plan_run.day if tour else today,
        "tour": rider_tour_view(tour=tour) if tour else None,
        "reasons": {"pickup": FailureReason.PICKUP, "delivery": FailureReason.DROP},
        "rider_config": {"csrf": get_token(request),
                         "positionIntervalS": settings.LOUISE_POSITION_INTERVAL_S},
        "map": {"tiles": settings.LOUISE_MAP_TILES,
                "attribution": settings.LOUISE_MAP_ATTRIBUTION},
    })


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker must come from /fahrer/ itself for its scope to cover the app."""
    path = finders.find("rider/sw.js")
    assert isinstance(path, str)  # shipped in the app's static files
    with open(path, encoding="utf-8") as fh:
        response = HttpResponse(fh.read(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/fahrer/"
    response["Cache-Control"] = "no-cache"
    return response
