"""Writes for places: addresses are always stored with the zone they fall in."""

import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from louise.accounts.models import ApiToken
from louise.core.errors import Invalid
from louise.core.validation import save_validated
from louise.planning.matrix import great_circle_m

from .gazetteer import StreetIn, clean_housenumber, name_key, number_value
from .models import (
    Address,
    HouseAddress,
    Hub,
    Locker,
    LockerCompartment,
    LockerCredential,
    PickupPoint,
    Street,
    Town,
    Zone,
    default_town_id,
)
from .selectors import zone_at, zone_choose


@transaction.atomic
def address_create(
    *,
    owner=None,
    street: str,
    postcode: str,
    city: str = "Bottrop",
    district: str = "",
    lat: float,
    lon: float,
    label: str = "",
    recipient: str = "",
    notes: str = "",
    precision: str = "",
    require_active_zone: bool = True,
) -> Address:
    """Store an address; outside an active zone it is refused unless the caller allows it.
    `precision` is the geocoder's word on the position (blank when the caller brought its
    own), kept so a dispatcher and the customer can see a stop placed by estimate."""
    zone = zone_at(postcode=postcode, lat=lat, lon=lon)
    if require_active_zone and (zone is None or not zone.active):
        raise Invalid(
            f"Die Adresse in {postcode} liegt außerhalb des Liefergebiets. "
            "Wählen Sie eine Abholstelle oder Paketstation.",
            code="outside_service_area", field="postcode",
        )
    position_check(lat=lat, lon=lon)
    address = Address(
        owner=owner, street=street, postcode=postcode, city=city, district=district,
        lat=lat, lon=lon, label=label, recipient=recipient, notes=notes, zone=zone,
        precision=precision,
    )
    return save_validated(address)


def addresses_rezone() -> int:
    """Store every address with the zone it lies in now: called in the transaction that
    changes a zone (its area, postcodes or switch), so an address's stored zone always
    follows the map. Returns how many addresses changed zone."""
    zones = list(Zone.objects.all())
    changed = []
    for address in Address.objects.only("pk", "postcode", "lat", "lon", "zone_id"):
        zone = zone_choose(zones, postcode=address.postcode, lat=address.lat, lon=address.lon)
        if (zone.pk if zone else None) != address.zone_id:
            address.zone = zone
            changed.append(address)
    Address.objects.bulk_update(changed, ["zone"], batch_size=500)
    return len(changed)


def position_check(*, lat: float, lon: float) -> None:
    """A zone without a drawn area is known only by its postcodes, so a position is checked
    against the hubs the riders start from: farther than `LOUISE_SERVICE_RADIUS_KM` from
    every one, it cannot be the door of an address in the service area (a slip of the map,
    a swapped latitude and longitude, a forged request). Without a hub there is nothing to measure
    against yet; a position that is no finite number is refused all the same."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise Invalid("Breite und Länge müssen Zahlen sein.", field="lat")
    hubs = list(Hub.objects.values_list("lat", "lon"))
    if not hubs:
        return
    limit_km = settings.LOUISE_SERVICE_RADIUS_KM
    nearest_km = min(great_circle_m(lat, lon, h_lat, h_lon) for h_lat, h_lon in hubs) / 1000
    if nearest_km > limit_km:
        raise Invalid(
            f"Die Position ({lat:.5f}, {lon:.5f}) liegt nicht im Liefergebiet: mehr als "
            f"{limit_km:.0f} km vom nächsten Hub entfernt. Bitte Breite und Länge prüfen.",
            code="position_outside_service_area", field="lat",
        )


@transaction.atomic
def zone_create(*, name: str, postcodes: list[str], vehicle_kinds: list[str],
                active: bool = True, town: Town | None = None) -> Zone:
    zone = Zone(name=name, postcodes=postcodes, vehicle_kinds=vehicle_kinds, active=active,
                town_id=town.pk if town is not None else default_town_id())
    postcodes_check(zone)
    return save_validated(zone)


def postcodes_check(zone: Zone) -> None:
    """Within a town, a postcode decides for one zone only: among the zones without an area
    (a drawn zone's postcodes only describe it, several may name the same one)."""
    if zone.area is not None:
        return
    others = Zone.objects.filter(town=zone.town_id, area__isnull=True).exclude(pk=zone.pk)
    for other in others:
        if clash := sorted(set(other.postcodes) & set(zone.postcodes)):
            raise Invalid(f"Postleitzahl {clash[0]} gehört in {zone.town} schon zur Zone "
                          f"„{other.name}“.", field="postcodes")


@transaction.atomic
def hub_create(*, name: str, **place) -> Hub:
    return save_validated(Hub(name=name, **place))


@transaction.atomic
def pickup_point_create(*, name: str, opening_hours: dict, **place) -> PickupPoint:
    return save_validated(PickupPoint(name=name, opening_hours=opening_hours, **place))


@transaction.atomic
def locker_create(*, name: str, compartments: dict[str, int], **place) -> Locker:
    """A locker with its compartments, e.g. {"S": 8, "M": 6, "L": 2}, numbered from 1."""
    locker = save_validated(Locker(name=name, **place))
    sizes = [size for size, count in compartments.items() for _ in range(count)]
    if not sizes:
        raise Invalid("Eine Paketstation braucht mindestens ein Fach.", field="compartments")
    for number, size in enumerate(sizes, start=1):
        save_validated(LockerCompartment(locker=locker, number=number, size=size))
    return locker


@transaction.atomic
def locker_credential_issue(*, locker: Locker) -> tuple[LockerCredential, str]:
    """A new secret for the locker's controller (shown once, stored hashed); the locker's
    earlier secrets stop working, as when a controller is replaced or a secret leaked."""
    LockerCredential.objects.filter(locker=locker, revoked_at=None).update(
        revoked_at=timezone.now())
    key = ApiToken.new_key()
    return LockerCredential.objects.create(locker=locker, key_hash=ApiToken.hash(key)), key


@transaction.atomic
def gazetteer_replace(*, area: str, streets: list[StreetIn]) -> tuple[int, int]:
    """Store an area's streets and houses in place of what that area had before, in one
    transaction, so an import can be run again and never leaves half a town behind.
    Returns (streets, houses) stored."""
    if not area.strip():
        raise Invalid("Bitte ein Gebiet für den Import angeben.", field="area")
    Street.objects.filter(area=area).delete()
    rows = []
    for street in streets:
        lat, lon = street.centre
        min_lat, min_lon, max_lat, max_lon = street.bbox
        rows.append(Street(area=area, name=street.name, name_key=name_key(street.name),
                           postcode=street.postcode, city=street.city, district=street.district,
                           lat=lat, lon=lon, min_lat=min_lat, min_lon=min_lon, max_lat=max_lat,
                           max_lon=max_lon, points=[list(p) for p in street.points]))
    stored = Street.objects.bulk_create(rows, batch_size=500)
    houses = {}
    for row, street in zip(stored, streets, strict=True):
        for house in street.houses:
            number = clean_housenumber(house.housenumber)
            houses[(row.pk, number)] = HouseAddress(
                street=row, housenumber=number, number=number_value(number),
                postcode=house.postcode or street.postcode, lat=house.lat, lon=house.lon)
    HouseAddress.objects.bulk_create(houses.values(), batch_size=1000)
    return len(stored), len(houses)
