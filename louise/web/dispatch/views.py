"""The dispatch console: one page per day; the browser keeps it live through the JSON API
(`/api/v1/dispatch/day`), so the view only decides the day and hands over the first picture."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from louise.accounts.access import DISPATCH
from louise.core.calendar import wave_for
from louise.core.dates import day_from_text
from louise.core.errors import DomainError, NotFound
from louise.geo.selectors import town_for, towns_of
from louise.logistics.hub_routing import ROUTES, route_force
from louise.logistics.selectors import dispatch_day, legs_routable
from louise.web.access import AuthedRequest, role_required, scoped_page


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
        "routable": legs_routable(user=request.user, town=town, day=day),
        "routes": ROUTES,
        "map": {"tiles": town.tiles,
                "attribution": town.map_attribution or settings.LOUISE_MAP_ATTRIBUTION,
                "center": [hub.lat, hub.lon] if hub else [51.5236, 6.9285]},
    })


@require_POST
@scoped_page(*DISPATCH)
def route(request: AuthedRequest) -> HttpResponse:
    """A leg sent via the hub or direct (`hub_routing.route_force`); back to the day."""
    town = town_for(request.user, request.GET.get("stadt") or request.POST.get("stadt"))
    try:
        route_force(by=request.user, leg_id=int(request.POST.get("leg") or 0),
                    route=request.POST.get("route", ""))
        messages.success(request, _("Der Weg ist geändert; bitte neu planen."))
    except ValueError:
        messages.error(request, _("Diesen Transportauftrag gibt es nicht."))
    except DomainError as exc:
        messages.error(request, exc.message)
    query = urlencode({"stadt": town.slug, "tag": request.POST.get("tag", "")})
    return HttpResponseRedirect(f"{reverse('web:dispatch:console')}?{query}")
