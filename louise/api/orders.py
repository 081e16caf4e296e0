"""API for orders: customers place and follow them, shops accept, decline and pack them."""

from datetime import datetime

from ninja import Field, Header, Router, Schema, Status

from louise.api.auth import AUTH, AuthedRequest
from louise.api.errors import ERRORS
from louise.orders import services
from louise.orders.selectors import order_get, orders_visible_to

router = Router(tags=["Bestellungen"], auth=AUTH)


class LineIn(Schema):
    product_id: int = Field(gt=0)
    quantity: int = Field(ge=1, le=99)


class DestinationIn(Schema):
    method: str = Field(pattern="^(door|point|locker)$")
    address_id: int | None = None
    pickup_point_id: int | None = None
    locker_id: int | None = None


class OrderIn(Schema):
    merchant_id: int = Field(gt=0)
    lines: list[LineIn] = Field(min_length=1, max_length=50)
    destination: DestinationIn
    notes: str = Field(default="", max_length=300)


class ServiceBookingIn(Schema):
    service_id: int = Field(gt=0)
    address_id: int = Field(gt=0)
    item_description: str = Field(min_length=3, max_length=2000)
    wave_index: int = Field(default=0, ge=0, le=9)


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


class OrderDetailOut(OrderOut):
    recipient_name: str
    item_description: str
    decline_reason: str
    lines: list[LineOut] = Field(alias="lines.all")
    events: list[EventOut] = Field(alias="events.all")


class DeclineIn(Schema):
    reason: str = Field(min_length=3, max_length=200)


class ReadyIn(Schema):
    parcels: int | None = Field(default=None, ge=1, le=20)


IDEMPOTENCY = Header(default="", alias="Idempotency-Key", max_length=64)


@router.post("/orders", response={201: OrderDetailOut, **ERRORS})
def order_place(request: AuthedRequest, data: OrderIn, idempotency_key: str = IDEMPOTENCY):
    order = services.order_place(
        customer=request.auth, merchant_id=data.merchant_id,
        lines=[services.LineRequest(**line.dict()) for line in data.lines],
        destination=services.Destination(**data.destination.dict()),
        idempotency_key=idempotency_key, notes=data.notes,
    )
    return Status(201, order_get(number=order.number, user=request.auth))


@router.post("/service-bookings", response={201: OrderDetailOut, **ERRORS})
def service_book(request: AuthedRequest, data: ServiceBookingIn,
                 idempotency_key: str = IDEMPOTENCY):
    order = services.service_book(customer=request.auth, idempotency_key=idempotency_key,
                                  **data.dict())
    return Status(201, order_get(number=order.number, user=request.auth))


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
