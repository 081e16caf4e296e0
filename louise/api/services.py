"""API for service work: the shop takes the item in and inspects it; the customer answers a
quote. Separate from `api.py` so the workshop flow reads in one place."""

from ninja import Field, Router, Schema

from louise.api.auth import AUTH, AuthedRequest
from louise.api.errors import ERRORS
from louise.orders import quotes

router = Router(tags=["Dienstleistungen"], auth=AUTH)


class ServiceOrderOut(Schema):
    number: str
    status: str
    quote_cents: int | None
    quote_status: str
    subtotal_cents: int


class IntakeIn(Schema):
    code: str = Field(min_length=3, max_length=60, description="Etikett-Inhalt oder Nummer")


class InspectIn(Schema):
    findings: str = Field(min_length=1, max_length=250)
    quote_cents: int | None = Field(default=None, ge=1, le=quotes.MAX_QUOTE_CENTS)


class QuoteDeclineIn(Schema):
    reason: str = Field(default="", max_length=200)


@router.post("/service-intake", response={200: ServiceOrderOut, **ERRORS})
def service_intake(request: AuthedRequest, data: IntakeIn):
    return quotes.service_intake_scan(code=data.code, by=request.auth)


@router.post("/orders/{number}/inspection", response={200: ServiceOrderOut, **ERRORS})
def service_inspect(request: AuthedRequest, number: str, data: InspectIn):
    return quotes.service_inspect(order_number=number, by=request.auth, findings=data.findings,
                                  quote_cents=data.quote_cents)


@router.post("/orders/{number}/quote/accept", response={200: ServiceOrderOut, **ERRORS})
def quote_accept(request: AuthedRequest, number: str):
    return quotes.quote_accept(order_number=number, by=request.auth)


@router.post("/orders/{number}/quote/decline", response={200: ServiceOrderOut, **ERRORS})
def quote_decline(request: AuthedRequest, number: str, data: QuoteDeclineIn):
    return quotes.quote_decline(order_number=number, by=request.auth, reason=data.reason)
