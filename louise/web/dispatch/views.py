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
from louise.logistics.selectors import dispatch_day
from louise.web.access import AuthedRequest, role_required


@role_required(*DISPATCH)
def console(request: AuthedRequest) -> HttpResponse:
    """`?tag=YYYY-MM-DD`, by default the day of the next wave."""
    raw = request.GET.get("tag")
    try:
        day = day_from_text(raw) if raw else wave_for(timezone.now()).day
    except ValueError as exc:
        raise Http404("Unbekannter Tag") from exc
    return render(request, "dispatch/console.html", {
        "day": day,
        "csrf": get_token(request),
        "data": dispatch_day(user=request.user, day=day),
        "map": {"tiles": settings.LOUISE_MAP_TILES,
                "attribution": settings.LOUISE_MAP_ATTRIBUTION,
                "center": [51.5236, 6.9285]},
    })
