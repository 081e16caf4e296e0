"""ETAs from progress: the projection, the learned pace, and the benchmark that measures them."""

from bench.eta import main as eta_benchmark
from louise import planning
from louise.logistics.eta import Visit, pace, project

HUB = planning.Location("hub", 51.5236, 6.9285)
BIKE = planning.Vehicle("1", "bike", (100, 100, 20), planning.TimeWindow(0, 86_400), HUB, HUB)


def test_projection_waits_for_windows_and_flags_lateness():
    # given two stops: the first opens late, the second closes early
    near = planning.Location("a", 51.5250, 6.9300)
    far = planning.Location("b", 51.5400, 6.9500)
    visits = [Visit(near, 1_000, 5_000, 120), Visit(far, 0, 1_200, 180)]
    # when projected from the hub at t=0
    first, second = project(BIKE, HUB, 0, visits)
    # then the rider waits for the first window and is late for the second
    assert first.arrival < 1_000 and first.begin == 1_000 and first.late_s == 0
    assert second.begin > 1_120 and second.late_s == second.begin - 1_200


def test_pace_learns_slowly_and_within_limits():
    # given no history, then a rider 50 % slower on three and on thirty segments
    assert pace([]) == 1.0
    three, thirty = pace([(600, 900)] * 3), pace([(600, 900)] * 30)
    # then the estimate moves towards 1.5 as evidence grows, never beyond the limits
    assert 1.0 < three < thirty < 1.5
    assert pace([(600, 6_000)] * 100) <= 1.6


def test_a_slower_pace_pushes_the_etas_later():
    visits = [Visit(planning.Location("a", 51.53, 6.94), 0, 86_400, 120)]
    assert project(BIKE, HUB, 0, visits, speed_factor=1.3)[0].begin > \
        project(BIKE, HUB, 0, visits)[0].begin


def test_benchmark_runs_on_a_small_day(capsys):
    assert eta_benchmark(12, 2, 1, 0.5) == 0
    out = capsys.readouterr().out
    assert "Position + Tempo" in out and "±15-Min.-Fenster" in out
