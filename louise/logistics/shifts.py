"""Shifts made ahead from weekly patterns, with the exceptions of single days.

A pattern ("Mo–Fr 14:00–21:00, Rad 1, Anna") makes one shift per matching working day of
its town; a day marked sick or holiday makes none, a swap makes the substitute's shift.
Generating is idempotent (one shift per pattern and day, a database constraint), so the
nightly job, the console's button and `louise simulate` may all call it for any range.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q

from louise.accounts.audit import audit_record, snapshot
from louise.accounts.models import Role, User
from louise.core.calendar import BERLIN, is_working_day
from louise.core.errors import Conflict, Invalid
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


@dataclass(frozen=True)
class Generated:
    """What one generation did, for the console's message and the simulation's log."""

    created: int
    removed: int
    kept: list[str]  # shifts an exception should remove but that already carry a tour
    # pattern shifts not made because the rider or vehicle is busy then (why, in German)
    skipped: list[str] = field(default_factory=list)


def shift_conflict(*, rider: User, vehicle: Vehicle, starts_at: datetime, ends_at: datetime,
                   exclude: Iterable[int] = ()) -> str | None:
    """Why a shift cannot be added (the rider or the vehicle is busy then), or None."""
    overlapping = Shift.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        pk__in=list(exclude))
    if overlapping.filter(rider=rider).exists():
        return (f"{rider.display_name} hat am {starts_at.astimezone(BERLIN):%d.%m.%Y} zu "
                f"dieser Zeit schon eine Schicht.")
    if overlapping.filter(vehicle=vehicle).exists():
        return (f"{vehicle.name} ist am {starts_at.astimezone(BERLIN):%d.%m.%Y} zu dieser "
                f"Zeit schon vergeben.")
    return None


def shift_span(day: date, start_time: time, end_time: time) -> tuple[datetime, datetime]:
    """A shift's start and end on `day`, wall-clock times in the town's zone."""
    return datetime.combine(day, start_time, BERLIN), datetime.combine(day, end_time, BERLIN)


def pattern_covers(pattern: ShiftPattern, day: date, town: Town) -> bool:
    """Whether the active pattern makes a shift on `day` (its weekdays and dates, and a
    working day of its town), exceptions aside."""
    return (pattern.active and day.weekday() in pattern.weekdays
            and pattern.valid_from <= day
            and (pattern.valid_until is None or day <= pattern.valid_until)
            and is_working_day(day, town.schedule))


def _rider_of(pattern: ShiftPattern, exception: ShiftException | None,
              riding: set[int]) -> User | None:
    """Who rides the pattern's shift on the exception's day: nobody when ill or on holiday,
    the substitute on a swap; someone no longer `riding` for the town (blocked, or taken
    off its team) never gets a shift."""
    if exception is not None and exception.kind != ShiftExceptionKind.SWAP:
        return None
    rider = pattern.rider if exception is None else exception.substitute
    return rider if rider is not None and rider.pk in riding else None


@transaction.atomic
def shifts_generate(*, town: Town, start: date, days: int,
                    patterns: Iterable[ShiftPattern] | None = None,
                    strict: bool = False) -> Generated:
    """Make the shifts of `town`'s active patterns (or only `patterns`) for `days` days from
    `start`. A day the pattern no longer covers (an exception says "no shift", its rider
    was blocked or left the town's team, its dates or weekdays changed) loses the
    pattern's shift unless a tour already uses it. Where the rider or vehicle is busy with
    another shift the pattern steps aside, or with `strict` (saving a pattern) the whole
    change is refused."""
    created = removed = 0
    kept: list[str] = []
    skipped: list[str] = []
    wanted = (ShiftPattern.objects.filter(town=town, active=True) if patterns is None
              else ShiftPattern.objects.filter(pk__in=[p.pk for p in patterns], town=town))
    chosen = list(wanted.select_related("rider", "vehicle"))
    end = start + timedelta(days=days)
    exceptions = {(e.pattern_id, e.day): e for e in ShiftException.objects.filter(
        pattern__in=chosen, day__gte=start, day__lt=end).select_related("substitute")}
    existing = {(s.pattern_id, s.day): s for s in Shift.objects.filter(
        pattern__in=chosen, day__gte=start, day__lt=end)}
    riding = set(town.staff.filter(role=Role.RIDER, is_active=True)
                 .values_list("pk", flat=True))
    for offset in range(days):
        day = start + timedelta(days=offset)
        for pattern in chosen:
            shift = existing.get((pattern.pk, day))
            exception = exceptions.get((pattern.pk, day))
            rider = (_rider_of(pattern, exception, riding)
                     if pattern_covers(pattern, day, town) else None)
            if rider is None:
                if shift is not None:
                    if shift.tours.exists():
                        kept.append(str(shift))
                    else:
                        shift.delete()
                        removed += 1
                continue
            if shift is not None:
                # Only a swap changes who rides an existing shift; a dispatcher's own
                # change of rider, times or vehicle stays.
                if exception is not None and shift.rider_id != rider.pk:
                    if shift.tours.exists():
                        kept.append(str(shift))
                    else:
                        shift.rider = rider
                        shift.save(update_fields=["rider"])
                continue
            starts_at, ends_at = shift_span(day, pattern.start_time, pattern.end_time)
            reason = shift_conflict(rider=rider, vehicle=pattern.vehicle, starts_at=starts_at,
                                    ends_at=ends_at)
            if reason is not None:
                if strict:
                    raise Conflict(reason, code="shift_overlap")
                skipped.append(reason)
                continue
            save_validated(Shift(rider=rider, vehicle=pattern.vehicle, starts_at=starts_at,
                                 ends_at=ends_at, pattern=pattern, day=day))
            created += 1
    return Generated(created, removed, kept, skipped)


def rider_check(rider: User, town: Town, *, field: str = "rider") -> None:
    """The person is an active rider of `town`."""
    if not rider.has_role(Role.RIDER) or not rider.towns.filter(pk=town.pk).exists():
        raise Invalid(f"{rider.display_name} fährt nicht für {town.name}.", field=field)


def crew_check(*, town: Town, rider: User, vehicle: Vehicle, start_time: time,
               end_time: time) -> None:
    """A shift (or a pattern's) ends on the day it begins, with a rider and a vehicle of
    the town."""
    if end_time <= start_time:
        raise Invalid("Eine Schicht endet am selben Tag nach ihrem Beginn; über Mitternacht "
                      "bitte zwei Schichten anlegen.", field="end_time")
    rider_check(rider, town)
    if vehicle.town_id != town.pk:
        raise Invalid(f"{vehicle.name} gehört nicht zu {town.name}.", field="vehicle")


def pattern_check(*, town: Town, rider: User, vehicle: Vehicle, weekdays: list[int],
                  start_time: time, end_time: time, valid_from: date,
                  valid_until: date | None, exclude: int = 0) -> None:
    """Refuse a pattern that cannot work: across midnight, no weekday, a rider or vehicle
    of another town, or overlapping another active pattern of the same rider or vehicle."""
    if not weekdays or not all(isinstance(d, int) and 0 <= d <= 6 for d in weekdays):
        raise Invalid("Bitte mindestens einen Wochentag wählen.", field="weekdays")
    crew_check(town=town, rider=rider, vehicle=vehicle, start_time=start_time,
               end_time=end_time)
    if valid_until is not None and valid_until < valid_from:
        raise Invalid("„gilt bis“ liegt vor „gilt ab“.", field="valid_until")
    others = ShiftPattern.objects.filter(
        Q(rider=rider) | Q(vehicle=vehicle), active=True, start_time__lt=end_time,
        end_time__gt=start_time).exclude(pk=exclude)  # 0: no pattern (primary keys start at 1)
    for other in others:
        same_days = set(other.weekdays) & set(weekdays)
        dates_meet = ((other.valid_until is None or other.valid_until >= valid_from)
                      and (valid_until is None or valid_until >= other.valid_from))
        if same_days and dates_meet:
            raise Conflict(f"Überschneidet sich mit dem Schichtmuster „{other}“.",
                           code="pattern_overlap")


# A trimmed shift begins on a round time, the last one before the tour leaves.
TRIM_STEP = timedelta(minutes=5)


def shift_start_to_tour(*, shift: Shift, tour_start: datetime, by: User | None,
                        now: datetime | None = None) -> Shift:
    """The shift begins when its tour leaves (rounded down to `TRIM_STEP`), not earlier: a
    rider is paid for the shift, and a bike waiting at the hub for the evening wave is paid
    time for nothing. Done when the tour is published (the rider's plan is fixed then) and
    audited like any other shift change; the caller holds the transaction.

    `now`: the tour is added while the day runs (`running.legs_insert` giving a rider on
    duty a first tour); a shift that has begun by then keeps its start, its rider is there.

    The end stays: a published tour may still grow (a counter delivery slotted in, a failed
    drop taken to a locker), and when the rider comes back is known only then
    (`shift_end_to_return`).
    """
    local = tour_start.astimezone(BERLIN)
    rounded = local - (local - local.replace(minute=0, second=0, microsecond=0)) % TRIM_STEP
    begun = now is not None and shift.starts_at <= now
    if begun or not shift.starts_at < rounded < shift.ends_at:
        return shift
    return _trimmed(shift, by=by, starts_at=rounded)


def paid_until(shift: Shift, back: datetime) -> datetime:
    """When the rider's paid time ends if they are back at the hub at `back` with nothing
    left to ride: the first round time (`TRIM_STEP`) from then, never after the shift's end
    (a later return is overtime, which the shift does not plan) nor before its start."""
    local = back.astimezone(BERLIN)
    past = (local - local.replace(minute=0, second=0, microsecond=0)) % TRIM_STEP
    rounded = local + (TRIM_STEP - past if past else timedelta(0))
    return max(shift.starts_at, min(shift.ends_at, rounded))


def shift_end_to_return(*, shift: Shift, back: datetime, by: User) -> Shift:
    """The shift ends when its rider is back with the last tour done (`paid_until`), not
    at the planned end: a bike back at 19:40 is not paid until 21:00 for nothing. Done when
    the last stop of the shift's last tour is closed (a shift with another draft or
    published tour keeps its end), audited; the caller holds the transaction."""
    end = paid_until(shift, back)
    # back before the shift began (stops recorded ahead of the planned times): keep it
    if not shift.starts_at < end < shift.ends_at or shift.tours.filter(
            status__in=[TourStatus.DRAFT, TourStatus.PUBLISHED]).exists():
        return shift
    return _trimmed(shift, by=by, ends_at=end)


def _trimmed(shift: Shift, *, by: User | None, **times: datetime) -> Shift:
    before = snapshot(shift)
    for name, value in times.items():
        setattr(shift, name, value)
    save_validated(shift)
    audit_record(by=by, action="an die Tour angepasst", obj=shift, before=before,
                 town_id=shift.vehicle.town_id)
    return shift
