"""API for orders: customers place and follow them, shops accept, decline and pack them.
Placing goes through the same checkout as the web shop (`louise.orders.checkout`)."""

import secrets
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Header, Router, Schema, Status

from louise.accounts.access import has_role
from louise.accounts.models import Role, User
from louise.api.accounts import MandateIn
from louise.api.auth import AUTH, AuthedRequest
from louise.api.errors import ERRORS
from louise.catalog.selectors import service_offer_get
from louise.core.errors import Forbidden, Invalid, NotFound
from louise.core.validation import RowId
from louise.geo.models import Town
from louise.geo.selectors import town_public
from louise.hotline.selectors import basket_town
from louise.hotline.services import hotline_checkout
from louise.orders import checkout, services
from louise.orders.models import Channel, Checkout, Order
from louise.orders.selectors import order_get, orders_visible_to
from louise.orders.slots import bookable_wave_start, slot_choices

router = Router(tags=["Bestellungen"], auth=AUTH)


class LineIn(Schema):
    product_id: RowId
    quantity: int = Field(ge=1, le=99)


class DestinationIn(Schema):
    method: str = Field(pattern="^(door|point|locker)$")
    address_id: RowId | None = None
    pickup_point_id: RowId | None = None
    locker_id: RowId | None = None


SLOT_START = Field(default=None, description=(
    "Beginn der gewählten Lieferwelle (ISO 8601 mit Zeitzone, wie `GET /slots` ihn nennt); "
    "ohne: die erste buchbare Welle. Eine volle Welle wird mit 409 `slot_full` abgelehnt, "
    "eine nicht mehr buchbare mit 400 `slot_gone`."))
MANDATE = Field(default=None, description=(
    "Ein neues SEPA-Lastschriftmandat (Kontoinhaber, IBAN); ohne eines und ohne gültiges "
    "Mandat im Konto: 400 `mandate_missing`."))


class OrderIn(Schema):
    merchant_id: RowId | None = Field(default=None, description=(
        "Alle Positionen müssen Produkte dieses Geschäfts sein. Ohne: ein Einkauf über "
        "mehrere Geschäfte, eine Bestellung je Geschäft, eine Lieferung, eine Gebühr."))
    lines: list[LineIn] = Field(min_length=1, max_length=50)
    destination: DestinationIn
    slot_start: datetime | None = SLOT_START
    mandate: MandateIn | None = MANDATE
    notes: str = Field(default="", max_length=300)
    customer_id: RowId | None = Field(default=None, description=(
        "Nur für die Hotline: die Kundin / der Kunde ihrer Stadt, für die sie bestellt "
        "(Pflicht für die Hotline; andere Rollen bestellen nur für sich)."))


class ServiceBookingIn(Schema):
    service_id: RowId
    address_id: RowId
    item_description: str = Field(min_length=3, max_length=2000)
    slot_start: datetime | None = SLOT_START
    wave_index: int = Field(
        default=0, ge=0, le=9, json_schema_extra={"deprecated": True},
        description="Veraltet, statt `slot_start`: die wievielte buchbare Welle (0: die erste).")
    mandate: MandateIn | None = MANDATE


class LineOut(Schema):
    name: str
    quantity: int
    unit_price_cents: int
    vat_rate: int


class EventOut(Schema):
    at: datetime
    kind: str
    label: str
    to_status: str
    note: str


class OrderOut(Schema):
    number: str
    kind: str
    status: str
    status_label: str = Field(alias="get_status_display")
    merchant: str = Field(alias="merchant.name")
    delivery_method: str
    wave_start: datetime
    wave_end: datetime
    subtotal_cents: int
    fee_cents: int
    total_cents: int
    parcels: int


class CheckoutOut(Schema):
    reference: str
    fee_cents: int
    slot_start: datetime = Field(alias="slot.start")
    orders: list[OrderOut] = Field(alias="orders.all", description=(
        "Alle Bestellungen des Einkaufs, eine je Geschäft"))


class OrderDetailOut(OrderOut):
    recipient_name: str
    item_description: str
    decline_reason: str
    locker_compartment: int | None = Field(description="Das reservierte Fach (Paketstation)")
    lines: list[LineOut] = Field(alias="lines.all")
    events: list[EventOut] = Field(alias="events.all")
    checkout: CheckoutOut | None

    @staticmethod
    def resolve_locker_compartment(order: Order) -> int | None:
        compartment = getattr(order, "compartment", None)
        return compartment.number if compartment else None


class DeclineIn(Schema):
    reason: str = Field(min_length=3, max_length=200)


class ReadyIn(Schema):
    parcels: int | None = Field(default=None, ge=1, le=20)


IDEMPOTENCY = Header(default="", alias="Idempotency-Key", max_length=64, description=(
    "Optional. Ein erneuter Aufruf mit demselben Schlüssel antwortet mit dem ersten Einkauf "
    "(201) und bucht nichts doppelt. Ohne Schlüssel ist jeder Aufruf eine neue Bestellung."))
PLACED = (
    "Geht durch dieselbe Kasse wie der Web-Shop: buchbare Lieferwelle und ein Stopp ihrer "
    "Kapazität (409 `slot_full`), Liefergebühr, SEPA-Mandat (400 `mandate_missing`), "
    "für eine Paketstation ein freies Fach (409 `locker_full`). Antwort: die (erste) "
    "Bestellung, unter `checkout` der ganze Einkauf.")


