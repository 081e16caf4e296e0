"""Cached reads of the public catalogue, and their invalidation on every change.

The shop's busiest pages (the shop list, a shop's page, search) read the same few rows for
every visitor. Their *data* is cached (Django's cache: local memory per process by default,
Redis when `LOUISE_REDIS_URL` is set), never whole pages: the pages differ per visitor (the
basket count, the buttons a customer sees and staff do not, CSRF tokens, messages).

Each key carries the catalogue's version (`CatalogVersion`), which every write to a shop,
product, service, opening exception, shop photo or town changes inside the writing
transaction (the signals below, so the services, the back office's CSV import and Django's
admin are all covered). A reader reads the version first and the rows after it, so data
is never stored under a newer version than it was read at, and a change is seen on the
next request by every web process. Stock is not cached at all: every checkout changes it
(with an `UPDATE`, no signal), so the pages read it fresh (`stock_refresh`).
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from louise.geo.models import Town

from .models import CatalogVersion, Merchant, MerchantPhoto, OpeningException, Product, ServiceOffer

# Old versions' entries are never read again; they go when they expire or are culled.
TIMEOUT = 60 * 60
WATCHED: tuple[type[Model], ...] = (Merchant, Product, ServiceOffer, OpeningException,
                                    MerchantPhoto, Town)


def catalog_version() -> str:
    """The catalogue's current version ("" before its first change)."""
    return CatalogVersion.objects.values_list("token", flat=True).first() or ""


def catalog_changed() -> None:
    """Give the catalogue a new version: every cached read made before is left behind.
    Called by the signals below; a bulk `update()` of catalogue rows must call it itself."""
    token = secrets.token_hex(8)
    if not CatalogVersion.objects.filter(pk=1).update(token=token):
        CatalogVersion.objects.update_or_create(pk=1, defaults={"token": token})


def catalog_cached[T](key: str, build: Callable[[str], T]) -> T:
    """`build(version)`'s value, cached under `key` for the catalogue's current version.
    `build` is given that version to keep in what it makes, so a page can key its cached
    fragments by it (`{% cache … page.version %}`) without asking the database again."""
    version = catalog_version()
    full = f"catalog:{version}:{hashlib.sha1(key.encode()).hexdigest()}"
    value = cache.get(full)
    if value is None:
        value = build(version)
        cache.set(full, value, TIMEOUT)
    return value


def stock_refresh(products: Iterable[Product]) -> None:
    """Put the current stock into cached products (one query): a checkout may have sold
    the last one a second ago."""
    products = list(products)
    if not products:
        return
    stock = dict(Product.objects.filter(pk__in=[p.pk for p in products])
                 .values_list("pk", "stock"))
    for product in products:
        product.stock = stock.get(product.pk, 0)


def _changed(**_kwargs) -> None:
    catalog_changed()


for _model in WATCHED:
    post_save.connect(_changed, sender=_model, dispatch_uid=f"catalog-cache-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model,
                        dispatch_uid=f"catalog-cache-delete-{_model.__name__}")
