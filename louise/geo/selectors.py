"""Reads for places."""

import math

from django.db.models import QuerySet

from .models import Address, Locker, PickupPoint, Zone

EARTH_RADIUS_M = 6_371_000


def great_circle_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def zone_for_postcode(postcode: str) -> Zone | None:
    for zone in Zone.objects.all():
        if postcode in zone.postcodes:
            return zone
    return None


def addresses_of(*, user) -> QuerySet[Address]:
    return Address.objects.filter(owner=user).select_related("zone")


def nearest_drop_points(*, lat: float, lon: float, limit: int = 3) -> list[PickupPoint | Locker]:
    """The closest active pickup points and lockers, offered when a door is outside the area."""
    places: list[PickupPoint | Locker] = [
        *PickupPoint.objects.filter(active=True), *Locker.objects.filter(active=True)
    ]
    places.sort(key=lambda p: great_circle_m(lat, lon, p.lat, p.lon))
    return places[:limit]
