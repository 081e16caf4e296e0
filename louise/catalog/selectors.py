"""Reads for the catalogue: what the public sees, and what a shop's own staff may edit."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from louise.accounts.models import Role
from louise.core.errors import NotFound
from louise.core.hours import DayHours, hours_on

from .models import Merchant, OpeningException, Product, ServiceOffer


def merchant_list(*, category: str | None = None) -> QuerySet[Merchant]:
    qs = Merchant.objects.filter(active=True)
    return qs.filter(category=category) if category else qs


def merchant_get(*, slug: str) -> Merchant:
    merchant = (
        Merchant.objects.filter(active=True, slug=slug)
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.filter(active=True)),
            Prefetch("services", queryset=ServiceOffer.objects.filter(active=True)),
        )
        .first()
    )
    if merchant is None:
        raise NotFound(f"Geschäft „{slug}“ gibt es nicht.")
    return merchant


def _staff_merchant_id(user) -> int | None:
    """The shop a person works for, or None: only active merchant staff have one."""
    if not user.is_authenticated or not user.has_role(Role.MERCHANT):
        return None
    return user.merchant_id


def products_of_staff(*, user) -> QuerySet[Product]:
    return Product.objects.filter(merchant_id=_staff_merchant_id(user)).order_by("name")


def services_of_staff(*, user) -> QuerySet[ServiceOffer]:
    return ServiceOffer.objects.filter(merchant_id=_staff_merchant_id(user)).order_by("name")


def product_for_staff(*, user, product_id: int) -> Product:
    product = products_of_staff(user=user).filter(pk=product_id).first()
    if product is None:
        raise NotFound("Dieses Produkt gibt es in Ihrem Geschäft nicht.")
    return product


def service_for_staff(*, user, service_id: int) -> ServiceOffer:
    service = services_of_staff(user=user).filter(pk=service_id).first()
    if service is None:
        raise NotFound("Diese Dienstleistung gibt es in Ihrem Geschäft nicht.")
    return service


def merchant_hours_on(*, merchant: Merchant, day: date) -> DayHours:
    """A shop's hours on one date: its own exception first, then public holidays (if it
    closes on them), then the weekly hours."""
    exception = OpeningException.objects.filter(merchant=merchant, day=day).first()
    if exception is not None:
        return DayHours(day, [] if exception.closed else exception.hours,
                        exception.note or "Sonderöffnungszeit")
    return hours_on(merchant.opening_hours, day, closed_on_holidays=merchant.closed_on_holidays)


def service_offer_get(*, service_id: int) -> ServiceOffer:
    """A bookable service, for the customer's booking page."""
    offer = ServiceOffer.objects.select_related("merchant").filter(
        pk=service_id, active=True, merchant__active=True).first()
    if offer is None:
        raise NotFound("Diese Dienstleistung gibt es nicht.")
    return offer
