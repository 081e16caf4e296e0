"""Writes for logistics: planning a day, publishing tours, and what riders report."""

import logging
import time
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from louise import planning
from louise.accounts.access import DISPATCH, require_role, visible_to
from louise.accounts.models import Role, User
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, Invalid, NotFound
from louise.core.images import image_upload
from louise.core.validation import save_validated
from louise.geo.models import LockerCompartment, Town, VehicleKind
from louise.orders.charges import refused_credit
from louise.orders.labels import label_payload_parse
from louise.orders.lifecycle import order_transition
from louise.orders.models import OrderStatus
from louise.planning.matrix import DETOUR_FACTOR, metres_to_seconds

from .fallback import fallback_apply
from .hub_desk import release_check
from .models import (
    ACTIVE_RUN,
    Leg,
    LegKind,
    LegStatus,
    PlanRun,
    Proof,
    ProofMethod,
    RunStatus,
    Shift,
    StopKind,
    StopStatus,
    Tour,
    TourStatus,
    TourStop,
    Vehicle,
)
from .planning_bridge import (
    Day,
    draft_locks,
    drop_groups,
    expanded,
    hub_location,
    plan_time_limit,
    plannable_legs,
    plannable_shifts,
    problem_for,
    to_vehicle,
    tour_write,
)
from .publishing import publish_check
from .ridden import ridden_store
from .running import etas_refresh
from .shifts import shift_conflict, shift_end_to_return, shift_start_to_tour
from .shopping import bought_check

log = logging.getLogger(__name__)


def plan_day(*, town: Town, day: date, by: User | None = None,
             time_limit: float | None = None, seed: int = 0) -> PlanRun:
    """Plan all open legs of a town's day onto its free shifts, right now (CLI, demo).

    When a run of the day is already queued or running, this one joins it: it computes a
    queued run itself, or waits for the one another worker is computing."""
    run, _created = plan_run_create(town=town, day=day, by=by, time_limit=time_limit)
    plan_run_compute(run=run, seed=seed)
    deadline = time.monotonic() + run.time_limit_s + settings.LOUISE_PLAN_STALE_S
    while run.status in ACTIVE_RUN and time.monotonic() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    if run.status == RunStatus.FAILED:
        raise Invalid(f"Planung nicht möglich: {run.error}", code="planning_failed")
    return run


def plan_run_create(*, town: Town, day: date, by: User | None = None,
                    time_limit: float | None = None) -> tuple[PlanRun, bool]:
    """The stored job: what is asked; `plan_run_compute` (in a worker or inline) answers.

    One run per town and day at a time (towns plan in parallel): while one is queued or
    running, it is returned instead of a new one (`created` False). The database's unique
    constraint decides a race, so two requests at the same moment also end up with one
    run. Without a `time_limit` the run gets the day's (`plan_time_limit`: by its legs)."""
    if by is not None:
        require_role(by, *DISPATCH)
        if not visible_to(Town, by).filter(pk=town.pk).exists():
            raise NotFound("Diese Stadt gibt es nicht.")
    plan_runs_expire()
    for _attempt in range(3):
        active = PlanRun.objects.filter(town=town, day=day, status__in=ACTIVE_RUN).first()
        if active is not None:
            return active, False
        try:
            with transaction.atomic():
                return PlanRun.objects.create(
                    town=town, day=day, created_by=by, status=RunStatus.QUEUED,
                    time_limit_s=time_limit or plan_time_limit(Day(day, town.pk))), True
        except IntegrityError:
            continue  # a concurrent request created the day's run a moment ago: join it
    raise Conflict("Für diesen Tag wird gerade geplant; bitte gleich noch einmal versuchen.",
                   code="plan_busy")


