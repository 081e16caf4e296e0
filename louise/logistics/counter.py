"""Deliveries a shop enters itself: bought at the counter, or ordered by phone or e-mail.

The recipient has no LOUISE account. The shop types a name, picks the address from a few
letters (`counter_address_suggestions`), says how many parcels of which size, and the
order is born packed: accepted and ready in one step, so its leg goes straight into
planning. Bought by the cut-off on a working day, it goes out the same evening.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from louise.accounts.access import require_role
from louise.accounts.models import Role, User
from louise.core.calendar import wave_for
from louise.core.errors import Invalid
from louise.core.validation import save_validated
from louise.geo.gazetteer import AddressPoint
from louise.geo.geocode import position_for_address
from louise.geo.selectors import active_zone_postcodes, street_suggestions
from louise.geo.services import address_create
from louise.orders.lifecycle import order_transition
from louise.orders.models import DeliveryMethod, EventKind, Order, OrderKind
from louise.orders.services import _new_number

# Parcel sizes a shopkeeper can judge by eye: (weight g, volume ml, bulky) per parcel.
SIZES = {
    "S": (2_000, 6_000, False),
    "M": (8_000, 25_000, False),
    "L": (20_000, 80_000, True),
}
SIZE_LABELS = {"S": _("klein (bis 2 kg, Schuhkarton)"),
               "M": _("mittel (bis 8 kg, Bananenkiste)"),
               "L": _("groß (bis 20 kg, sperrig)")}


def counter_address_suggestions(*, query: str, limit: int = 8) -> list[AddressPoint]:
    """Streets (or houses, once a number is typed) of the town's gazetteer that match what
    the shop typed, inside the active zones only: the shop cannot deliver anywhere else."""
    return street_suggestions(query=query, limit=limit, postcodes=active_zone_postcodes())


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
def counter_delivery_create(*, by: User, delivery: CounterDelivery,
                            now: datetime | None = None) -> Order:
    """A packed parcel from the shop to a door in the service area, planned like any other."""
    require_role(by, Role.MERCHANT)
    _check(delivery)
    now = now or timezone.now()
    street, postcode = " ".join(delivery.street.split()), delivery.postcode.strip()
    # The suggestion picked may stand for the whole street; the house has a place of its own.
    found = position_for_address(street=street, postcode=postcode,
                                 fallback=(delivery.lat, delivery.lon))
    address = address_create(street=street, postcode=postcode, city=delivery.city,
                             district=delivery.district, lat=found.lat, lon=found.lon,
                             recipient=delivery.recipient_name.strip(),
                             notes=delivery.notes.strip()[:200], precision=found.precision)
    weight, volume, bulky = SIZES[delivery.size]
    wave = wave_for(now)
    order = Order(
        number=_new_number(now), kind=OrderKind.GOODS, merchant=by.merchant, placed_by=by,
        recipient_name=delivery.recipient_name.strip(),
        recipient_phone=delivery.recipient_phone.strip(), delivery_method=DeliveryMethod.DOOR,
        address=address, wave_start=wave.start, wave_end=wave.end, placed_at=now,
        parcels=delivery.parcels, weight_g=weight * delivery.parcels,
        volume_ml=volume * delivery.parcels, cooled=delivery.cooled, bulky=bulky,
        notes=delivery.notes.strip()[:300],
    )
    save_validated(order, exclude=["number"])
    order.events.create(kind=EventKind.COUNTER, to_status=order.status, by=by)
    order_transition(order, "accept", by=by, now=now)
    order_transition(order, "mark_ready", by=by, now=now)  # its leg: logistics.reactions
    return order
