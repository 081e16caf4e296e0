"""Public API of the service area: zones, pickup points, lockers, address suggestions."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from louise.api.errors import ERRORS
from louise.geo.selectors import lockers_active, pickup_points_active, street_suggestions, zones_all

router = Router(tags=["Gebiet"])


class ZoneOut(Schema):
    name: str
    postcodes: list[str]
    active: bool
    vehicle_kinds: list[str]


class PlaceOut(Schema):
    id: int
    name: str
    street: str
    postcode: str
    lat: float
    lon: float


class PointOut(PlaceOut):
    opening_hours: dict


@router.get("/zones", response={200: list[ZoneOut], **ERRORS}, auth=None)
def zones(request: HttpRequest):
    return zones_all()


@router.get("/pickup-points", response={200: list[PointOut], **ERRORS}, auth=None)
def pickup_points(request: HttpRequest):
    return pickup_points_active()


@router.get("/lockers", response={200: list[PlaceOut], **ERRORS}, auth=None)
def lockers(request: HttpRequest):
    return lockers_active()


class SuggestIn(Schema):
    q: str = Field(min_length=2, max_length=120, description="Anfang von Straße [Hausnummer]")
    limit: int = Field(8, ge=1, le=20)


class SuggestionOut(Schema):
    label: str
    street: str
    housenumber: str
    postcode: str
    city: str
    district: str
    lat: float
    lon: float


@router.get("/addresses/suggest", response={200: list[SuggestionOut], **ERRORS}, auth=None)
def address_suggest(request: HttpRequest, params: Query[SuggestIn]):
    """Streets (or houses, once a number is typed) for an address field's autocomplete."""
    return street_suggestions(query=params.q, limit=params.limit)
