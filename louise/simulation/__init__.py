"""`louise simulate`: the towns' working days lived through LOUISE's own services, as the
data source of the town report and the ground truth of the planning benchmarks.

Entry point: `runner.simulate(...)` returns a `runner.Simulation` of `runner.TownDay`s;
the figures of a day (and the keys of the JSON entry) are in `figures`. See
docs/simulation.md.
"""

# The most working days one run lives (about a year); here, where `louise demo` can check
# its `--history-days` before Django is set up.
MAX_DAYS = 260
