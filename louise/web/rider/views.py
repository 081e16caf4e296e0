"""The rider app (installable PWA): today's tour, stop by stop. The page carries the tour as
data; the browser works from it offline and sends queued actions to the JSON API."""

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from louise.accounts.access import HUB_DESK
from louise.accounts.models import Role
from louise.core.calendar import BERLIN
from louise.core.errors import DomainError
from louise.core.money import euro_text
from louise.logistics.selectors import rider_tour_current, rider_tour_view
from louise.logistics.shopping import shopping_for_shopper, shopping_purchase
from louise.orders.models import Approval
from louise.orders.shopping import ITEM_STATES
from louise.web.access import AuthedRequest, role_required, scoped_page
from louise.web.amounts import euro_cents


@never_cache
@role_required(Role.RIDER)
def today(request: AuthedRequest) -> HttpResponse:
    today = timezone.now().astimezone(BERLIN).date()
    tour = rider_tour_current(rider=request.user, today=today)
    return render(request, "rider/today.html", {
        "today": today,
        "day": tour.plan_run.day if tour else today,
        "tour": rider_tour_view(tour=tour) if tour else None,
        "rider_config": {"csrf": get_token(request),
                         "positionIntervalS": settings.LOUISE_POSITION_INTERVAL_S},
        "map": {"tiles": settings.LOUISE_MAP_TILES,
                "attribution": settings.LOUISE_MAP_ATTRIBUTION},
    })


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker must come from /fahrer/ itself for its scope to cover the app."""
    path = finders.find("rider/sw.js")
    assert isinstance(path, str)  # shipped in the app's static files
    with open(path, encoding="utf-8") as fh:
        response = HttpResponse(fh.read(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/fahrer/"
    response["Cache-Control"] = "no-cache"
    return response


@never_cache
@scoped_page(Role.RIDER, *HUB_DESK)
def shopping(request: AuthedRequest, number: str) -> HttpResponse:
    """The shopper in the store: the list with the customer's wishes, each item ticked
    bought or missing, the receipt's total and its photo. A refusal (a total of 0 €, no
    photo) is shown on the page and nothing is stored."""
    order = shopping_for_shopper(by=request.user, order_number=number)
    if request.method == "POST":
        try:
            shopping_purchase(
                by=request.user, order_number=number,
                states=[request.POST.get(f"item-{n}", "") for n in range(len(
                    order.shopping.items))],
                receipt_total_cents=euro_cents(request.POST.get("total", ""), "total"),
                photo=request.FILES.get("receipt_photo"))
        except DomainError as exc:  # a bad total, or a list no longer to buy (cancelled,
            messages.error(request, exc.message)  # recorded from a second tab)
        else:
            order.refresh_from_db()
            messages.success(request, _(
                "Einkauf erfasst: wartet auf die Bestätigung des Kunden (über Budget).")
                if order.shopping.approval == Approval.PENDING
                else _("Einkauf erfasst: bitte jetzt die Abholung bestätigen."))
            return HttpResponseRedirect(request.path)
    back = "/fahrer/" if request.user.has_role(Role.RIDER) else "/depot/"
    return render(request, "rider/shopping.html", {
        "order": order, "list": order.shopping, "states": ITEM_STATES, "back": back,
        "budget": euro_text(order.shopping.budget_cents),
        "total": euro_text(order.shopping.receipt_total_cents or 0)})
