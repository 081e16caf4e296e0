"""Writes for the catalogue."""

from django.db import transaction
from django.utils.text import slugify

from louise.core.validation import save_validated

from .models import Merchant, Product, ServiceOffer


@transaction.atomic
def merchant_create(*, name: str, category: str, street: str, postcode: str, lat: float,
                    lon: float, district: str = "", opening_hours: dict | None = None,
                    **fields) -> Merchant:
    merchant = Merchant(name=name, slug=slugify(name), category=category, street=street,
                        postcode=postcode, lat=lat, lon=lon, district=district,
                        opening_hours=opening_hours or {}, **fields)
    return save_validated(merchant)


@transaction.atomic
def product_create(*, merchant: Merchant, name: str, price_cents: int, **fields) -> Product:
    return save_validated(Product(merchant=merchant, name=name, price_cents=price_cents, **fields))


@transaction.atomic
def service_offer_create(*, merchant: Merchant, name: str, **fields) -> ServiceOffer:
    return save_validated(ServiceOffer(merchant=merchant, name=name, **fields))
