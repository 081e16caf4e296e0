"""Checkout: a basket across several shops becomes one order per shop, sharing one delivery.

A `Checkout` holds what the orders share: the slot (one stop of its capacity), the delivery
fee (charged once, carried by the first order) and the idempotency key. Everything happens
in one transaction — mandate, slot, stock of every shop — so a basket is bought whole or not
at all, and a double click or a retried POST answers with the first checkout.

Lock order is always slot row, then products by (shop, product), so two checkouts cannot
deadlock each other.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from louise.accounts.access import require_role
from louise.accounts.models import Role
from louise.billing.selectors import mandate_active
from louise.billing.services import mandate_create
from louise.catalog.models import Product
from louise.core.errors import Invalid
from louise.core.images import image_upload
from louise.core.validation import save_validated

from .lockers import compartment_reserve
from .models import Checkout, DeliveryMethod, Order, OrderStatus
from .notifications import checkout_notify
from .services import Destination, LineRequest, order_place, service_book
from .slots import slot_reserve, wave_bookable
from .waves import Wave, waves_from

ENDED = (OrderStatus.CANCELLED, OrderStatus.DECLINED)


@dataclass(frozen=True)
class MandateRequest:
    """A new SEPA mandate given on the checkout page (holder and IBAN)."""

    holder: str
    iban: str


def delivery_fee(method: str) -> int:
    """The fee for one delivery by this method, in cents (a setting; 0 in the pilot)."""
    return settings.LOUISE_DELIVERY_FEES.get(method, 0)


def _existing(customer, key: str) -> Checkout | None:
    return Checkout.objects.filter(customer=customer, idempotency_key=key).first()


def _idempotent(customer, key: str, place) -> Checkout:
    """Run `place` once per key: a retry, sequential or concurrent, gets the first result."""
    require_role(customer, Role.CUSTOMER)
    if not key or len(key) > 64:
        raise Invalid("Das Formular ist abgelaufen. Bitte laden Sie die Seite neu.",
                      field="idempotency_key")
    if (existing := _existing(customer, key)) is not None:
        return existing
    try:
        return place()
    except IntegrityError:
        # A concurrent submit of the same form won; its transaction has committed.
        if (existing := _existing(customer, key)) is not None:
            return existing
        raise


def _start(customer, key: str, wave: Wave, mandate: MandateRequest | None,
           fee_cents: int, now: datetime) -> Checkout:
    """Mandate, slot and the checkout row: the shared part of every booking."""
    if mandate is not None:
        mandate_create(customer=customer, holder=mandate.holder, iban=mandate.iban)
    elif mandate_active(customer=customer) is None:
        raise Invalid("Bitte erteilen Sie ein SEPA-Lastschriftmandat.", field="iban",
                      code="mandate_missing")
    slot = slot_reserve(wave=wave)
    checkout = Checkout(reference=f"E{now:%y%m%d}-{secrets.token_hex(3).upper()}",
                        customer=customer, idempotency_key=key, slot=slot,
                        fee_cents=fee_cents, created_at=now)
    # The key's uniqueness is left to the database: a concurrent duplicate must surface as
    # IntegrityError so `_idempotent` can answer with the first checkout.
    return save_validated(checkout, exclude=["reference", "idempotency_key"])


def checkout_place(*, customer, lines: list[LineRequest], destination: Destination,
                   slot_start: str, idempotency_key: str,
                   mandate: MandateRequest | None = None, notes: str = "",
                   now: datetime | None = None) -> Checkout:
    """Buy the basket: one order per shop, one delivery, one fee."""
    now = now or timezone.now()

    @transaction.atomic
    def place() -> Checkout:
        if not lines:
            raise Invalid("Ihr Warenkorb ist leer.", field="lines")
        wave = wave_bookable(start=slot_start, now=now)
        fee = delivery_fee(destination.method)
        checkout = _start(customer, idempotency_key, wave, mandate, fee, now)
        shop_of = dict(Product.objects.filter(pk__in={line.product_id for line in lines})
                       .values_list("pk", "merchant_id"))
        if missing := {line.product_id for line in lines} - set(shop_of):
            raise Invalid(f"Produkt {min(missing)} gibt es nicht mehr.", field="lines")
        for merchant_id in sorted(set(shop_of.values())):
            order = order_place(
                customer=customer, merchant_id=merchant_id,
                lines=[line for line in lines if shop_of[line.product_id] == merchant_id],
                destination=destination, notes=notes, now=now, wave=wave, checkout=checkout,
                fee_cents=fee)
            if order.delivery_method == DeliveryMethod.LOCKER:
                compartment_reserve(order=order)
            fee = 0  # one delivery, one fee
        checkout_notify(checkout)
        return checkout

    return _idempotent(customer, idempotency_key, place)


def service_request(*, customer, service_id: int, address_id: int, item_description: str,
                    slot_start: str, idempotency_key: str, photo: UploadedFile | None = None,
                    mandate: MandateRequest | None = None,
                    now: datetime | None = None) -> Checkout:
    """Book a service with a pickup at the door in a chosen slot (a checkout of one order)."""
    now = now or timezone.now()
    # Checked and re-encoded before anything is booked (see core.images).
    picture = image_upload(photo) if photo is not None else None

    @transaction.atomic
    def place() -> Checkout:
        wave = wave_bookable(start=slot_start, now=now)
        fee = delivery_fee(DeliveryMethod.DOOR)
        checkout = _start(customer, idempotency_key, wave, mandate, fee, now)
        index = [w.start for w in waves_from(now, settings.LOUISE_BOOKABLE_WAVES)].index(
            wave.start)
        order = service_book(customer=customer, service_id=service_id, address_id=address_id,
                             item_description=item_description, wave_index=index, now=now)
        order.checkout, order.fee_cents = checkout, fee
        if picture is not None:
            order.item_photo.save("gegenstand.jpg", picture, save=False)
        order.save(update_fields=["checkout", "fee_cents", "item_photo"])
        checkout_notify(checkout)
        return checkout

    return _idempotent(customer, idempotency_key, place)


def checkout_live_orders(checkout: Checkout) -> list[Order]:
    return [o for o in checkout.orders.all() if o.status not in ENDED]
