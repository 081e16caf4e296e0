"""The arithmetic of the town's report, on sums and plain rows (`selectors.py` counts and
reads them in the database), so every figure can be worked out by hand on a tiny history.
A tour's time and km, the on-time rule and shares are the simulation's
(`simulation.figures`), so the report and `louise simulate` count alike.

Words used: a *drop* is a delivery stop to a customer (goods, a repaired item brought
back), done or failed; *stops* are all stops done (pickups too). Money in cents.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from math import ceil

from louise.geo.vehicle_costs import VehicleCosts
from louise.simulation.figures import share


def _added(one: object, other: object) -> dict:
    """Two sums of several towns' field by field (numbers, and counts per key)."""
    out: dict = {}
    for name, value in one.__dict__.items():
        more = getattr(other, name)
        out[name] = ({k: value.get(k, 0) + more.get(k, 0) for k in sorted({*value, *more})}
                     if isinstance(value, dict) else value + more)
    return out


@dataclass
class OrderSums:
    """The orders placed in the period (not declined or cancelled), added up in the
    database (`selectors._order_sums`)."""

    count: int = 0
    goods_orders: int = 0
    services: int = 0
    goods_cents: int = 0  # goods value of all of them
    local_goods_cents: int = 0  # of the goods orders: the local goods turnover
    fee_cents: dict[str, int] = field(default_factory=dict)  # the fees stored, by kind
    merchant_fee_cents: int = 0  # per order and parcel, under the shop's schedule of the order
    goods_times_bp: int = 0  # Σ goods × the shop's percentage (basis points) of its schedule
    same_day_promised: int = 0  # goods orders placed by the cut-off for that evening's wave
    hotline: int = 0
    standing: int = 0
    merchants: int = 0  # with an order

    def __add__(self, other: "OrderSums") -> "OrderSums":
        return OrderSums(**_added(self, other))


@dataclass
class DropCounts:
    """The drops to customers finished or given up in the period, counted in the database
    (`selectors._drop_counts`): the figures of quality and the drops per vehicle kind."""

    done: int = 0
    late: int = 0  # of the done ones, after the window's end (`simulation.figures.on_time`)
    late_minutes: float = 0.0  # their lateness added up
    orders: int = 0  # orders with a drop
    first_done: int = 0  # of those, whose first drop was done
    same_day_orders: int = 0  # orders handed over on the day they were placed
    failures: dict[str, int] = field(default_factory=dict)  # failed drops by reason
    fallbacks: dict[str, int] = field(default_factory=dict)  # ways the failed ones took
    by_vehicle: dict[str, int] = field(default_factory=dict)  # done drops
    by_method: dict[str, int] = field(default_factory=dict)  # done drops
    by_postcode: dict[str, int] = field(default_factory=dict)  # done drops, where asked

    def __add__(self, other: "DropCounts") -> "DropCounts":
        return DropCounts(**_added(self, other))


@dataclass(frozen=True)
class TourRow:
    day: date
    vehicle: int
    kind: str
    seconds: int  # from the tour's start to its return (`logistics.ridden.tour_use`)
    metres: float
    stops: int  # stops done
    service_s: int  # their service times
    speed_kmh: float
    parcels: int  # parcels dropped


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


def quality(drops: DropCounts, same_day_promised: int) -> Quality:
    """On time: finished drops handed over by the window's end (`simulation.figures.on_time`).
    First attempt: orders whose first drop succeeded. Same day: of the orders placed by the
    cut-off for the evening's wave, those handed over that day."""
    return Quality(
        on_time=share(drops.done - drops.late, drops.done),
        first_attempt=share(drops.first_done, drops.orders),
        failures=dict(sorted(drops.failures.items())),
        fallbacks=dict(sorted(drops.fallbacks.items())),
        lateness_min=round(drops.late_minutes / drops.late, 1) if drops.late else None,
        same_day=share(drops.same_day_orders, same_day_promised),
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
          drops: dict[str, int]) -> dict[str, KindUse]:
    """Per vehicle kind (`drops`: the done drops per kind). Waiting is the time on a tour
    neither riding (km at the vehicle's speed along the planner's detour) nor serving a
    stop; utilisation is vehicle-hours per paid shift hour."""
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
    for kind, count in drops.items():
        kinds.setdefault(kind, KindUse()).drops += count
    return dict(sorted(kinds.items()))


# --- environment -------------------------------------------------------------------------

@dataclass(frozen=True)
class Environment:
    km: dict[str, float]
    co2_kg: float  # what the fleet emitted
    avoided_vs_van_kg: float  # had a diesel van driven the same km
    avoided_vs_trips_kg: float  # had the customers fetched their goods by car instead


def environment(use: dict[str, KindUse], costs: dict[str, VehicleCosts], base: Baselines,
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


def costs_of(use: dict[str, KindUse], costs: dict[str, VehicleCosts], *, hub_rent_month: int,
             software_month: int, days: int) -> Costs:
    """The period's costs in one town; monthly amounts pro rata by calendar day (× 12 / 365)."""
    return Costs(
        riders=round(sum(u.paid_hours * costs[k].cents_per_hour for k, u in use.items())),
        km=round(sum(u.km * costs[k].cents_per_km for k, u in use.items())),
        vehicle_days=sum(u.vehicle_days * costs[k].cents_per_day for k, u in use.items()),
        hub_rent=round(hub_rent_month * 12 * days / 365),
        software=round(software_month * 12 * days / 365))


def drop_costs(use: dict[str, KindUse], costs: dict[str, VehicleCosts]) -> dict[str, float]:
    """What the drops of each vehicle kind cost as they were ridden: the rider's time on
    tour and the km, in cents (per drop: divided by the kind's drops, over every town, in
    `selectors._basis`)."""
    return {kind: u.hours * costs[kind].cents_per_hour + u.km * costs[kind].cents_per_km
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