def _key(idempotency_key: str) -> str:
    """The client's key, or a fresh one: the call is then valid but not idempotent."""
    return idempotency_key or secrets.token_urlsafe(24)


def _mandate(data: MandateIn | None) -> checkout.MandateRequest | None:
    return checkout.MandateRequest(data.holder, data.iban) if data else None


def _placed(done, user) -> Status:
    first = done.orders.order_by("merchant_id", "pk").first()
    return Status(201, order_get(number=first.number, user=user))


@router.post("/orders", response={201: OrderDetailOut, **ERRORS}, description=PLACED)
def order_place(request: AuthedRequest, data: OrderIn, idempotency_key: str = IDEMPOTENCY):
    if has_role(request.auth, Role.HOTLINE):
        return _placed(_hotline_place(request.auth, data, _key(idempotency_key)),
                       request.auth)
    if data.customer_id is not None and data.customer_id != request.auth.pk:
        raise Forbidden("Nur die Hotline bestellt für andere.")
    done = checkout.checkout_place(
        customer=request.auth, channel=Channel.API, merchant_id=data.merchant_id,
        lines=[checkout.LineRequest(**line.dict()) for line in data.lines],
        destination=checkout.Destination(**data.destination.dict()),
        slot_start=data.slot_start.isoformat() if data.slot_start else None,
        mandate=_mandate(data.mandate), idempotency_key=_key(idempotency_key), notes=data.notes)
    return _placed(done, request.auth)


def _hotline_place(agent: User, data: OrderIn, key: str) -> Checkout:
    """The hotline orders for a customer of its town (the town of the basket's shops),
    through the hotline's own service (audited as by the agent for the customer)."""
    if data.customer_id is None:
        raise Invalid("Bitte angeben, für wen die Hotline bestellt.", field="customer_id")
    if data.mandate is not None:
        raise Invalid("Die Hotline erfasst Mandate nur auf Papier, nicht mit der Bestellung.",
                      field="mandate")
    return hotline_checkout(
        agent=agent, town=basket_town(product_ids=[line.product_id for line in data.lines]),
        customer_id=data.customer_id,
        lines=[checkout.LineRequest(**line.dict()) for line in data.lines],
        destination=checkout.Destination(**data.destination.dict()),
        slot_start=data.slot_start.isoformat() if data.slot_start else None,
        idempotency_key=key, notes=data.notes)


def _service_town(service_id: int) -> Town:
    """The town whose waves a service's booking counts in."""
    try:
        return service_offer_get(service_id=service_id).merchant.town
    except NotFound as exc:
        raise Invalid(exc.message, field="service_id") from exc


@router.post("/service-bookings", response={201: OrderDetailOut, **ERRORS}, description=PLACED)
def service_book(request: AuthedRequest, data: ServiceBookingIn,
                 idempotency_key: str = IDEMPOTENCY):
    slot_start = (data.slot_start.isoformat() if data.slot_start else
                  bookable_wave_start(town=_service_town(data.service_id),
                                      index=data.wave_index, now=timezone.now()))
    done = checkout.service_request(
        customer=request.auth, channel=Channel.API, service_id=data.service_id,
        address_id=data.address_id, item_description=data.item_description,
        slot_start=slot_start, mandate=_mandate(data.mandate),
        idempotency_key=_key(idempotency_key))
    return _placed(done, request.auth)


class SlotOut(Schema):
    start: datetime = Field(alias="wave.start")
    end: datetime = Field(alias="wave.end")
    label: str = Field(alias="wave.label")
    free: int = Field(description="Freie Stopps; 0: ausgebucht, nicht wählbar")


@router.get("/slots", response={200: list[SlotOut], **ERRORS}, auth=None)
def slot_list(request: HttpRequest, town: str | None = None):
    """The bookable waves of a town (by its short name; the first town without one), as
    the web checkout offers them."""
    return slot_choices(town=town_public(town), now=timezone.now())


@router.get("/orders", response={200: list[OrderOut], **ERRORS})
def order_list(request: AuthedRequest, status: str | None = None):
    qs = orders_visible_to(request.auth)
    return qs.filter(status=status)[:200] if status else qs[:200]


@router.get("/orders/{number}", response={200: OrderDetailOut, **ERRORS})
def order_detail(request: AuthedRequest, number: str):
    return order_get(number=number, user=request.auth)


@router.post("/orders/{number}/accept", response={200: OrderOut, **ERRORS})
def order_accept(request: AuthedRequest, number: str):
    return services.order_accept(order_number=number, by=request.auth)


@router.post("/orders/{number}/decline", response={200: OrderOut, **ERRORS})
def order_decline(request: AuthedRequest, number: str, data: DeclineIn):
    return services.order_decline(order_number=number, by=request.auth, reason=data.reason)


@router.post("/orders/{number}/ready", response={200: OrderOut, **ERRORS})
def order_ready(request: AuthedRequest, number: str, data: ReadyIn):
    return services.order_mark_ready(order_number=number, by=request.auth, parcels=data.parcels)


@router.post("/orders/{number}/cancel", response={200: OrderOut, **ERRORS})
def order_cancel(request: AuthedRequest, number: str):
    return services.order_cancel(order_number=number, by=request.auth)