def plan_runs_expire(*, now: datetime | None = None) -> int:
    """Fail the runs whose worker is gone: running without a heartbeat for
    `LOUISE_PLAN_STALE_S`, or queued longer than `LOUISE_PLAN_QUEUE_MAX_S` (nobody picked
    them up). Called when a worker starts and before each new run, so a killed worker
    never blocks a day's planning for good. Returns how many were failed."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.LOUISE_PLAN_STALE_S)
    running = PlanRun.objects.filter(status=RunStatus.RUNNING).filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at=None, created_at__lt=stale))
    failed = running.update(status=RunStatus.FAILED,
                            error="Abgebrochen: der Rechenprozess antwortet nicht mehr.")
    waited = now - timedelta(seconds=settings.LOUISE_PLAN_QUEUE_MAX_S)
    failed += PlanRun.objects.filter(status=RunStatus.QUEUED, created_at__lt=waited).update(
        status=RunStatus.FAILED, error="Abgebrochen: kein Hintergrund-Worker hat den Lauf "
                                       "übernommen.")
    return failed


def plan_run_compute(*, run: PlanRun, seed: int = 0) -> PlanRun:
    """Solve a queued run; draft tours replace older drafts, locked stops keep their tour.

    Only one caller computes a run: it claims the run (queued to running) in one update;
    anyone else gets the run back as it stands. The solver runs outside the transaction
    (it may take seconds); the result is written in one transaction, so a failed run
    leaves the previous drafts untouched.
    """
    claimed = PlanRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, heartbeat_at=timezone.now())
    if not claimed:
        run.refresh_from_db()
        return run
    run.status = RunStatus.RUNNING
    plan_day_day = Day.of(run)
    drafted = list(Leg.objects.filter(status=LegStatus.PLANNED,
                                      stops__tour__status=TourStatus.DRAFT,
                                      stops__tour__plan_run__day=run.day,
                                      stops__tour__plan_run__town=run.town_id).distinct())
    legs = list(plannable_legs(plan_day_day)) + drafted
    shifts = list(plannable_shifts(plan_day_day))
    groups = drop_groups(legs)  # a delivery's parcels from the hub: one drop
    problem = problem_for(plan_day_day, legs, [to_vehicle(s, plan_day_day) for s in shifts],
                          locks=draft_locks(plan_day_day), groups=groups)
    log.info("plan run started", extra={"run": run.pk, "day": run.day.isoformat(),
                                        "town": run.town_id,
                                        "legs": len(legs), "shifts": len(shifts),
                                        "time_limit_s": run.time_limit_s})
    started = time.perf_counter()

    def progress(fraction: float) -> None:
        PlanRun.objects.filter(pk=run.pk).update(progress=round(fraction, 3),
                                                 heartbeat_at=timezone.now())

    try:
        result = planning.plan(problem, time_limit=run.time_limit_s, seed=seed,
                               on_progress=progress)
    except planning.PlanningError as exc:
        run.status, run.error = RunStatus.FAILED, str(exc)
        run.save(update_fields=["status", "error"])
        log.warning("plan run failed", extra={
            "run": run.pk, "error": str(exc),
            "seconds": round(time.perf_counter() - started, 2)})
        raise Invalid(f"Planung nicht möglich: {exc}", code="planning_failed") from exc
    _store_plan(run, plan_day_day, result, {leg.pk: leg for leg in legs},
                {shift.pk: shift for shift in shifts}, planning.plan_use(problem, result), groups)
    log.info("plan run finished", extra={
        "run": run.pk, "day": run.day.isoformat(), "legs": len(legs),
        "tours": run.summary["tours"], "assigned": run.summary["assigned"],
        "unassigned": len(run.summary["unassigned"]), "km": run.summary["distance_km"],
        "solver": run.summary["solver"], "seconds": round(time.perf_counter() - started, 2)})
    return run


@transaction.atomic
def _store_plan(run: PlanRun, day: Day, result: planning.Plan, legs: dict, shifts: dict,
                use: dict[str, planning.Use], groups: dict[int, list[Leg]]) -> None:
    if PlanRun.objects.select_for_update().get(pk=run.pk).status != RunStatus.RUNNING:
        # declared stale meanwhile (and perhaps replaced by a newer run): store nothing
        raise Conflict("Dieser Planungslauf wurde abgebrochen.", code="plan_run_expired")
    locked = set(TourStop.objects.filter(tour__plan_run__day=day.day, locked=True,
                                         tour__plan_run__town=day.town_id,
                                         tour__status=TourStatus.DRAFT)
                 .values_list("leg_id", flat=True))
    Tour.objects.filter(plan_run__day=day.day, plan_run__town=day.town_id,
                        status=TourStatus.DRAFT).exclude(
        plan_run=run).update(status=TourStatus.DISCARDED)
    Leg.objects.filter(pk__in=legs).update(status=LegStatus.OPEN)
    for planned in result.tours:
        if not planned.stops:
            continue
        tour = Tour.objects.create(plan_run=run, shift=shifts[int(planned.vehicle_id)],
                                   starts_at=day.at(planned.start), ends_at=day.at(planned.end))
        tour_write(tour, planned, day, legs=legs, groups=groups)
        tour.stops.filter(leg_id__in=locked).update(locked=True)
    assigned = {leg.pk for t in result.tours
                for leg, *_ in expanded(t.stops, groups, legs, day.times)}
    Leg.objects.filter(pk__in=assigned).update(status=LegStatus.PLANNED)
    run.status, run.progress = RunStatus.DONE, 1.0
    run.summary = {
        "tours": sum(1 for t in result.tours if t.stops),
        "legs": len(legs),
        "assigned": len(assigned),
        "distance_km": round(result.distance_m / 1000, 2),
        "solver": result.solver,
        "unassigned": [{"leg": leg.pk, "code": u.code, "reason": u.reason}
                       for u in result.unassigned
                       for leg in groups.get(int(u.leg_id), [legs[int(u.leg_id)]])],
        # the riders' paid time (their shifts) against the tours' (see planning.figures)
        "paid_hours": round(sum(u.paid_hours for u in use.values()), 2),
        "vehicle_hours": round(sum(u.vehicle_hours for u in use.values()), 2),
        # per vehicle kind, named as everywhere else (the console shows what each kind takes)
        "vehicles": {kind: {**u.as_json(), "label": str(VehicleKind(kind).label)}
                     for kind, u in use.items()},
    }
    run.save(update_fields=["status", "progress", "summary"])


@transaction.atomic
def tour_publish(*, tour: Tour, by: User, override_reason: str = "") -> Tour:
    """The draft goes to its rider; see `publishing.publish_check` for when it may not."""
    require_role(by, *DISPATCH)
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if tour.status != TourStatus.DRAFT:
        raise Conflict(f"Nur Entwürfe können veröffentlicht werden (Tour {tour.pk} ist "
                       f"„{tour.get_status_display()}“).", code="illegal_transition")
    publish_check(tour=tour, by=by, override_reason=override_reason)
    tour.status, tour.published_at = TourStatus.PUBLISHED, timezone.now()
    tour.save(update_fields=["status", "published_at"])
    shift_start_to_tour(shift=Shift.objects.select_for_update().get(pk=tour.shift_id),
                        tour_start=tour.starts_at, by=by)
    return tour


def _stop_for_rider(stop_id: int, rider: User) -> TourStop:
    require_role(rider, Role.RIDER)
    stop = (visible_to(TourStop.objects.select_for_update(of=("self",)), rider)
            .select_related("tour__shift", "tour__plan_run", "leg__order").filter(pk=stop_id)
            .first())
    if stop is None:
        raise NotFound("Diesen Stopp gibt es auf Ihren Touren nicht.")
    if stop.tour.status != TourStatus.PUBLISHED:
        raise Conflict("Diese Tour ist nicht freigegeben.", code="tour_not_published")
    day = stop.tour.plan_run.day
    if timezone.now().astimezone(BERLIN).date() < day:  # the app shows tomorrow's tour ahead
        raise Conflict(f"Diese Tour ist für den {day:%d.%m.%Y}: ihre Stopps lassen sich erst "
                       "an diesem Tag erledigen.", code="tour_not_today")
    if stop.status != StopStatus.PENDING:
        raise Conflict("Dieser Stopp ist schon abgeschlossen.", code="stop_closed")
    if stop.kind == StopKind.DELIVERY and stop.leg.status != LegStatus.COLLECTED:
        raise Conflict("Erst abholen, dann zustellen: die Sendung ist noch nicht abgeholt.",
                       code="not_collected")
    return stop


_PICKUP_EVENTS: dict[str, tuple[str, ...]] = {
    LegKind.DELIVERY: ("collect", "dispatch"), LegKind.ITEM_PICKUP: ("pick_up_item",),
    LegKind.RETURN: ("collect", "dispatch"), LegKind.TRANSFER: ("collect",),
    LegKind.SHOPPING: ("collect", "dispatch")}
_DROP_EVENTS: dict[str, tuple[str, ...]] = {
    LegKind.DELIVERY: ("deliver",), LegKind.ITEM_PICKUP: ("receive_item",),
    LegKind.RETURN: ("deliver",), LegKind.TRANSFER: ("receive_item",),
    LegKind.SHOPPING: ("deliver",)}


def _order_events(leg: Leg, kind: str) -> tuple[str, ...]:
    """What a done stop means for the order. At the hub the staff's scan says "im
    City-Depot" (hub_desk), so a drop there changes nothing; a parcel leaving it is on its
    way ("dispatch"), an item going on to its shop (a transfer) has nothing to say yet."""
    if (leg.pickup_ref if kind == StopKind.PICKUP else leg.drop_ref).startswith("hub:"):
        return ("dispatch",) if kind == StopKind.PICKUP and leg.kind == LegKind.DELIVERY else ()
    return (_PICKUP_EVENTS if kind == StopKind.PICKUP else _DROP_EVENTS)[leg.kind]


@transaction.atomic
def stop_complete(*, stop_id: int, rider: User, parcels: int | None = None,
                  proof_method: str | None = None, recipient_name: str = "",
                  locker_code: str = "", signature_svg: str = "", photo=None,
                  codes: list[str] | None = None, at: datetime | None = None) -> TourStop:
    """The rider finished a stop: a pickup confirms the parcel count, a drop needs a proof.

    `codes` are the scanned (or typed) labels: they must belong to the order, and count the
    parcels unless the rider counted them (`parcels`). `at` is when the rider did it,
    earlier than now when the phone was offline."""
    stop = _stop_for_rider(stop_id, rider)
    leg = stop.leg
    if stop.kind == StopKind.PICKUP:
        if codes:
            scanned = _parcels_scanned(leg, codes)
            parcels = scanned if parcels is None else parcels
        if parcels is not None and parcels != leg.parcels:
            raise Invalid(f"Anzahl stimmt nicht: {leg.parcels} Pakete erwartet, {parcels} "
                          "gescannt.", field="parcels", code="parcel_count")
        release_check(leg)
        bought_check(leg)
        leg.status, events = LegStatus.COLLECTED, _order_events(leg, StopKind.PICKUP)
        if leg.fallback_for_id and leg.order and leg.order.status == OrderStatus.FAILED:
            events = ("retry",)  # a failed parcel leaves the hub again in the next wave
    else:
        _locker_code_check(stop, proof_method, locker_code)
        _proof_create(stop, proof_method, recipient_name, locker_code, signature_svg, photo)
        leg.status, events = LegStatus.DELIVERED, _order_events(leg, StopKind.DELIVERY)
    leg.save(update_fields=["status"])
    stop.status, stop.done_at = StopStatus.DONE, _when(at)
    stop.save(update_fields=["status", "done_at"])
    if leg.order is not None:
        for event in events:
            if event == "receive_item" and leg.order.status == OrderStatus.IN_SERVICE:
                continue  # the shop scanned the item in before the rider confirmed the drop
            order_transition(leg.order, event, by=rider)
    _close_tour_if_done(stop, rider)
    transaction.on_commit(lambda: etas_refresh(tour=stop.tour))
    return stop


def _parcels_scanned(leg: Leg, codes: list[str]) -> int:
    """Distinct parcels of this leg's order among the scanned labels."""
    scans = [label_payload_parse(code) for code in codes]
    number = leg.order.number if leg.order else ""
    if wrong := next((s.number for s in scans if s.number != number), None):
        raise Invalid(f"Das Etikett gehört zu Bestellung {wrong}, nicht zu {number}.",
                      field="codes", code="wrong_label")
    return len({s.parcel for s in scans})


