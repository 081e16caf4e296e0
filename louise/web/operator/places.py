"""The operator's console for a town and its places (`/betrieb/stadt/`, `hubs/`, `zonen/`,
`abholstellen/`, `paketstationen/`): thin views, each calling one service of
`geo.towns` / `geo.places` or one selector. Lists show the town the console is switched
to; an object is opened by number through the selectors, so another town's is a 404."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from louise.accounts.access import town_ids
from louise.core.errors import DomainError, Forbidden, NotFound
from louise.core.hours import describe
from louise.geo import places, towns
from louise.geo.models import Hub, Locker, PickupPoint, Town, Zone
from louise.geo.selectors import (
    compartment_managed,
    lockers_managed,
    managed_in,
    managed_one,
    staff_candidates,
    towns_of,
)
from louise.web.access import AuthedRequest
from louise.web.backoffice.common import attempt

from .common import operator_page, operator_town
from .forms import (
    TOWN_ERRORS,
    CompartmentAddForm,
    HubForm,
    LockerForm,
    PointForm,
    TeamForm,
    TownCreateForm,
    TownForm,
    ZoneForm,
    form_error,
)


def _saved(request: AuthedRequest, form: forms.Form, action: Callable[[], Any], done: str,
           fields: dict[str, str] | None = None) -> bool:
    """The form valid and its one service call made (with a success message); else the
    service's German refusal on the form, and nothing stored."""
    if not form.is_valid():
        return False
    try:
        action()
    except (NotFound, Forbidden):
        raise
    except DomainError as exc:
        form_error(form, exc, fields)
        return False
    messages.success(request, done)
    return True


def _errors_shown(request: AuthedRequest, form: forms.Form) -> None:
    """A small form's refusal as a message on the page it returns to."""
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))


def _map(town: Town) -> dict[str, Any]:
    """What the page's map needs: tiles, their credit, and where to start."""
    hub = town.hubs.order_by("pk").first()
    return {"tiles": town.tiles,
            "attribution": town.map_attribution or settings.LOUISE_MAP_ATTRIBUTION,
            "center": [hub.lat, hub.lon] if hub else [51.5236, 6.9285]}


# --- the town ------------------------------------------------------------------------------

