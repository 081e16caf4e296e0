"""The hotline console (`/hotline/`), desktop, built for speed while the caller waits: find
or make the caller, order for them, change a delivery, take a mandate on paper, note the
call. Each view parses, calls one hotline service or selector, and renders."""

import secrets

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from louise.accounts.models import Role
from louise.billing.returns import orders_blocked, returns_open
from louise.core.errors import Invalid
from louise.geo.models import Town
from louise.geo.selectors import towns_of
from louise.hotline import selectors, services
from louise.hotline.mandate_form import mandate_form_pdf
from louise.logistics.rescheduling import order_can_reschedule
from louise.orders.checkout import Destination, LineRequest
from louise.orders.slots import slot_choices
from louise.web.access import AuthedRequest, scoped_page
from louise.web.amounts import euro_cents
from louise.web.backoffice.common import attempt, submit
from louise.web.operator.common import console_town
from louise.web.operator.money import returns_cleared
from louise.web.operator.money_forms import ClearReturnsForm

from .forms import CallerForm, CallForm, PaperMandateForm, StandingForm

hotline_page = scoped_page(Role.HOTLINE)

def hotline_town(request: AuthedRequest) -> Town:
    """The town the agent answers for (see `console_town`)."""
    return console_town(request, Role.HOTLINE)


@hotline_page
def home(request: AuthedRequest) -> HttpResponse:
    town = hotline_town(request)
    query = request.GET.get("q", "")[:80]
    form = CallerForm(request.POST or None)
    if request.method == "POST":
        made = submit(request, form, lambda data: services.caller_create(
            agent=request.user, town=town, **data),
            lambda made: f"{made.customer.display_name} ist angelegt.")
        if made is not None:
            return redirect("web:hotline_caller", customer_id=made.customer.pk)
    return render(request, "hotline/home.html", {
        "town": town, "towns": towns_of(request.user), "query": query, "form": form,
        "hits": selectors.caller_search(agent=request.user, town=town, query=query),
        "today": timezone.localdate(),
        "due": selectors.follow_ups_due(agent=request.user, town=town,
                                        today=timezone.localdate()),
        "waiting": selectors.purchases_waiting(agent=request.user, town=town)})


@hotline_page
def caller(request: AuthedRequest, customer_id: int) -> HttpResponse:
    town = hotline_town(request)
    customer = selectors.caller_get(agent=request.user, town=town, customer_id=customer_id)
    orders = list(selectors.caller_orders(agent=request.user, town=town, customer=customer))
    return render(request, "hotline/caller.html", {
        "town": town, "customer": customer,
        "sheet": selectors.order_sheet(agent=request.user, town=town, customer=customer),
        "slots": slot_choices(town=town, now=timezone.now()),
        "orders": orders, "movable": {o.number for o in orders if order_can_reschedule(o)},
        "calls": selectors.calls_of(agent=request.user, town=town, customer=customer),
        "standings": selectors.standing_orders_of(agent=request.user, town=town,
                                                  customer=customer),
        "standing_form": StandingForm(addresses=customer.addresses.all(), initial={
            "starts_on": timezone.localdate(), "horizon_days": 28}),
        "returns_open": returns_open(customer), "blocked": orders_blocked(customer),
        "clear_form": ClearReturnsForm(),
        "call_form": CallForm(), "mandate_form": PaperMandateForm(
            initial={"holder": customer.display_name, "received_on": timezone.localdate()}),
        "key": secrets.token_urlsafe(16)})


def _caller_town(request: AuthedRequest, customer_id: int) -> Town:
    """The agent's town, once the caller is known to be one of its customers: a posted form
    names its caller before anything in it is read (another town's caller is a 404)."""
    town = hotline_town(request)
    selectors.caller_get(agent=request.user, town=town, customer_id=customer_id)
    return town


def _back(customer_id: int) -> HttpResponse:
    return redirect("web:hotline_caller", customer_id=customer_id)


def _destination(value: str) -> Destination:
    """The form's `door:12`, `point:3` or `locker:5`."""
    method, _sep, pk = value.partition(":")
    if method not in ("door", "point", "locker") or not pk.isdigit():
        raise Invalid("Bitte wählen, wohin geliefert wird.", field="destination")
    field = {"door": "address_id", "point": "pickup_point_id", "locker": "locker_id"}[method]
    return Destination(method, **{field: int(pk)})


def _lines(post) -> list[LineRequest]:
    """Every `menge_<product id>` with a quantity; a quantity that is no number is refused."""
    lines = []
    for name, value in post.items():
        if name.startswith("menge_") and value.strip() not in ("", "0"):
            if not value.strip().isdigit() or not name[6:].isdigit():
                raise Invalid(f"„{value[:10]}“ ist keine Menge.", field="lines")
            lines.append(LineRequest(int(name[6:]), int(value)))
    return lines


@hotline_page
@require_POST
def caller_order(request: AuthedRequest, customer_id: int) -> HttpResponse:
    town = _caller_town(request, customer_id)
    attempt(request, lambda: services.hotline_checkout(
        agent=request.user, town=town, customer_id=customer_id, lines=_lines(request.POST),
        destination=_destination(request.POST.get("destination", "")),
        slot_start=request.POST.get("slot") or None, notes=request.POST.get("notes", "")[:300],
        idempotency_key=request.POST.get("key", "")),
        lambda done: f"Einkauf {done.reference} ist bestellt.")
    return _back(customer_id)