def _locker_code_check(stop: TourStop, method: str | None, code: str) -> None:
    """At a locker the rider proves the drop with the compartment's code, always: a photo
    or a typo would leave the customer in front of a closed door, and a parcel without a
    compartment has no door at all."""
    if not stop.leg.drop_ref.startswith("locker:"):
        return
    box = (LockerCompartment.objects.filter(order=stop.leg.order_id).first()
           if stop.leg.order_id else None)
    if box is None:
        raise Conflict("Für diese Sendung ist kein Fach reserviert. Bitte nicht einlegen und "
                       "die Disposition anrufen.", code="no_compartment")
    if method != ProofMethod.LOCKER_CODE:
        raise Invalid(f"An der Paketstation gilt nur der Code von Fach {box.number} als "
                      "Nachweis.", field="locker_code", code="locker_code")
    if code.strip() != box.code:
        raise Invalid(f"Der Code passt nicht zu Fach {box.number}.", field="locker_code",
                      code="locker_code")


def _proof_create(stop: TourStop, method: str | None, recipient_name: str, locker_code: str,
                  signature_svg: str, photo) -> Proof:
    if method not in ProofMethod.values:
        raise Invalid("Zustellnachweis fehlt: Foto, Unterschrift, Name oder Fachcode.",
                      field="proof_method", code="proof_missing")
    given = {ProofMethod.NAME: recipient_name.strip(), ProofMethod.LOCKER_CODE: locker_code.strip(),
             ProofMethod.SIGNATURE: signature_svg.strip(),
             ProofMethod.PHOTO: photo}[ProofMethod(method)]
    if not given:
        raise Invalid(f"Für den Nachweis „{ProofMethod(method).label}“ fehlt der Inhalt.",
                      field=method, code="proof_missing")
    proof = Proof(stop=stop, method=method, recipient_name=recipient_name.strip(),
                  locker_code=locker_code.strip(), signature_svg=signature_svg)
    if photo:
        proof.photo.save("nachweis.jpg", image_upload(photo), save=False)
    proof.save()
    return proof


