"""Buying and following orders: checkout, booking a service, the order pages, cancel,
reschedule and reorder. Customers only; other people's orders are 404s (selectors)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from louise.billing.fees import SERVICE, SHOPPING_LIST
from louise.catalog.selectors import merchant_get, service_offer_get
from louise.core.errors import DomainError
from louise.core.hours import describe
from louise.core.money import euro_text
from louise.geo.models import Address
from louise.geo.selectors import nearest_drop_points
from louise.logistics.rescheduling import order_can_reschedule, order_reschedule
from louise.logistics.returns import (
    order_can_choose_return,
    return_choices,
    service_return_choose,
)
from louise.logistics.selectors import delivery_photo_url
from louise.logistics.tracking import order_tracking
from louise.orders.basket import Basket, basket_clear, basket_get, basket_set
from louise.orders.checkout import (
    Destination,
    checkout_place,
    delivery_fee,
    delivery_fees,
    service_request,
    shopping_list_place,
)
from louise.orders.models import (
    BEFORE_FIRST_PICKUP,
    FINISHED,
    DeliveryMethod,
    Order,
    OrderKind,
)
from louise.orders.quotes import inspections_of, quote_accept, quote_decline
from louise.orders.selectors import (
    checkout_get,
    checkout_with_key,
    order_get,
    orders_visible_to,
)
from louise.orders.services import order_cancel
from louise.orders.shopping import purchase_answer
from louise.orders.slots import slot_choices
from louise.web.access import AuthedRequest
from louise.web.amounts import euro_cents

from .common import customer_page, form_key
from .forms import (
    CheckoutForm,
    RescheduleForm,
    ReturnForm,
    ServiceBookingForm,
    ShoppingListForm,
    show_error,
)


def _first_free(slots) -> str | None:
    return next((s.value for s in slots if not s.full), None)


def mandate_context() -> dict:
    return {"creditor": settings.LOUISE_SEPA_CREDITOR,
            "creditor_id": settings.LOUISE_SEPA_CREDITOR_ID}


def _outside(addresses: list[Address]) -> list:
    """Nearest drop points when none of the customer's addresses is served at the door."""
    if not addresses or any(a.zone and a.zone.active for a in addresses):
        return []
    return nearest_drop_points(lat=addresses[0].lat, lon=addresses[0].lon)


