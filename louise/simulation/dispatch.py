"""The simulated dispatcher: shifts from the town's patterns every morning, the day planned
and published just after the cut-off, and two more rounds in the afternoon that slot what
became ready since into the running tours (or plan it onto riders still free).

Legs that become plannable after publishing are slotted in by the app itself
(`logistics.running.new_legs_insert`, a job queued on commit); the rounds catch what that
left open, like the console's "Neue Aufträge einfügen".
"""

from datetime import date, datetime, time, timedelta
from functools import partial

from django.db.models import Q

from louise.accounts.models import Role, User
from louise.core.errors import Conflict, DomainError, Invalid
from louise.geo.models import Town
from louise.logistics.fleet import pattern_save
from louise.logistics.models import ShiftPattern, Tour, TourStatus, Vehicle
from louise.logistics.planning_bridge import Day, plannable_legs, plannable_shifts
from louise.logistics.running import open_legs_insert, running_tours
from louise.logistics.services import plan_day, tour_publish
from louise.logistics.shifts import shifts_generate

from .agenda import Life
from .riders import ride

SHIFTS_AT = time(6)
# After the cut-off, once more when the late packers are done, and just before the wave.
ROUNDS_AFTER_CUTOFF = (timedelta(minutes=5), timedelta(minutes=90))
LAST_ROUND_BEFORE_WAVE = timedelta(minutes=20)
# The dispatcher knows the checker's objections and rides anyway (rare; on the record).
OVERRIDE = "Simulierte Disposition: Tour des Planers ohne Änderung freigegeben."
PATTERN_END_AFTER_WAVE = timedelta(minutes=30)
APP_LOOK = timedelta(minutes=5)  # how often a rider on shift looks for a new tour


def dispatching(life: Life) -> None:
    """The dispatcher's day; tours already published for it (the demo's) are ridden too,
    and so is a tour the app gives a rider on shift later (an insertion's, for a rider who
    had none): riders look at their app every `APP_LOOK` until the wave ends."""
    life.at(life.clock(SHIFTS_AT), "Schichten", partial(_shifts, life))
    look, until = life.clock(SHIFTS_AT), life.clock(life.town.wave_end)
    while look < until:
        life.at(look, "Fahrer-App", partial(_tours_ridden, life))
        look += APP_LOOK
    cutoff = life.clock(life.town.order_cutoff)
    wave = life.clock(life.town.wave_start)
    for at in (*(cutoff + offset for offset in ROUNDS_AFTER_CUTOFF),
               wave - LAST_ROUND_BEFORE_WAVE):
        life.at(at, "Einfügen", partial(_insert, life))
        life.at(at, "Planung", partial(_plan, life))
    _tours_ridden(life)


def _tours_ridden(life: Life) -> None:
    """Every published tour of the day not yet under way is ridden."""
    for tour in Tour.objects.filter(plan_run__town=life.town, plan_run__day=life.day,
                                    status=TourStatus.PUBLISHED).exclude(
            pk__in=life.riding).order_by("pk"):
        ride(life, tour)


def _shifts(life: Life) -> None:
    shifts_generate(town=life.town, start=life.day, days=1)


def _insert(life: Life) -> None:
    """New orders into the running plan, when there is one and something is open."""
    the_day = Day(life.day, life.town.pk)
    if running_tours(the_day) and plannable_legs(the_day).exists():
        open_legs_insert(town=life.town, day=life.day, by=life.cast.dispatcher)


def _plan(life: Life) -> None:
    """Plan what is still open onto the riders without a published tour, and publish."""
    the_day = Day(life.day, life.town.pk)
    if not (plannable_legs(the_day).exists() and plannable_shifts(the_day).exists()):
        return
    run = plan_day(town=life.town, day=life.day, by=life.cast.dispatcher,
                   time_limit=life.options.time_limit)
    for tour in run.tours.filter(status=TourStatus.DRAFT).order_by("pk"):
        try:
            tour = tour_publish(tour=tour, by=life.cast.dispatcher)
        except Conflict as exc:
            if exc.code != "tour_infeasible":
                raise
            tour = tour_publish(tour=tour, by=life.cast.dispatcher, override_reason=OVERRIDE)
            life.incidents.append(f"Tour {tour.pk} trotz Einwänden des Prüfers freigegeben")
        ride(life, tour)


def patterns_ensure(town: Town, start: date, today: date) -> list[str]:
    """The shift patterns the town's days from `start` need, set up by its operator through
    the console's service (audited, shifts made ahead). A town without any gets the pilot's
    rhythm: each rider of the town on one vehicle, on the town's working days, from the
    cut-off until half an hour after the wave. A pattern in force `today` that begins after
    `start` (a demo set up today, its past simulated afterwards) is dated back to `start`:
    the past is lived with today's rhythm, so a past day gets its shifts from the same
    `shifts_generate` as any other. Returns what was made or changed."""
    patterns = ShiftPattern.objects.filter(town=town, active=True)
    if not patterns.exists():
        return [f"Schichtmuster angelegt: {made}" for made in _patterns_make(town, start)]
    operator = _operator(town)
    changed = []
    for pattern in patterns.filter(valid_from__gt=start, valid_from__lte=today).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)).select_related(
            "rider", "vehicle").order_by("pk"):
        try:
            pattern_save(by=operator, town=town, pattern=pattern, rider=pattern.rider,
                         vehicle=pattern.vehicle, weekdays=pattern.weekdays,
                         start_time=pattern.start_time, end_time=pattern.end_time,
                         valid_from=start, valid_until=pattern.valid_until, today=start)
        except DomainError as exc:  # another pattern or shift of the rider then
            changed.append(f"Schichtmuster {pattern} nicht vorverlegt: {exc.message}")
            continue
        changed.append(f"Schichtmuster ab {start:%d.%m.%Y}: {pattern}")
    return changed


def _operator(town: Town) -> User:
    operator = (User.objects.filter(role=Role.OPERATOR, is_active=True)
                .filter(Q(towns=town) | Q(all_towns=True)).order_by("all_towns", "pk").first())
    if operator is None:
        raise Invalid(f"{town.name} hat keine Betriebsleitung, die Schichtmuster anlegen "
                      "oder ändern könnte.", code="no_operator")
    return operator


def _patterns_make(town: Town, start: date) -> list[str]:
    operator = _operator(town)
    riders = User.objects.filter(role=Role.RIDER, is_active=True, towns=town).order_by(
        "username")
    vehicles = Vehicle.objects.filter(town=town, active=True).order_by("name")
    end = (datetime.combine(start, town.wave_end) + PATTERN_END_AFTER_WAVE).time()
    return [str(pattern_save(by=operator, town=town, rider=rider, vehicle=vehicle,
                             weekdays=list(town.working_days), start_time=town.order_cutoff,
                             end_time=end, valid_from=start, today=start)[0])
            for rider, vehicle in zip(riders, vehicles, strict=False)]
