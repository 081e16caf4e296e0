"""The arithmetic of the town's report, on plain rows (`selectors.py` reads them from the
database), so every figure can be worked out by hand on a tiny history. A tour's time and
km, the on-time rule and shares are the simulation's (`simulation.figures`), so the report
and `louise simulate` count alike.

Words used: a *drop* is a delivery stop to a customer (goods, a repaired item brought
back), done or failed; *stops* are all stops done (pickups too). Money in cents.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from math import ceil

from louise.simulation.figures import on_time, share


@dataclass(frozen=True)
class OrderRow:
    """An order placed in the period (not declined or cancelled)."""

    day: date
    kind: str  # goods, service
    channel: str
    customer: int | None
    merchant: int
    goods_cents: int
    fee_cents: int  # the customer's fee stored on the order
    merchant_fee_cents: int  # under the shop's schedule the order was placed with
    merchant_percent_bp: int
    same_day_promised: bool  # placed by the cut-off for that evening's wave


@dataclass(frozen=True)
class DropRow:
    order: int
    day: date
    method: str  # door, point, locker
    vehicle: str  # bike, car
    done: bool
    at: datetime  # when the rider finished or gave up
    service_s: int
    until: datetime  # end of the promised window
    failure: str = ""
    fallback: str = ""
    same_day: bool = False  # finished on the day the order was placed


@dataclass(frozen=True)
class TourRow:
    day: date
    vehicle: int
    kind: str
    seconds: int  # from the tour's start to its return (`simulation.figures.tour_use`)
    metres: float
    stops: int  # stops done
    service_s: int  # their service times
    speed_kmh: float
    parcels: int  # parcels dropped


@dataclass(frozen=True)
class KindCosts:
    """A vehicle kind's costs in one town (`Town.costs_of`): the wage per hour, per km, per
    day in service, and CO2e per km."""

    wage: int
    per_km: int
    per_day: int
    co2_g_per_km: int


@dataclass(frozen=True)
class Baselines:
    """The CO2e the deliveries are compared with (`Town.report_costs`)."""

    van_g_per_km: int
    car_g_per_km: int
    trip_m: int
    car_trip_share_pct: int


# --- quality -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Quality:
    on_time: float | None
    first_attempt: float | None
    failures: dict[str, int]
    fallbacks: dict[str, int]
    lateness_min: float | None  # average of the late drops
    same_day: float | None


def quality(drops: Sequence[DropRow], same_day_promised: int) -> Quality:
    """On time: finished drops handed over by the window's end (`simulation.figures.on_time`).
    First attempt: orders whose first drop succeeded. Same day: of the orders placed by the
    cut-off for the evening's wave, those handed over that day."""
    done = [d for d in drops if d.done]
    late = [(d.at - d.until).total_seconds() / 60 - d.service_s / 60 for d in done
            if not on_time(d.at, d.service_s, d.until)]
    first: dict[int, DropRow] = {}
    for drop in sorted(drops, key=lambda d: d.at):
        first.setdefault(drop.order, drop)
    failed = [d for d in drops if not d.done]
    return Quality(
        on_time=share(len(done) - len(late), len(done)),
        first_attempt=share(sum(d.done for d in first.values()), len(first)),
        failures=dict(sorted(Counter(d.failure for d in failed).items())),
        fallbacks=dict(sorted(Counter(d.fallback for d in failed if d.fallback).items())),
        lateness_min=round(sum(late) / len(late), 1) if late else None,
        same_day=share(len({d.order for d in done if d.same_day}), same_day_promised),
    )


# --- fleet -------------------------------------------------------------------------------

@dataclass
class KindUse:
    tours: int = 0
    km: float = 0.0
    hours: float = 0.0  # vehicle-hours on tours
    paid_hours: float = 0.0  # shifts of this kind
    stops: int = 0
    parcels: int = 0
    drops: int = 0  # drops done
    waiting_hours: float = 0.0
    vehicle_days: int = 0

    @property
    def stops_per_hour(self) -> float | None:
        return round(self.stops / self.hours, 2) if self.hours else None

    @property
    def parcels_per_hour(self) -> float | None:
        return round(self.parcels / self.hours, 2) if self.hours else None

    @property
    def waiting_share(self) -> float | None:
        return share(round(self.waiting_hours * 3600), round(self.hours * 3600))

    @property
    def utilisation(self) -> float | None:
        return share(round(self.hours * 3600), round(self.paid_hours * 3600))