class FailureReason:
    """Why a stop could not be done; a drop and a pickup fail for different reasons."""

    NOT_HOME = "not_home"
    REFUSED = "refused"
    DAMAGED = "damaged"
    NO_ACCESS = "no_access"
    SHOP_CLOSED = "shop_closed"
    NOT_PACKED = "not_packed"
    DROP = {"not_home": "nicht angetroffen", "refused": "Annahme verweigert",
            "damaged": "beschädigt", "no_access": "kein Zugang"}
    PICKUP_SHOP = {"shop_closed": "Geschäft geschlossen",
                   "not_packed": "Ware nicht fertig gepackt"}
    PICKUP_DOOR = {"not_home": "nicht angetroffen", "no_access": "kein Zugang"}
    PICKUP = PICKUP_SHOP | PICKUP_DOOR
    LABELS = DROP | PICKUP

    @classmethod
    def at(cls, stop: TourStop) -> dict[str, str]:
        """The reasons that fit the stop: a pickup at a shop fails for the shop's, one at a
        customer's door (a repair item fetched) for the customer's, and one elsewhere (the
        depot) for either."""
        if stop.kind != StopKind.PICKUP:
            return cls.DROP
        if stop.ref.startswith("merchant:"):
            return cls.PICKUP_SHOP
        return cls.PICKUP_DOOR if stop.ref.startswith("address:") else cls.PICKUP


