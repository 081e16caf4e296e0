"""The figures of a town's planned day, read from its rows (tours, stops, legs, shifts,
places), not from what the planner reports about its own plan: what `louise bench day`
prints before and after a change to the planning.

Every stop is re-timed as a rider following the tour would do it (`plan_checks.retime`),
and the independent checks of `plan_checks` measure the plan against the places' own rules:
the opening hours of shops (catalog) and pickup points (geo) on that day, and the vehicle
kinds the zones at both ends of a leg allow (geo). The planner's own checker is asked too,
tour by tour, as publishing would (`publishing.tour_violations`).

Words used below: a *drop* is a delivery stop anywhere but at a hub (a parcel handed to a
customer, a point, a locker, or an item brought into a shop); *parcels* are the parcels of
the drops (a parcel that passes the hub is counted once, at its last drop). *Vehicle-hours*
run from a tour's start at the hub to its return; *paid hours* are the shifts of the
vehicles that ride, from their start (a published tour's, `shifts.shift_start_to_tour`) to
the re-timed return rounded up as the app ends a shift when its last tour is done
(`shifts.paid_until`), never after the shift's own end. *Waiting* is time spent at stops
before they begin: for the leg's window to open, or beyond that for the time the plan
gives.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from louise.catalog.models import Merchant
from louise.catalog.selectors import merchant_hours_on
from louise.core.calendar import BERLIN
from louise.core.hours import hours_on
from louise.geo.models import Address, Hub, Locker, PickupPoint, Place, Town, Zone
from louise.geo.selectors import zone_at, zone_in_town
from louise.geo.stop_times import StopTimes
from louise.logistics.models import (
    Leg,
    LegStatus,
    PlanRun,
    RunStatus,
    Shift,
    StopKind,
    Tour,
    TourStatus,
    TourStop,
)
from louise.logistics.planning_bridge import Day, zone_rules
from louise.logistics.publishing import tour_violations
from louise.logistics.shifts import paid_until
from louise.logistics.windows import handover_at

from .figures import share
from .plan_checks import (
    Drop,
    Ride,
    Span,
    StopRow,
    TimedTour,
    Visit,
    in_one_drop,
    outside_hours,
    retime,
    zone_breaches,
)

# Operating CO2 per km by vehicle kind (electricity from the German grid; building the
# vehicles and batteries left out). Grid: 380 g CO2/kWh, the Umweltbundesamt's estimate for
# the German electricity mix of 2023 ("Entwicklung der spezifischen Treibhausgas-Emissionen
# des deutschen Strommix"). Use: an e-cargo bike about 1.5 kWh/100 km (a 0.5–0.75 kWh
# battery lasts 40–60 km with its load, charging losses included), a small electric van
# about 20 kWh/100 km (typical of small e-vans in consumption tests such as the ADAC
# Ecotest). Estimates for comparing plans, not measurements.
GRID_G_PER_KWH = 380
KWH_PER_100_KM = {"bike": 1.5, "car": 20.0}
CO2_G_PER_KM = {kind: kwh / 100 * GRID_G_PER_KWH for kind, kwh in KWH_PER_100_KM.items()}
SHOWN = 5  # examples listed per finding


@dataclass
class KindFigures:
    """One vehicle kind's share of the day."""

    vehicles: int = 0
    km: float = 0.0
    vehicle_hours: float = 0.0
    paid_hours: float = 0.0
    window_wait_hours: float = 0.0
    idle_hours: float = 0.0
    drops: int = 0
    parcels: int = 0
    cost_cents: float = 0.0  # the town's vehicle costs: paid hours, km, a day per vehicle

    @property
    def waiting_hours(self) -> float:
        return self.window_wait_hours + self.idle_hours

    def as_json(self, kind: str) -> dict:
        return {
            "vehicles": self.vehicles, "km": round(self.km, 1),
            "vehicle_hours": round(self.vehicle_hours, 2),
            "paid_hours": round(self.paid_hours, 2),
            "waiting_hours": round(self.waiting_hours, 2),
            "window_wait_hours": round(self.window_wait_hours, 2),
            "idle_hours": round(self.idle_hours, 2),
            "drops": self.drops, "parcels": self.parcels,
            "parcels_per_vehicle_hour": per(self.parcels, self.vehicle_hours),
            "parcels_per_paid_hour": per(self.parcels, self.paid_hours),
            "co2_kg": round(self.km * CO2_G_PER_KM.get(kind, 0) / 1000, 2),
            "cost_eur": round(self.cost_cents / 100, 2),
        }


def per(part: float, whole: float) -> float | None:
    return round(part / whole, 2) if whole else None


