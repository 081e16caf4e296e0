"""The dispatch console: one page per day; the browser keeps it live through the JSON API
(`/api/v1/dispatch/day`), so the view only decides the day and hands over the first picture."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone

from louise.accounts.access import DISPATCH
from louise.core.calendar import wave_for
from louise.core.dates import day_from_text
from louise.core.errors import NotFound
from louise.geo.selectors import town_for, towns_of
from louise.logistics.selectors import dispatch_day
from louise.web.access import AuthedRequest, role_required


@role_required(*DISPATCH)
def console(request: AuthedRequest) -> HttpResponse:
    """`?tag=YYYY-MM-DD`, by default the day of the town's next wave; `?stadt=` picks one
    of the dispatcher's towns."""
    try:
        town = town_for(request.user, request.GET.get("stadt"))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    raw = request.GET.get("tag")
    try:
        day = day_from_text(raw) if raw else wave_for(timezone.now(), town.schedule).day
    except ValueError as exc:
        raise Http404("Unbekannter Tag") from exc
    hub = town.hubs.first()
    return render(request, "dispatch/console.html", {
        "day": day,
        "town": town,
        "towns": towns_of(request.user),
        "csrf": get_token(request),
        "data": dispatch_day(user=request.user, town=town, day=day),
        "map": {"tiles": town.tiles,
                "attribution": town.map_attribution or settings.LOUISE_MAP_ATTRIBUTION,
                "center": [hub.lat, hub.lon] if hub else [51.5236, 6.9285]},
    })
