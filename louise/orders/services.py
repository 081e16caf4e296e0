"""Writes for orders: placing, booking a service, and the shop's decisions.

Placing an order reserves stock with a conditional `UPDATE … WHERE stock >= n`, so two
customers racing for the last item cannot both win, and is idempotent per customer and
key, so a double click makes one order.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from louise.accounts.access import ON_BEHALF, require_role, visible_to
from louise.accounts.models import Role, User
from louise.billing.selectors import mandate_active
from louise.catalog.models import Merchant, Product, ServiceOffer
from louise.core.calendar import Wave, wave_for, waves_from
from louise.core.errors import Conflict, Forbidden, Invalid, NotFound
from louise.core.validation import save_validated
from louise.geo.models import Address, Locker, PickupPoint

from .lifecycle import order_transition
from .models import (
    BEFORE_FIRST_PICKUP,
    DeliveryMethod,
    EventKind,
    Order,
    OrderKind,
    OrderLine,
)
from .quotes import require_no_pending_quote
from .selectors import order_for_merchant_staff
from .slots import slot_release_for


@dataclass(frozen=True)
class LineRequest:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class Destination:
    method: str
    address_id: int | None = None
    pickup_point_id: int | None = None
    locker_id: int | None = None


def _new_number(now: datetime) -> str:
    return f"B{now:%y%m%d}-{secrets.token_hex(3).upper()}"


def _resolve_destination(dest: Destination, customer: User) -> dict:
    if dest.method not in DeliveryMethod.values:
        raise Invalid(f"Unbekannte Zustellart „{dest.method}“.", field="method")
    if dest.method == DeliveryMethod.DOOR:
        address = (visible_to(Address, customer).filter(pk=dest.address_id).first()
                   if dest.address_id is not None else None)
        if address is None:
            raise Invalid("Diese Lieferadresse gibt es in Ihrem Konto nicht.", field="address_id")
        if address.zone is None or not address.zone.active:
            raise Invalid("Diese Adresse liegt außerhalb des Liefergebiets.",
                          field="address_id", code="outside_service_area")
        return {"address": address}
    if dest.method == DeliveryMethod.POINT:
        point = (PickupPoint.objects.filter(pk=dest.pickup_point_id, active=True).first()
                 if dest.pickup_point_id is not None else None)
        if point is None:
            raise Invalid("Diese Abholstelle gibt es nicht.", field="pickup_point_id")
        return {"pickup_point": point}
    locker = (Locker.objects.filter(pk=dest.locker_id, active=True).first()
              if dest.locker_id is not None else None)
    if locker is None:
        raise Invalid("Diese Paketstation gibt es nicht.", field="locker_id")
    return {"locker": locker}


def _existing(customer: User, idempotency_key: str) -> Order | None:
    if not idempotency_key:
        return None
    return Order.objects.filter(customer=customer, idempotency_key=idempotency_key).first()


def order_place(*, customer: User, merchant_id: int, lines: list[LineRequest],
                destination: Destination, idempotency_key: str = "", notes: str = "",
                placed_by: User | None = None,
                now: datetime | None = None, wave: Wave | None = None, checkout=None,
                fee_cents: int = 0) -> Order:
    """Place one order at one shop; retried with the same key, it returns the first order.
    A multi-shop checkout (`louise.orders.checkout`) passes its chosen wave, itself and the
    delivery fee, which only its first order carries."""
    require_role(customer, Role.CUSTOMER)
    if len(idempotency_key) > 64:
        raise Invalid("Idempotenzschlüssel ist zu lang (höchstens 64 Zeichen).",
                      field="idempotency_key")
    if (existing := _existing(customer, idempotency_key)) is not None:
        return existing
    try:
        now = now or timezone.now()
        return _order_place(customer, merchant_id, lines, destination, idempotency_key, notes,
                            placed_by, now, wave or wave_for(now), checkout, fee_cents)
    except IntegrityError:
        # A concurrent retry with the same key won the race; answer with its order.
        if (existing := _existing(customer, idempotency_key)) is not None:
            return existing
        raise


@transaction.atomic
def _order_place(customer: User, merchant_id, lines, destination, idempotency_key, notes, placed_by,
                 now, wave, checkout, fee_cents) -> Order:
    merchant = Merchant.objects.filter(pk=merchant_id, active=True).first()
    if merchant is None:
        raise Invalid("Dieses Geschäft gibt es nicht.", field="merchant_id")
    if not lines:
        raise Invalid("Der Warenkorb ist leer.", field="lines")
    wanted: dict[int, int] = {}
    for line in lines:
        if line.quantity < 1:
            raise Invalid("Die Menge muss mindestens 1 sein.", field="quantity")
        wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    products = {p.pk: p for p in Product.objects.filter(pk__in=wanted, merchant=merchant,
                                                        active=True)}
    if missing := sorted(set(wanted) - set(products)):
        raise Invalid(f"Produkt {missing[0]} gibt es in diesem Geschäft nicht.", field="lines")
    for product_id, quantity in sorted(wanted.items()):
        taken = Product.objects.filter(pk=product_id, stock__gte=quantity).update(
            stock=F("stock") - quantity)
        if not taken:
            stock = Product.objects.values_list("stock", flat=True).get(pk=product_id)
            raise Conflict(f"„{products[product_id].name}“: nur noch {stock} Stück vorrätig.",
                           code="out_of_stock")
    order = Order(
        number=_new_number(now), kind=OrderKind.GOODS, customer=customer, merchant=merchant,
        checkout=checkout, fee_cents=fee_cents, placed_by=placed_by,
        recipient_name=customer.display_name, recipient_phone=customer.phone,
        delivery_method=destination.method, wave_start=wave.start, wave_end=wave.end, placed_at=now,
        subtotal_cents=sum(products[p].price_cents * q for p, q in wanted.items()),
        weight_g=sum(products[p].weight_g * q for p, q in wanted.items()),
        volume_ml=sum(products[p].volume_ml * q for p, q in wanted.items()),
        cooled=any(products[p].cooled for p in wanted), bulky=any(products[p].bulky
                                                                 for p in wanted),
        mandate=mandate_active(customer=customer), idempotency_key=idempotency_key,
        notes=notes, **_resolve_destination(destination, customer),
    )
    save_validated(order, exclude=["number", "idempotency_key"])  # key: the DB decides
    OrderLine.objects.bulk_create(
        OrderLine(order=order, product=products[p], name=products[p].name, quantity=q,
                  unit_price_cents=products[p].price_cents, vat_rate=products[p].vat_rate)
        for p, q in wanted.items()
    )
    order.events.create(kind=EventKind.PLACED, to_status=order.status, by=placed_by or customer)
    return order


@transaction.atomic
def service_book(*, customer: User, service_id: int, address_id: int, item_description: str,
                 wave_index: int = 0, idempotency_key: str = "", placed_by=None,
                 now: datetime | None = None) -> Order:
    """Book a service on the customer's item, fetched at their door in a chosen wave."""
    require_role(customer, Role.CUSTOMER)
    if (existing := _existing(customer, idempotency_key)) is not None:
        return existing
    now = now or timezone.now()
    offer = ServiceOffer.objects.select_related("merchant").filter(
        pk=service_id, active=True, merchant__active=True).first()
    if offer is None:
        raise Invalid("Diese Dienstleistung gibt es nicht.", field="service_id")
    if not item_description.strip():
        raise Invalid("Bitte beschreiben Sie den Gegenstand.", field="item_description")
    if not 0 <= wave_index < 10:
        raise Invalid("Dieser Abholtermin ist nicht buchbar.", field="wave_index")
    wave = waves_from(now, wave_index + 1)[wave_index]
    dest = _resolve_destination(Destination(DeliveryMethod.DOOR, address_id=address_id), customer)
    order = Order(
        number=_new_number(now), kind=OrderKind.SERVICE, customer=customer,
        merchant=offer.merchant, placed_by=placed_by, recipient_name=customer.display_name,
        recipient_phone=customer.phone, delivery_method=DeliveryMethod.DOOR,
        wave_start=wave.start, wave_end=wave.end, placed_at=now,
        subtotal_cents=offer.price_cents or 0, weight_g=offer.weight_g,
        volume_ml=offer.volume_ml, mandate=mandate_active(customer=customer),
        idempotency_key=idempotency_key, item_description=item_description.strip(), **dest,
    )
    save_validated(order, exclude=["number", "idempotency_key"])  # key: the DB decides
    OrderLine.objects.create(order=order, service=offer, name=offer.name, quantity=1,
                             unit_price_cents=offer.price_cents or 0, vat_rate=offer.vat_rate)
    order.events.create(kind=EventKind.BOOKED, to_status=order.status, by=placed_by or customer)
    return order


