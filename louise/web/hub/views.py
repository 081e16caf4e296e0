"""The City-Depot's page for its staff (a tablet at the sorting table): scan parcels in, see
what each delivery still lacks and the evening's outbound in tour order, mark a delivery
sorted, or hold back one that is still incomplete when its tour leaves (next wave). Every
action is one call into `logistics.hub_desk`; its German refusal is shown as the page's
message and nothing changes."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from louise.accounts.access import HUB_DESK
from louise.core.calendar import BERLIN
from louise.core.dates import day_from_text
from louise.core.errors import DomainError, NotFound
from louise.geo.models import Town
from louise.geo.selectors import towns_of
from louise.logistics.hub_desk import (
    delivery_hold,
    delivery_sort,
    desk_day,
    desk_town,
    parcel_scan,
)
from louise.web.access import AuthedRequest, scoped_page


def _town(request: AuthedRequest) -> Town:
    return desk_town(request.user, request.GET.get("stadt") or request.POST.get("stadt"))


def _back(town: Town, day: str = "") -> HttpResponseRedirect:
    query = {"stadt": town.slug} | ({"tag": day} if day else {})
    return HttpResponseRedirect(f"{reverse('web:hub:desk')}?{urlencode(query)}")


@scoped_page(*HUB_DESK)
def desk(request: AuthedRequest) -> HttpResponse:
    """`?tag=YYYY-MM-DD` (today by default), `?stadt=` one of the person's towns."""
    town = _town(request)
    raw = request.GET.get("tag")
    try:
        day = day_from_text(raw) if raw else timezone.now().astimezone(BERLIN).date()
    except ValueError as exc:
        raise NotFound("Unbekannter Tag") from exc
    return render(request, "hub/desk.html", {
        "desk": desk_day(user=request.user, town=town, day=day), "town": town,
        "towns": towns_of(request.user), "tag": raw or ""})


def _act(request: AuthedRequest, action: Callable[[Town], str]) -> HttpResponse:
    town = _town(request)
    try:
        messages.success(request, action(town))
    except DomainError as exc:  # the town was checked above: this is the scan's refusal
        messages.error(request, exc.message)
    return _back(town, request.POST.get("tag", ""))


@require_POST
@scoped_page(*HUB_DESK)
def scan(request: AuthedRequest) -> HttpResponse:
    def action(town: Town) -> str:
        done = parcel_scan(by=request.user, town=town, code=request.POST.get("code", ""))
        return _("Paket %(parcel)d/%(of)d der Bestellung %(number)s ist im City-Depot.") % {
            "parcel": done.parcel, "of": done.order.parcels, "number": done.order.number}
    return _act(request, action)


@require_POST
@scoped_page(*HUB_DESK)
def sort(request: AuthedRequest) -> HttpResponse:
    def action(town: Town) -> str:
        delivery_sort(by=request.user, town=town, group=request.POST.get("group", ""))
        return _("Sortiert: die Sendung kann mit der Tour hinaus.")
    return _act(request, action)


@require_POST
@scoped_page(*HUB_DESK)
def hold(request: AuthedRequest) -> HttpResponse:
    def action(town: Town) -> str:
        held = delivery_hold(by=request.user, town=town, group=request.POST.get("group", ""))
        return _("Zurückgestellt: %(orders)s kommt vollständig mit der nächsten Lieferwelle "
                 "(%(wave)s). Die Stopps sind von der Tour genommen, die Kundin oder der "
                 "Kunde wird benachrichtigt.") % {
            "orders": ", ".join(order.number for order in held.orders),
            "wave": held.wave.label}
    return _act(request, action)
