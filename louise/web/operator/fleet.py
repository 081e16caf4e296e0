"""The operator's fleet (`/betrieb/flotte/`): the town's vehicles and the weekly shift
patterns with their exceptions, from which the shifts of the coming weeks are made."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from louise.geo.models import Town
from louise.geo.selectors import towns_of
from louise.logistics import fleet
from louise.logistics.models import ShiftPattern
from louise.logistics.selectors import (
    exception_for,
    pattern_exceptions,
    pattern_for,
    patterns_of,
    vehicle_for,
    vehicles_of,
)
from louise.logistics.shifts import Generated
from louise.web.access import AuthedRequest

from .common import operator_page, operator_town
from .fleet_forms import ExceptionForm, PatternForm, VehicleForm, attempt


def _horizon() -> str:
    """The last day the generation reaches, as the button says it ("Schichten bis …")."""
    last = timezone.localdate() + timedelta(weeks=fleet.weeks_ahead(), days=-1)
    return f"{last:%d.%m.%Y}"


def _report(request: AuthedRequest, made: Generated, done: str) -> None:
    """What saving did to the shifts, as messages: made and removed, and what stayed."""
    messages.success(request, _("%(done)s %(created)d Schichten angelegt, %(removed)d entfernt.")
                     % {"done": done, "created": made.created, "removed": made.removed})
    if made.kept:
        messages.warning(request, _("Schon mit Tour, daher unverändert (bitte in der "
                                    "Disposition umplanen): %s") % ", ".join(made.kept))
    if made.skipped:
        messages.warning(request, _("Nicht angelegt: %s") % " ".join(made.skipped))


@operator_page
def fleet_page(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    return render(request, "operator/fleet.html", {
        "town": town, "towns": towns_of(request.user),
        "vehicles": vehicles_of(user=request.user, town=town),
        "patterns": patterns_of(user=request.user, town=town),
        "horizon": _horizon()})


@operator_page
@require_POST
def shifts_make(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    made = fleet.shifts_ahead(town=town, by=request.user)
    _report(request, made, _("Schichten bis %s:") % _horizon())
    return redirect("web:operator_fleet")


@operator_page
def vehicle_edit(request: AuthedRequest, vehicle_id: int | None = None) -> HttpResponse:
    town = operator_town(request)
    vehicle = (vehicle_for(user=request.user, town=town, vehicle_id=vehicle_id)
               if vehicle_id else None)
    initial = ({name: getattr(vehicle, name) for name in fleet.VEHICLE_FIELDS}
               if vehicle else None)
    form = VehicleForm(request.POST or None, initial=initial, town=town)
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, lambda: fleet.vehicle_save(
            by=request.user, town=town, vehicle=vehicle, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Fahrzeug „%s“ gespeichert.") % saved.name)
            return redirect("web:operator_fleet")
    return render(request, "operator/vehicle_form.html", {
        "town": town, "form": form, "vehicle": vehicle})


def _pattern_page(request: AuthedRequest, town: Town, pattern: ShiftPattern | None,
                  form: PatternForm, exception_form: ExceptionForm | None = None
                  ) -> HttpResponse:
    return render(request, "operator/pattern_form.html", {
        "town": town, "pattern": pattern, "form": form,
        "exceptions": (pattern_exceptions(pattern=pattern, since=timezone.localdate())
                       if pattern else []),
        "exception_form": exception_form or ExceptionForm(town=town),
        "weeks": fleet.weeks_ahead()})


def _pattern_initial(pattern: ShiftPattern | None) -> dict:
    if pattern is None:
        return {"valid_from": timezone.localdate()}
    return {"weekdays": pattern.weekdays, "start_time": pattern.start_time,
            "end_time": pattern.end_time, "rider": pattern.rider,
            "vehicle": pattern.vehicle, "valid_from": pattern.valid_from,
            "valid_until": pattern.valid_until}


@operator_page
def pattern_edit(request: AuthedRequest, pattern_id: int | None = None) -> HttpResponse:
    town = operator_town(request)
    pattern = (pattern_for(user=request.user, town=town, pattern_id=pattern_id)
               if pattern_id else None)
    form = PatternForm(request.POST or None, initial=_pattern_initial(pattern), town=town)
    if request.method == "POST" and form.is_valid():
        result = attempt(form, lambda: fleet.pattern_save(
            by=request.user, town=town, pattern=pattern, **form.cleaned_data))
        if result is not None:
            saved, made = result
            _report(request, made, _("Schichtmuster „%s“ gespeichert:") % saved)
            return redirect("web:operator_pattern", saved.pk)
    return _pattern_page(request, town, pattern, form)


@operator_page
@require_POST
def pattern_active(request: AuthedRequest, pattern_id: int) -> HttpResponse:
    town = operator_town(request)
    pattern = pattern_for(user=request.user, town=town, pattern_id=pattern_id)
    active = request.POST.get("active") == "1"
    made = attempt(request, lambda: fleet.pattern_active_set(by=request.user, pattern=pattern,
                                                             active=active))
    if made is not None:
        _report(request, made, _("Schichtmuster aktiviert:") if active
                else _("Schichtmuster deaktiviert:"))
    return redirect("web:operator_pattern", pattern.pk)


@operator_page
@require_POST
def exception_add(request: AuthedRequest, pattern_id: int) -> HttpResponse:
    town = operator_town(request)
    pattern = pattern_for(user=request.user, town=town, pattern_id=pattern_id)
    form = ExceptionForm(request.POST, town=town)
    if form.is_valid():
        result = attempt(form, lambda: fleet.pattern_exception_add(
            by=request.user, pattern=pattern, **form.cleaned_data))
        if result is not None:
            exception, made = result
            _report(request, made, _("Ausnahme am %s eingetragen:")
                    % f"{exception.day:%d.%m.%Y}")
            return redirect("web:operator_pattern", pattern.pk)
    return _pattern_page(request, town, pattern,
                         PatternForm(initial=_pattern_initial(pattern), town=town), form)


@operator_page
@require_POST
def exception_delete(request: AuthedRequest, exception_id: int) -> HttpResponse:
    town = operator_town(request)
    exception = exception_for(user=request.user, town=town, exception_id=exception_id)
    pattern_id = exception.pattern_id
    made = fleet.pattern_exception_delete(by=request.user, exception=exception)
    _report(request, made, _("Ausnahme gelöscht:"))
    return redirect("web:operator_pattern", pattern_id)

