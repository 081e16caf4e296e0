"""The `hours` rule: a stop, begin to end of its service, inside one open span of its place."""

from __future__ import annotations

from dataclasses import replace

from louise.planning import Problem, TimeWindow, check, plan

from .conftest import BOY, EIGEN, SHOP, H, bike, leg

# A shop with a split shift: 09:00–13:00 and 15:00–18:30.
SPLIT = (TimeWindow(9 * H, 13 * H), TimeWindow(15 * H, 18 * H + 1800))
# A kiosk pickup point open 08:00–20:00.
KIOSK = (TimeWindow(8 * H, 20 * H),)


def _planned(problem: Problem):
    result = plan(problem, time_limit=0.3, seed=3)
    return result, {(s.leg_id, s.kind): s for t in result.tours for s in t.stops}


def test_the_checker_rejects_a_drop_at_a_closed_point_and_says_when_it_shut():
    # given a leg whose drop window (the wave, to 21:00) outlasts the kiosk's hours
    late = TimeWindow(20 * H + 1800, 21 * H)
    problem = Problem((leg("a", SHOP, EIGEN, delivery_window=late, delivery_hours=KIOSK),),
                      (bike(),))
    # when a plan that honours only the window is checked
    free = replace(problem, legs=(replace(problem.legs[0], delivery_hours=()),))
    result = plan(free, time_limit=0.3, seed=3)
    assert check(free, result) == []
    found = [v for v in check(problem, result) if v.rule == "hours"]
    # then the drop is outside the point's hours, with its stop, its times and the span
    assert len(found) == 1
    vio = found[0]
    assert vio.leg_id == "a" and vio.position == 1
    assert vio.value[0] >= 20 * H + 1800 and vio.limit == (8 * H, 20 * H)
    assert "schließt 20:00" in vio.message


def test_a_stop_in_the_lunch_break_names_the_next_opening():
    # given a pickup in the shop's lunch break
    problem = Problem((leg("a", SHOP, EIGEN, pickup_window=TimeWindow(13 * H + 600, 14 * H),
                           pickup_hours=SPLIT),), (bike(shift=TimeWindow(13 * H, 22 * H)),))
    free = replace(problem, legs=(replace(problem.legs[0], pickup_hours=()),))
    result = plan(free, time_limit=0.3, seed=3)
    # when checked
    found = [v for v in check(problem, result) if v.rule == "hours"]
    # then it is rejected with the afternoon opening
    assert [v.limit for v in found] == [(15 * H, 18 * H + 1800)]
    assert "öffnet 15:00" in found[0].message


def test_a_service_running_past_closing_time_breaks_the_rule():
    # given a pickup that may begin at 18:29 at a shop closing at 18:30 (service 2 minutes)
    window = TimeWindow(18 * H + 29 * 60, 18 * H + 29 * 60)
    problem = Problem((leg("a", SHOP, EIGEN, pickup_window=window, pickup_hours=SPLIT),),
                      (bike(),))
    free = replace(problem, legs=(replace(problem.legs[0], pickup_hours=()),))
    # when checked, then the minute it runs over is enough
    assert "hours" in {v.rule for v in check(problem, plan(free, time_limit=0.3, seed=3))}


def test_a_place_shut_all_day_rejects_any_stop():
    closed = (TimeWindow(0, 0),)
    problem = Problem((leg("a", SHOP, BOY, pickup_hours=closed),), (bike(),))
    free = replace(problem, legs=(replace(problem.legs[0], pickup_hours=()),))
    found = [v for v in check(problem, plan(free, time_limit=0.3, seed=3)) if v.rule == "hours"]
    assert found and "geschlossen" in found[0].message and found[0].limit == ()


def test_the_solver_never_plans_outside_the_hours_and_leaves_out_what_cannot_fit():
    # given legs whose windows lie inside the hours, and one whose window does not
    legs = (
        leg("a", SHOP, EIGEN, pickup_window=TimeWindow(15 * H, 18 * H + 1800 - 120),
            pickup_hours=SPLIT),
        leg("b", SHOP, BOY, delivery_window=TimeWindow(17 * H + 1800, 20 * H - 180),
            delivery_hours=KIOSK),
        leg("c", SHOP, EIGEN, pickup_window=TimeWindow(13 * H, 14 * H + 1800),
            pickup_hours=SPLIT),
    )
    problem = Problem(legs, (bike(shift=TimeWindow(13 * H, 22 * H)),))
    # when the real solver plans it
    result, stops = _planned(problem)
    # then the plan passes the checker, a and b are planned inside the hours
    assert check(problem, result) == []
    assert 15 * H <= stops["a", "pickup"].start <= 18 * H + 1800 - 120
    assert stops["b", "delivery"].departure <= 20 * H
    # and c (a pickup only possible in the lunch break) is left out with a German reason
    assert [u.leg_id for u in result.unassigned] == ["c"]
    assert "Öffnungszeiten" in result.unassigned[0].reason