@hotline_page
@require_POST
def caller_service(request: AuthedRequest, customer_id: int) -> HttpResponse:
    town = _caller_town(request, customer_id)
    service, address = request.POST.get("service", ""), request.POST.get("address", "")
    attempt(request, lambda: services.hotline_service_book(
        agent=request.user, town=town, customer_id=customer_id,
        service_id=int(service) if service.isdigit() else 0,
        address_id=int(address) if address.isdigit() else 0,
        item_description=request.POST.get("item_description", "")[:2000],
        slot_start=request.POST.get("slot") or None, idempotency_key=request.POST.get("key", "")),
        lambda done: f"Einkauf {done.reference} ist gebucht.")
    return _back(customer_id)


@hotline_page
@require_POST
def caller_shopping(request: AuthedRequest, customer_id: int) -> HttpResponse:
    """A shopping list the caller dictates, for a store with "Einkaufsservice"."""
    town = _caller_town(request, customer_id)
    store = request.POST.get("store", "")
    attempt(request, lambda: services.hotline_shopping_list(
        agent=request.user, town=town, customer_id=customer_id,
        merchant_id=int(store) if store.isdigit() else 0,
        items=request.POST.get("items", "")[:6000],
        budget_cents=euro_cents(request.POST.get("budget", ""), "budget"),
        substitutions=request.POST.get("substitutions", "")[:500],
        destination=_destination(request.POST.get("destination", "")),
        slot_start=request.POST.get("slot") or None, idempotency_key=request.POST.get("key", "")),
        lambda done: f"Einkaufszettel {done.reference} ist aufgegeben.")
    return _back(customer_id)


@hotline_page
@require_POST
def purchase_answer(request: AuthedRequest, customer_id: int, number: str) -> HttpResponse:
    """The caller said yes or no to a purchase over their budget."""
    confirm = request.POST.get("answer") == "confirm"
    attempt(request, lambda: services.hotline_purchase_answer(
        agent=request.user, town=hotline_town(request), number=number, confirm=confirm),
        f"Einkauf {number} ist {'bestätigt' if confirm else 'abgelehnt'}.")
    return _back(customer_id)


@hotline_page
@require_POST
def invoice_payment(request: AuthedRequest, customer_id: int) -> HttpResponse:
    allowed = request.POST.get("allowed") == "1"
    attempt(request, lambda: services.invoice_payment_allow(
        by=request.user, town=hotline_town(request), customer_id=customer_id, allowed=allowed),
        "Zahlung auf Rechnung ist erlaubt." if allowed else "Zahlung auf Rechnung ist entzogen.")
    return _back(customer_id)


@hotline_page
@require_POST
def order_cancel(request: AuthedRequest, customer_id: int, number: str) -> HttpResponse:
    attempt(request, lambda: services.hotline_cancel(
        agent=request.user, town=hotline_town(request), number=number),
        f"Bestellung {number} ist storniert.")
    return _back(customer_id)


@hotline_page
@require_POST
def order_move(request: AuthedRequest, customer_id: int, number: str) -> HttpResponse:
    attempt(request, lambda: services.hotline_move(
        agent=request.user, town=hotline_town(request), number=number,
        slot_start=request.POST.get("slot", "")),
        f"Die Lieferung von {number} ist umgeplant.")
    return _back(customer_id)


@hotline_page
@require_POST
def call_note(request: AuthedRequest, customer_id: int) -> HttpResponse:
    town = _caller_town(request, customer_id)
    submit(request, CallForm(request.POST), lambda data: services.call_record(
        agent=request.user, town=town, customer_id=customer_id, **data),
        "Anruf notiert.")
    return _back(customer_id)


@hotline_page
@require_POST
def returns_clear(request: AuthedRequest, customer_id: int) -> HttpResponse:
    returns_cleared(request, _caller_town(request, customer_id), customer_id)
    return _back(customer_id)


@hotline_page
@require_POST
def follow_up_done(request: AuthedRequest, call_id: int) -> HttpResponse:
    attempt(request, lambda: services.follow_up_done(
        agent=request.user, town=hotline_town(request), call_id=call_id),
        "Rückruf erledigt.")
    return redirect(reverse("web:hotline_home"))


@hotline_page
@require_POST
def paper_mandate(request: AuthedRequest, customer_id: int) -> HttpResponse:
    town = _caller_town(request, customer_id)
    submit(request, PaperMandateForm(request.POST), lambda data: services.paper_mandate_record(
        agent=request.user, town=town, customer_id=customer_id, **data),
        lambda mandate: f"Mandat {mandate.reference} erfasst.")
    return _back(customer_id)


@hotline_page
def mandate_form(request: AuthedRequest, customer_id: int) -> HttpResponse:
    town = hotline_town(request)
    customer = selectors.caller_get(agent=request.user, town=town, customer_id=customer_id)
    address = customer.addresses.order_by("pk").first()
    response = HttpResponse(mandate_form_pdf(customer=customer, address=address),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mandat-{customer.pk}.pdf"'
    return response
