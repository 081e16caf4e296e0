"""GDPR: a customer can take all their data with them, and can have it erased.

Erasure keeps the orders, because the shops need them for their books (amounts, items,
dates), but cuts every link to the person: name, phone, notes, item descriptions and photos
go, the delivery address is reduced to its postcode area, the snapshots the couriers' legs
and proofs hold are blanked, and the account with its addresses and mandates is deleted.
"""

from typing import Any

from django.db import transaction

from louise.accounts.access import require_role
from louise.accounts.models import NotificationPreferences, Role, User
from louise.billing.ledger import customer_balance
from louise.core.errors import Conflict
from louise.geo.geocode import position_for_postcode
from louise.geo.models import Address
from louise.logistics.models import Leg, Proof
from louise.orders.models import FINISHED, Order

ERASED = "gelöscht"


def _when(value) -> str | None:
    return value.isoformat() if value else None


def customer_data_export(*, user: User) -> dict[str, Any]:
    """Everything LOUISE stores about the customer, as one JSON-ready document."""
    require_role(user, Role.CUSTOMER)
    prefs = NotificationPreferences.objects.filter(user=user).first()
    orders = (Order.objects.filter(customer=user).select_related("merchant", "checkout")
              .prefetch_related("lines", "events").order_by("placed_at"))
    return {
        "konto": {"benutzername": user.username, "e_mail": user.email,
                  "vorname": user.first_name, "nachname": user.last_name, "telefon": user.phone,
                  "registriert_am": _when(user.date_joined),
                  "zuletzt_angemeldet": _when(user.last_login)},
        "benachrichtigungen": {f: getattr(prefs, f) if prefs else True
                               for f in ("confirmed", "on_its_way", "delivered", "failed",
                                         "locker_code")},
        "adressen": [{"bezeichnung": a.label, "strasse": a.street, "plz": a.postcode,
                      "ort": a.city, "hinweise": a.notes, "breite": a.lat, "laenge": a.lon}
                     for a in user.addresses.all()],
        "sepa_mandate": [{"referenz": m.reference, "kontoinhaber": m.holder, "iban": m.iban,
                          "bic": m.bic, "erteilt_am": _when(m.signed_at), "gueltig": m.active}
                         for m in user.mandates.all()],
        "bestellungen": [{
            "nummer": o.number, "einkauf": o.checkout.reference if o.checkout else None,
            "art": o.kind, "geschaeft": o.merchant.name, "status": o.status,
            "bestellt_am": _when(o.placed_at), "zustellung": o.delivery_method,
            "ziel": str(o.destination), "lieferwelle": [_when(o.wave_start), _when(o.wave_end)],
            "warenwert_cent": o.subtotal_cents, "liefergebuehr_cent": o.fee_cents,
            "hinweise": o.notes, "gegenstand": o.item_description,
            "positionen": [{"artikel": line.name, "menge": line.quantity,
                            "einzelpreis_cent": line.unit_price_cents}
                           for line in o.lines.all()],
            "verlauf": [{"am": _when(e.at), "ereignis": e.kind, "status": e.to_status,
                         "notiz": e.note}
                        for e in o.events.all()],
        } for o in orders],
    }


@transaction.atomic
def customer_erase(*, user: User) -> None:
    """Delete the account; refused while an order is still under way."""
    require_role(user, Role.CUSTOMER)
    orders = Order.objects.select_for_update().filter(customer=user)
    if orders.exclude(status__in=FINISHED).exists():
        raise Conflict("Sie haben noch laufende Bestellungen. Bitte warten Sie, bis sie "
                       "zugestellt sind, oder stornieren Sie sie.", code="orders_open")
    if customer_balance(user.pk):
        raise Conflict("Auf Ihrem Konto sind noch Beträge offen (Lastschrift oder Gutschrift). "
                       "Bitte wenden Sie sich an die Hotline, damit wir sie ausgleichen "
                       "können.", code="balance_open")
    order_ids = list(orders.values_list("pk", flat=True))
    for order in orders.exclude(item_photo=""):
        order.item_photo.delete(save=False)
    orders.update(recipient_name=ERASED, recipient_phone="", notes="", item_description="",
                  item_photo="", mandate=None)
    used = set(Order.objects.filter(pk__in=order_ids, address__isnull=False)
               .values_list("address_id", flat=True))
    for address in Address.objects.filter(pk__in=used):
        address.lat, address.lon = position_for_postcode(address.postcode)
        address.owner, address.street, address.recipient = None, ERASED, ""
        address.label = address.notes = ""
        address.save()
    refs = [f"address:{pk}" for pk in used]
    legs = Leg.objects.filter(order_id__in=order_ids)
    legs.filter(pickup_ref__in=refs).update(pickup_label=ERASED)
    legs.filter(drop_ref__in=refs).update(drop_label=ERASED)
    for proof in Proof.objects.filter(stop__leg__order_id__in=order_ids).exclude(photo=""):
        proof.photo.delete(save=False)
    Proof.objects.filter(stop__leg__order_id__in=order_ids).update(
        recipient_name="", signature_svg="", photo="")
    user.delete()