@dataclass
class PlanFigures:
    day: date
    town: str
    legs: int
    unassigned: int
    unassigned_codes: dict[str, int]
    kinds: dict[str, KindFigures]
    late_stops: int
    outside_hours: list[str]
    zone_breaches: list[str]
    multi_shop: int
    multi_shop_one_drop: int
    checker_rejects: list[str]  # tours the planner's checker would not publish, in words
    idle_shifts: int  # shifts of the day without a tour
    idle_shift_hours: float

    @property
    def bike_drop_share(self) -> float | None:
        return share(self.kinds["bike"].drops if "bike" in self.kinds else 0,
                     sum(k.drops for k in self.kinds.values()))

    def as_json(self) -> dict:
        return {
            "day": self.day.isoformat(), "town": self.town, "legs": self.legs,
            "unassigned": self.unassigned, "unassigned_codes": self.unassigned_codes,
            "by_kind": {kind: f.as_json(kind) for kind, f in self.kinds.items()},
            "bike_drop_share": self.bike_drop_share,
            "co2_g_per_km": {k: round(v, 1) for k, v in CO2_G_PER_KM.items()},
            "late_stops": self.late_stops,
            "outside_hours": len(self.outside_hours),
            "outside_hours_examples": self.outside_hours[:SHOWN],
            "zone_breaches": len(self.zone_breaches),
            "zone_breaches_examples": self.zone_breaches[:SHOWN],
            "multi_shop_deliveries": self.multi_shop,
            "multi_shop_in_one_drop": self.multi_shop_one_drop,
            "tours_rejected_by_checker": len(self.checker_rejects),
            "checker_examples": self.checker_rejects[:SHOWN],
            "idle_shifts": self.idle_shifts, "idle_shift_hours": round(self.idle_shift_hours, 2),
        }


# --- the places at the ends of the legs -------------------------------------------------

PLACE_MODELS: dict[str, type[Place]] = {"merchant": Merchant, "point": PickupPoint,
                                        "locker": Locker, "address": Address, "hub": Hub}


