"""Reads for the catalogue: what the public sees."""

from django.db.models import Prefetch, QuerySet

from louise.core.errors import NotFound

from .models import Merchant, Product, ServiceOffer


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