def _locked_for_staff(order_number: str, by: User) -> Order:
    require_role(by, Role.MERCHANT)
    order = order_for_merchant_staff(number=order_number, user=by)
    return (Order.objects.select_for_update(of=("self",))
            .select_related("merchant", "address__zone").get(pk=order.pk))


@transaction.atomic
def order_accept(*, order_number: str, by: User, now: datetime | None = None) -> Order:
    order = _locked_for_staff(order_number, by)
    return order_transition(order, "accept", by=by, now=now)


@transaction.atomic
def order_decline(*, order_number: str, by: User, reason: str) -> Order:
    if not reason.strip():
        raise Invalid("Bitte einen Grund für die Ablehnung angeben.", field="reason")
    order = _locked_for_staff(order_number, by)
    order_transition(order, "decline", by=by, note=reason.strip()[:300])
    order.decline_reason = reason.strip()[:200]
    order.save(update_fields=["decline_reason"])
    _restock(order)
    slot_release_for(order)
    return order


@transaction.atomic
def order_mark_ready(*, order_number: str, by: User, parcels: int | None = None,
                     now: datetime | None = None) -> Order:
    """Goods packed, or service done: either way the parcel can now be collected (the legs
    follow in `louise.logistics.reactions`)."""
    now = now or timezone.now()
    order = _locked_for_staff(order_number, by)
    require_no_pending_quote(order)
    if parcels is not None:
        if not 1 <= parcels <= 20:
            raise Invalid("Anzahl Pakete muss zwischen 1 und 20 liegen.", field="parcels")
        order.parcels = parcels
        order.save(update_fields=["parcels"])
    return order_transition(order, "mark_ready", by=by, now=now)


@transaction.atomic
def order_cancel(*, order_number: str, by: User) -> Order:
    """The customer (or the hotline for them) cancels while nothing is on its way."""
    require_role(by, Role.CUSTOMER, *ON_BEHALF)
    order = visible_to(Order.objects.select_for_update(), by).filter(number=order_number).first()
    if order is None:
        raise NotFound(f"Bestellung {order_number} gibt es nicht.")
    if order.kind == OrderKind.SERVICE and order.status not in BEFORE_FIRST_PICKUP[order.kind]:
        raise Forbidden("Der Gegenstand ist schon unterwegs; bitte wenden Sie sich an das "
                        "Geschäft.")
    order_transition(order, "cancel", by=by)
    _restock(order)
    slot_release_for(order)
    return order


def _restock(order: Order) -> None:
    for line in order.lines.filter(product__isnull=False):
        assert line.product_id is not None  # the filter above
        Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity)
