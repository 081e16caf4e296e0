"""Between the database and the pure planning library: rows in, problem out; plan in, rows out.

Times cross the boundary as whole seconds from local midnight of the planning day, so
the library never sees a time zone; ids cross as strings (leg and shift primary keys).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from louise import planning
from louise.core.calendar import BERLIN
from louise.geo.models import Hub, Zone

from .models import Leg, LegStatus, Shift, TourStatus, TourStop


@dataclass(frozen=True)
class Day:
    """The planning day and its epoch (local midnight, aware)."""

    day: date

    @property
    def epoch(self) -> datetime:
        return datetime.combine(self.day, time(0), BERLIN)

    def seconds(self, at: datetime) -> int:
        return int((at - self.epoch).total_seconds())

    def at(self, seconds: int) -> datetime:
        return self.epoch + timedelta(seconds=seconds)


def _hub_location(hub: Hub) -> planning.Location:
    return planning.Location(id=f"hub:{hub.pk}", lat=hub.lat, lon=hub.lon)


def plannable_legs(day: Day):
    """Open legs whose drop window starts on the day (waiting legs wait for their event)."""
    return (Leg.objects.filter(status=LegStatus.OPEN, drop_from__gte=day.epoch,
                               drop_from__lt=day.epoch + timedelta(days=1))
            .select_related("zone"))


def plannable_shifts(day: Day):
    """Shifts on the day without a published tour (published tours are the riders' now)."""
    return (Shift.objects.filter(starts_at__lt=day.epoch + timedelta(days=1),
                                 ends_at__gt=day.epoch, vehicle__active=True)
            .exclude(tours__status="published").select_related("vehicle__hub", "rider"))


def draft_locks(day: date) -> dict[int, int]:
    """Leg id -> shift id for stops the dispatcher locked on the day's draft tours."""
    return dict(TourStop.objects.filter(locked=True, tour__status=TourStatus.DRAFT,
                                        tour__plan_run__day=day)
                .values_list("leg_id", "tour__shift_id"))


def to_leg(leg: Leg, day: Day, *, locked_to: int | None = None,
           on_board: int | None = None) -> planning.Leg:
    return planning.Leg(
        id=str(leg.pk),
        pickup=planning.Location(id=leg.pickup_ref, lat=leg.pickup_lat, lon=leg.pickup_lon),
        delivery=planning.Location(id=leg.drop_ref, lat=leg.drop_lat, lon=leg.drop_lon),
        pickup_window=planning.TimeWindow(day.seconds(leg.pickup_from),
                                          day.seconds(leg.pickup_until)),
        delivery_window=planning.TimeWindow(day.seconds(leg.drop_from),
                                            day.seconds(leg.drop_until)),
        pickup_service=leg.pickup_service_s,
        delivery_service=leg.drop_service_s,
        size=(leg.weight_g, leg.volume_ml, leg.parcels),
        requirements=frozenset(r for r, on in (("cooled", leg.cooled), ("bulky", leg.bulky))
                               if on),
        zone=leg.zone.name if leg.zone else None,
        locked_to=None if locked_to is None else str(locked_to),
        on_board=None if on_board is None else str(on_board),
    )


def to_vehicle(shift: Shift, day: Day) -> planning.Vehicle:
    vehicle = shift.vehicle
    hub = _hub_location(vehicle.hub)
    return planning.Vehicle(
        id=str(shift.pk),
        profile=vehicle.kind,
        capacity=(vehicle.capacity_g, vehicle.capacity_ml, vehicle.capacity_parcels),
        shift=planning.TimeWindow(day.seconds(shift.starts_at), day.seconds(shift.ends_at)),
        start=hub,
        end=hub,
        speed_kmh=vehicle.speed_kmh,
        range_m=vehicle.range_km * 1000,
        capabilities=frozenset(c for c, on in (("cooled", vehicle.cooled),
                                               ("bulky", vehicle.bulky)) if on),
    )


def zone_rules() -> dict[str, frozenset[str]]:
    """Allowed vehicle profiles per zone; a switched-off zone allows none."""
    return {z.name: frozenset(z.vehicle_kinds) if z.active else frozenset()
            for z in Zone.objects.all()}


def problem_for(day: Day, legs: list[Leg], shifts: list[Shift], *,
                locks: dict[int, int] | None = None) -> planning.Problem:
    """The day's problem; `locks` pins legs to a shift (the dispatcher's locked stops)."""
    locks = locks or {}
    return planning.Problem(
        legs=tuple(to_leg(leg, day, locked_to=locks.get(leg.pk)) for leg in legs),
        vehicles=tuple(to_vehicle(shift, day) for shift in shifts),
        zones=zone_rules(),
    )
