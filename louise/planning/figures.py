"""What a plan uses per vehicle profile: tours, drops, km, hours, CO2 and money.

Paid hours are the shifts' (a rider is paid for the shift, driving or not); vehicle hours
are the tours' spans from leaving the start to coming back; waiting is the time spent at
stops before their window opens. The gap between paid and vehicle hours is what trimming
shifts to their tours could save.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import DELIVERY, Plan, Problem

HOUR = 3600


@dataclass(frozen=True, slots=True)
class Use:
    vehicles: int  # in the problem, used or not
    tours: int
    drops: int
    km: float
    paid_hours: float
    vehicle_hours: float
    waiting_hours: float
    co2_kg: float
    cost_cents: int  # used vehicles' fixed cost, km and tour hours at the vehicles' rates

    def as_json(self) -> dict[str, float | int]:
        return {name: getattr(self, name) for name in self.__slots__}


def plan_use(problem: Problem, plan: Plan) -> dict[str, Use]:
    """Per vehicle profile, in the order the profiles first appear among the vehicles."""
    tours = {t.vehicle_id: t for t in plan.tours if t.stops}
    out: dict[str, Use] = {}
    for v in problem.vehicles:
        tour = tours.get(v.id)
        metres = tour.distance_m if tour else 0
        span = tour.end - tour.start if tour else 0
        waited = sum(s.start - s.arrival for s in tour.stops) if tour else 0
        drops = sum(1 for s in tour.stops if s.kind == DELIVERY) if tour else 0
        cost = (v.fixed_cost + round(metres * v.cost_per_km / 1000)
                + round(span * v.cost_per_hour / HOUR)) if tour else 0
        add = Use(1, int(tour is not None), drops, metres / 1000,
                  (v.shift.end - v.shift.start) / HOUR, span / HOUR, waited / HOUR,
                  metres * v.co2_g_per_km / 1_000_000, cost)
        out[v.profile] = _sum(out[v.profile], add) if v.profile in out else add
    return {profile: _rounded(use) for profile, use in out.items()}


def _sum(a: Use, b: Use) -> Use:
    return Use(*(getattr(a, n) + getattr(b, n) for n in Use.__slots__))


def _rounded(u: Use) -> Use:
    return Use(u.vehicles, u.tours, u.drops, round(u.km, 2), round(u.paid_hours, 2),
               round(u.vehicle_hours, 2), round(u.waiting_hours, 2), round(u.co2_kg, 3),
               u.cost_cents)
