"""A leg out of the hub and the legs bringing its goods there (`Leg.after`): planned
together or not at all, so no rider waits at the depot for parcels that never come."""

from __future__ import annotations

from dataclasses import replace

from louise.planning import Problem, TimeWindow, Unassigned, check, plan

from .conftest import AFTERNOON, BOY, EVENING, HUB, SHOP, H, bike, leg

INTO_HUB = TimeWindow(14 * H, 16 * H)
OUT_OF_HUB = TimeWindow(17 * H, 18 * H)


def _chain(**into) -> Problem:
    """One parcel from the shop into the hub in the afternoon, and on to Boy at night."""
    feeder = leg("in", SHOP, HUB, pickup_window=AFTERNOON, delivery_window=INTO_HUB, **into)
    onward = leg("out", HUB, BOY, pickup_window=OUT_OF_HUB, delivery_window=EVENING,
                 after=("in",))
    return Problem((feeder, onward), (bike("bike1"), bike("bike2")))


def test_both_legs_of_a_chain_are_planned_and_the_checker_agrees():
    problem = _chain()
    result = plan(problem, time_limit=1)
    assert result.unassigned == ()
    assert check(problem, result) == []


def test_the_leg_out_of_the_hub_waits_when_its_feeder_cannot_be_planned():
    # the parcel needs a cooled vehicle, which no bike is: it never reaches the hub
    problem = _chain(requirements=frozenset({"cooled"}))
    result = plan(problem, time_limit=1)
    assert {u.leg_id: u.code for u in result.unassigned} == {"in": "requirements",
                                                             "out": "chain"}
    assert all(not t.stops for t in result.tours)


def test_the_checker_names_the_onward_leg_planned_without_its_feeder():
    problem = _chain()
    alone = Problem((problem.legs[1],), problem.vehicles)  # goods already in the depot
    onward_only = plan(alone, time_limit=1)
    assert check(alone, onward_only) == []
    # with the feeder in the problem but left out, the onward leg breaks the chain
    left_out = replace(onward_only, unassigned=(Unassigned("in", "requirements", "gekühlt"),))
    assert [(v.rule, v.leg_id) for v in check(problem, left_out)] == [("chain", "out")]
