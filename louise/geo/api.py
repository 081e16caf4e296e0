"""Public API of the service area: zones, pickup points and lockers."""

from django.http import HttpRequest
from ninja import Router, Schema

from louise.api.errors import ERRORS

from .models import Locker, PickupPoint, Zone

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
    return Zone.objects.all()


@router.get("/pickup-points", response={200: list[PointOut], **ERRORS}, auth=None)
def pickup_points(request: HttpRequest):
    return PickupPoint.objects.filter(active=True)


@router.get("/lockers", response={200: list[PlaceOut], **ERRORS}, auth=None)
def lockers(request: HttpRequest):
    return Locker.objects.filter(active=True)
