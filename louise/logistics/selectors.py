"""Reads for logistics, scoped: dispatch and operator see everything, a rider their tours."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext, ngettext

from louise.accounts.access import ALL, DISPATCH, require_role, scope_rule, visible_to
from louise.accounts.models import Role, User
from louise.core.calendar import BERLIN
from louise.core.errors import NotFound
from louise.geo.models import Hub, LockerCompartment, Town
from louise.geo.selectors import lockers_active, pickup_points_active
from louise.orders.models import OrderStatus

from .models import (
    InsertionFailure,
    InsertionRun,
    Leg,
    LegKind,
    LegStatus,
    PlanRun,
    RiderPosition,
    RunStatus,
    Shift,
    ShiftException,
    ShiftPattern,
    StopKind,
    StopStatus,
    Tour,
    TourStatus,
    TourStop,
    Vehicle,
)
from .planning_bridge import Day
from .services import FailureReason

# Dispatch sees every tour but the discarded drafts; a rider only their own tours once
# published (drafts may still change), the stops on them and the legs those stops serve.
RIDER_SEES = (TourStatus.PUBLISHED, TourStatus.DONE)
scope_rule(Tour, {
    **dict.fromkeys(DISPATCH, lambda user: ~Q(status=TourStatus.DISCARDED)),
    Role.RIDER: lambda user: Q(shift__rider=user, status__in=RIDER_SEES),
}, town="plan_run__town")
scope_rule(TourStop, {
    **dict.fromkeys(DISPATCH, lambda user: ~Q(tour__status=TourStatus.DISCARDED)),
    Role.RIDER: lambda user: Q(tour__shift__rider=user, tour__status__in=RIDER_SEES),
}, town="tour__plan_run__town")
scope_rule(Leg, {
    **dict.fromkeys(DISPATCH, ALL),
    Role.RIDER: lambda user: Q(pk__in=TourStop.objects.filter(
        tour__shift__rider=user, tour__status__in=RIDER_SEES).values("leg_id")),
}, town="town")
scope_rule(PlanRun, dict.fromkeys(DISPATCH, ALL), town="town")
# The fleet: the town's dispatch and operator manage it; a rider sees their own shifts.
scope_rule(Vehicle, dict.fromkeys(DISPATCH, ALL), town="town")
scope_rule(ShiftPattern, dict.fromkeys(DISPATCH, ALL), town="town")
scope_rule(Shift, {**dict.fromkeys(DISPATCH, ALL), Role.RIDER: lambda user: Q(rider=user)},
           town="vehicle__town")
scope_rule(InsertionFailure, dict.fromkeys(DISPATCH, ALL), town="town")


def legs_for_dispatch(*, user: User, day: date | None = None, status: str | None = None
                      ) -> QuerySet[Leg]:
    require_role(user, *DISPATCH)
    qs = visible_to(Leg, user).select_related("order", "zone")
    if day:
        qs = qs.filter(drop_from__date=day)
    return qs.filter(status=status) if status else qs


def legs_routable(*, user: User, town: Town, day: date) -> list[Leg]:
    """The day's goods legs to a customer whose way the dispatcher may still switch (hub or
    direct, `hub_routing.route_force`): the goods are packed at the shop and the leg is on
    no published tour."""
    require_role(user, *DISPATCH)
    published = TourStop.objects.filter(tour__status=TourStatus.PUBLISHED).values("leg_id")
    return list(visible_to(Leg, user).filter(
        town=town, kind=LegKind.DELIVERY, status__in=[LegStatus.OPEN, LegStatus.PLANNED],
        order__status=OrderStatus.READY, drop_from__date=day).exclude(pk__in=published)
        .select_related("order").order_by("drop_label", "pk"))


def tours_visible_to(user: User) -> QuerySet[Tour]:
    """With each stop's leg, order, shop and address in two queries: the rider app and the
    console read the shop's phone and the door's notes of every stop."""
    stops = Prefetch("stops", queryset=TourStop.objects.select_related(
        "leg__order__merchant", "leg__order__address").order_by("sequence"))
    return (visible_to(Tour, user).select_related("shift__rider", "shift__vehicle", "plan_run")
            .prefetch_related(stops))


def tour_get(*, tour_id: int, user: User) -> Tour:
    tour = tours_visible_to(user).filter(pk=tour_id).first()
    if tour is None:
        raise NotFound(f"Tour {tour_id} gibt es nicht.")
    return tour


def plan_run_get(*, run_id: int, user: User) -> PlanRun:
    require_role(user, *DISPATCH)
    run = visible_to(PlanRun, user).filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"Planungslauf {run_id} gibt es nicht.")
    return run


def _late(stop: TourStop, tolerance: timedelta) -> bool:
    """Done after the window, or expected (ETA, else the plan) after it beyond tolerance."""
    until = stop.window[1]
    if stop.status != StopStatus.PENDING:
        return stop.status == StopStatus.DONE and stop.done_at is not None \
            and stop.done_at > until
    return (stop.eta or stop.planned_arrival) > until + tolerance


def _tour_view(tour: Tour, tolerance: timedelta) -> dict:
    """A tour for the console: ordered stops with times, load after each stop, flags."""
    load_parcels = load_kg = 0.0
    stops: list[dict[str, Any]] = []
    for stop in tour.stops.all():
        # A failed drop leaves the parcel on board (its fallback drop unloads it later).
        sign = 1 if stop.kind == StopKind.PICKUP else 0 if stop.status == StopStatus.FAILED \
            else -1
        load_parcels += sign * stop.leg.parcels
        load_kg += sign * stop.leg.weight_g / 1000
        stops.append({
            "id": stop.pk, "sequence": stop.sequence, "kind": stop.kind,
            "kind_label": stop.get_kind_display(), "status": stop.status,
            "status_label": stop.get_status_display(), "label": stop.label, "lat": stop.lat,
            "lon": stop.lon, "leg": stop.leg_id,
            "order": stop.leg.order.number if stop.leg.order else None,
            "window": [stop.window[0].isoformat(), stop.window[1].isoformat()],
            "planned": stop.planned_arrival.isoformat(),
            "eta": stop.eta.isoformat() if stop.eta else None,
            "done_at": stop.done_at.isoformat() if stop.done_at else None,
            "locked": stop.locked, "late": _late(stop, tolerance),
            "failure": FailureReason.LABELS.get(stop.failure_reason, stop.failure_reason),
            "fallback": stop.fallback,
            "load_parcels": round(load_parcels), "load_kg": round(load_kg, 1),
        })
    vehicle = tour.shift.vehicle
    return {
        "id": tour.pk, "status": tour.status, "status_label": tour.get_status_display(),
        "rider": tour.shift.rider.display_name, "rider_id": tour.shift.rider_id,
        "vehicle": vehicle.name, "vehicle_kind": vehicle.kind,
        "capacity_parcels": vehicle.capacity_parcels, "capacity_kg": vehicle.capacity_g / 1000,
        "starts_at": tour.starts_at.isoformat(), "ends_at": tour.ends_at.isoformat(),
        "km": round(tour.distance_m / 1000, 1), "stops": stops,
        "max_parcels": max((s["load_parcels"] for s in stops), default=0),
        "late": sum(s["late"] for s in stops),
        "override": _override_view(tour),
    }


def _override_view(tour: Tour) -> dict | None:
    """A tour published against the checker's verdict: by whom, when, why."""
    record = getattr(tour, "override", None)
    if record is None:
        return None
    return {"by": record.by.display_name if record.by else "", "at": record.at.isoformat(),
            "reason": record.reason, "violations": record.violations}


