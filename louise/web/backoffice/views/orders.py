"""The order inbox and one order's page: accept, decline, pack, label, service work."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from louise.logistics.inbox import inbox, inbox_new, order_history
from louise.orders import services
from louise.orders.labels import label_pdf
from louise.orders.lifecycle import can
from louise.orders.models import OrderKind, OrderStatus, QuoteStatus
from louise.orders.quotes import (
    inspections_of,
    service_inspect,
    service_intake,
    service_intake_scan,
)
from louise.orders.selectors import order_for_merchant_staff, order_get
from louise.web.access import AuthedRequest

from ..common import attempt, merchant_page, submit
from ..forms import DeclineForm, InspectForm, ReadyForm, ScanForm


def _to_order(number: str) -> HttpResponse:
    return redirect("web:backoffice:order", number=number)


@merchant_page
def inbox_page(request: AuthedRequest) -> HttpResponse:
    box = inbox(user=request.user)
    lanes = [
        {"key": "new", "title": _("Neu – bitte annehmen oder ablehnen"), "orders": box.new,
         "empty": _("Keine neuen Bestellungen.")},
        {"key": "pack", "title": _("Zu packen"), "orders": box.to_pack,
         "empty": _("Nichts zu packen.")},
        {"key": "workshop", "title": _("Werkstatt (Dienstleistungen)"),
         "orders": box.workshop, "empty": _("Keine Aufträge in Arbeit.")},
        {"key": "ready", "title": _("Fertig – wartet auf Abholung"), "orders": box.ready,
         "empty": _("Nichts wartet auf Abholung.")},
    ]
    return render(request, "backoffice/inbox.html", {"lanes": lanes, "nav": "inbox"})


@merchant_page
def inbox_poll(request: AuthedRequest) -> JsonResponse:
    """Polled by the inbox every few seconds: the badge count and the newest order."""
    new = inbox_new(user=request.user)
    latest = new.order_by("-placed_at").first()
    return JsonResponse({"new": new.count(), "latest": latest.number if latest else None})


@merchant_page
def order_page(request: AuthedRequest, number: str) -> HttpResponse:
    order_for_merchant_staff(number=number, user=request.user)
    order = order_get(number=number, user=request.user)
    return render(request, "backoffice/order.html", {
        "order": order, "nav": "inbox", "decline_form": DeclineForm(),
        "ready_form": ReadyForm(initial={"parcels": order.parcels}),
        "inspect_form": InspectForm(), "inspections": inspections_of(order),
        "can_accept": can(order, "accept"), "can_ready": can(order, "mark_ready"),
        "can_intake": order.status == OrderStatus.ITEM_PICKED_UP,
        "is_service": order.kind == OrderKind.SERVICE,
        "quote_pending": order.quote_status == QuoteStatus.PENDING,
        "printable": order.status in (OrderStatus.ACCEPTED, OrderStatus.IN_SERVICE,
                                      OrderStatus.READY),
    })


@merchant_page
@require_POST
def order_accept(request: AuthedRequest, number: str) -> HttpResponse:
    attempt(request, lambda: services.order_accept(order_number=number, by=request.user),
            f"Bestellung {number} angenommen.")
    return _to_order(number)


@merchant_page
@require_POST
def order_decline(request: AuthedRequest, number: str) -> HttpResponse:
    order_for_merchant_staff(number=number, user=request.user)
    declined = submit(request, DeclineForm(request.POST), lambda data: services.order_decline(
        order_number=number, by=request.user, reason=data["reason"]),
        f"Bestellung {number} abgelehnt; die Kundin / der Kunde wird informiert.")
    return redirect("web:backoffice:inbox") if declined else _to_order(number)


@merchant_page
@require_POST
def order_ready(request: AuthedRequest, number: str) -> HttpResponse:
    order_for_merchant_staff(number=number, user=request.user)
    submit(request, ReadyForm(request.POST), lambda data: services.order_mark_ready(
        order_number=number, by=request.user, parcels=data["parcels"]),
        f"Bestellung {number} ist fertig und wird abgeholt. Bitte Etikett aufkleben.")
    return _to_order(number)


@merchant_page
def order_label(request: AuthedRequest, number: str) -> HttpResponse:
    order = order_for_merchant_staff(number=number, user=request.user)
    pdf = attempt(request, lambda: label_pdf(order))
    if pdf is None:
        return _to_order(number)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="etikett-{order.number}.pdf"'
    return response


@merchant_page
@require_POST
def order_intake(request: AuthedRequest, number: str) -> HttpResponse:
    attempt(request, lambda: service_intake(order_number=number, by=request.user),
            f"Gegenstand zu {number} angenommen.")
    return _to_order(number)


@merchant_page
@require_POST
def order_inspect(request: AuthedRequest, number: str) -> HttpResponse:
    order_for_merchant_staff(number=number, user=request.user)
    form = InspectForm(request.POST)
    submit(request, form, lambda data: service_inspect(
        order_number=number, by=request.user, findings=data["findings"],
        quote_cents=form.quote_cents()),
        lambda order: "Befund gespeichert; der Kunde wurde um Zustimmung gebeten."
        if order.quote_status == QuoteStatus.PENDING else "Befund gespeichert.")
    return _to_order(number)


@merchant_page
def intake_scan(request: AuthedRequest) -> HttpResponse:
    """Scan the label on an item the rider brought (or type the number): the item is taken
    in, and the order opens for the inspection."""
    form = ScanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        order = attempt(request, lambda: service_intake_scan(code=form.cleaned_data["code"],
                                                             by=request.user),
                        "Gegenstand angenommen. Jetzt bitte begutachten.")
        if order is not None:
            return _to_order(order.number)
    return render(request, "backoffice/intake.html", {"form": form, "nav": "intake"})


@merchant_page
def order_list(request: AuthedRequest) -> HttpResponse:
    query, status = request.GET.get("q", ""), request.GET.get("status", "")
    orders = order_history(user=request.user, query=query,
                           status=status if status in OrderStatus.values else "")[:200]
    return render(request, "backoffice/orders.html", {
        "orders": orders, "q": query, "status": status, "statuses": OrderStatus.choices,
        "nav": "orders"})
