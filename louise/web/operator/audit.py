"""The town's audit trail in the operator's console (`/betrieb/protokoll/`): who changed
what and when, newest first, by kind of object and by person."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from louise.accounts.selectors import audit_choices, audit_trail
from louise.geo.selectors import towns_of
from louise.web.access import AuthedRequest

from .common import operator_page, operator_town

PAGE_SIZE = 50


@operator_page
def audit_page(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    model = request.GET.get("art", "")
    person = request.GET.get("person", "")
    by_id = int(person) if person.isdigit() else None
    entries = audit_trail(user=request.user, town_id=town.pk, model=model, by_id=by_id)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("seite"))
    models, people = audit_choices(user=request.user, town_id=town.pk)
    return render(request, "operator/audit.html", {
        "town": town, "towns": towns_of(request.user), "page": page, "models": models,
        "people": people, "model": model, "by_id": by_id})