def _pickups_failed(legs) -> dict[int, str]:
    """Open legs whose pickup a rider reported as failed, with the rider's reason."""
    failed = (TourStop.objects.filter(leg__in=legs, leg__status=LegStatus.OPEN,
                                      kind=StopKind.PICKUP, status=StopStatus.FAILED)
              .order_by("done_at"))
    return {stop.leg_id: "Abholung gescheitert: "
            + FailureReason.LABELS.get(stop.failure_reason, stop.failure_reason)
            for stop in failed}


def _failures(run: PlanRun | None, insertion: InsertionRun | None,
              failures: list[InsertionFailure]) -> list[dict]:
    """Background jobs of the day that failed and still matter: the latest plan run and
    dispatcher's insertion, and the newest insertions (`failures`, newest first) whose legs
    are still open."""
    out = []
    if run is not None and run.status == RunStatus.FAILED:
        out.append({"title": gettext("Hintergrundjob fehlgeschlagen: Planung"),
                    "at": run.created_at.isoformat(),
                    "message": run.error or "Planung fehlgeschlagen"})
    if insertion is not None and insertion.status == RunStatus.FAILED:
        out.append({"title": gettext("Hintergrundjob fehlgeschlagen: Neue Aufträge einfügen"),
                    "at": insertion.created_at.isoformat(), "message": insertion.error})
    failures = failures[:20]
    # One query for all of them: the console polls this every few seconds.
    still_open = set(Leg.objects.filter(
        pk__in={pk for failure in failures for pk in failure.legs}, status=LegStatus.OPEN)
        .values_list("pk", flat=True))
    for failure in failures:
        left = len(still_open.intersection(failure.legs))
        if left:
            # the job ran; some of its legs did not fit, which is no failure of the job
            out.append({"title": ngettext("Nicht eingefügt: %(n)d Auftrag",
                                          "Nicht eingefügt: %(n)d Aufträge", left) % {"n": left},
                        "at": failure.created_at.isoformat(), "message": failure.message})
    return out


