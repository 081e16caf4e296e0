"""Plain solvers for comparison: PyVRP (defaults), VROOM, OR-Tools routing with GLS.

Each gets the same integer matrices as LOUISE and returns a LOUISE ``Plan`` timed by the
engine's own scheduler, so one checker judges all of them. Only what Li & Lim needs is
mapped (one vehicle type, one depot, capacity, windows, service times).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from louise.planning import Leg, Location, Plan, Problem, TravelMatrix, Unassigned, travel_s
from louise.planning.schedule import make_plan, make_tour

Route = list[tuple[Leg, str]]


def _nodes(problem: Problem) -> tuple[list[Location], list[tuple[Leg, str]]]:
    """Node 0 is the depot; then pickup and delivery of each leg."""
    depot = problem.vehicles[0].start
    stops: list[tuple[Leg, str]] = []
    for leg in problem.legs:
        stops += [(leg, "pickup"), (leg, "delivery")]
    places = [depot] + [leg.pickup if kind == "pickup" else leg.delivery for leg, kind in stops]
    return places, stops


def _matrices(problem: Problem, matrix: TravelMatrix, places: list[Location]):
    v = problem.vehicles[0]
    n = len(places)
    dist = np.zeros((n, n), np.int64)
    dur = np.zeros((n, n), np.int64)
    for i, a in enumerate(places):
        for j, b in enumerate(places):
            if i != j:
                dist[i, j] = matrix.distance(a, b)
                dur[i, j] = travel_s(matrix, a, b, v)
    return dist, dur


def _to_plan(problem: Problem, matrix: TravelMatrix, routes: list[Route], solver: str) -> Plan:
    served = {leg.id for route in routes for leg, _ in route}
    tours = [
        make_tour(v, route, tuple(0 for _ in v.capacity), matrix)
        for v, route in zip(problem.vehicles, [r for r in routes if r], strict=False)
    ]
    missing = [Unassigned(leg.id, "capacity", "nicht geplant") for leg in problem.legs]
    return make_plan(tours, [u for u in missing if u.leg_id not in served], solver)


def solve_pyvrp(problem: Problem, matrix: TravelMatrix, seconds: float) -> Plan:
    """PyVRP 0.14 with default parameters: shipments, one vehicle type, no fixed cost."""
    from pyvrp import Depot, ProblemData, Shipment, VehicleType, solve
    from pyvrp import Location as PyLocation
    from pyvrp.stop import MaxRuntime

    places, _stops = _nodes(problem)
    dist, dur = _matrices(problem, matrix, places)
    v = problem.vehicles[0]
    shipments = [
        Shipment(
            2 * k + 1,
            2 * k + 2,
            leg.pickup_window.start,
            leg.pickup_window.end,
            leg.pickup_service,
            leg.delivery_window.start,
            leg.delivery_window.end,
            leg.delivery_service,
            list(leg.size),
        )
        for k, leg in enumerate(problem.legs)
    ]
    vtype = VehicleType(
        len(problem.vehicles), list(v.capacity), tw_early=v.shift.start, tw_late=v.shift.end
    )
    data = ProblemData(
        [PyLocation(p.lat, p.lon) for p in places],
        [],
        [Depot(0)],
        [vtype],
        [dist],
        [dur],
        [],
        shipments,
    )
    res = solve(data, MaxRuntime(seconds), seed=0, display=False)
    routes: list[Route] = []
    if res.best.is_feasible():
        for r in res.best.routes():
            route = []
            for act in r:
                if act.is_pickup():
                    route.append((problem.legs[act.idx], "pickup"))
                elif act.is_delivery():
                    route.append((problem.legs[act.idx], "delivery"))
            routes.append(route)
    return _to_plan(problem, matrix, routes, "pyvrp")


def solve_vroom(problem: Problem, matrix: TravelMatrix, seconds: float) -> Plan:
    """VROOM at its highest exploration level on both cores (it stops by itself)."""
    import vroom

    places, stops = _nodes(problem)
    _, dur = _matrices(problem, matrix, places)
    inp = vroom.Input()
    inp.set_durations_matrix(profile="car", matrix_input=dur)
    for k, v in enumerate(problem.vehicles):
        window = vroom.TimeWindow(v.shift.start, v.shift.end)
        inp.add_vehicle(vroom.Vehicle(k + 1, start=0, end=0, capacity=list(v.capacity),
                                      time_window=window))  # fmt: skip
    for k, leg in enumerate(problem.legs):
        pick = vroom.ShipmentStep(
            2 * k + 1, location=2 * k + 1, default_service=leg.pickup_service,
            time_windows=[vroom.TimeWindow(leg.pickup_window.start, leg.pickup_window.end)],
        )  # fmt: skip
        drop = vroom.ShipmentStep(
            2 * k + 2, location=2 * k + 2, default_service=leg.delivery_service,
            time_windows=[vroom.TimeWindow(leg.delivery_window.start, leg.delivery_window.end)],
        )  # fmt: skip
        inp.add_shipment(pick, drop, amount=vroom.Amount(list(leg.size)))
    sol = inp.solve(exploration_level=5, nb_threads=2)
    routes: dict[int, Route] = {}
    for row in sol.routes.itertuples():
        if row.type in ("pickup", "delivery"):
            routes.setdefault(int(row.vehicle_id), []).append(stops[int(row.location_index) - 1])
    return _to_plan(problem, matrix, list(routes.values()), "vroom")


def solve_ortools(problem: Problem, matrix: TravelMatrix, seconds: float) -> Plan:
    """OR-Tools routing: pickup-and-delivery pairs, time and capacity, guided local search."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    places, stops = _nodes(problem)
    dist, dur = _matrices(problem, matrix, places)
    n, k = len(places), len(problem.vehicles)
    v = problem.vehicles[0]
    manager = pywrapcp.RoutingIndexManager(n, k, 0)
    routing = pywrapcp.RoutingModel(manager)
    service = [0] + [leg.pickup_service if kind == "pickup" else leg.delivery_service
                     for leg, kind in stops]  # fmt: skip
    demand = [0] + [leg.size[0] if kind == "pickup" else -leg.size[0] for leg, kind in stops]

    def node(i: int) -> int:
        return manager.IndexToNode(i)

    cost = routing.RegisterTransitCallback(lambda i, j: int(dist[node(i), node(j)]))
    routing.SetArcCostEvaluatorOfAllVehicles(cost)
    time_cb = routing.RegisterTransitCallback(
        lambda i, j: int(dur[node(i), node(j)] + service[node(i)])
    )
    routing.AddDimension(time_cb, v.shift.end, v.shift.end, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    load_cb = routing.RegisterUnaryTransitCallback(lambda i: demand[node(i)])
    routing.AddDimensionWithVehicleCapacity(load_cb, 0, [v.capacity[0]] * k, True, "load")
    for idx, (leg, kind) in enumerate(stops, start=1):
        window = leg.pickup_window if kind == "pickup" else leg.delivery_window
        time_dim.CumulVar(manager.NodeToIndex(idx)).SetRange(window.start, window.end)
        if kind == "pickup":
            p, d = manager.NodeToIndex(idx), manager.NodeToIndex(idx + 1)
            routing.AddPickupAndDelivery(p, d)
            routing.solver().Add(routing.VehicleVar(p) == routing.VehicleVar(d))
            routing.solver().Add(time_dim.CumulVar(p) <= time_dim.CumulVar(d))
    for vi in range(k):
        time_dim.CumulVar(routing.Start(vi)).SetRange(v.shift.start, v.shift.end)
        time_dim.CumulVar(routing.End(vi)).SetRange(v.shift.start, v.shift.end)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    routes: list[Route] = []
    if solution is not None:
        for vi in range(k):
            i = solution.Value(routing.NextVar(routing.Start(vi)))
            route = []
            while not routing.IsEnd(i):
                route.append(stops[node(i) - 1])
                i = solution.Value(routing.NextVar(i))
            routes.append(route)
    return _to_plan(problem, matrix, routes, "ortools")


SOLVERS: dict[str, Callable[[Problem, TravelMatrix, float], Plan]] = {
    "pyvrp": solve_pyvrp,
    "vroom": solve_vroom,
    "ortools": solve_ortools,
}
