"""Handing a draft tour to its rider, and saying in words what the planner's checker found.

A rider follows a published tour stop by stop, so a tour the checker rejects (a drop before
its pickup after a manual move, a load over the bike's capacity) is handed out only when the
dispatcher overrides it on the record (`PublishOverride`: who, when, why, what was wrong).
While a plan run of the day is queued or running nothing is published: the run would
replace the day's drafts and put the same legs on a second tour.
"""

from collections.abc import Iterable, Sequence

from louise import planning
from louise.core.errors import Conflict, Invalid
from louise.core.german import number
from louise.planning.check import hours_detail
from louise.planning.schedule import make_tour

from .models import (
    PublishOverride,
    Tour,
    TourStop,
)
from .planning_bridge import Day, plan_running, problem_for, to_vehicle
from .running import stop_location

PLAN_RUNNING = "Planung läuft – bitte warten, bis sie fertig ist, dann veröffentlichen."
_DIMENSIONS = (("Gewicht", 1000, "kg"), ("Volumen", 1000, "l"), ("Pakete", 1, ""))
_NEEDS = {"cooled": "Kühlung", "bulky": "Sperriges"}


def german(value: float) -> str:
    """A number as Germans write it: decimal comma, no needless decimals (21,5 / 20)."""
    return number(round(value, 1))


def _minutes(seconds: float) -> str:
    return f"{max(1, round(seconds / 60))} Min."


def _capacity(v: planning.Violation) -> str:
    if v.value and min(v.value) < 0:
        return "Zustellung vor Abholung"  # the goods are not aboard yet
    over = [f"{name} {german(value / scale)}{f' {unit}' if unit else ''} von "
            f"{german(limit / scale)}{f' {unit}' if unit else ''}"
            for (name, scale, unit), value, limit in zip(_DIMENSIONS, v.value, v.limit,
                                                         strict=False) if value > limit]
    return f"Ladung über der Kapazität ({', '.join(over)})" if over \
        else "Ladung über der Kapazität"


def _what(v: planning.Violation) -> str | None:
    """The broken rule in the dispatcher's words; None for the checker's own bookkeeping."""
    late = (v.value[0] - v.limit[0]) if v.value and v.limit else 0
    match v.rule:
        case "capacity":
            return _capacity(v)
        case "precedence":
            return "Zustellung vor Abholung"
        case "window":
            return f"{_minutes(late)} zu spät"
        case "shift" if v.value:
            return f"Rückkehr {_minutes(late)} nach Schichtende"
        case "shift":
            return "Start vor Schichtbeginn"
        case "range":
            return (f"Strecke {german(v.value[0] / 1000)} km, Reichweite nur "
                    f"{german(v.limit[0] / 1000)} km")
        case "hours":
            return f"außerhalb der Öffnungszeiten ({hours_detail(v.value[0], v.limit)})"
        case "zone":
            return "Zone für dieses Fahrzeug gesperrt"
        case "requirements":
            needs = v.message.split(": ", 1)[-1].split(", ")
            return f"Fahrzeug hat keine {', '.join(_NEEDS.get(n, n) for n in needs)}"
        case "locked":
            return "Stopp ist auf ein anderes Fahrzeug gesperrt"
        case "same_vehicle":
            return "Abholung und Zustellung auf verschiedenen Fahrzeugen"
        case "on_board":
            return "Ware ist auf einem anderen Fahrzeug"
        case "group":
            return "Teile einer Sendung nicht in einem Stopp"
        case "chain":
            return "Ware kommt nicht ins City-Depot (Abholung im Geschäft nicht geplant)"
        case "schedule":
            return None
    return v.message


def violation_text(v: planning.Violation, *, vehicle: str, stops: Sequence[TourStop]
                   ) -> str | None:
    """"Rad 1, Stopp 4 (Kirchplatz 3): Ladung über der Kapazität (Gewicht 21,5 kg von 20 kg)"."""
    what = _what(v)
    if what is None:
        return None
    if v.position is not None and v.position < len(stops):
        stop = stops[v.position]
        return f"{vehicle}, Stopp {stop.sequence} ({stop.label}): {what}"
    return f"{vehicle}: {what}"


def texts(violations: Iterable[planning.Violation], *, vehicle: str,
          stops: Sequence[TourStop]) -> list[str]:
    """The violations in words, each said once (a drop before its pickup breaks two rules)."""
    out = (violation_text(v, vehicle=vehicle, stops=stops) for v in violations)
    return list(dict.fromkeys(t for t in out if t))


def tour_violations(tour: Tour) -> list[str]:
    """What the planner's checker finds wrong with the tour's order of stops, in words.

    The tour is timed as the planner times any order of stops (`schedule.make_tour`) and
    checked on its own: its legs, its vehicle, the zones."""
    day, matrix = Day.of(tour.plan_run), planning.HaversineMatrix()
    stops = list(tour.stops.select_related("leg__zone").order_by("sequence"))
    vehicle = to_vehicle(tour.shift, day)
    problem = problem_for(day, {s.leg_id: s.leg for s in stops}.values(), [vehicle])
    legs = {leg.id: leg for leg in problem.legs}
    timed = make_tour(vehicle, [(legs[str(s.leg_id)], s.kind) for s in stops],
                      (0,) * len(vehicle.capacity), matrix)
    # The stop's own place (its ref) as the checker expects it.
    timed = planning.Tour(timed.vehicle_id, tuple(
        planning.Stop(p.leg_id, p.kind, stop_location(s, day.times), p.arrival, p.start,
                      p.departure, p.load) for p, s in zip(timed.stops, stops, strict=True)),
        timed.start, timed.end, timed.distance_m)
    plan = planning.Plan((timed,), (), timed.distance_m, timed.end - timed.start, "manual")
    return texts(planning.check(problem, plan, matrix=matrix), vehicle=tour.shift.vehicle.name,
                 stops=stops)


def publish_check(*, tour: Tour, by, override_reason: str = "") -> None:
    """Refuse to publish while the day is being planned, or a tour the checker rejects
    unless a reason is given; an override is recorded with who, when and why."""
    if plan_running(Day.of(tour.plan_run)):
        raise Conflict(PLAN_RUNNING, code="plan_running")
    problems = tour_violations(tour)
    if not problems:
        return
    reason = override_reason.strip()
    if not reason:
        raise Conflict("\n".join(["Der Planungsprüfer lehnt diese Tour ab:", *problems,
                                  "Nur mit Begründung trotzdem veröffentlichen."]),
                       code="tour_infeasible", field="override_reason")
    if len(reason) < 5:
        raise Invalid("Bitte die Begründung in ein paar Worten angeben.",
                      field="override_reason", code="override_reason")
    PublishOverride.objects.create(tour=tour, by=by, reason=reason, violations=problems)

