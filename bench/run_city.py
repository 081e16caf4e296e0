"""``bench city``: plan a synthetic Bottrop day, then time single-leg insertions."""

from __future__ import annotations

import math
import resource
import statistics
import time
from collections import Counter
from dataclasses import replace

from louise.planning import HaversineMatrix, check, insert, plan

from .city import day, new_leg


def default_time_limit(n_legs: int) -> float:
    """Ten seconds for 500 legs, growing linearly; never below five seconds."""
    return max(5.0, n_legs / 50)


def main(n_legs: int, n_vehicles: int, seed: int, time_limit: float, insertions: int) -> int:
    n_vehicles = n_vehicles or max(2, math.ceil(n_legs / 12))
    time_limit = time_limit or default_time_limit(n_legs)
    problem = day(n_legs, n_vehicles, seed)
    matrix = HaversineMatrix()
    t0 = time.perf_counter()
    result = plan(problem, time_limit=time_limit, seed=seed, matrix=matrix)
    seconds = time.perf_counter() - t0
    violations = check(problem, result, matrix=matrix)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    bikes = sum(t.vehicle_id.startswith("bike") for t in result.tours)
    codes = Counter(u.code for u in result.unassigned)
    print(f"city legs={n_legs} vehicles={n_vehicles} seed={seed} time_limit={time_limit:.0f}s")
    print(f"plan time      {seconds:8.1f} s")
    print(
        f"vehicles used  {len(result.tours):8d} ({bikes} bikes, {len(result.tours) - bikes} cars)"
    )
    print(f"distance       {result.distance_m / 1000:8.1f} km")
    print(f"unassigned     {len(result.unassigned):8d} {dict(codes)}")
    print(f"feasible       {not violations!s:>8}")
    print(f"peak memory    {own:8.0f} MB (main), {worker:.0f} MB (worker)")
    if insertions:
        times = []
        for k in range(insertions):
            leg = new_leg(problem, seed, k)
            grown = replace(problem, legs=(*problem.legs, leg))
            t1 = time.perf_counter()
            after = insert(grown, result, [leg.id], matrix=matrix)
            times.append((time.perf_counter() - t1) * 1000)
            if k == 0 and check(grown, after, matrix=matrix):
                print("insertion produced an infeasible plan")
                return 1
        p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
        print(f"insert 1 leg   p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
              f"max {max(times):.0f} ms over {insertions}")  # fmt: skip
    return 0 if not violations else 1
