"""The day's shifts for the dispatcher (`/dispo/schichten/?tag=&stadt=`): who rides with
what and when; add a one-off shift, change or delete one nobody is out on yet."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from louise.accounts.access import DISPATCH
from louise.core.calendar import BERLIN, wave_for
from louise.core.dates import day_from_text
from louise.geo.models import Town
from louise.geo.selectors import town_for, towns_of
from louise.logistics import fleet
from louise.logistics.models import Shift
from louise.logistics.selectors import shift_for, shifts_of_day
from louise.web.access import AuthedRequest, scoped_page
from louise.web.operator.fleet_forms import ShiftForm, attempt

dispatch_page = scoped_page(*DISPATCH)


def _day(request: AuthedRequest, town: Town) -> date:
    raw = request.GET.get("tag")
    try:
        return day_from_text(raw) if raw else wave_for(timezone.now(), town.schedule).day
    except ValueError as exc:
        raise Http404("Unbekannter Tag") from exc


def _back(town: Town, day: date) -> HttpResponseRedirect:
    query = urlencode({"tag": day.isoformat(), "stadt": town.slug})
    return HttpResponseRedirect(f"{reverse('web:dispatch:shifts')}?{query}")


def _shift_day(shift: Shift) -> date:
    return shift.starts_at.astimezone(BERLIN).date()


@dispatch_page
def shifts_page(request: AuthedRequest) -> HttpResponse:
    """The list of the day; a POST adds a one-off shift."""
    town = town_for(request.user, request.GET.get("stadt"), roles=DISPATCH)
    day = _day(request, town)
    form = ShiftForm(request.POST or None, town=town)
    if request.method == "POST" and form.is_valid():
        shift = attempt(form, lambda: fleet.shift_add(by=request.user, town=town, day=day,
                                                      **form.cleaned_data))
        if shift is not None:
            messages.success(request, _("Schicht für %s angelegt.") % shift.rider.display_name)
            return _back(town, day)
    return render(request, "dispatch/shifts.html", {
        "town": town, "towns": towns_of(request.user), "day": day, "form": form,
        "shifts": shifts_of_day(user=request.user, town=town, day=day)})


@dispatch_page
def shift_edit(request: AuthedRequest, shift_id: int) -> HttpResponse:
    shift = shift_for(user=request.user, shift_id=shift_id)
    town, day = shift.vehicle.town, _shift_day(shift)
    initial = {"rider": shift.rider, "vehicle": shift.vehicle,
               "start_time": shift.starts_at.astimezone(BERLIN).time(),
               "end_time": shift.ends_at.astimezone(BERLIN).time()}
    form = ShiftForm(request.POST or None, initial=initial, town=town)
    if request.method == "POST" and form.is_valid():
        changed = attempt(form, lambda: fleet.shift_change(by=request.user, shift=shift,
                                                           **form.cleaned_data))
        if changed is not None:
            messages.success(request, _("Schicht gespeichert."))
            return _back(town, day)
    return render(request, "dispatch/shift_form.html", {
        "town": town, "day": day, "shift": shift, "form": form})


@dispatch_page
@require_POST
def shift_delete(request: AuthedRequest, shift_id: int) -> HttpResponse:
    shift = shift_for(user=request.user, shift_id=shift_id)
    town, day = shift.vehicle.town, _shift_day(shift)
    if attempt(request, lambda: fleet.shift_delete(by=request.user, shift=shift)) is not None:
        messages.success(request, _("Schicht gelöscht."))
    return _back(town, day)
