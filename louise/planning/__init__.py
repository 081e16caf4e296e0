"""LOUISE planning engine: pickup-and-delivery tours with time windows, as a pure library.

``plan`` builds tours from scratch with PyVRP, ``insert`` slots new legs into a published
plan, ``make_tour`` times a given order of stops as every solver does, ``check`` validates
any plan independently, ``plan_use`` sums up what a plan uses per vehicle profile. No Django
in here.
"""

from .check import check
from .engine import insert, plan
from .figures import Use, plan_use
from .matrix import HaversineMatrix, TravelMatrix, travel_s
from .model import (
    Leg,
    Location,
    Plan,
    PlanningError,
    Problem,
    Stop,
    TimeWindow,
    Tour,
    Unassigned,
    Vehicle,
    Violation,
)
from .ruin import warm
from .schedule import make_plan, make_tour

__all__ = [
    "HaversineMatrix",
    "Leg",
    "Location",
    "Plan",
    "PlanningError",
    "Problem",
    "Stop",
    "TimeWindow",
    "Tour",
    "TravelMatrix",
    "Unassigned",
    "Use",
    "Vehicle",
    "Violation",
    "check",
    "insert",
    "make_plan",
    "make_tour",
    "plan",
    "plan_use",
    "travel_s",
    "warm",
]