def dispatch_day(*, user: User, town: Town, day: date) -> dict:
    """Everything the dispatch console shows for a town's day, as plain data (page and live
    poll)."""
    require_role(user, *DISPATCH)
    tolerance = timedelta(minutes=settings.LOUISE_LATE_TOLERANCE_MIN)
    the_day = Day(day, town.pk)
    begin, end = the_day.epoch, the_day.epoch + timedelta(days=1)
    tours = (tours_visible_to(user).filter(plan_run__day=day, plan_run__town=town)
             .select_related("override__by"))
    legs = (visible_to(Leg, user).filter(town=town, drop_from__gte=begin, drop_from__lt=end)
            .exclude(status=LegStatus.CANCELLED).select_related("order", "zone"))
    rerouted = set(Leg.objects.filter(fallback_for__in=legs)
                   .values_list("fallback_for_id", flat=True))
    run = (visible_to(PlanRun, user).filter(town=town, day=day).order_by("-created_at")
           .first())
    unassigned = {u["leg"]: u["reason"] for u in (run.summary.get("unassigned", [])
                                                  if run else [])}
    # what the insertions since the plan left out, and why (the newest reason wins)
    # one read of the day's insertion failures (newest first) serves both
    failures = list(InsertionFailure.objects.filter(town=town, day=day))
    # the dispatcher's latest "Neue Aufträge einfügen": running, or what it did
    insertion = InsertionRun.objects.filter(town=town, day=day).order_by("-created_at").first()
    later = [f for f in reversed(failures) if run is None or f.created_at >= run.created_at]
    unassigned |= {pk: failure.message for failure in later for pk in failure.legs}
    unassigned |= _pickups_failed(legs)
    shifts = (Shift.objects.filter(vehicle__town=town, starts_at__lt=end, ends_at__gt=begin)
              .select_related("rider", "vehicle__hub"))
    on_tour = {t.shift_id: (t.ends_at - t.starts_at).total_seconds() / 3600
               for t in tours if t.status != TourStatus.DISCARDED}
    latest = {}
    # the last position of the town's riders on shift (the console polls this)
    for pos in RiderPosition.objects.filter(rider_id__in={s.rider_id for s in shifts},
                                            at__gte=begin, at__lt=end).order_by("at"):
        latest[pos.rider_id] = {"lat": pos.lat, "lon": pos.lon, "at": pos.at.isoformat()}
    return {
        "day": day.isoformat(),
        "town": {"id": town.pk, "name": town.name, "slug": town.slug},
        "run": None if run is None else {
            "id": run.pk, "status": run.status, "progress": run.progress,
            "summary": run.summary, "error": run.error},
        "insertion": None if insertion is None else {
            "id": insertion.pk, "status": insertion.status, "placed": insertion.placed,
            "unassigned": insertion.unassigned, "error": insertion.error,
            "at": insertion.created_at.isoformat()},
        "failures": _failures(run, insertion, failures),
        "tours": [_tour_view(t, tolerance) for t in tours],
        "legs": [{"id": leg.pk, "status": leg.status, "status_label": leg.get_status_display(),
                  "kind": leg.get_kind_display(), "zone": leg.zone.name if leg.zone else "",
                  "order": leg.order.number if leg.order else None,
                  "pickup": leg.pickup_label, "drop": leg.drop_label,
                  "drop_lat": leg.drop_lat, "drop_lon": leg.drop_lon,
                  "pickup_lat": leg.pickup_lat, "pickup_lon": leg.pickup_lon,
                  "wave": f"{leg.drop_from.astimezone(BERLIN):%H:%M}–"
                          f"{leg.drop_until.astimezone(BERLIN):%H:%M}",
                  "parcels": leg.parcels, "reason": unassigned.get(leg.pk, ""),
                  "rerouted": leg.pk in rerouted}
                 for leg in legs],
        "shifts": [{"id": s.pk, "rider": s.rider.display_name, "rider_id": s.rider_id,
                    "vehicle": s.vehicle.name, "kind": s.vehicle.get_kind_display(),
                    "from": s.starts_at.isoformat(), "until": s.ends_at.isoformat(),
                    # paid (the shift) against used (its tour): see logistics.shifts
                    "paid_hours": round((s.ends_at - s.starts_at).total_seconds() / 3600, 2),
                    "tour_hours": round(on_tour.get(s.pk, 0.0), 2),
                    "position": latest.get(s.rider_id)} for s in shifts],
        "hubs": [{"name": h.name, "lat": h.lat, "lon": h.lon}
                 for h in Hub.objects.filter(town=town)],
        "points": [{"name": p.name, "lat": p.lat, "lon": p.lon}
                   for p in pickup_points_active().filter(town=town)],
        "lockers": [{"name": lk.name, "lat": lk.lat, "lon": lk.lon,
                     "free": lk.free}
                    for lk in lockers_active().filter(town=town).with_free()],
    }



