"""The town's fleet as its operator and dispatcher change it: vehicles, shift patterns with
their exceptions, and the day's shifts.

Every function acts for a person (`by`) in one town: it checks the role and that the town
is one of theirs, refuses bad input with a German message before anything is written, and
records the change in the audit trail in the same transaction, so a refused change leaves
neither data nor a trace. Making the shifts themselves stays in `shifts.py`.
"""

from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from louise.accounts.access import DISPATCH, require_role, visible_to
from louise.accounts.audit import audit_record, snapshot
from louise.accounts.models import Role, User
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, Invalid, NotFound
from louise.core.validation import save_validated
from louise.geo.models import Town

from .models import (
    Shift,
    ShiftException,
    ShiftExceptionKind,
    ShiftPattern,
    TourStatus,
    Vehicle,
)
from .services import shift_create
from .shifts import (
    Generated,
    crew_check,
    pattern_check,
    pattern_covers,
    rider_check,
    shift_conflict,
    shift_span,
    shifts_generate,
)

VEHICLE_FIELDS = ("name", "kind", "hub", "capacity_g", "capacity_ml", "capacity_parcels",
                  "range_km", "charge_minutes", "speed_kmh", "cooled", "bulky", "active")
# Sizes a vehicle must have more than nothing of, with how the message names them.
_POSITIVE = {"capacity_g": "Die Zuladung", "capacity_ml": "Das Ladevolumen",
             "capacity_parcels": "Die Zahl der Pakete", "range_km": "Die Reichweite",
             "speed_kmh": "Das Tempo"}


def weeks_ahead() -> int:
    """How many weeks of shifts are kept made ahead (`LOUISE_SHIFT_WEEKS_AHEAD`)."""
    return settings.LOUISE_SHIFT_WEEKS_AHEAD


def _acting(by: User, town: Town, roles: frozenset[str] | tuple[str, ...]) -> None:
    """The person has one of `roles` and works for `town`; another town is unknown to them."""
    require_role(by, *roles)
    if not visible_to(Town, by).filter(pk=town.pk).exists():
        raise NotFound("Diese Stadt gibt es nicht.")


def _today() -> date:
    return timezone.localdate()


# --- vehicles ---------------------------------------------------------------------------


def _vehicle_check(vehicle: Vehicle, town: Town) -> None:
    if not (vehicle.name or "").strip():
        raise Invalid("Bitte einen Namen für das Fahrzeug angeben.", field="name")
    for name, what in _POSITIVE.items():
        value = getattr(vehicle, name)
        if value is None or value <= 0:
            raise Invalid(f"{what} muss größer als 0 sein.", field=name)
    if vehicle.charge_minutes is None or vehicle.charge_minutes < 0:
        raise Invalid("Die Ladezeit darf nicht negativ sein.", field="charge_minutes")
    if vehicle.hub_id is None or vehicle.hub.town_id != town.pk:
        raise Invalid(f"Bitte einen Hub in {town.name} wählen.", field="hub")
    taken = Vehicle.objects.filter(town=town, name=vehicle.name).exclude(pk=vehicle.pk)
    if taken.exists():
        raise Invalid(f"Ein Fahrzeug „{vehicle.name}“ gibt es in {town.name} schon.",
                      field="name")