@operator_page
def town_settings(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    form = TownForm(request.POST or None, town=town)
    if request.method == "POST" and _saved(
            request, form, lambda: towns.town_update(by=request.user, town_id=town.pk,
                                                     **form.settings()),
            _("Die Einstellungen von %(town)s sind gespeichert.") % {"town": town.name},
            TOWN_ERRORS):
        return redirect("web:operator_town")
    region = town_ids(request.user) is None
    return render(request, "operator/town.html", {
        "town": town, "towns": towns_of(request.user), "form": form, "region": region,
        "create_form": TownCreateForm() if region else None,
        "team_form": (TeamForm(people=staff_candidates(user=request.user, town=town))
                      if region else None),
        "team": town.staff.order_by("role", "last_name", "username")})


@require_POST
@operator_page
def town_create(request: AuthedRequest) -> HttpResponse:
    towns.require_region(request.user)
    form = TownCreateForm(request.POST)
    created: list[Town] = []
    if _saved(request, form, lambda: created.append(
            towns.town_create(by=request.user, name=form.cleaned_data["name"])),
            _("Die Stadt ist angelegt. Stellen Sie jetzt ihre Lieferwellen und Gebühren ein.")):
        return redirect(f"{reverse('web:operator_town')}?stadt={created[0].slug}")
    _errors_shown(request, form)
    return redirect("web:operator_town")


@require_POST
@operator_page
def town_team(request: AuthedRequest) -> HttpResponse:
    towns.require_region(request.user)
    town = operator_town(request)
    form = TeamForm(request.POST, people=staff_candidates(user=request.user, town=town))
    if not _saved(request, form, lambda: towns.town_staff_add(
            by=request.user, town_id=town.pk,
            user_ids=[u.pk for u in form.cleaned_data["staff"]]),
            _("Das Team von %(town)s ist ergänzt.") % {"town": town.name}):
        _errors_shown(request, form)
    return redirect("web:operator_town")


# --- hubs, pickup points, lockers --------------------------------------------------------

def _place_list(request: AuthedRequest, rows: Callable[[Town], Any],
                template: str) -> HttpResponse:
    town = operator_town(request)
    return render(request, template, {"town": town, "towns": towns_of(request.user),
                                      "rows": rows(town)})


@operator_page
def hubs(request: AuthedRequest) -> HttpResponse:
    return _place_list(request, lambda town: managed_in(Hub, user=request.user, town=town),
                       "operator/hubs.html")


@operator_page
def hub_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    hub = managed_one(Hub, user=request.user, pk=pk) if pk else None
    town = hub.town if hub else operator_town(request)
    form = HubForm(request.POST or None, instance=hub, town=town)
    if request.method == "POST" and _saved(request, form, lambda: places.hub_save(
            by=request.user, town=town, pk=pk, name=form.cleaned_data["name"],
            place=form.place()), _("Der Hub ist gespeichert.")):
        return redirect("web:operator_hubs")
    return _place_form(request, form, town, hub, _("Hub"), "web:operator_hubs")


def _place_form(request: AuthedRequest, form: forms.Form, town: Town, obj: Any, kind: str,
                back: str, template: str = "operator/place_form.html",
                **extra: Any) -> HttpResponse:
    return render(request, template, {"form": form, "town": town, "obj": obj, "kind": kind,
                                      "back": back, "map": _map(town), **extra})


@operator_page
def points(request: AuthedRequest) -> HttpResponse:
    return _place_list(
        request, lambda town: [(p, describe(p.opening_hours))
                               for p in managed_in(PickupPoint, user=request.user, town=town)],
        "operator/points.html")


@operator_page
def point_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    point = managed_one(PickupPoint, user=request.user, pk=pk) if pk else None
    town = point.town if point else operator_town(request)
    form = PointForm(request.POST or None, instance=point, town=town)
    if request.method == "POST" and _saved(request, form, lambda: places.pickup_point_save(
            by=request.user, town=town, pk=pk, name=form.cleaned_data["name"],
            opening_hours=form.cleaned_data["opening_hours"],
            active=form.cleaned_data["active"], place=form.place()),
            _("Die Abholstelle ist gespeichert."), {"opening_hours": "hours_0"}):
        return redirect("web:operator_points")
    return _place_form(request, form, town, point, _("Abholstelle"), "web:operator_points")


@operator_page
def lockers(request: AuthedRequest) -> HttpResponse:
    return _place_list(request, lambda town: lockers_managed(user=request.user, town=town),
                       "operator/lockers.html")


@operator_page
def locker_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    locker = managed_one(Locker, user=request.user, pk=pk) if pk else None
    town = locker.town if locker else operator_town(request)
    form = LockerForm(request.POST or None, instance=locker, town=town)
    saved: list[Locker] = []
    if request.method == "POST" and _saved(request, form, lambda: saved.append(
            places.locker_save(by=request.user, town=town, pk=pk,
                               name=form.cleaned_data["name"],
                               active=form.cleaned_data["active"], place=form.place(),
                               compartments=None if locker else form.compartments())),
            _("Die Paketstation ist gespeichert."), {"compartments": "count_S"}):
        return redirect("web:operator_locker", pk=saved[0].pk)
    return _place_form(request, form, town, locker, _("Paketstation"), "web:operator_lockers",
                       "operator/locker_form.html", add_form=CompartmentAddForm(),
                       compartments=locker.compartments.select_related("order")
                       if locker else [])


@require_POST
@operator_page
def compartments_add(request: AuthedRequest, pk: int) -> HttpResponse:
    managed_one(Locker, user=request.user, pk=pk)  # another town's locker: 404, as below
    form = CompartmentAddForm(request.POST)
    if not _saved(request, form, lambda: places.compartments_add(
            by=request.user, locker_id=pk, size=form.cleaned_data["size"],
            count=form.cleaned_data["count"]), _("Fächer hinzugefügt.")):
        _errors_shown(request, form)
    return redirect("web:operator_locker", pk=pk)


@require_POST
@operator_page
def compartment_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    box = compartment_managed(user=request.user, pk=pk)
    attempt(request, lambda: places.compartment_remove(by=request.user, pk=pk),
             _("Fach %(number)d ist entfernt.") % {"number": box.number})
    return redirect("web:operator_locker", pk=box.locker_id)


@require_POST
@operator_page
def compartment_switch(request: AuthedRequest, pk: int) -> HttpResponse:
    box = compartment_managed(user=request.user, pk=pk)
    out = request.POST.get("out_of_service") == "1"
    attempt(request, lambda: places.compartment_switch(by=request.user, pk=pk,
                                                        out_of_service=out),
             (_("Fach %(number)d ist außer Betrieb.") if out
              else _("Fach %(number)d ist wieder in Betrieb.")) % {"number": box.number})
    return redirect("web:operator_locker", pk=box.locker_id)


# --- zones -----------------------------------------------------------------------------------

@operator_page
def zones(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    rows = list(managed_in(Zone, user=request.user, town=town))
    return render(request, "operator/zones.html", {
        "town": town, "towns": towns_of(request.user), "rows": rows, "map": _map(town),
        "zones": [{"name": z.name, "active": z.active, "area": z.area,
                   "url": reverse("web:operator_zone", args=[z.pk])} for z in rows]})


@operator_page
def zone_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    zone = managed_one(Zone, user=request.user, pk=pk) if pk else None
    town = zone.town if zone else operator_town(request)
    form = ZoneForm(request.POST or None, request.FILES or None, instance=zone)
    if request.method == "POST" and _saved(request, form, lambda: places.zone_save(
            by=request.user, town=town, pk=pk, name=form.cleaned_data["name"],
            postcodes=form.cleaned_data["postcodes"],
            vehicle_kinds=form.cleaned_data["vehicle_kinds"],
            active=form.cleaned_data["active"], area=form.cleaned_data["geometry"]),
            _("Die Zone ist gespeichert.")):
        return redirect("web:operator_zones")
    others = [{"name": z.name, "area": z.area}
              for z in managed_in(Zone, user=request.user, town=town)
              if z.area is not None and z != zone]
    return render(request, "operator/zone_form.html", {
        "form": form, "town": town, "obj": zone, "map": _map(town), "others": others})


@require_POST
@operator_page
def zone_switch(request: AuthedRequest, pk: int) -> HttpResponse:
    on = request.POST.get("active") == "1"
    attempt(request, lambda: places.zone_switch(by=request.user, pk=pk, active=on),
             _("Die Zone ist eingeschaltet.") if on else _("Die Zone ist ausgeschaltet."))
    return redirect("web:operator_zones")
