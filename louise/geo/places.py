"""Writes of the operator's console for a town's places: hubs, zones (with their areas),
pickup points and lockers with their compartments.

Each service checks that its author is an operator working for the object's town (another
town's object is unknown, as in every console), validates everything before anything is
stored, and writes the audit entry in the same transaction as the change.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from louise.accounts.access import require_role, visible_to
from louise.accounts.audit import audit_record, snapshot
from louise.accounts.models import Role, User
from louise.core.errors import Conflict, Invalid, NotFound
from louise.core.validation import save_validated
from louise.planning.matrix import great_circle_m

from .areas import area_check, positions_of
from .models import CompartmentSize, Hub, Locker, LockerCompartment, PickupPoint, Town, Zone
from .selectors import towns_of
from .services import addresses_rezone, position_check, postcodes_check

PLACE_FIELDS = frozenset({"street", "postcode", "city", "district", "lat", "lon"})
MAX_COMPARTMENTS = 200  # per locker; a typo of 2000 would fill the list for nothing

type Managed = Zone | Hub | PickupPoint | Locker


def _town_operated(by: User, town: Town) -> Town:
    require_role(by, Role.OPERATOR)
    if not towns_of(by).filter(pk=town.pk).exists():
        raise NotFound("Diese Stadt gibt es nicht.")
    return town


def _locked[M: (Zone, Hub, PickupPoint, Locker)](model: type[M], by: User, pk: int) -> M:
    """The object, locked for the change, if `by` operates its town; else unknown."""
    require_role(by, Role.OPERATOR)
    found = visible_to(model, by).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(f"{model._meta.verbose_name} nicht gefunden.")
    return found


def _name_check(obj: Managed, name: str) -> None:
    name = " ".join(name.split())
    if not name:
        raise Invalid("Bitte einen Namen angeben.", field="name")
    twin = (type(obj)._default_manager.filter(town=obj.town_id, name__iexact=name)
            .exclude(pk=obj.pk).first())
    if twin is not None:
        raise Invalid(f"„{twin.name}“ gibt es in {obj.town} schon.", field="name")
    obj.name = name


def _fields_set(obj: Managed, fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    if unknown := set(fields) - allowed:
        raise Invalid(f"Unbekanntes Feld: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(obj, name, value)


def _store[M: (Zone, Hub, PickupPoint, Locker)](obj: M, *, by: User,
                                                before: dict[str, Any] | None) -> M:
    save_validated(obj)
    audit_record(by=by, action="angelegt" if before is None else "geändert", obj=obj,
                 before=before)
    return obj


def _begin[M: (Zone, Hub, PickupPoint, Locker)](model: type[M], *, by: User, town: Town,
                                                pk: int | None) -> tuple[M, dict | None]:
    """A new object of the town or the existing one (locked), and its snapshot."""
    if pk is None:
        return model(town=_town_operated(by, town)), None
    obj = _locked(model, by, pk)
    return obj, snapshot(obj)


@transaction.atomic
def hub_save(*, by: User, town: Town, pk: int | None = None, name: str,
             place: Mapping[str, Any]) -> Hub:
    """Create (pk None, in `town`) or change a hub: where the fleet starts."""
    hub, before = _begin(Hub, by=by, town=town, pk=pk)
    _name_check(hub, name)
    _fields_set(hub, place, PLACE_FIELDS)
    return _store(hub, by=by, before=before)


@transaction.atomic
def pickup_point_save(*, by: User, town: Town, pk: int | None = None, name: str,
                      opening_hours: dict, active: bool, place: Mapping[str, Any]) -> PickupPoint:
    """Create or change a pickup point with its weekly hours (core.hours format)."""
    point, before = _begin(PickupPoint, by=by, town=town, pk=pk)
    _name_check(point, name)
    _fields_set(point, {**place, "opening_hours": opening_hours, "active": active},
                PLACE_FIELDS | {"opening_hours", "active"})
    position_check(lat=point.lat, lon=point.lon)
    return _store(point, by=by, before=before)


@transaction.atomic
def locker_save(*, by: User, town: Town, pk: int | None = None, name: str, active: bool,
                place: Mapping[str, Any], compartments: Mapping[str, int] | None = None) -> Locker:
    """Create a locker with its compartments by size (e.g. {"S": 8, "M": 6}), or change its
    name, place and service (`active`); compartments change one by one afterwards."""
    locker, before = _begin(Locker, by=by, town=town, pk=pk)
    _name_check(locker, name)
    _fields_set(locker, {**place, "active": active}, PLACE_FIELDS | {"active"})
    position_check(lat=locker.lat, lon=locker.lon)
    _store(locker, by=by, before=before)
    if before is None:
        if not compartments or not any(compartments.values()):
            raise Invalid("Eine Paketstation braucht mindestens ein Fach.", field="compartments")
        for size, count in compartments.items():
            _compartments_append(locker, size, count, by=by)
    return locker


def _compartments_append(locker: Locker, size: str, count: int, *, by: User) -> None:
    if size not in CompartmentSize.values:
        raise Invalid(f"Unbekannte Fachgröße „{size}“.", field="size")
    last = locker.compartments.aggregate(last=Max("number"))["last"] or 0
    if count < 0 or last + count > MAX_COMPARTMENTS:
        raise Invalid(f"Eine Paketstation hat höchstens {MAX_COMPARTMENTS} Fächer.",
                      field="count")
    for number in range(last + 1, last + count + 1):
        box = save_validated(LockerCompartment(locker=locker, number=number, size=size))
        audit_record(by=by, action="angelegt", obj=box, town_id=locker.town_id)


@transaction.atomic
def compartments_add(*, by: User, locker_id: int, size: str, count: int = 1) -> Locker:
    """Add compartments of one size, numbered after the locker's last one."""
    if count < 1:
        raise Invalid("Bitte mindestens ein Fach hinzufügen.", field="count")
    locker = _locked(Locker, by, locker_id)
    _compartments_append(locker, size, count, by=by)
    return locker