# --- the fleet's consoles: a town's vehicles, patterns and shifts --------------------------


def riders_of(town: Town) -> QuerySet[User]:
    """The active riders working for `town` (whom a shift or pattern may name)."""
    return (User.objects.filter(role=Role.RIDER, is_active=True, towns=town)
            .order_by("first_name", "last_name", "username"))


def vehicles_of(*, user: User, town: Town) -> QuerySet[Vehicle]:
    require_role(user, *DISPATCH)
    return visible_to(Vehicle, user).filter(town=town).select_related("hub")


def vehicle_for(*, user: User, town: Town, vehicle_id: int) -> Vehicle:
    vehicle = vehicles_of(user=user, town=town).filter(pk=vehicle_id).first()
    if vehicle is None:
        raise NotFound("Dieses Fahrzeug gibt es nicht.")
    return vehicle


def patterns_of(*, user: User, town: Town) -> QuerySet[ShiftPattern]:
    require_role(user, *DISPATCH)
    return (visible_to(ShiftPattern, user).filter(town=town)
            .select_related("rider", "vehicle").order_by("-active", "vehicle__name",
                                                         "start_time"))


def pattern_for(*, user: User, town: Town, pattern_id: int) -> ShiftPattern:
    pattern = patterns_of(user=user, town=town).filter(pk=pattern_id).first()
    if pattern is None:
        raise NotFound("Dieses Schichtmuster gibt es nicht.")
    return pattern


def pattern_exceptions(*, pattern: ShiftPattern, since: date) -> QuerySet[ShiftException]:
    """The pattern's exceptions from `since` on (the console shows what is still to come)."""
    return pattern.exceptions.filter(day__gte=since).select_related("substitute")


def exception_for(*, user: User, town: Town, exception_id: int) -> ShiftException:
    exception = (ShiftException.objects.filter(pattern__in=patterns_of(user=user, town=town),
                                               pk=exception_id)
                 .select_related("pattern__town").first())
    if exception is None:
        raise NotFound("Diese Ausnahme gibt es nicht.")
    return exception


def shifts_of_day(*, user: User, town: Town, day: date) -> QuerySet[Shift]:
    """The town's shifts beginning on `day`, with whether a tour is out with the rider."""
    require_role(user, *DISPATCH)
    begin = Day(day, town.pk).epoch
    return (visible_to(Shift, user)
            .filter(vehicle__town=town, starts_at__gte=begin,
                    starts_at__lt=begin + timedelta(days=1))
            .select_related("rider", "vehicle", "pattern")
            .annotate(tour_count=Count("tours", distinct=True),
                      published=Count("tours", distinct=True, filter=Q(
                          tours__status__in=RIDER_SEES)))
            .order_by("starts_at", "vehicle__name"))


def shift_for(*, user: User, shift_id: int) -> Shift:
    """One shift the dispatcher may change (any town of theirs)."""
    require_role(user, *DISPATCH)
    shift = (visible_to(Shift, user).filter(pk=shift_id)
             .select_related("rider", "vehicle__town").first())
    if shift is None:
        raise NotFound("Diese Schicht gibt es nicht.")
    return shift

def rider_tour_current(*, rider: User, today: date) -> Tour | None:
    """The tour the rider app opens: today's unfinished one, else today's finished one,
    else the next published one (riders like to see tomorrow's round the evening before)."""
    require_role(rider, Role.RIDER)
    tours = tours_visible_to(rider)
    return (tours.filter(plan_run__day=today, status=TourStatus.PUBLISHED).first()
            or tours.filter(plan_run__day=today).first()
            or tours.filter(plan_run__day__gt=today, status=TourStatus.PUBLISHED)
            .order_by("plan_run__day", "starts_at").first())


