"""The basket pages. Adding to the basket works without an account (session basket)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from louise.core.errors import DomainError
from louise.orders.basket import basket_get, basket_set

from .common import next_url


def _quantity(request: HttpRequest) -> tuple[int, int] | None:
    try:
        return int(request.POST["product"]), int(request.POST.get("quantity", "1"))
    except (KeyError, ValueError):
        messages.error(request, _("Bitte eine Menge als Zahl angeben."))
        return None


def basket(request: HttpRequest) -> HttpResponse:
    """Public: the basket is the visitor's own session."""
    return render(request, "shop/basket.html", {"basket": basket_get(session=request.session)})


@require_POST
def basket_add(request: HttpRequest) -> HttpResponse:
    """Public: anyone may fill a basket; checkout asks them to sign in."""
    if (parsed := _quantity(request)) is not None:
        try:
            basket_set(session=request.session, product_id=parsed[0], quantity=parsed[1],
                       add=True)
            messages.success(request, _("In den Warenkorb gelegt."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect(next_url(request, "web:shop:basket"))


@require_POST
def basket_update(request: HttpRequest) -> HttpResponse:
    """Public: change or remove a line of the visitor's own basket."""
    if (parsed := _quantity(request)) is not None:
        try:
            basket_set(session=request.session, product_id=parsed[0], quantity=parsed[1])
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("web:shop:basket")