def _compartment_locked(by: User, pk: int) -> LockerCompartment:
    require_role(by, Role.OPERATOR)
    box = (LockerCompartment.objects.select_for_update().select_related("locker__town")
           .filter(pk=pk, locker__in=visible_to(Locker, by)).first())
    if box is None:
        raise NotFound("Dieses Fach gibt es nicht.")
    return box


@transaction.atomic
def compartment_remove(*, by: User, pk: int) -> Locker:
    """Take out an empty compartment (the locker keeps at least one; numbers of the others
    stay, they are written on the doors)."""
    box = _compartment_locked(by, pk)
    if box.order_id is not None:
        raise Conflict(f"Fach {box.number} ist belegt und kann nicht entfernt werden.")
    if box.locker.compartments.count() <= 1:
        raise Conflict("Eine Paketstation braucht mindestens ein Fach.")
    audit_record(by=by, action="gelöscht", obj=box, town_id=box.locker.town_id)
    box.delete()
    return box.locker


@transaction.atomic
def compartment_switch(*, by: User, pk: int, out_of_service: bool) -> LockerCompartment:
    """Take a compartment out of service (no parcel is put in) or back into it."""
    box = _compartment_locked(by, pk)
    before = snapshot(box)
    box.out_of_service = out_of_service
    box.save(update_fields=["out_of_service"])
    audit_record(by=by, action="geändert", obj=box, before=before, town_id=box.locker.town_id)
    return box


@transaction.atomic
def zone_save(*, by: User, town: Town, pk: int | None = None, name: str,
              postcodes: list[str], vehicle_kinds: list[str], active: bool,
              area: dict | None) -> Zone:
    """Create or change a zone. It covers its `area` (a GeoJSON geometry, e.g. from
    `areas.area_from_text`; checked here again) or, without one, its postcodes; every
    address is then filed under the zone it now lies in."""
    zone, before = _begin(Zone, by=by, town=town, pk=pk)
    _name_check(zone, name)
    zone.postcodes = sorted(set(postcodes))
    area = area_check(area) if area is not None else None
    zone.vehicle_kinds, zone.active, zone.area = vehicle_kinds, active, area
    if area is None and not zone.postcodes:
        raise Invalid("Eine Zone braucht eine Fläche oder mindestens eine Postleitzahl.",
                      field="postcodes")
    if not vehicle_kinds:
        raise Invalid("Bitte mindestens eine Fahrzeugart wählen.", field="vehicle_kinds")
    if area is not None:
        _area_near_hubs(area, zone.town)
    postcodes_check(zone)
    _store(zone, by=by, before=before)
    addresses_rezone()
    return zone


@transaction.atomic
def zone_switch(*, by: User, pk: int, active: bool) -> Zone:
    """Switch a zone on or off (an outer district served later, a street festival)."""
    zone = _locked(Zone, by, pk)
    before = snapshot(zone)
    zone.active = active
    zone.save(update_fields=["active"])
    audit_record(by=by, action="geändert", obj=zone, before=before)
    addresses_rezone()
    return zone


def _area_near_hubs(area: dict, town: Town) -> None:
    """A drawn area lies where the town's riders can go: some corner of it within the
    service radius of one of the town's hubs. Mostly this catches a file written in
    latitude/longitude order, which GeoJSON reverses."""
    hubs = list(town.hubs.values_list("lat", "lon"))
    if not hubs:
        return
    limit_m = settings.LOUISE_SERVICE_RADIUS_KM * 1000
    if not any(great_circle_m(lat, lon, h_lat, h_lon) <= limit_m
               for lon, lat in positions_of(area) for h_lat, h_lon in hubs):
        raise Invalid(f"Die Fläche liegt mehr als {settings.LOUISE_SERVICE_RADIUS_KM:.0f} km "
                      f"von jedem Hub in {town} entfernt. GeoJSON schreibt [Länge, Breite] – "
                      "sind die beiden vertauscht?", field="area", code="area_far")
