"""Standing deliveries in the hotline console: set one up for a caller, see its dates, skip
or move one date."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from louise.core.errors import Invalid
from louise.hotline import selectors, standing
from louise.hotline.models import StandingOrder
from louise.web.access import AuthedRequest
from louise.web.backoffice.common import submit

from .forms import DateChangeForm, StandingForm
from .views import _lines, hotline_page, hotline_town


def _recipients(text: str) -> list[standing.Recipient]:
    """"Frau Abel, 12" per line: the name, then the room."""
    people = []
    for line in text.splitlines():
        name, _sep, room = line.partition(",")
        if name.strip():
            people.append(standing.Recipient(name.strip()[:80], room.strip()[:20]))
    return people


@hotline_page
@require_POST
def standing_new(request: AuthedRequest, customer_id: int) -> HttpResponse:
    town = hotline_town(request)
    customer = selectors.caller_get(agent=request.user, town=town, customer_id=customer_id)
    form = StandingForm(request.POST, addresses=customer.addresses.all())

    def create(data: dict) -> StandingOrder:
        if not (lines := _lines(request.POST)):
            raise Invalid("Bitte mindestens eine Ware mit Menge angeben.", field="lines")
        made = standing.standing_create(
            agent=request.user, town=town, customer_id=customer.pk, name=data["name"],
            address_id=data["address"], weekdays=data["weekdays"], lines=lines,
            recipients=_recipients(data["recipients"]), holidays=data["holidays"],
            horizon_days=data["horizon_days"], starts_on=data["starts_on"])
        standing.standing_generate(standing=made)
        return made

    made = submit(request, form, create, lambda made: f"Dauerauftrag „{made.name}“ angelegt.")
    if made is None:
        return redirect("web:hotline_caller", customer_id=customer.pk)
    return redirect("web:hotline_standing", standing_id=made.pk)


@hotline_page
def standing_page(request: AuthedRequest, standing_id: int) -> HttpResponse:
    town = hotline_town(request)
    order = standing.standing_get(agent=request.user, town=town, standing_id=standing_id)
    today = timezone.localdate()
    return render(request, "hotline/standing.html", {
        "town": town, "standing": order, "today": today,
        "dates": standing.standing_overview(standing=order, today=today)})


@hotline_page
@require_POST
def standing_date(request: AuthedRequest, standing_id: int) -> HttpResponse:
    town = hotline_town(request)
    standing.standing_get(agent=request.user, town=town, standing_id=standing_id)  # or 404
    submit(request, DateChangeForm(request.POST), lambda data: standing.standing_date_change(
        agent=request.user, town=town, standing_id=standing_id, day=data["day"],
        moved_to=data["moved_to"]), lambda change: f"Termin {change}.")
    return redirect("web:hotline_standing", standing_id=standing_id)
