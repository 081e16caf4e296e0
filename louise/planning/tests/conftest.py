"""Tiny Bottrop instances: a hub at Altmarkt and a handful of addresses around it."""

from __future__ import annotations

import pytest

from louise.planning import Leg, Location, Problem, TimeWindow, Vehicle, ruin, travel_s
from louise.planning.matrix import TravelMatrix, build_distance, build_duration, rows

H = 3600
HUB = Location("hub", 51.5236, 6.9285)
SHOP = Location("shop", 51.5262, 6.9350)
EIGEN = Location("eigen", 51.5400, 6.9420)
BOY = Location("boy", 51.5330, 6.9650)
EBEL = Location("ebel", 51.5080, 6.9400)
KIRCHHELLEN = Location("kirchhellen", 51.6050, 6.9220)

EVENING = TimeWindow(17 * H + 1800, 21 * H)
AFTERNOON = TimeWindow(14 * H, 17 * H)


def bike(vid: str = "bike1", **kw) -> Vehicle:
    defaults = dict(
        profile="bike",
        capacity=(80_000, 200_000, 10),
        shift=TimeWindow(14 * H, 22 * H),
        start=HUB,
        end=HUB,
    )
    return Vehicle(vid, **{**defaults, **kw})


def car(vid: str = "car1", **kw) -> Vehicle:
    defaults = dict(
        profile="car",
        capacity=(400_000, 1_000_000, 40),
        shift=TimeWindow(14 * H, 22 * H),
        start=HUB,
        end=HUB,
        speed_kmh=25.0,
        capabilities=frozenset({"cooled", "bulky"}),
    )
    return Vehicle(vid, **{**defaults, **kw})


def leg(lid: str, pickup: Location = SHOP, delivery: Location = EIGEN, **kw) -> Leg:
    defaults = dict(pickup_window=AFTERNOON, delivery_window=EVENING, size=(2000, 3000, 1))
    return Leg(lid, pickup, delivery, **{**defaults, **kw})


def matrices_agree(matrix: TravelMatrix, places: list[Location], vehicle: Vehicle,
                   origin: Location) -> None:
    """The solver's matrices and the rows insertion uses time every pair as `travel_s`."""
    seconds = build_duration(matrix, places, vehicle, build_distance(matrix, places))
    assert seconds.tolist() == [[travel_s(matrix, a, b, vehicle) for b in places]
                                for a in places]
    _, _, there, back = rows(matrix, origin, places, vehicle)
    assert there.tolist() == [travel_s(matrix, origin, b, vehicle) for b in places]
    assert back.tolist() == [travel_s(matrix, b, origin, vehicle) for b in places]


@pytest.fixture
def small() -> Problem:
    """Four ordinary legs, three bikes: one bike is enough."""
    legs = (
        leg("a", SHOP, EIGEN),
        leg("b", SHOP, BOY),
        leg("c", EIGEN, EBEL),
        leg("d", HUB, EBEL),
    )
    return Problem(legs, (bike("bike1"), bike("bike2"), bike("bike3")))


@pytest.fixture(autouse=True, scope="session")
def _compiled() -> None:
    """Compile the search kernels before any test: the first compile takes seconds,
    and many tests here give the search a time limit well below that."""
    ruin.warm()