def _places(refs: Iterable[str]) -> dict[str, Place]:
    """The rows behind stop refs ("merchant:4", "address:17", "hub:1")."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for ref in refs:
        kind, _, pk = ref.partition(":")
        if kind in PLACE_MODELS and pk.isdigit():
            wanted[kind].add(int(pk))
    return {f"{kind}:{row.pk}": row for kind, pks in wanted.items()
            for row in PLACE_MODELS[kind].objects.filter(pk__in=pks)}  # type: ignore[attr-defined]


def _hours(places: dict[str, Place], day: date) -> dict[str, list[Span]]:
    """The day's open spans of the places that have opening hours (shops: with their
    holidays and special days; pickup points)."""
    out: dict[str, list[Span]] = {}
    for ref, place in places.items():
        if isinstance(place, Merchant):
            out[ref] = merchant_hours_on(merchant=place, day=day).times
        elif isinstance(place, PickupPoint):
            out[ref] = hours_on(place.opening_hours, day).times
    return out


def _allowed(places: dict[str, Place], town: Town) -> dict[str, frozenset[str] | None]:
    """The vehicle kinds allowed at each place, by the zone it lies in (None: in no zone)."""
    rules = zone_rules(town.pk)

    def zone(place: Place) -> Zone | None:
        if isinstance(place, Address):
            return zone_in_town(place, town)
        return zone_at(postcode=place.postcode, lat=place.lat, lon=place.lon, town=town)

    return {ref: (None if (z := zone(place)) is None else rules.get(z.name, frozenset()))
            for ref, place in places.items()}


# --- the rows ---------------------------------------------------------------------------

def _tour_stops(tours: list[Tour]) -> dict[int, list[TourStop]]:
    out: dict[int, list[TourStop]] = defaultdict(list)
    for stop in (TourStop.objects.filter(tour__in=tours).select_related("leg__order")
                 .order_by("tour_id", "sequence")):
        out[stop.tour_id].append(stop)
    return out


def _row(stop: TourStop, times: StopTimes) -> StopRow:
    opens, closes = stop.window
    return StopRow(stop.lat, stop.lon, opens, closes, stop.service_s, stop.planned_arrival,
                   int(handover_at(stop.ref, times).total_seconds()))


def _timed(tour: Tour, stops: list[TourStop], town: Town) -> TimedTour:
    vehicle, times = tour.shift.vehicle, town.stop_times
    return retime(start=tour.starts_at, hub=(vehicle.hub.lat, vehicle.hub.lon),
                  speed_kmh=vehicle.speed_kmh, stops=[_row(s, times) for s in stops],
                  park_s=town.costs_of(vehicle.kind).park_seconds)


def _is_drop(stop: TourStop) -> bool:
    return stop.kind == StopKind.DELIVERY and not stop.leg.drop_ref.startswith("hub:")


def plan_figures(town: Town, day: date) -> PlanFigures:
    """The figures of the town's plan for `day`: its tours that are not discarded (drafts,
    published or done) and the legs whose drop falls on the day."""
    the_day = Day(day, town.pk)
    begin, end = the_day.epoch, the_day.epoch + timedelta(days=1)
    legs = list(Leg.objects.filter(town=town, drop_from__gte=begin, drop_from__lt=end)
                .exclude(status__in=[LegStatus.CANCELLED, LegStatus.WAITING])
                .select_related("order"))
    tours = list(Tour.objects.filter(plan_run__town=town, plan_run__day=day)
                 .exclude(status=TourStatus.DISCARDED)
                 .select_related("shift__vehicle__hub").order_by("pk"))
    stops = _tour_stops(tours)
    places = _places({s.ref for tour_stops in stops.values() for s in tour_stops}
                     | {ref for leg in legs for ref in (leg.pickup_ref, leg.drop_ref)})
    hours, allowed = _hours(places, day), _allowed(places, town)

    kinds: dict[str, KindFigures] = {}
    visits: list[tuple[Visit, str]] = []
    rides: dict[int, Ride] = {}
    drops: dict[int, Drop] = {}  # leg -> its drop
    late = 0
    for tour in tours:
        vehicle, tour_stops = tour.shift.vehicle, stops.get(tour.pk, [])
        if not tour_stops:
            continue
        timed = _timed(tour, tour_stops, town)
        figures = kinds.setdefault(vehicle.kind, KindFigures())
        figures.vehicles += 1
        figures.km += timed.metres / 1000
        figures.vehicle_hours += (timed.end - tour.starts_at).total_seconds() / 3600
        paid = (paid_until(tour.shift, timed.end) - tour.shift.starts_at).total_seconds() / 3600
        figures.paid_hours += paid
        costs = town.costs_of(vehicle.kind)
        figures.cost_cents += (costs.cents_per_hour * paid + costs.cents_per_km * timed.metres
                               / 1000 + costs.cents_per_day)
        for position, (stop, t) in enumerate(zip(tour_stops, timed.stops, strict=True)):
            figures.window_wait_hours += t.window_wait_s / 3600
            figures.idle_hours += t.idle_s / 3600
            late += t.late
            visits.append((Visit(stop.ref, t.start),
                           f"{vehicle.name} {t.start.astimezone(BERLIN):%H:%M} {stop.label}"))
            rides[stop.leg_id] = Ride(stop.leg_id, stop.leg.pickup_ref, stop.leg.drop_ref,
                                      vehicle.kind)
            if _is_drop(stop):
                figures.drops += 1
                figures.parcels += stop.leg.parcels
                drops[stop.leg_id] = Drop(tour.pk, position, stop.ref)
    closed = set(map(id, outside_hours([v for v, _ in visits], hours)))
    used = {tour.shift_id for tour in tours if stops.get(tour.pk)}
    idle = list(Shift.objects.filter(vehicle__town=town, starts_at__lt=end, ends_at__gt=begin)
                .exclude(pk__in=used))
    multi, together = _deliveries(legs, drops)
    by_pk = {s.leg_id: s.leg for tour_stops in stops.values() for s in tour_stops}
    return PlanFigures(
        day=day, town=town.slug, legs=len(legs),
        unassigned=sum(1 for leg in legs if leg.pk not in rides),
        unassigned_codes=_unassigned_codes(town, day, {leg.pk for leg in legs} - set(rides)),
        kinds=dict(sorted(kinds.items())), late_stops=late,
        outside_hours=[label for v, label in visits if id(v) in closed],
        zone_breaches=[f"Auftrag {r.leg} ({r.kind}): {by_pk[r.leg]}"
                       for r in zone_breaches(rides.values(), allowed)],
        multi_shop=multi, multi_shop_one_drop=together,
        checker_rejects=[text for tour in tours if stops.get(tour.pk)
                         for text in tour_violations(tour)[:1]],
        idle_shifts=len(idle),
        idle_shift_hours=sum((s.ends_at - s.starts_at).total_seconds() for s in idle) / 3600,
    )


def _deliveries(legs: list[Leg], drops: dict[int, Drop]) -> tuple[int, int]:
    """Deliveries from several shops (a checkout with two or more orders moving today), and
    how many of them reach the door in one drop."""
    orders: dict[int, set[int]] = defaultdict(set)
    final: dict[int, list[Drop | None]] = defaultdict(list)
    for leg in legs:
        if leg.order is None or leg.order.checkout_id is None:
            continue
        orders[leg.order.checkout_id].add(leg.order_id or 0)
        if not leg.drop_ref.startswith("hub:"):
            final[leg.order.checkout_id].append(drops.get(leg.pk))
    several = [checkout for checkout, of in orders.items() if len(of) > 1]
    return len(several), sum(in_one_drop(final[checkout]) for checkout in several)


def _unassigned_codes(town: Town, day: date, left: set[int]) -> dict[str, int]:
    """Why the legs left out were left out, by the planner's code in the day's last run."""
    run = (PlanRun.objects.filter(town=town, day=day, status=RunStatus.DONE)
           .order_by("-created_at", "-pk").first())
    codes = {u["leg"]: u.get("code", "") for u in (run.summary.get("unassigned", [])
                                                     if run else [])}
    return dict(sorted(Counter(codes.get(pk) or "nicht geplant" for pk in left).items()))