def customer_may_see_rider(*, stop: TourStop) -> bool:
    """Riders' privacy: a customer sees the rider only while the rider is on the way to the
    customer's own stop, i.e. the next pending stop of a published tour is theirs — or
    belongs to the same delivery (a basket from two shops is two stops at one door, and
    either may come first)."""
    if stop.status != StopStatus.PENDING or stop.tour.status != TourStatus.PUBLISHED:
        return False
    first = (stop.tour.stops.filter(status=StopStatus.PENDING).select_related("leg__order")
             .order_by("sequence").first())
    if first is None or first.pk == stop.pk:
        return first is not None
    mine, theirs = stop.leg.order, first.leg.order
    return (mine is not None and theirs is not None and mine.checkout_id is not None
            and mine.checkout_id == theirs.checkout_id and first.kind == stop.kind)


def rider_tour_view(*, tour: Tour) -> dict:
    """The rider app's tour: stops in order with what to do there and how to get there."""
    boxes = {b.order_id: b for b in LockerCompartment.objects.filter(
        order__legs__stops__tour=tour).select_related("locker")}
    stops = []
    for stop in tour.stops.all():
        leg, order = stop.leg, stop.leg.order
        box = boxes.get(leg.order_id) if stop.kind == StopKind.DELIVERY \
            and leg.drop_ref.startswith("locker:") else None
        stops.append({
            "id": stop.pk, "sequence": stop.sequence, "kind": stop.kind,
            "kind_label": stop.get_kind_display(), "status": stop.status,
            "label": stop.label, "lat": stop.lat, "lon": stop.lon,
            "window": [stop.window[0].isoformat(), stop.window[1].isoformat()],
            "eta": (stop.eta or stop.planned_arrival).isoformat(),
            "order": order.number if order else "", "parcels": leg.parcels,
            "recipient": order.recipient_name if order else "",
            "phone": _phone_at(stop),
            "notes": " · ".join(n for n in (order.notes, _address_notes(order)) if n)
            if order and stop.ref.startswith("address:") else "",
            "locker": {"number": box.number, "code": box.code} if box else None,
            "leg": stop.leg_id, "place": f"{stop.lat:.5f},{stop.lon:.5f}",
            "fallback": stop.fallback,
            # A shopping list to buy at this stop first (the shopper's page).
            "shopping": leg.kind == LegKind.SHOPPING and stop.kind == StopKind.PICKUP,
            "failure": FailureReason.LABELS.get(stop.failure_reason, stop.failure_reason),
            "reasons": FailureReason.at(stop),  # what the rider may say if it fails
            "done_at": stop.done_at.isoformat() if stop.done_at else None,
        })
    return {"id": tour.pk, "status": tour.status, "vehicle": tour.shift.vehicle.name,
            "day": tour.plan_run.day.isoformat(),
            "starts_at": tour.starts_at.isoformat(), "stops": stops}


def _phone_at(stop: TourStop) -> str:
    """Who the rider may call at this stop: the shop at a shop, the customer at a door."""
    order = stop.leg.order
    if order is None:
        return ""
    if stop.ref.startswith("merchant:"):
        return order.merchant.phone
    return order.recipient_phone if stop.ref.startswith("address:") else ""


def _address_notes(order) -> str:
    return order.address.notes if order and order.address_id else ""


def proof_photo_visible(*, name: str, user) -> bool:
    """A delivery photo shows someone's door: the customer of the order, the rider of the
    tour it was taken on, and dispatch of the town (for complaints) may see it; shops may
    not."""
    if not name or not user.is_authenticated or not user.is_active:
        return False
    stops = TourStop.objects.filter(proof__photo=name)
    if user.has_role(*DISPATCH):
        return visible_to(stops, user).exists()
    if user.has_role(Role.CUSTOMER):
        return stops.filter(leg__order__customer=user).exists()
    if user.has_role(Role.RIDER):
        return stops.filter(tour__shift__rider=user).exists()
    return False


def delivery_photo_url(*, order) -> str:
    """The address of the last photo proof of an order's drop ("" without one), served
    through the media view's check."""
    stop = (TourStop.objects.filter(leg__order=order, kind=StopKind.DELIVERY, proof__photo__gt="")
            .select_related("proof").order_by("-id").first())
    return stop.proof.photo.url if stop else ""
