"""Writes for logistics: planning a day, publishing tours, and what riders report."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from louise import planning
from louise.accounts.access import require_role
from louise.accounts.models import Role
from louise.core.errors import Conflict, Invalid, NotFound
from louise.core.validation import save_validated
from louise.orders.lifecycle import order_transition
from louise.orders.models import OrderStatus

from .models import (
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
from .planning_bridge import Day, plannable_legs, plannable_shifts, problem_for


def plan_day(*, day: date, by=None, time_limit: float | None = None, seed: int = 0) -> PlanRun:
    """Plan all open legs of a day onto the day's free shifts; draft tours replace older drafts.

    The solver runs outside the transaction (it may take seconds); the result is written
    in one transaction, so a failed run leaves the previous drafts untouched.
    """
    if by is not None:
        require_role(by, Role.DISPATCHER, Role.OPERATOR)
    run = PlanRun.objects.create(day=day, created_by=by, status=RunStatus.RUNNING,
                                 time_limit_s=time_limit or settings.LOUISE_PLAN_TIME_LIMIT)
    plan_day_day = Day(day)
    legs = list(plannable_legs(plan_day_day)) + list(
        Leg.objects.filter(status=LegStatus.PLANNED, stops__tour__status=TourStatus.DRAFT,
                           stops__tour__plan_run__day=day).distinct())
    shifts = list(plannable_shifts(plan_day_day))
    problem = problem_for(plan_day_day, legs, shifts)

    def progress(fraction: float) -> None:
        PlanRun.objects.filter(pk=run.pk).update(progress=round(fraction, 3))

    try:
        result = planning.plan(problem, time_limit=run.time_limit_s, seed=seed,
                               on_progress=progress)
    except planning.PlanningError as exc:
        run.status, run.error = RunStatus.FAILED, str(exc)
        run.save(update_fields=["status", "error"])
        raise Invalid(f"Planung nicht möglich: {exc}", code="planning_failed") from exc
    _store_plan(run, plan_day_day, result, {leg.pk: leg for leg in legs},
                {shift.pk: shift for shift in shifts})
    return run


@transaction.atomic
def _store_plan(run: PlanRun, day: Day, result: planning.Plan, legs: dict, shifts: dict) -> None:
    Tour.objects.filter(plan_run__day=day.day, status=TourStatus.DRAFT).exclude(
        plan_run=run).update(status=TourStatus.DISCARDED)
    Leg.objects.filter(pk__in=legs).update(status=LegStatus.OPEN)
    for planned in result.tours:
        if not planned.stops:
            continue
        tour = Tour.objects.create(
            plan_run=run, shift=shifts[int(planned.vehicle_id)],
            starts_at=day.at(planned.start), ends_at=day.at(planned.end),
            distance_m=planned.distance_m,
        )
        TourStop.objects.bulk_create(
            TourStop(tour=tour, sequence=i, leg=legs[int(stop.leg_id)], kind=stop.kind,
                     planned_arrival=day.at(stop.start), planned_departure=day.at(stop.departure))
            for i, stop in enumerate(planned.stops, start=1)
        )
    assigned = {int(s.leg_id) for t in result.tours for s in t.stops}
    Leg.objects.filter(pk__in=assigned).update(status=LegStatus.PLANNED)
    run.status, run.progress = RunStatus.DONE, 1.0
    run.summary = {
        "tours": sum(1 for t in result.tours if t.stops),
        "legs": len(legs),
        "assigned": len(assigned),
        "distance_km": round(result.distance_m / 1000, 2),
        "solver": result.solver,
        "unassigned": [{"leg": int(u.leg_id), "code": u.code, "reason": u.reason}
                       for u in result.unassigned],
    }
    run.save(update_fields=["status", "progress", "summary"])


@transaction.atomic
def tour_publish(*, tour: Tour, by) -> Tour:
    require_role(by, Role.DISPATCHER, Role.OPERATOR)
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if tour.status != TourStatus.DRAFT:
        raise Conflict(f"Nur Entwürfe können veröffentlicht werden (Tour {tour.pk} ist "
                       f"„{tour.get_status_display()}“).", code="illegal_transition")
    tour.status, tour.published_at = TourStatus.PUBLISHED, timezone.now()
    tour.save(update_fields=["status", "published_at"])
    return tour


def _stop_for_rider(stop_id: int, rider) -> TourStop:
    require_role(rider, Role.RIDER)
    stop = (TourStop.objects.select_for_update(of=("self",))
            .select_related("tour__shift", "leg__order").filter(pk=stop_id).first())
    if stop is None or stop.tour.shift.rider_id != rider.pk:
        raise NotFound("Diesen Stopp gibt es auf Ihren Touren nicht.")
    if stop.tour.status != TourStatus.PUBLISHED:
        raise Conflict("Diese Tour ist nicht freigegeben.", code="tour_not_published")
    if stop.status != StopStatus.PENDING:
        raise Conflict("Dieser Stopp ist schon abgeschlossen.", code="stop_closed")
    if stop.kind == StopKind.DELIVERY and stop.leg.status != LegStatus.COLLECTED:
        raise Conflict("Erst abholen, dann zustellen: die Sendung ist noch nicht abgeholt.",
                       code="not_collected")
    return stop


_PICKUP_EVENTS = {LegKind.DELIVERY: ("collect", "dispatch"), LegKind.ITEM_PICKUP:
                  ("pick_up_item",), LegKind.RETURN: ("collect", "dispatch"),
                  LegKind.TRANSFER: ("dispatch",)}
_DROP_EVENTS = {LegKind.DELIVERY: ("deliver",), LegKind.ITEM_PICKUP: ("receive_item",),
                LegKind.RETURN: ("deliver",), LegKind.TRANSFER: ("deliver",)}


@transaction.atomic
def stop_complete(*, stop_id: int, rider, parcels: int | None = None,
                  proof_method: str | None = None, recipient_name: str = "",
                  locker_code: str = "", signature_svg: str = "", photo=None) -> TourStop:
    """The rider finished a stop: a pickup confirms the parcel count, a drop needs a proof."""
    stop = _stop_for_rider(stop_id, rider)
    leg = stop.leg
    if stop.kind == StopKind.PICKUP:
        if parcels is not None and parcels != leg.parcels:
            raise Invalid(f"Anzahl stimmt nicht: {leg.parcels} Pakete erwartet, {parcels} "
                          "gescannt.", field="parcels", code="parcel_count")
        leg.status, events = LegStatus.COLLECTED, _PICKUP_EVENTS[leg.kind]
    else:
        _proof_create(stop, proof_method, recipient_name, locker_code, signature_svg, photo)
        leg.status, events = LegStatus.DELIVERED, _DROP_EVENTS[leg.kind]
    leg.save(update_fields=["status"])
    stop.status, stop.done_at = StopStatus.DONE, timezone.now()
    stop.save(update_fields=["status", "done_at"])
    if leg.order_id:
        for event in events:
            order_transition(leg.order, event, by=rider)
    _close_tour_if_done(stop.tour)
    return stop


def _proof_create(stop: TourStop, method: str | None, recipient_name: str, locker_code: str,
                  signature_svg: str, photo) -> Proof:
    if method not in ProofMethod.values:
        raise Invalid("Zustellnachweis fehlt: Foto, Unterschrift, Name oder Fachcode.",
                      field="proof_method", code="proof_missing")
    given = {ProofMethod.NAME: recipient_name.strip(), ProofMethod.LOCKER_CODE: locker_code.strip(),
             ProofMethod.SIGNATURE: signature_svg.strip(), ProofMethod.PHOTO: photo}[method]
    if not given:
        raise Invalid(f"Für den Nachweis „{ProofMethod(method).label}“ fehlt der Inhalt.",
                      field=method, code="proof_missing")
    proof = Proof(stop=stop, method=method, recipient_name=recipient_name.strip(),
                  locker_code=locker_code.strip(), signature_svg=signature_svg)
    if photo:
        proof.photo.save(f"stop-{stop.pk}.jpg", photo, save=False)
    proof.save()
    return proof


class FailureReason:
    NOT_HOME = "not_home"
    REFUSED = "refused"
    DAMAGED = "damaged"
    NO_ACCESS = "no_access"
    LABELS = {"not_home": "nicht angetroffen", "refused": "Annahme verweigert",
              "damaged": "beschädigt", "no_access": "kein Zugang"}


@transaction.atomic
def stop_fail(*, stop_id: int, rider, reason: str) -> TourStop:
    """A stop could not be done; the order waits for the dispatcher's fallback."""
    if reason not in FailureReason.LABELS:
        raise Invalid(f"Unbekannter Grund „{reason}“; erlaubt: "
                      f"{', '.join(FailureReason.LABELS)}.", field="reason")
    stop = _stop_for_rider(stop_id, rider)
    stop.status, stop.done_at, stop.failure_reason = StopStatus.FAILED, timezone.now(), reason
    stop.save(update_fields=["status", "done_at", "failure_reason"])
    leg = stop.leg
    leg.status = LegStatus.FAILED
    leg.save(update_fields=["status"])
    order = leg.order
    if order and stop.kind == StopKind.DELIVERY and order.status == OrderStatus.OUT_FOR_DELIVERY:
        order_transition(order, "fail", by=rider, note=FailureReason.LABELS[reason])
    _close_tour_if_done(stop.tour)
    return stop


def _close_tour_if_done(tour: Tour) -> None:
    if not tour.stops.filter(status=StopStatus.PENDING).exists():
        Tour.objects.filter(pk=tour.pk).update(status=TourStatus.DONE)


@transaction.atomic
def vehicle_create(**fields) -> Vehicle:
    return save_validated(Vehicle(**fields))


@transaction.atomic
def shift_create(*, rider, vehicle: Vehicle, starts_at, ends_at) -> Shift:
    if not rider.has_role(Role.RIDER):
        raise Invalid(f"{rider.display_name} ist nicht als Fahrer/in eingetragen.", field="rider")
    overlapping = Shift.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if overlapping.filter(rider=rider).exists():
        raise Conflict(f"{rider.display_name} hat zu dieser Zeit schon eine Schicht.")
    if overlapping.filter(vehicle=vehicle).exists():
        raise Conflict(f"{vehicle.name} ist zu dieser Zeit schon vergeben.")
    return save_validated(Shift(rider=rider, vehicle=vehicle, starts_at=starts_at,
                                ends_at=ends_at))