@customer_page
def checkout(request: AuthedRequest) -> HttpResponse:
    basket = basket_get(session=request.session)
    if basket.empty:
        placed = (checkout_with_key(customer=request.user, key=request.POST.get("key", ""))
                  if request.method == "POST" else None)
        if placed is not None:  # the same form sent again: its order is placed already
            messages.info(request, _("Diese Bestellung ist schon aufgegeben."))
            return redirect("web:shop:checkout_done", reference=placed.reference)
        messages.info(request, _("Ihr Warenkorb ist leer."))
        return redirect("web:shop:basket")
    slots = slot_choices(town=basket.town, now=timezone.now())
    form = CheckoutForm(request.POST or None, customer=request.user, slots=slots,
                        town=basket.town, initial={"key": form_key(), "slot": _first_free(slots)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        destination = Destination(
            data["method"], address_id=data["address"].pk if data["address"] else None,
            pickup_point_id=data["pickup_point"].pk if data["pickup_point"] else None,
            locker_id=data["locker"].pk if data["locker"] else None)
        try:
            done = checkout_place(customer=request.user, lines=basket.line_requests(),
                                  destination=destination, slot_start=data["slot"],
                                  idempotency_key=data["key"], notes=data["notes"],
                                  mandate=form.mandate_request())
        except DomainError as exc:
            show_error(form, exc)
        else:
            basket_clear(session=request.session)
            return redirect("web:shop:checkout_done", reference=done.reference)
    addresses, points, lockers = form.places()
    alternatives = _outside(addresses)
    # Unserved at the door: a locker is proposed first (a posted form keeps its choice).
    form.initial["method"] = DeliveryMethod.LOCKER if alternatives else DeliveryMethod.DOOR
    chosen = form["method"].value()
    fees = delivery_fees(basket.town, [*DeliveryMethod.values, chosen],
                         basket_cents=basket.subtotal_cents)
    prices = {method: _prices(basket, fees[method]) for method in DeliveryMethod.values}
    return render(request, "shop/checkout.html", {
        "basket": basket, "form": form, "slots": slots, "prices": prices,
        "price": _prices(basket, fees[chosen]),
        "alternatives": alternatives, **mandate_context(),
        "points": [{"place": p, "hours": describe(p.opening_hours)} for p in points],
        "lockers": lockers, "tiles": basket.town.tiles,
        "map_places": {"prices": prices, "places": [
            {"kind": kind, "id": p.pk, "name": p.name, "lat": p.lat, "lon": p.lon}
            for kind, places in (("point", points), ("locker", lockers)) for p in places]},
    })


def _prices(basket: Basket, fee: int) -> dict[str, str]:
    """Fee and total for one delivery method, written out here so the page's script only
    shows them when the customer switches methods."""
    return {"fee": euro_text(fee) if fee else _("kostenlos"),
            "total": euro_text(basket.subtotal_cents + fee)}


@customer_page
def checkout_done(request: AuthedRequest, reference: str) -> HttpResponse:
    done = checkout_get(reference=reference, user=request.user)
    orders = list(done.orders.all())
    # a booked service is fetched in the slot (and brought back later), not delivered
    fetched = all(order.kind == OrderKind.SERVICE for order in orders)
    return render(request, "shop/checkout_done.html", {
        "checkout": done, "orders": orders, "fetched": fetched, "total_cents": done.total_cents})


@customer_page
def service_book(request: AuthedRequest, service_id: int) -> HttpResponse:
    offer = service_offer_get(service_id=service_id)
    slots = slot_choices(town=offer.merchant.town, now=timezone.now())
    form = ServiceBookingForm(request.POST or None, request.FILES or None,
                              customer=request.user, slots=slots,
                              initial={"key": form_key(), "slot": _first_free(slots)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = service_request(customer=request.user, service_id=offer.pk,
                                   address_id=data["address"].pk,
                                   item_description=data["item_description"],
                                   slot_start=data["slot"], idempotency_key=data["key"],
                                   photo=data["photo"], mandate=form.mandate_request())
        except DomainError as exc:
            show_error(form, exc)
        else:
            return redirect("web:shop:checkout_done", reference=done.reference)
    return render(request, "shop/service_book.html", {
        "offer": offer, "form": form, "slots": slots,
        "fee_cents": delivery_fee(offer.merchant.town, SERVICE),
        "no_address": not form.fields["address"].queryset.exists(), **mandate_context()})


@customer_page
def shopping_list_new(request: AuthedRequest, slug: str) -> HttpResponse:
    """A free-text list for a store with "Einkaufsservice", bought and brought in a wave."""
    merchant = merchant_get(slug=slug)
    if not merchant.shopping_service:
        raise Http404(_("In diesem Geschäft gibt es keinen Einkaufsservice."))
    slots = slot_choices(town=merchant.town, now=timezone.now())
    form = ShoppingListForm(request.POST or None, customer=request.user, slots=slots,
                            initial={"key": form_key(), "slot": _first_free(slots)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = shopping_list_place(
                customer=request.user, merchant_id=merchant.pk, items=data["items"],
                budget_cents=euro_cents(data["budget"], "budget"),
                substitutions=data["substitutions"],
                destination=Destination(DeliveryMethod.DOOR, address_id=data["address"].pk),
                slot_start=data["slot"], idempotency_key=data["key"],
                mandate=form.mandate_request())
        except DomainError as exc:
            show_error(form, exc)
        else:
            return redirect("web:shop:order", number=done.orders.get().number)
    return render(request, "shop/shopping_list.html", {
        "merchant": merchant, "form": form, "slots": slots,
        "fee_cents": delivery_fee(merchant.town, SHOPPING_LIST),
        "no_address": not form.fields["address"].queryset.exists(), **mandate_context()})


@customer_page
@require_POST
def order_purchase_answer(request: AuthedRequest, number: str) -> HttpResponse:
    """The customer confirms a purchase over budget (it is brought and charged) or declines
    it (nothing is charged)."""
    confirm = request.POST.get("answer") == "confirm"
    return _act_on_order(
        request, number, lambda order: purchase_answer(order_number=order.number,
                                                       by=request.user, confirm=confirm),
        _("Danke! Ihr Einkauf kommt in der gebuchten Lieferwelle.") if confirm
        else _("Abgelehnt. Die Ware geht zurück ins Geschäft; Sie zahlen nichts."))


@customer_page
def order_list(request: AuthedRequest) -> HttpResponse:
    orders = orders_visible_to(request.user).prefetch_related("lines")
    running = [o for o in orders if o.status not in FINISHED]
    past = [o for o in orders if o.status in FINISHED]
    return render(request, "shop/order_list.html", {"running": running, "past": past})


def _can_cancel(order: Order) -> bool:
    return order.status in BEFORE_FIRST_PICKUP[order.kind]


def _order_context(order: Order) -> dict:
    siblings = ([o for o in order.checkout.orders.select_related("merchant") if o.pk != order.pk]
                if order.checkout else [])
    return {"order": order, "tracking": order_tracking(order=order), "siblings": siblings,
            "can_cancel": _can_cancel(order), "can_reschedule": order_can_reschedule(order),
            "can_choose_return": order_can_choose_return(order),
            "poll_seconds": settings.LOUISE_ORDER_POLL_SECONDS,
            "live": order.status not in FINISHED,
            "tiles": order.town.tiles, "inspections": inspections_of(order),
            "delivery_photo": delivery_photo_url(order=order)}


@customer_page
def order_detail(request: AuthedRequest, number: str) -> HttpResponse:
    order = order_get(number=number, user=request.user)
    return render(request, "shop/order_detail.html", _order_context(order))


@customer_page
def order_live(request: AuthedRequest, number: str) -> HttpResponse:
    """The live part of the order page (status, ETA, courier), fetched by the page's script."""
    order = order_get(number=number, user=request.user)
    return render(request, "shop/_order_live.html", _order_context(order))


def _act_on_order(request: AuthedRequest, number: str, action: Callable[[Order], object],
                  success: str) -> HttpResponse:
    """One service call on the customer's own order; its refusal is shown as a message."""
    order = order_get(number=number, user=request.user)
    try:
        action(order)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("web:shop:order", number=order.number)


@customer_page
@require_POST
def order_cancel_view(request: AuthedRequest, number: str) -> HttpResponse:
    return _act_on_order(
        request, number, lambda order: order_cancel(order_number=order.number, by=request.user),
        _("Bestellung %s ist storniert. Sie zahlen nichts.") % number)


@customer_page
def order_reschedule_view(request: AuthedRequest, number: str) -> HttpResponse:
    order = order_get(number=number, user=request.user)
    slots = [s for s in slot_choices(town=order.town, now=timezone.now())
             if s.wave.start != order.wave_start]
    form = RescheduleForm(request.POST or None, slots=slots,
                          initial={"slot": _first_free(slots)})
    if request.method == "POST" and form.is_valid():
        try:
            order_reschedule(order_number=order.number, by=request.user,
                             slot_start=form.cleaned_data["slot"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Die Lieferung ist umgeplant."))
            return redirect("web:shop:order", number=order.number)
    return render(request, "shop/reschedule.html", {"order": order, "form": form,
                                                    "can_reschedule": order_can_reschedule(order)})


@customer_page
@require_POST
def order_reorder(request: AuthedRequest, number: str) -> HttpResponse:
    """Put the order's products back into the basket, as far as they are still on sale."""
    order = order_get(number=number, user=request.user)
    added = 0
    for line in order.lines.all():
        if line.product_id is None:
            continue
        try:
            basket_set(session=request.session, product_id=line.product_id,
                       quantity=line.quantity, add=True)
            added += 1
        except DomainError as exc:
            messages.warning(request, exc.message)
    if added:
        messages.success(request, _("Die Artikel liegen wieder im Warenkorb."))
    return redirect("web:shop:basket")


@customer_page
@require_POST
def order_quote_answer(request: AuthedRequest, number: str) -> HttpResponse:
    """The customer agrees to the shop's quote, or declines it (item back unrepaired)."""
    if request.POST.get("answer") == "accept":
        return _act_on_order(
            request, number, lambda order: quote_accept(order_number=order.number,
                                                        by=request.user),
            _("Danke! Das Geschäft macht sich an die Arbeit."))
    return _act_on_order(
        request, number, lambda order: quote_decline(order_number=order.number, by=request.user,
                                                     reason=request.POST.get("reason", "")),
        _("Abgelehnt. Sie bekommen den Gegenstand unrepariert zurück und zahlen nichts."))


@customer_page
def order_return_view(request: AuthedRequest, number: str) -> HttpResponse:
    """A service's way back: when, and to the door or a locker."""
    order = order_get(number=number, user=request.user)
    slots = return_choices(order=order)
    form = ReturnForm(request.POST or None, slots=slots, town=order.town, initial={
        "slot": order.return_wave_start.isoformat() if order.return_wave_start
        else _first_free(slots), "locker": order.return_locker})
    if request.method == "POST" and form.is_valid():
        locker = form.cleaned_data["locker"]
        try:
            service_return_choose(order_number=order.number, by=request.user,
                                  slot_start=form.cleaned_data["slot"],
                                  locker_id=locker.pk if locker else None)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Ihre Wahl für die Rückgabe ist gespeichert."))
            return redirect("web:shop:order", number=order.number)
    return render(request, "shop/return.html", {
        "order": order, "form": form, "slots": slots,
        "can_choose": order_can_choose_return(order)})
