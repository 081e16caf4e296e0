"""API for people: sign-up, tokens, own addresses and payment mandate."""

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from louise.accounts.access import require_role
from louise.accounts.models import Role
from louise.accounts.services import token_issue, token_revoke
from louise.api.auth import AUTH, AuthedRequest, bearer
from louise.api.errors import ERRORS
from louise.billing.services import mandate_create
from louise.customers.registration import customer_sign_up
from louise.geo.selectors import addresses_of
from louise.geo.services import address_create

router = Router(tags=["Konten"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=128)


class TokenOut(Schema):
    token: str
    role: str


class RevokeIn(Schema):
    everywhere: bool = Field(default=False, description="alle Tokens dieses Kontos beenden")


class RevokeOut(Schema):
    revoked: int


class RegisterIn(Schema):
    username: str = Field(min_length=3, max_length=150, pattern=r"^[\w.@+-]+$")
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    password: str = Field(min_length=8, max_length=128)
    first_name: str = Field(default="", max_length=150)
    last_name: str = Field(default="", max_length=150)
    phone: str = Field(default="", max_length=32)


class MeOut(Schema):
    id: int
    username: str
    role: str
    name: str = Field(alias="display_name")
    merchant_id: int | None


class AddressIn(Schema):
    street: str = Field(min_length=3, max_length=120)
    postcode: str = Field(pattern=r"^\d{5}$")
    city: str = Field(default="Bottrop", max_length=80)
    district: str = Field(default="", max_length=80)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    label: str = Field(default="", max_length=40)
    notes: str = Field(default="", max_length=200)


class AddressOut(Schema):
    id: int
    street: str
    postcode: str
    city: str
    district: str
    lat: float
    lon: float
    label: str
    zone: str | None = Field(None, alias="zone.name")


class MandateIn(Schema):
    holder: str = Field(min_length=2, max_length=70)
    iban: str = Field(min_length=15, max_length=42)


class MandateOut(Schema):
    reference: str
    holder: str
    iban: str = Field(alias="masked_iban")
    bic: str


@router.post("/auth/token", response={200: TokenOut, **ERRORS}, auth=None)
def token(request: HttpRequest, data: TokenIn):
    user, key = token_issue(request=request, username=data.username, password=data.password)
    return {"token": key, "role": user.role}


@router.post("/auth/token/revoke", response={200: RevokeOut, **ERRORS}, auth=bearer)
def token_revoke_own(request: AuthedRequest, data: RevokeIn):
    """End the token this request carries (sign-out of an app), or with `everywhere` every
    token of the account (a lost phone). A changed password ends them all as well."""
    return {"revoked": token_revoke(key=request.api_token_key, everywhere=data.everywhere)}


@router.post("/customers", response={201: MeOut, **ERRORS}, auth=None)
def register(request: HttpRequest, data: RegisterIn):
    return Status(201, customer_sign_up(**data.dict()))


@router.get("/me", response={200: MeOut, **ERRORS}, auth=AUTH)
def me(request: AuthedRequest):
    return request.auth


@router.get("/me/addresses", response={200: list[AddressOut], **ERRORS}, auth=AUTH)
def addresses(request: AuthedRequest):
    return addresses_of(user=request.auth)


@router.post("/me/addresses", response={201: AddressOut, **ERRORS}, auth=AUTH)
def address_add(request: AuthedRequest, data: AddressIn):
    require_role(request.auth, Role.CUSTOMER)
    return Status(201, address_create(owner=request.auth, **data.dict()))


@router.post("/me/mandate", response={201: MandateOut, **ERRORS}, auth=AUTH)
def mandate_add(request: AuthedRequest, data: MandateIn):
    require_role(request.auth, Role.CUSTOMER)
    return Status(201, mandate_create(customer=request.auth, holder=data.holder, iban=data.iban))
