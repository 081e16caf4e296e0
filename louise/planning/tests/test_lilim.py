"""Li & Lim reader and a short solve of lc101 against its best known result."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.lilim import EuclideanMatrix, best_known, exact_distance, read
from louise.planning import check, plan

ROOT = Path(__file__).resolve().parents[3]
LILIM = ROOT / ".." / "shared" / "data" / "lilim"

pytestmark = pytest.mark.skipif(
    not (LILIM / "100" / "lc101.txt").exists(),
    reason=f"Li & Lim data not found at {LILIM.resolve()} (shared data folder absent)",
)


def test_reader_builds_the_instance():
    inst = read(LILIM / "100" / "lc101.txt")
    problem = inst.problem
    assert inst.name == "lc101"
    assert len(problem.legs) == 53
    assert len(problem.vehicles) == 25
    assert problem.vehicles[0].capacity == (200,)
    first = next(leg for leg in problem.legs if leg.id == "3")
    assert first.pickup_window.start == 65_000 and first.pickup_window.end == 146_000
    assert first.delivery.id == "75"
    assert first.size == (10,)


def test_euclidean_durations_round_up():
    inst = read(LILIM / "100" / "lc101.txt")
    m = EuclideanMatrix()
    a, b = inst.problem.legs[0].pickup, inst.problem.legs[0].delivery
    assert m.duration(a, b) >= m.exact(a, b) * 1000
    assert abs(m.distance(a, b) - m.exact(a, b) * 1000) <= 0.5


def test_lc101_reaches_best_known():
    inst = read(LILIM / "100" / "lc101.txt")
    bks = best_known(LILIM / "bks.csv")
    matrix = EuclideanMatrix()
    result = plan(inst.problem, time_limit=1.0, matrix=matrix)
    assert check(inst.problem, result, matrix=matrix) == []
    assert result.unassigned == ()
    assert len(result.tours) == bks["lc101"][0]
    assert exact_distance(inst, result, matrix) == pytest.approx(bks["lc101"][1], rel=1e-3)
