"""Reads for places, and the gazetteer's answers: where a house is, which streets match."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Avg, Case, IntegerField, Q, QuerySet, Value, When

from louise.accounts.access import (
    ALL,
    DISPATCH,
    STAFF,
    has_role,
    require_role,
    scope_rule,
    visible_to,
)
from louise.accounts.models import ApiToken, Role, User
from louise.core.errors import Invalid, NotFound

from .areas import convex_hull
from .gazetteer import (
    AddressPoint,
    clean_housenumber,
    name_key,
    number_value,
    parse_query,
    query_key,
)
from .models import (
    Address,
    HouseAddress,
    Hub,
    Locker,
    LockerCompartment,
    LockerCredential,
    LockerQuerySet,
    PickupPoint,
    Place,
    Precision,
    Street,
    Town,
    Zone,
)

EARTH_RADIUS_M = 6_371_000
# The roles that work for a town (its team): not customers, not shop staff.
TEAM_ROLES = (Role.DISPATCHER, Role.OPERATOR, Role.HOTLINE, Role.RIDER, Role.HUB)

# A customer's address book is theirs alone (orders keep their own link to an address).
scope_rule(Address, {Role.CUSTOMER: lambda user: Q(owner=user)})
# A town's places as its team manages them (the public reads of points, lockers and zones
# are not scoped: anyone may see where they are).
for _model in (Zone, Hub, PickupPoint, Locker):
    scope_rule(_model, dict.fromkeys(DISPATCH, ALL), town="town")
scope_rule(Town, {**dict.fromkeys(STAFF, ALL), Role.RIDER: ALL, Role.HUB: ALL,
                  Role.MERCHANT: ALL},
           town="pk")


def town_public(slug: str | None) -> Town:
    """A town as the public names it (its short name), the first town without one."""
    towns = Town.objects.filter(active=True).order_by("pk")
    town = towns.filter(slug=slug).first() if slug else towns.first()
    if town is None:
        raise NotFound("Diese Stadt gibt es nicht.")
    return town


def town_delivering_to(user) -> Town | None:
    """The town that delivers to a signed-in customer's first served address, whose shops
    they see first; None for everyone else (they see every town's shops)."""
    if not has_role(user, Role.CUSTOMER):
        return None
    address = (Address.objects.filter(owner=user, zone__active=True)
               .select_related("zone__town").order_by("pk").first())
    return address.zone.town if address is not None and address.zone is not None else None


def towns_of(user: User) -> QuerySet[Town]:
    """The towns a person works for (all of them for the region's operator)."""
    return visible_to(Town, user).order_by("name")


def town_for(user: User, slug: str | None = None, *, roles: Iterable[str] = STAFF) -> Town:
    """The town a console page or API call of one of `roles` acts in: the one named by
    `slug` if the person works there, else their first town; someone else's town is
    reported as unknown."""
    require_role(user, *roles)
    towns = towns_of(user)
    town = towns.filter(slug=slug).first() if slug else towns.first()
    if town is None:
        raise NotFound("Diese Stadt gibt es nicht." if slug
                       else "Sie sind noch keiner Stadt zugeordnet.")
    return town


def managed_in[M: (Zone, Hub, PickupPoint, Locker)](model: type[M], *, user: User,
                                                     town: Town) -> QuerySet[M]:
    """A town's zones, hubs, points or lockers as its operator's console lists them."""
    require_role(user, Role.OPERATOR)
    return visible_to(model, user).filter(town=town).order_by("name")


def managed_one[M: (Zone, Hub, PickupPoint, Locker)](model: type[M], *, user: User,
                                                     pk: int) -> M:
    """One of them for the operator's console; another town's is unknown (404)."""
    require_role(user, Role.OPERATOR)
    found = visible_to(model, user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"{model._meta.verbose_name} nicht gefunden.")
    return found


def lockers_managed(*, user: User, town: Town) -> QuerySet[Locker]:
    """The town's lockers for its console, each with `free` (see `Locker.with_free`)."""
    require_role(user, Role.OPERATOR)
    return visible_to(Locker.objects.with_free(), user).filter(town=town).order_by("name")


def compartment_managed(*, user: User, pk: int) -> LockerCompartment:
    """A compartment of a locker the operator's console may change; else unknown."""
    require_role(user, Role.OPERATOR)
    box = LockerCompartment.objects.filter(pk=pk, locker__in=visible_to(Locker, user)).first()
    if box is None:
        raise NotFound("Dieses Fach gibt es nicht.")
    return box


def staff_candidates(*, user: User, town: Town) -> QuerySet[User]:
    """The people a region's operator may add to a town's team: LOUISE's own roles, active,
    not on it yet."""
    require_role(user, Role.OPERATOR)
    return (User.objects.filter(role__in=TEAM_ROLES, is_active=True)
            .exclude(towns=town).order_by("role", "last_name", "first_name", "username"))


def locker_credential_for(*, key: str) -> LockerCredential | None:
    """The locker controller's valid credential for this secret, or None."""
    return (LockerCredential.objects.select_related("locker")
            .filter(key_hash=ApiToken.hash(key), revoked_at=None).first())


def great_circle_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def zone_choose(zones: Iterable[Zone], *, postcode: str, lat: float, lon: float) -> Zone | None:
    """The one rule for the zone a place lies in, among `zones`: those covering it (see
    `Zone.covers`), an active one first (two towns may both serve a neighbour's street,
    e.g. by e-car), then one with a drawn area before one by postcode (the line on the map
    is the more exact word), then the older town and zone."""
    covering = [z for z in zones if z.covers(postcode=postcode, lat=lat, lon=lon)]
    return min(covering, key=lambda z: (not z.active, z.area is None, z.town_id, z.pk),
               default=None)


def zone_at(*, postcode: str, lat: float, lon: float, town: Town | None = None) -> Zone | None:
    """The zone a place lies in (switched on or off), within `town` if given."""
    zones = Zone.objects.all() if town is None else Zone.objects.filter(town=town)
    return zone_choose(zones, postcode=postcode, lat=lat, lon=lon)


def zone_in_town(address: Address, town: Town) -> Zone | None:
    """The zone of `town` the address lies in (switched on or off), or None."""
    if address.zone is not None and address.zone.town_id == town.pk:
        return address.zone
    return zone_at(postcode=address.postcode, lat=address.lat, lon=address.lon, town=town)


def zone_of_place(place: Place, town: Town) -> Zone | None:
    """The zone of `town` a place lies in (switched on or off), by the same rule for every
    kind of place: a shop, hub, pickup point or locker as a customer's address."""
    if isinstance(place, Address):
        return zone_in_town(place, town)
    return zone_at(postcode=place.postcode, lat=place.lat, lon=place.lon, town=town)


def zone_serving(address: Address, town: Town) -> Zone | None:
    """The active zone of `town` that covers the address, or None: the town cannot deliver
    there."""
    zone = zone_in_town(address, town)
    return zone if zone is not None and zone.active else None


def zone_serving_at(town: Town, *, postcode: str, lat: float, lon: float) -> Zone | None:
    """The active zone of `town` covering a place that is not a saved address yet (a shop
    being onboarded), decided by the same rule as a customer's address."""
    return zone_serving(Address(postcode=postcode, lat=lat, lon=lon), town)


def zones_all() -> QuerySet[Zone]:
    return Zone.objects.all()


def active_zone_postcodes(town: Town | None = None) -> list[str]:
    zones = Zone.objects.filter(active=True)
    if town is not None:
        zones = zones.filter(town=town)
    return [code for zone in zones for code in zone.postcodes]


def addresses_of(*, user: User) -> QuerySet[Address]:
    return visible_to(Address, user).select_related("zone")


def pickup_points_active() -> QuerySet[PickupPoint]:
    return PickupPoint.objects.filter(active=True)


def lockers_active() -> LockerQuerySet:
    return Locker.objects.filter(active=True)


class Located(Protocol):
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


def by_distance[P: Located](places: Iterable[P], lat: float, lon: float) -> list[P]:
    """Located things (anything with `lat`/`lon`), nearest first."""
    return sorted(places, key=lambda p: great_circle_m(lat, lon, p.lat, p.lon))


def nearest_drop_points(*, lat: float, lon: float, limit: int = 3) -> list[PickupPoint | Locker]:
    """The closest active pickup points and lockers, offered when a door is outside the area."""
    points: list[PickupPoint | Locker] = [*pickup_points_active(), *lockers_active()]
    return by_distance(points, lat, lon)[:limit]


@dataclass(frozen=True)
class Location(AddressPoint):
    """Where an address lies, and how sure we are: planning may use any of them, but a
    dispatcher must see when a stop was placed by estimate."""

    precision: Precision

    @property
    def approximate(self) -> bool:
        return self.precision != Precision.HOUSE


def _streets_named(street: str, postcode: str) -> list[Street]:
    """The gazetteer streets of that name in the postcode (a street keeps the postcode of its
    nearest house, so a long one is also found through its other houses' postcodes)."""
    return list(Street.objects.filter(name_key=name_key(street))
                .filter(Q(postcode=postcode) | Q(houses__postcode=postcode)).distinct())


def _number(house: HouseAddress) -> int:
    """The leading number of a house from a list the caller filtered to numbered ones."""
    assert house.number is not None
    return house.number


def _estimate(houses: list[HouseAddress], value: int) -> tuple[HouseAddress, HouseAddress, float]:
    """Two known houses and the fraction between them where number `value` should stand.

    German streets number one side odd and the other even, so houses of the same parity are
    used when there are any; outside the known range the nearest house stands in."""
    side = [h for h in houses if _number(h) % 2 == value % 2] or houses
    below = max((h for h in side if _number(h) < value), key=_number, default=None)
    above = min((h for h in side if _number(h) > value), key=_number, default=None)
    if below and above:
        return below, above, (value - _number(below)) / (_number(above) - _number(below))
    nearest = min(side, key=lambda h: abs(_number(h) - value))
    return nearest, nearest, 0.0


def _gap(houses: list[HouseAddress], value: int) -> int:
    """How far `value` lies outside the numbers known on one street (0 when inside)."""
    numbers = [_number(h) for h in houses]
    return max(min(numbers) - value, value - max(numbers), 0)


def address_lookup(*, street: str, housenumber: str, postcode: str) -> Location:
    """The position of a house: exact if the gazetteer knows it, else estimated from its
    neighbours on the street (flagged approximate). An unknown street is an error the person
    can correct, never a silent guess that sends a rider to the wrong end of town."""
    streets = _streets_named(street, postcode)
    if not streets:
        raise Invalid(f"Straße „{street.strip()}“ in PLZ {postcode} nicht gefunden.",
                      code="street_not_found", field="street")
    number = clean_housenumber(housenumber)
    by_id = {s.pk: s for s in streets}
    houses = list(HouseAddress.objects.filter(street__in=streets))
    exact = next((h for h in houses if h.housenumber == number), None)
    if exact is not None:
        return _location(by_id[exact.street_id], exact.housenumber, exact.postcode,
                         (exact.lat, exact.lon), Precision.HOUSE)
    value = number_value(number)
    numbered = [h for h in houses if h.number is not None]
    if value is None or not numbered:
        first = streets[0]
        return _location(first, number, postcode, (first.lat, first.lon), Precision.STREET)
    per_street: dict[int, list[HouseAddress]] = {}
    for house in numbered:
        per_street.setdefault(house.street_id, []).append(house)
    # Two streets of one name in a postcode (it happens across villages): take the one whose
    # numbers reach the wanted one.
    best = min(per_street.values(), key=lambda on_street: _gap(on_street, value))
    a, b, t = _estimate(best, value)
    precision = Precision.INTERPOLATED if a is not b else Precision.NEAREST_HOUSE
    position = (round(a.lat + t * (b.lat - a.lat), 7), round(a.lon + t * (b.lon - a.lon), 7))
    return _location(by_id[a.street_id], number, postcode, position, precision)


def _location(street: Street, housenumber: str, postcode: str, position: tuple[float, float],
              precision: Precision) -> Location:
    return Location(street.name, housenumber, postcode or street.postcode, street.city,
                    street.district, position[0], position[1], precision)


def street_suggestions(*, query: str, limit: int = 8,
                       postcodes: list[str] | None = None) -> list[AddressPoint]:
    """Streets whose name, or a word of it, starts with what was typed ("haupt", "46236
    kirch"); with a house number typed, the matching houses. `postcodes` keeps the answer
    inside an area (the active zones for a shop's counter delivery)."""
    typed = parse_query(query)
    key = query_key(typed.street)
    if len(key) < 2:
        return []
    streets = Street.objects.filter(Q(name_key__startswith=key) | Q(name_key__contains=f" {key}"))
    if typed.postcode:
        streets = streets.filter(postcode=typed.postcode)
    if postcodes is not None:
        streets = streets.filter(postcode__in=postcodes)
    streets = streets.annotate(rank=Case(When(name_key__startswith=key, then=Value(0)),
                                         default=Value(1), output_field=IntegerField()))
    if typed.housenumber:
        houses = (HouseAddress.objects.filter(street__in=streets.values("pk"),
                                              housenumber__startswith=typed.housenumber)
                  .select_related("street")
                  .annotate(exact=Case(When(housenumber=typed.housenumber, then=Value(0)),
                                       default=Value(1), output_field=IntegerField()))
                  .order_by("exact", "street__name_key", "number", "housenumber")[:limit])
        found = [AddressPoint(h.street.name, h.housenumber, h.postcode or h.street.postcode,
                              h.street.city, h.street.district, h.lat, h.lon) for h in houses]
        if found:
            return found
    unique: dict[tuple[str, str, str], AddressPoint] = {}
    for s in streets.order_by("rank", "name_key", "postcode", "district")[:limit * 4]:
        unique.setdefault((s.name, s.postcode, s.district),
                          AddressPoint(s.name, "", s.postcode, s.city, s.district, s.lat, s.lon))
    return list(unique.values())[:limit]


def gazetteer_covers(postcode: str) -> bool:
    """Whether streets of this postcode were imported: only then can a street be unknown."""
    return Street.objects.filter(postcode=postcode).exists()


def gazetteer_postcode_centre(postcode: str) -> tuple[float, float] | None:
    centre = Street.objects.filter(postcode=postcode).aggregate(lat=Avg("lat"), lon=Avg("lon"))
    if centre["lat"] is None:
        return None
    return round(centre["lat"], 6), round(centre["lon"], 6)


def postcode_area(zone: Zone) -> dict | None:
    """Where a zone drawn by postcodes only lies, for a map: the convex hull around the
    gazetteer's streets of its postcodes (their bounds) and the addresses stored in it; None
    when these span no area (no gazetteer for the town yet, one address)."""
    points: list[tuple[float, float]] = []
    for west, south, east, north in Street.objects.filter(
            postcode__in=zone.postcodes).values_list("min_lon", "min_lat", "max_lon",
                                                     "max_lat"):
        points += [(west, south), (west, north), (east, south), (east, north)]
    points += Address.objects.filter(zone=zone).values_list("lon", "lat")
    return convex_hull(points)