def fleet(tours: Iterable[TourRow], paid_hours: dict[str, float],
          drops: Sequence[DropRow]) -> dict[str, KindUse]:
    """Per vehicle kind. Waiting is the time on a tour neither riding (km at the vehicle's
    speed along the planner's detour) nor serving a stop; utilisation is vehicle-hours per
    paid shift hour."""
    kinds: dict[str, KindUse] = {kind: KindUse(paid_hours=hours)
                                 for kind, hours in paid_hours.items()}
    days: dict[str, set[tuple[int, date]]] = {}
    for tour in tours:
        use = kinds.setdefault(tour.kind, KindUse())
        use.tours += 1
        use.km += tour.metres / 1000
        use.hours += tour.seconds / 3600
        use.stops += tour.stops
        use.parcels += tour.parcels
        riding_s = tour.metres / 1000 / tour.speed_kmh * 3600 if tour.speed_kmh else 0
        use.waiting_hours += max(0.0, tour.seconds - riding_s - tour.service_s) / 3600
        days.setdefault(tour.kind, set()).add((tour.vehicle, tour.day))
    for kind, used in days.items():
        kinds[kind].vehicle_days = len(used)
    for drop in drops:
        if drop.done:
            kinds.setdefault(drop.vehicle, KindUse()).drops += 1
    return dict(sorted(kinds.items()))


# --- environment -------------------------------------------------------------------------

@dataclass(frozen=True)
class Environment:
    km: dict[str, float]
    co2_kg: float  # what the fleet emitted
    avoided_vs_van_kg: float  # had a diesel van driven the same km
    avoided_vs_trips_kg: float  # had the customers fetched their goods by car instead


def environment(use: dict[str, KindUse], costs: dict[str, KindCosts], base: Baselines,
                delivered: int) -> Environment:
    emitted_g = sum(u.km * costs[kind].co2_g_per_km for kind, u in use.items())
    van_g = sum(u.km for u in use.values()) * base.van_g_per_km
    trips_g = (delivered * base.trip_m / 1000 * base.car_g_per_km
               * base.car_trip_share_pct / 100)
    return Environment(km={kind: round(u.km, 2) for kind, u in use.items()},
                       co2_kg=round(emitted_g / 1000, 2),
                       avoided_vs_van_kg=round((van_g - emitted_g) / 1000, 2),
                       avoided_vs_trips_kg=round((trips_g - emitted_g) / 1000, 2))


# --- economics -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Costs:
    riders: int  # paid shift hours × wage
    km: int
    vehicle_days: int
    hub_rent: int
    software: int

    @property
    def total(self) -> int:
        return self.riders + self.km + self.vehicle_days + self.hub_rent + self.software


def costs_of(use: dict[str, KindUse], costs: dict[str, KindCosts], *, hub_rent_month: int,
             software_month: int, days: int) -> Costs:
    """The period's costs in one town; monthly amounts pro rata by calendar day (× 12 / 365)."""
    return Costs(
        riders=round(sum(u.paid_hours * costs[k].wage for k, u in use.items())),
        km=round(sum(u.km * costs[k].per_km for k, u in use.items())),
        vehicle_days=sum(u.vehicle_days * costs[k].per_day for k, u in use.items()),
        hub_rent=round(hub_rent_month * 12 * days / 365),
        software=round(software_month * 12 * days / 365))


@dataclass(frozen=True)
class Unit:
    """What one more drop of a vehicle kind costs: the rider's time on the tour and the km
    per drop at this kind's measured pace."""

    cents_per_drop: float


def unit_costs(use: dict[str, KindUse], costs: dict[str, KindCosts]) -> dict[str, Unit]:
    return {kind: Unit((u.hours * costs[kind].wage + u.km * costs[kind].per_km) / u.drops)
            for kind, u in use.items() if u.drops}


@dataclass(frozen=True)
class WhatIf:
    """The levers of the what-if panel: a fee per delivery, the shops' share of the goods,
    orders per working day, and the share of drops by bike."""

    fee_cents: int
    merchant_percent: float
    orders_per_day: float
    bike_share: float  # 0…1


@dataclass(frozen=True)
class Basis:
    """What the period measured, which the what-if keeps: goods and the shops' other fees per
    order, the cost of a drop by each kind, the fixed costs of a working day."""

    goods_per_order: float
    merchant_other_per_order: float  # per-order and per-parcel fees
    bike_cents_per_drop: float
    car_cents_per_drop: float
    fixed_per_day: float  # vehicle-days, hub rent, software


@dataclass(frozen=True)
class Outcome:
    revenue_per_order: float
    cost_per_order: float
    contribution_per_order: float
    result_per_day: float
    break_even_per_day: int | None  # None: every order loses money


def what_if(basis: Basis, lever: WhatIf) -> Outcome:
    """The day's result under the levers; break-even is the orders per working day at which
    the contributions pay the fixed costs (rider hours follow the volume, as shifts are
    booked for it)."""
    revenue = (lever.fee_cents + basis.goods_per_order * lever.merchant_percent / 100
               + basis.merchant_other_per_order)
    cost = (lever.bike_share * basis.bike_cents_per_drop
            + (1 - lever.bike_share) * basis.car_cents_per_drop)
    contribution = revenue - cost
    return Outcome(
        revenue_per_order=round(revenue, 1), cost_per_order=round(cost, 1),
        contribution_per_order=round(contribution, 1),
        result_per_day=round(lever.orders_per_day * contribution - basis.fixed_per_day, 1),
        break_even_per_day=(ceil(basis.fixed_per_day / contribution - 1e-9)
                            if contribution > 0 else None))


@dataclass
class Revenue:
    by_kind: dict[str, int] = field(default_factory=dict)
    from_ledger: bool = False

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())
