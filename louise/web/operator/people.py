"""The town's team in the operator's console (`/betrieb/leute/`): riders, dispatchers,
hotline and operators; invite by link, block and unblock, take off the town."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from louise.accounts.access import town_ids
from louise.accounts.selectors import team_of
from louise.geo.selectors import towns_of
from louise.logistics.team import (
    INVITED_ROLES,
    ShiftsEnded,
    person_active_set,
    person_town_remove,
    shifts_to_reassign,
    team_invitation_create,
)
from louise.web.access import AuthedRequest
from louise.web.backoffice.common import attempt

from .common import operator_page, operator_town


class TeamInviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Als"), choices=[(r.value, r.label) for r in INVITED_ROLES])
    email = forms.EmailField(label=_("E-Mail-Adresse"))


def _ended(result: ShiftsEnded, what: str) -> str:
    """The confirmation, with what became of the person's coming shifts."""
    text = f"{result.person.display_name}: {what}."
    if result.deleted:
        text += f" {result.deleted} kommende Schicht(en) ohne Tour gelöscht."
    if result.to_reassign:
        text += (f" {len(result.to_reassign)} Schicht(en) mit Tour bitte neu besetzen "
                 "(siehe unten).")
    return text


@operator_page
def people_page(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    form = TeamInviteForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        link = attempt(request, lambda: team_invitation_create(
            by=request.user, town=town, role=data["role"], email=data["email"],
            base_url=request.build_absolute_uri("/")),
            f"Einladung an {data['email']} verschickt.")
        if link is not None:
            form = TeamInviteForm()
    region = town_ids(request.user) is None
    return render(request, "operator/people.html", {
        "town": town, "towns": towns_of(request.user), "form": form, "link": link,
        "region": region, "team": team_of(user=request.user, town_id=None if region
                                          else town.pk),
        "to_reassign": shifts_to_reassign(by=request.user, town=town)})


@operator_page
@require_POST
def person_access(request: AuthedRequest, person_id: int) -> HttpResponse:
    active = request.POST.get("active") == "1"
    attempt(request, lambda: person_active_set(by=request.user, person_id=person_id,
                                               active=active),
            lambda result: _ended(result, "Zugang wieder freigegeben" if active
                                  else "Zugang gesperrt"))
    return redirect("web:operator_people")


@operator_page
@require_POST
def person_remove(request: AuthedRequest, person_id: int) -> HttpResponse:
    town = operator_town(request)
    attempt(request, lambda: person_town_remove(by=request.user, person_id=person_id,
                                                town=town),
            lambda result: _ended(result, f"nicht mehr im Team von {town.name}"))
    return redirect("web:operator_people")

