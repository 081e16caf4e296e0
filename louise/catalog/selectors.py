"""Reads for the catalogue: what the public sees, and what a shop's own staff may edit."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import Prefetch, QuerySet

from louise.accounts.models import Role
from louise.core.errors import NotFound

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


@lru_cache(maxsize=16)
def _public_holidays(region: str, year: int) -> holidays.HolidayBase:
    country, _, subdiv = region.partition("-")
    return holidays.country_holidays(country, subdiv=subdiv or None, years=year, language="de")


@dataclass(frozen=True)
class DayHours:
    day: date
    spans: list
    reason: str  # why the day differs from the weekly hours ("" if it does not)

    @property
    def closed(self) -> bool:
        return not self.spans


def merchant_hours_on(*, merchant: Merchant, day: date) -> DayHours:
    """A shop's hours on one date: its own exception first, then public holidays (if it
    closes on them), then the weekly hours."""
    exception = OpeningException.objects.filter(merchant=merchant, day=day).first()
    if exception is not None:
        return DayHours(day, [] if exception.closed else exception.hours,
                        exception.note or "Sonderöffnungszeit")
    holiday = _public_holidays(settings.LOUISE_HOLIDAY_REGION, day.year).get(day)
    if holiday and merchant.closed_on_holidays:
        return DayHours(day, [], str(holiday))
    return DayHours(day, merchant.opening_hours.get(str(day.weekday()), []), "")


def service_offer_get(*, service_id: int) -> ServiceOffer:
    """A bookable service, for the customer's booking page."""
    offer = ServiceOffer.objects.select_related("merchant").filter(
        pk=service_id, active=True, merchant__active=True).first()
    if offer is None:
        raise NotFound("Diese Dienstleistung gibt es nicht.")
    return offer


def catalog_image_visible(*, name: str, user) -> bool:
    """Shop and product photos are public while the shop takes part; before and after that
    only its own staff and the operator see them (the back office shows them)."""
    if not name:
        return False
    owners = {*Merchant.objects.filter(photos__image=name).values_list("pk", "active"),
              *Merchant.objects.filter(products__photo=name).values_list("pk", "active")}
    if not owners:
        return False
    if any(active for _pk, active in owners):
        return True
    return user.is_authenticated and (user.has_role(Role.OPERATOR) or (
        user.has_role(Role.MERCHANT) and user.merchant_id in {pk for pk, _a in owners}))
