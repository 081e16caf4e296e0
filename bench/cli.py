"""Command line: ``bench lilim|city|eta|day|region ...`` (wired as ``louise bench``)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str]) -> int:
    if argv[:1] == ["region"]:  # its own options (bench/region_load.py)
        from .region_load import main as run_region

        return run_region(argv[1:])
    parser = argparse.ArgumentParser(prog="louise bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    lilim = sub.add_parser("lilim", help="Li & Lim instances against the best known results")
    lilim.add_argument("paths", nargs="+", metavar="PATH", help="instance files or folders")
    lilim.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    lilim.add_argument("--compare", default="", help="comma list of pyvrp,vroom,ortools")
    lilim.add_argument("--json", dest="json_out", metavar="OUT", help="write results as JSON")
    city = sub.add_parser("city", help="a synthetic Bottrop day")
    city.add_argument("--legs", type=int, default=500)
    city.add_argument("--vehicles", type=int, default=0, help="0: enough for the legs")
    city.add_argument("--seed", type=int, default=1)
    city.add_argument("--time-limit", type=float, default=0.0, help="0: scale with legs")
    city.add_argument("--insertions", type=int, default=50, help="new legs timed one by one")
    eta = sub.add_parser("eta", help="ETA error on a simulated day (louise.logistics.eta)")
    eta.add_argument("--legs", type=int, default=80)
    eta.add_argument("--vehicles", type=int, default=6)
    eta.add_argument("--seed", type=int, default=1)
    eta.add_argument("--time-limit", type=float, default=5.0)
    day = sub.add_parser("day", help="a Bottrop day planned by the real app, end to end "
                                     "(throwaway database)")
    day.add_argument("--legs", type=int, default=500)
    day.add_argument("--seed", type=int, default=1)
    day.add_argument("--town", default="bottrop", help="a demo town's slug")
    day.add_argument("--time-limit", type=float, default=None,
                     help="without: the app's, by the day's legs (LOUISE_PLAN_*)")
    day.add_argument("--json", dest="json_out", metavar="OUT", help="write the figures as JSON")
    day.add_argument("--keep", action="store_true", help="keep the throwaway database")
    sub.add_parser("region", help="towns × orders through the API with real web and worker "
                                  "processes (louise bench region --help)")
    args = parser.parse_args(argv)
    if args.command == "day":
        from .day import main as run_day

        return run_day(args.legs, args.seed, args.town, args.time_limit, args.json_out,
                       keep=args.keep)
    if args.command == "eta":
        from .eta import main as run_eta

        return run_eta(args.legs, args.vehicles, args.seed, args.time_limit)
    if args.command == "lilim":
        from .run_lilim import main as run

        compare = [s for s in args.compare.split(",") if s]
        return run(args.paths, args.time_limit, compare, args.json_out)
    from .run_city import main as run_city

    return run_city(args.legs, args.vehicles, args.seed, args.time_limit, args.insertions)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
