"""Problem and plan data: frozen, integer-unit dataclasses in the spirit of PyVRP.

Times are integer seconds from an epoch the caller chooses, distances integer metres,
sizes integer vectors. Everything is immutable so a problem can be shared between the
solver, the checker and worker processes without defensive copies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

PICKUP = "pickup"
DELIVERY = "delivery"


class PlanningError(Exception):
    """The problem is inconsistent (duplicate ids, mismatched size vectors...)."""


@dataclass(frozen=True, slots=True)
class Location:
    """A place; ``id`` is unique per distinct place (hub, shop, address).

    ``handover_s`` is the part of a stop there that is meeting someone (ringing, the shop's
    counter, a signature), done once per visit: it is added on coming to the place (see
    ``matrix.travel_s``), so stops that follow each other there share it, and each leg's
    service there is only its own part. The same id must always carry the same value.
    """

    id: str
    lat: float
    lon: float
    handover_s: int = 0


@dataclass(frozen=True, slots=True)
class TimeWindow:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Leg:
    """One movement of goods: collect at ``pickup``, drop at ``delivery``.

    ``on_board`` names the vehicle that already carries the goods (only the drop remains
    and it must stay on that vehicle); ``locked_to`` is a dispatcher's lock.
    ``pickup_hours`` / ``delivery_hours`` are the open spans of the place that day: a stop
    there, from its begin to the end of its service, must lie inside one of them; ``()``
    means no limit, and a place shut all day is given one empty span (start == end).
    Legs with the same ``group`` are one drop: the parcels of one delivery, handed over
    together (same vehicle, consecutive drops at the same place). ``after`` names the legs
    that bring this leg's goods to its pickup (shop → hub before hub → door): planned
    only with them, and picked up after their drop.
    """

    id: str
    pickup: Location
    delivery: Location
    pickup_window: TimeWindow
    delivery_window: TimeWindow
    pickup_service: int = 120
    delivery_service: int = 180
    size: tuple[int, ...] = (0, 0, 1)
    requirements: frozenset[str] = frozenset()
    zone: str | None = None
    on_board: str | None = None
    locked_to: str | None = None
    pickup_hours: tuple[TimeWindow, ...] = ()
    delivery_hours: tuple[TimeWindow, ...] = ()
    pickup_zone: str | None = None  # the pickup place's zone (``zone`` is the drop's)
    group: str | None = None
    after: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Vehicle:
    """One vehicle with its shift; ``start`` is the hub or, on a re-plan, where it is.

    Costs are whole cents (per km driven, per hour from leaving to returning, per day used
    in ``fixed_cost``) and grams of CO2 per km; with all of them 0 the plan uses as few
    vehicles as possible, then drives as little as possible. ``range_m`` is one battery
    charge: staying at least ``charge_s`` at ``end`` (its hub) charges it again; None:
    no charging during the shift. ``park_s`` is the time to park and walk to the door at
    each place it comes to other than its hub (see ``matrix.arrive_s``): in a town centre
    it makes a car slower than its speed says, a cargo bike hardly at all.
    """

    id: str
    profile: str
    capacity: tuple[int, ...]
    shift: TimeWindow
    start: Location
    end: Location
    speed_kmh: float = 12.0
    range_m: int | None = None
    fixed_cost: int = 0
    capabilities: frozenset[str] = frozenset()
    cost_per_km: int = 0
    cost_per_hour: int = 0
    co2_g_per_km: int = 0
    charge_s: int | None = None
    park_s: int = 0

    @property
    def costed(self) -> bool:
        """Driving and time cost money: the plan minimises cost instead of vehicles."""
        return bool(self.cost_per_km or self.cost_per_hour)


@dataclass(frozen=True, slots=True)
class Problem:
    """Legs to plan and the vehicles to plan them on.

    ``zones`` maps a zone name to the vehicle profiles allowed there (a zone missing here
    allows any profile). ``fixed`` maps a vehicle id to the stops that are under way and
    must stay first on its tour, in order, as ``(leg_id, "pickup" | "delivery")``. Stops
    already completed are not passed: a leg whose pickup is done comes with ``on_board``.
    Windows of fixed stops are facts, not decisions, so they are not enforced.
    """

    legs: tuple[Leg, ...]
    vehicles: tuple[Vehicle, ...]
    zones: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    fixed: Mapping[str, tuple[tuple[str, str], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )


@dataclass(frozen=True, slots=True)
class Stop:
    leg_id: str
    kind: str
    location: Location
    arrival: int
    start: int
    departure: int
    load: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Tour:
    vehicle_id: str
    stops: tuple[Stop, ...]
    start: int
    end: int
    distance_m: int


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A leg left out, with a machine ``code`` and a German ``reason`` for the dispatcher."""

    leg_id: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    tours: tuple[Tour, ...]
    unassigned: tuple[Unassigned, ...]
    distance_m: int
    duration_s: int
    solver: str


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken rule. `position` (0-based stop of the tour) and the measured `value` against
    its `limit` (load vs capacity, begin vs window end, return vs shift end, metres vs range)
    let a caller word it for people; `message` is the checker's own terse note."""

    vehicle_id: str | None
    leg_id: str | None
    rule: str
    message: str
    position: int | None = None
    value: tuple[int, ...] = ()
    limit: tuple[int, ...] = ()
