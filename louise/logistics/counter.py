"""Deliveries a shop enters itself: bought at the counter, or ordered by phone or e-mail.

The recipient has no LOUISE account. The shop types a name, picks the address from a few
letters (`counter_address_suggestions`), says how many parcels of which size, and the
order goes through the checkout like any other (a stop of the wave's capacity, the fee rule:
the shop pays, so no mandate is needed) and is then born packed: accepted and ready in one
step, so its leg goes straight into planning (`logistics.reactions`). Bought by the cut-off
on a working day, it goes out the same evening.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from louise.core.errors import Invalid
from louise.geo.gazetteer import AddressPoint
from louise.geo.models import Town
from louise.geo.selectors import active_zone_postcodes, street_suggestions
from louise.orders.checkout import Load, Recipient, counter_place
from louise.orders.lifecycle import order_transition
from louise.orders.models import Order, OrderStatus

# Parcel sizes a shopkeeper can judge by eye: (weight g, volume ml, bulky) per parcel.
SIZES = {
    "S": (2_000, 6_000, False),
    "M": (8_000, 25_000, False),
    "L": (20_000, 80_000, True),
}
SIZE_LABELS = {"S": _("klein (bis 2 kg, Schuhkarton)"),
               "M": _("mittel (bis 8 kg, Bananenkiste)"),
               "L": _("groß (bis 20 kg, sperrig)")}


def counter_address_suggestions(*, query: str, town: Town, limit: int = 8
                                ) -> list[AddressPoint]:
    """Streets (or houses, once a number is typed) of the gazetteer that match what the
    shop typed, inside the active zones of the shop's town only: the shop cannot deliver
    anywhere else."""
    return street_suggestions(query=query, limit=limit, postcodes=active_zone_postcodes(town))


@dataclass(frozen=True)
class CounterDelivery:
    recipient_name: str
    street: str
    postcode: str
    lat: float
    lon: float
    parcels: int = 1
    size: str = "S"
    recipient_phone: str = ""
    city: str = "Bottrop"
    district: str = ""
    cooled: bool = False
    notes: str = ""


def _check(delivery: CounterDelivery) -> None:
    if not delivery.recipient_name.strip():
        raise Invalid("Bitte den Namen des Empfängers angeben.", field="recipient_name")
    if not any(ch.isdigit() for ch in delivery.street):
        raise Invalid("Bitte die Hausnummer angeben.", field="street")
    if delivery.size not in SIZES:
        raise Invalid("Bitte eine Paketgröße wählen.", field="size")
    if not 1 <= delivery.parcels <= 20:
        raise Invalid("Anzahl Pakete muss zwischen 1 und 20 liegen.", field="parcels")


@transaction.atomic
def counter_delivery_create(*, by, delivery: CounterDelivery, idempotency_key: str = "",
                            now: datetime | None = None) -> Order:
    """A packed parcel from the shop to a door in the service area, planned like any other.
    The form's key makes a double click one delivery; without one, every call is new."""
    _check(delivery)
    now = now or timezone.now()
    weight, volume, bulky = SIZES[delivery.size]
    checkout = counter_place(
        by=by, idempotency_key=idempotency_key or secrets.token_urlsafe(24), now=now,
        recipient=Recipient(name=delivery.recipient_name, street=delivery.street,
                            postcode=delivery.postcode, lat=delivery.lat, lon=delivery.lon,
                            phone=delivery.recipient_phone, city=delivery.city,
                            district=delivery.district, notes=delivery.notes),
        load=Load(weight_g=weight * delivery.parcels, volume_ml=volume * delivery.parcels,
                  cooled=delivery.cooled, bulky=bulky, parcels=delivery.parcels))
    order = checkout.orders.get()
    if order.status == OrderStatus.PLACED:  # not a retried form
        order_transition(order, "accept", by=by, now=now)
        order_transition(order, "mark_ready", by=by, now=now)  # its leg: logistics.reactions
    return order
