"""A synthetic, seeded Bottrop day for the city benchmark.

Hub at the Altmarkt; shops in the centre and the districts; customers spread over the
districts; pickup points with opening hours and 24/7 lockers; shop orders (shop ->
customer, shop -> point/locker), consolidated baskets from the hub, and service round
trips (customer -> shop in the afternoon, shop -> customer in the evening wave).
Kirchhellen, Grafenwald and Feldhausen are car-only zones; bulky and cooled goods need
a car. Cargo bikes and e-cars start and end at the hub.
"""

from __future__ import annotations

import math
import random

from louise.planning import Leg, Location, Problem, TimeWindow, Vehicle

H = 3600
HUB = Location("hub", 51.5236, 6.9285)
# district -> (lat, lon, radius in km, share of customers)
DISTRICTS = {
    "Stadtmitte": (51.5236, 6.9285, 1.0, 0.16),
    "Eigen": (51.5420, 6.9420, 1.2, 0.12),
    "Fuhlenbrock": (51.5300, 6.8950, 1.3, 0.10),
    "Boy": (51.5350, 6.9700, 1.2, 0.10),
    "Batenbrock": (51.5150, 6.9600, 1.0, 0.09),
    "Welheim": (51.5100, 6.9850, 1.0, 0.07),
    "Vonderort": (51.5050, 6.9000, 1.0, 0.07),
    "Ebel": (51.5000, 6.9450, 0.8, 0.05),
    "Lehmkuhle": (51.5450, 6.9150, 1.0, 0.08),
    "Kirchhellen": (51.6050, 6.9220, 2.0, 0.08),
    "Grafenwald": (51.5750, 6.9050, 1.3, 0.05),
    "Feldhausen": (51.6250, 6.9600, 1.2, 0.03),
}
CAR_ONLY = ("Kirchhellen", "Grafenwald", "Feldhausen")
WAVE = TimeWindow(17 * H + 1800, 21 * H)
SLOTS = (WAVE, TimeWindow(17 * H + 1800, 19 * H + 1800), TimeWindow(19 * H, 21 * H))
SHOP_READY = TimeWindow(14 * H, 17 * H + 1800)


def _around(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    r = km * math.sqrt(rng.random())
    a = rng.uniform(0, 2 * math.pi)
    return lat + r * math.cos(a) / 111.2, lon + r * math.sin(a) / (111.2 * math.cos(lat * 0.01745))


def _district(rng: random.Random) -> str:
    names = list(DISTRICTS)
    return rng.choices(names, weights=[DISTRICTS[n][3] for n in names])[0]


def day(n_legs: int, n_vehicles: int, seed: int) -> Problem:
    """``n_legs`` legs and ``n_vehicles`` vehicles (three quarters cargo bikes)."""
    rng = random.Random(seed)

    def place(prefix: str, i: int, district: str) -> Location:
        lat, lon, km, _ = DISTRICTS[district]
        return Location(f"{prefix}{i}", *_around(rng, lat, lon, km))

    shops = [place("shop", i, "Stadtmitte" if i < 18 else _district(rng)) for i in range(30)]
    points = [place("point", i, _district(rng)) for i in range(8)]
    lockers = [place("locker", i, _district(rng)) for i in range(6)]
    zone_of = {loc.id: _zone(loc) for loc in shops + points + lockers}

    def _leg(lid, pickup, delivery, pw, dw, size, zone, **kw) -> Leg:
        zone = zone or zone_of.get(pickup.id) or zone_of.get(delivery.id)
        return Leg(lid, pickup, delivery, pw, dw, size=size, zone=zone, **kw)

    legs: list[Leg] = []
    while len(legs) < n_legs:
        k = len(legs)
        district = _district(rng)
        customer = place("addr", k, district)
        zone = district if district in CAR_ONLY else None
        shop = rng.choice(shops)
        kind = rng.random()
        parcels = rng.choice((1, 1, 1, 2, 2, 3))
        size = (rng.randint(300, 6000) * parcels, rng.randint(500, 12000) * parcels, parcels)
        if kind < 0.08:  # bulky or cooled: car only
            req = frozenset({rng.choice(("bulky", "cooled"))})
            big = (rng.randint(10_000, 40_000), rng.randint(40_000, 150_000), 1)
            legs.append(_leg(f"L{k}", shop, customer, SHOP_READY, rng.choice(SLOTS), big,
                             zone, requirements=req))  # fmt: skip
        elif kind < 0.55:  # shop -> door
            legs.append(_leg(f"L{k}", shop, customer, SHOP_READY, rng.choice(SLOTS), size, zone))
        elif kind < 0.70:  # shop -> pickup point (open until 20:00) or 24/7 locker
            if rng.random() < 0.5:
                target, window = rng.choice(points), TimeWindow(17 * H + 1800, 20 * H)
            else:
                target, window = rng.choice(lockers), WAVE
            legs.append(_leg(f"L{k}", shop, target, SHOP_READY, window, size,
                             zone_of[target.id], delivery_service=60))  # fmt: skip
        elif kind < 0.82:  # consolidated basket from the hub
            legs.append(_leg(f"L{k}", HUB, customer, TimeWindow(16 * H, 20 * H),
                             rng.choice(SLOTS), size, zone, pickup_service=60))  # fmt: skip
        else:  # service round trip: collect at the door, bring back in the wave
            legs.append(_leg(f"L{k}a", customer, shop, TimeWindow(14 * H, 16 * H + 1800),
                             TimeWindow(14 * H + 1800, 18 * H), size, zone))  # fmt: skip
            if len(legs) < n_legs:
                legs.append(_leg(f"L{k}b", shop, customer, TimeWindow(17 * H, 19 * H),
                                 rng.choice(SLOTS), size, zone))  # fmt: skip
    n_cars = max(1, n_vehicles // 4)
    vehicles = [
        Vehicle(
            f"bike{i}",
            "bike",
            (150_000, 600_000, 14),
            TimeWindow(14 * H, 21 * H + 1800),
            HUB,
            HUB,
            speed_kmh=12.0,
            range_m=60_000,
        )
        for i in range(n_vehicles - n_cars)
    ] + [
        Vehicle(
            f"car{i}",
            "car",
            (450_000, 2_500_000, 40),
            TimeWindow(14 * H, 21 * H + 1800),
            HUB,
            HUB,
            speed_kmh=22.0,
            range_m=150_000,
            fixed_cost=2_000,
            capabilities=frozenset({"bulky", "cooled"}),
        )
        for i in range(n_cars)
    ]
    zones = {name: frozenset({"car"}) for name in CAR_ONLY}
    return Problem(tuple(legs), tuple(vehicles), zones=zones)


def new_leg(problem: Problem, seed: int, k: int) -> Leg:
    """One extra evening order: a shop in the centre to a door in the town."""
    rng = random.Random(seed * 100_003 + k)
    shop = next(leg.pickup for leg in problem.legs if leg.pickup.id.startswith("shop"))
    district = rng.choice([d for d in DISTRICTS if d not in CAR_ONLY])
    lat, lon, km, _ = DISTRICTS[district]
    customer = Location(f"new{k}", *_around(rng, lat, lon, km))
    return Leg(f"new{k}", shop, customer, SHOP_READY, WAVE, size=(2000, 4000, 1))


def _zone(loc: Location) -> str | None:
    nearest = min(
        DISTRICTS, key=lambda d: (DISTRICTS[d][0] - loc.lat) ** 2 + (DISTRICTS[d][1] - loc.lon) ** 2
    )
    return nearest if nearest in CAR_ONLY else None