@transaction.atomic
def vehicle_save(*, by: User, town: Town, vehicle: Vehicle | None = None,
                 **fields: Any) -> Vehicle:
    """Add a vehicle to `town` or change one of its vehicles (`fields` of `VEHICLE_FIELDS`;
    `active` False takes it out of service: the planner leaves it out)."""
    _acting(by, town, (Role.OPERATOR,))
    unknown = set(fields) - set(VEHICLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown vehicle fields: {sorted(unknown)}")
    if vehicle is not None and vehicle.town_id != town.pk:
        raise NotFound("Dieses Fahrzeug gibt es nicht.")
    # A fresh, locked copy: a refused change leaves the caller's object as it was.
    target = (Vehicle.objects.select_for_update().get(pk=vehicle.pk) if vehicle is not None
              else Vehicle(town=town))
    before = snapshot(target) if vehicle is not None else None
    for name, value in fields.items():
        setattr(target, name, value.strip() if name == "name" else value)
    _vehicle_check(target, town)
    save_validated(target)
    audit_record(by=by, action="angelegt" if before is None else "geändert", obj=target,
                 before=before)
    return target


# --- shift patterns and their exceptions -------------------------------------------------


def _own_shifts_clear(pattern: ShiftPattern, start: date, days: int | None = None) -> int:
    """Delete the pattern's shifts from `start` (for `days` days, else all later ones) that
    carry no tour, so they are made again from the pattern as it is now."""
    shifts = Shift.objects.filter(pattern=pattern, day__gte=start, tours__isnull=True)
    if days is not None:
        shifts = shifts.filter(day__lt=start + timedelta(days=days))
    return shifts.delete()[0]


def _remake(pattern: ShiftPattern, start: date, days: int) -> Generated:
    """The pattern's shifts of `days` days from `start` made anew (those with a tour stay);
    a clash with another shift refuses the whole change."""
    removed = _own_shifts_clear(pattern, start, days)
    made = shifts_generate(town=pattern.town, start=start, days=days, patterns=[pattern],
                           strict=True)
    return Generated(made.created, removed, made.kept, made.skipped)


@transaction.atomic
def pattern_save(*, by: User, town: Town, pattern: ShiftPattern | None = None, rider: User,
                 vehicle: Vehicle, weekdays: list[int], start_time: time, end_time: time,
                 valid_from: date, valid_until: date | None = None,
                 today: date | None = None) -> tuple[ShiftPattern, Generated]:
    """Add or change a weekly shift pattern and make its shifts of the coming
    `LOUISE_SHIFT_WEEKS_AHEAD` weeks (its earlier shifts from today on without a tour are
    made again, so a change of times or vehicle reaches them)."""
    _acting(by, town, (Role.OPERATOR,))
    if pattern is not None and pattern.town_id != town.pk:
        raise NotFound("Dieses Schichtmuster gibt es nicht.")
    weekdays = sorted(set(weekdays))
    pattern_check(town=town, rider=rider, vehicle=vehicle, weekdays=weekdays,
                  start_time=start_time, end_time=end_time, valid_from=valid_from,
                  valid_until=valid_until, exclude=pattern.pk if pattern is not None else 0)
    target = (ShiftPattern.objects.select_for_update().get(pk=pattern.pk)
              if pattern is not None else ShiftPattern(town=town))
    before = snapshot(target) if pattern is not None else None
    target.rider, target.vehicle, target.weekdays = rider, vehicle, weekdays
    target.start_time, target.end_time = start_time, end_time
    target.valid_from, target.valid_until = valid_from, valid_until
    save_validated(target)
    made = Generated(0, 0, [])
    if target.active:
        made = _remake(target, today or _today(), weeks_ahead() * 7)
    audit_record(by=by, action="angelegt" if before is None else "geändert", obj=target,
                 before=before, note=_made_note(made))
    return target, made


@transaction.atomic
def pattern_active_set(*, by: User, pattern: ShiftPattern, active: bool,
                       today: date | None = None) -> Generated:
    """Switch a pattern off (its shifts from today on without a tour go) or on again (it is
    checked like a new one and its shifts are made)."""
    town = pattern.town
    _acting(by, town, (Role.OPERATOR,))
    today = today or _today()
    before = snapshot(pattern)
    if active:
        pattern_check(town=town, rider=pattern.rider, vehicle=pattern.vehicle,
                      weekdays=pattern.weekdays, start_time=pattern.start_time,
                      end_time=pattern.end_time, valid_from=pattern.valid_from,
                      valid_until=pattern.valid_until, exclude=pattern.pk)
    pattern.active = active
    pattern.save(update_fields=["active"])
    if active:
        made = _remake(pattern, today, weeks_ahead() * 7)
    else:
        made = Generated(0, _own_shifts_clear(pattern, today), [])
    audit_record(by=by, action="aktiviert" if active else "deaktiviert", obj=pattern,
                 before=before, note=_made_note(made))
    return made


def _exception_check(pattern: ShiftPattern, day: date, kind: str, substitute: User | None,
                     today: date) -> None:
    town = pattern.town
    if kind not in ShiftExceptionKind.values:
        raise Invalid("Bitte die Art der Ausnahme wählen.", field="kind")
    if day < today:
        raise Invalid("Der Tag liegt in der Vergangenheit.", field="day")
    if not pattern_covers(pattern, day, town):
        raise Invalid(f"Am {day:%d.%m.%Y} hat dieses Schichtmuster keine Schicht.",
                      field="day")
    if ShiftException.objects.filter(pattern=pattern, day=day).exists():
        raise Conflict(f"Für den {day:%d.%m.%Y} gibt es schon eine Ausnahme.", field="day")
    if kind != ShiftExceptionKind.SWAP:
        if substitute is not None:
            raise Invalid("Eine Vertretung gibt es nur beim Tausch; bei „krank“ oder "
                          "„Urlaub“ fällt die Schicht aus.", field="substitute")
        return
    if substitute is None:
        raise Invalid("Für einen Tausch bitte die Vertretung wählen.", field="substitute")
    if substitute.pk == pattern.rider_id:
        raise Invalid("Die Vertretung fährt diese Schicht ohnehin.", field="substitute")
    rider_check(substitute, town, field="substitute")


@transaction.atomic
def pattern_exception_add(*, by: User, pattern: ShiftPattern, day: date, kind: str,
                          substitute: User | None = None, note: str = "",
                          today: date | None = None) -> tuple[ShiftException, Generated]:
    """Mark one day of a pattern: ill or on holiday (no shift that day) or a swap (the
    substitute rides). The day's shift follows at once, unless it already carries a tour
    (then `kept` names it, and the dispatcher replans)."""
    _acting(by, pattern.town, (Role.OPERATOR,))
    _exception_check(pattern, day, kind, substitute, today or _today())
    exception = save_validated(ShiftException(pattern=pattern, day=day, kind=kind,
                                              substitute=substitute, note=note.strip()))
    made = _remake(pattern, day, 1) if pattern.active else Generated(0, 0, [])
    audit_record(by=by, action="angelegt", obj=exception, town_id=pattern.town_id,
                 note=_made_note(made))
    return exception, made


@transaction.atomic
def pattern_exception_delete(*, by: User, exception: ShiftException) -> Generated:
    """Take an exception back: the day's shift is made from the pattern again."""
    pattern = exception.pattern
    _acting(by, pattern.town, (Role.OPERATOR,))
    audit_record(by=by, action="gelöscht", obj=exception, town_id=pattern.town_id)
    day = exception.day
    exception.delete()
    if not pattern.active or day < _today():
        return Generated(0, 0, [])
    return _remake(pattern, day, 1)


def shifts_ahead(*, town: Town, by: User | None = None, weeks: int | None = None,
                 today: date | None = None) -> Generated:
    """Keep the town's shifts made for the coming weeks (the console's button and the
    nightly `louise shifts`); a run that changed something is audited."""
    if by is not None:
        _acting(by, town, (Role.OPERATOR,))
    weeks = weeks_ahead() if weeks is None else weeks
    if weeks < 1:
        raise Invalid("Bitte mindestens eine Woche angeben.", field="weeks")
    start = today or _today()
    with transaction.atomic():
        made = shifts_generate(town=town, start=start, days=weeks * 7)
        if made.created or made.removed:
            audit_record(by=by, action="Schichten angelegt", obj=town, town_id=town.pk,
                         note=f"bis {start + timedelta(weeks * 7 - 1):%d.%m.%Y}: "
                              f"{_made_note(made)}")
    return made


def _made_note(made: Generated) -> str:
    """What a generation did, in German, for the audit trail and the console's message."""
    parts = [f"{made.created} Schichten angelegt", f"{made.removed} entfernt"]
    if made.kept:
        parts.append(f"mit Tour behalten: {', '.join(made.kept)}")
    if made.skipped:
        parts.append(f"übersprungen: {' '.join(made.skipped)}")
    return "; ".join(parts)


# --- the day's shifts (dispatch) --------------------------------------------------------


@transaction.atomic
def shift_add(*, by: User, town: Town, rider: User, vehicle: Vehicle, day: date,
              start_time: time, end_time: time) -> Shift:
    """A one-off shift on `day`, e.g. a stand-in on a busy evening."""
    _acting(by, town, DISPATCH)
    crew_check(town=town, rider=rider, vehicle=vehicle, start_time=start_time,
               end_time=end_time)
    starts_at, ends_at = shift_span(day, start_time, end_time)
    shift = shift_create(rider=rider, vehicle=vehicle, starts_at=starts_at, ends_at=ends_at)
    audit_record(by=by, action="angelegt", obj=shift, town_id=town.pk)
    return shift


@transaction.atomic
def shift_change(*, by: User, shift: Shift, rider: User, vehicle: Vehicle, start_time: time,
                 end_time: time) -> Shift:
    """Change who rides a shift, with what, and when (on its own day); a shift whose tour
    is out with the rider is theirs and stays."""
    town = shift.vehicle.town
    _acting(by, town, DISPATCH)
    if shift.tours.filter(status__in=(TourStatus.PUBLISHED, TourStatus.DONE)).exists():
        raise Conflict("Diese Schicht hat eine veröffentlichte Tour und bleibt, wie sie ist.",
                       code="shift_published")
    crew_check(town=town, rider=rider, vehicle=vehicle, start_time=start_time,
               end_time=end_time)
    day = shift.starts_at.astimezone(BERLIN).date()
    starts_at, ends_at = shift_span(day, start_time, end_time)
    if reason := shift_conflict(rider=rider, vehicle=vehicle, starts_at=starts_at,
                                ends_at=ends_at, exclude=[shift.pk]):
        raise Conflict(reason, code="shift_overlap")
    target = Shift.objects.select_for_update().get(pk=shift.pk)
    before = snapshot(target)
    target.rider, target.vehicle = rider, vehicle
    target.starts_at, target.ends_at = starts_at, ends_at
    save_validated(target)
    audit_record(by=by, action="geändert", obj=target, before=before, town_id=town.pk)
    return target


@transaction.atomic
def shift_delete(*, by: User, shift: Shift) -> Shift:
    """Delete a shift nobody planned with yet (returned without its primary key). A
    pattern's shift is marked free for that day in its pattern, so the nightly generation
    does not bring it back."""
    town_id = shift.vehicle.town_id
    _acting(by, shift.vehicle.town, DISPATCH)
    if shift.tours.exists():
        raise Conflict("Diese Schicht hat schon Touren; bitte erst neu planen.",
                       code="shift_has_tours")
    audit_record(by=by, action="gelöscht", obj=shift, town_id=town_id)
    if shift.pattern_id is not None and shift.day is not None:
        exception, created = ShiftException.objects.update_or_create(
            pattern_id=shift.pattern_id, day=shift.day,
            defaults={"kind": ShiftExceptionKind.HOLIDAY, "substitute": None,
                      "note": "Schicht in der Disposition gelöscht"})
        audit_record(by=by, action="angelegt" if created else "geändert", obj=exception,
                     town_id=town_id)
    shift.delete()
    return shift
