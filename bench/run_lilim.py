"""``bench lilim``: LOUISE and, optionally, plain solvers on Li & Lim instances.

Every result is judged by LOUISE's checker; ranking is vehicles first, then distance,
as in the literature. Instances run one after the other so timings are not distorted.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from louise.planning import Plan, check, plan

from .lilim import EuclideanMatrix, Instance, best_known, exact_distance, read
from .solvers import SOLVERS

CLASSES = ("lc1", "lc2", "lrc1", "lrc2", "lr1", "lr2")


@dataclass(frozen=True, slots=True)
class Row:
    instance: str
    solver: str
    vehicles: int
    distance: float
    seconds: float
    feasible: bool
    bks_vehicles: int | None
    bks_distance: float | None

    @property
    def gap(self) -> float | None:
        if self.bks_distance is None:
            return None
        return 100 * (self.distance / self.bks_distance - 1)

    @property
    def klass(self) -> str:
        name = self.instance.split("_")[0] if "_" in self.instance else self.instance[:-2]
        return next((c for c in CLASSES if name.startswith(c)), name)

    def json(self) -> dict:
        return {
            "instance": self.instance, "solver": self.solver, "vehicles": self.vehicles,
            "distance": round(self.distance, 4), "seconds": round(self.seconds, 2),
            "feasible": self.feasible,
        }  # fmt: skip


def files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out += sorted(p.glob("*.txt")) if p.is_dir() else [p]
    return out


def bks_file(path: Path) -> Path | None:
    for parent in path.resolve().parents:
        if (parent / "bks.csv").exists():
            return parent / "bks.csv"
    return None


def run_one(inst: Instance, solver: str, seconds: float, bks) -> Row:
    matrix = EuclideanMatrix()
    t0 = time.perf_counter()
    if solver == "louise":
        result: Plan = plan(inst.problem, time_limit=seconds, matrix=matrix)
    else:
        result = SOLVERS[solver](inst.problem, matrix, seconds)
    elapsed = time.perf_counter() - t0
    feasible = not check(inst.problem, result, matrix=matrix) and not result.unassigned
    best = bks.get(inst.name, (None, None))
    return Row(inst.name, solver, len(result.tours), exact_distance(inst, result, matrix),
               elapsed, feasible, *best)  # fmt: skip


def report(rows: list[Row], solvers: list[str]) -> str:
    lines = [f"{'instance':<10} {'solver':<8} {'veh':>4} {'bks':>4} {'distance':>10} "
             f"{'gap%':>7} {'sec':>6} feasible"]  # fmt: skip
    for r in rows:
        gap = f"{r.gap:7.2f}" if r.gap is not None else "      -"
        lines.append(f"{r.instance:<10} {r.solver:<8} {r.vehicles:>4} {r.bks_vehicles or '-':>4} "
                     f"{r.distance:>10.2f} {gap} {r.seconds:>6.1f} {r.feasible}")  # fmt: skip
    lines.append("")
    lines.append(f"{'class':<6} {'solver':<8} {'n':>3} {'bks veh':>8} {'veh':>6} "
                 f"{'gap% (veh=bks)':>15} {'sec':>6} {'feasible':>8}")  # fmt: skip
    groups = [*sorted({r.klass for r in rows}), "all"]
    for g in groups:
        for s in solvers:
            sel = [r for r in rows if r.solver == s and (g == "all" or r.klass == g)]
            if sel:
                lines.append(summary(g, s, sel))
    return "\n".join(lines)


def summary(group: str, solver: str, rows: list[Row]) -> str:
    matched = [r for r in rows if r.feasible and r.vehicles == r.bks_vehicles]
    gap = sum(r.gap or 0 for r in matched) / len(matched) if matched else float("nan")
    vehicles = sum(r.vehicles for r in rows) / len(rows)
    seconds = sum(r.seconds for r in rows) / len(rows)
    feasible = sum(r.feasible for r in rows)
    return (f"{group:<6} {solver:<8} {len(rows):>3} {len(matched):>4}/{len(rows):<3} "
            f"{vehicles:>6.2f} {gap:>15.3f} {seconds:>6.1f} {feasible:>8}")  # fmt: skip


def main(paths: list[str], seconds: float, compare: list[str], json_out: str | None) -> int:
    solvers = ["louise", *compare]
    unknown = [s for s in compare if s not in SOLVERS]
    if unknown:
        print(f"unknown solver(s): {', '.join(unknown)}; choose from {', '.join(SOLVERS)}")
        return 2
    rows: list[Row] = []
    for path in files(paths):
        bks_path = bks_file(path)
        bks = best_known(bks_path) if bks_path else {}
        inst = read(path)
        for solver in solvers:
            row = run_one(inst, solver, seconds, bks)
            rows.append(row)
            gap = f"{row.gap:.2f}%" if row.gap is not None else "-"
            print(f"{row.instance} {solver}: {row.vehicles} veh (bks {row.bks_vehicles}), "
                  f"{row.distance:.2f} ({gap}), {row.seconds:.1f}s, feasible={row.feasible}",
                  flush=True)  # fmt: skip
            if json_out:
                Path(json_out).write_text(json.dumps([r.json() for r in rows], indent=1))
    print()
    print(report(rows, solvers))
    return 0