@transaction.atomic
def stop_fail(*, stop_id: int, rider: User, reason: str, at: datetime | None = None) -> TourStop:
    """A stop could not be done. A failed drop takes its fallback (see `fallback`); a failed
    pickup gives its leg back to the dispatcher (`_pickup_failed`)."""
    if reason not in FailureReason.LABELS:
        raise Invalid(f"Unbekannter Grund „{reason}“; erlaubt: "
                      f"{', '.join(FailureReason.LABELS)}.", field="reason")
    stop = _stop_for_rider(stop_id, rider)
    allowed = FailureReason.at(stop)
    if reason not in allowed:
        raise Invalid(f"„{FailureReason.LABELS[reason]}“ passt nicht zu einer "
                      f"{'Abholung' if stop.kind == StopKind.PICKUP else 'Zustellung'}; "
                      f"möglich: {', '.join(allowed.values())}.", field="reason")
    stop.status, stop.done_at, stop.failure_reason = StopStatus.FAILED, _when(at), reason
    stop.save(update_fields=["status", "done_at", "failure_reason"])
    if stop.kind == StopKind.PICKUP:
        _pickup_failed(stop)
    else:
        _drop_failed(stop, rider, reason)
    _close_tour_if_done(stop, rider)
    transaction.on_commit(lambda: etas_refresh(tour=stop.tour))
    return stop


def _drop_failed(stop: TourStop, rider: User, reason: str) -> None:
    assert stop.done_at is not None  # set by `stop_fail` just before
    leg = stop.leg
    leg.status = LegStatus.FAILED
    leg.save(update_fields=["status"])
    order = leg.order
    if order and order.status == OrderStatus.OUT_FOR_DELIVERY:
        order_transition(order, "fail", by=rider, note=FailureReason.LABELS[reason])
        if reason == FailureReason.REFUSED:
            refused_credit(order, stop.done_at)
    stop.fallback = fallback_apply(stop=stop, rider=rider, reason=reason, now=stop.done_at)
    stop.save(update_fields=["fallback"])


def _pickup_failed(stop: TourStop) -> None:
    """Nothing was collected: the leg is open again for the dispatcher's next plan or
    insertion (the console shows why), and its drop leaves this tour — the rider cannot
    deliver what is not on board. It is not re-inserted at once: the shop is closed now."""
    leg = stop.leg
    leg.status = LegStatus.OPEN
    leg.save(update_fields=["status"])
    stop.tour.stops.filter(leg=leg, kind=StopKind.DELIVERY, status=StopStatus.PENDING).delete()


REPORT_MAX_AGE = timedelta(hours=24)  # a phone offline for a whole day still counts
CLOCK_MAX_AHEAD = timedelta(minutes=5)  # a phone's clock may run a little ahead


def _when(at: datetime | None) -> datetime:
    """When the rider did it: the phone's time when it is plausible (an offline phone
    reports late), never in the future. A time older than `REPORT_MAX_AGE` or further
    ahead than `CLOCK_MAX_AHEAD` is not believed (a backdated proof, a wrong clock): the
    action counts, at the server's time."""
    now = timezone.now()
    if at is None or not now - REPORT_MAX_AGE <= at <= now + CLOCK_MAX_AHEAD:
        return now
    return min(at, now)


def _close_tour_if_done(stop: TourStop, rider: User) -> None:
    """After the tour's last stop the tour is done, with what it cost and did as ridden kept
    for the town's report (`ridden.ridden_store`), and the rider's shift ends when they are
    back at the hub from it (`shifts.shift_end_to_return`), at the vehicle's pace."""
    tour = stop.tour
    if tour.stops.filter(status=StopStatus.PENDING).exists():
        return
    Tour.objects.filter(pk=tour.pk).update(status=TourStatus.DONE)
    tour.status = TourStatus.DONE
    ridden_store([tour])
    shift = Shift.objects.select_for_update().select_related("vehicle__hub").get(
        pk=tour.shift_id)
    hub = shift.vehicle.hub
    metres = planning.HaversineMatrix().distance(
        planning.Location(id=stop.ref, lat=stop.lat, lon=stop.lon), hub_location(hub))
    ride = metres_to_seconds(metres, shift.vehicle.speed_kmh * DETOUR_FACTOR)
    shift_end_to_return(shift=shift, back=(stop.done_at or timezone.now())
                        + timedelta(seconds=ride), by=rider)


@transaction.atomic
def vehicle_create(**fields) -> Vehicle:
    return save_validated(Vehicle(**fields))


@transaction.atomic
def shift_create(*, rider: User, vehicle: Vehicle, starts_at, ends_at) -> Shift:
    if not rider.has_role(Role.RIDER):
        raise Invalid(f"{rider.display_name} ist nicht als Fahrer/in eingetragen.", field="rider")
    if reason := shift_conflict(rider=rider, vehicle=vehicle, starts_at=starts_at,
                                ends_at=ends_at):
        raise Conflict(reason, code="shift_overlap")
    return save_validated(Shift(rider=rider, vehicle=vehicle, starts_at=starts_at,
                                ends_at=ends_at))
