"""What a vehicle of each kind costs, as a new town starts: the operator changes them in
`/betrieb/stadt/` (`Town.vehicle_costs`, read through `Town.costs_of`).

The planner minimises these costs (see `louise.planning.solve_pyvrp`), so they decide
when a car is worth it. Sources and reasoning, as of 2025 (rounded; a town with its own
figures should enter them):

- Per hour, both kinds: the rider's or driver's wage with the employer's costs. A courier
  earns about 14–16 €/h in Germany (statutory minimum 12.82 €/h in 2025); the employer's
  social insurance (~21 %) and sick pay, holidays and training add about 40 % in all:
  20–25 €/h; we take 22 €/h for both, as a cargo bike rider and a van driver are paid alike.
- Per km, cargo bike: energy about 1.5 kWh/100 km at ~0.35 €/kWh (0.5 ct) plus tyres,
  brakes, chain and battery wear of an e-cargo bike in daily courier use, about 4–5 ct:
  5 ct/km.
- Per km, e-car (small e-van, e.g. Renault Kangoo E-Tech, Citroën ë-Berlingo): the
  running costs of ADAC Autokosten (energy ~21 kWh/100 km at ~0.35 €/kWh ≈ 7 ct, workshop
  and tyres ≈ 5–6 ct): 13 ct/km. ADAC's full cost of ~50–60 ct/km includes loss of value,
  insurance and tax, which are fixed per day here.
- Fixed per day, cargo bike: a courier e-cargo bike of ~10,000 € written off over 5
  years, with insurance and servicing, ~2,000 €/year over 250 working days: 8 €/day.
- Fixed per day, e-car: ADAC's fixed costs of a small e-van (loss of value, insurance,
  tax, ~550 €/month) over 22 working days: 25 €/day.
- CO2: electricity at the Umweltbundesamt's factor for the German power mix (about
  380 g CO2/kWh for 2023) times the energy per km: cargo bike 1.5 kWh/100 km ≈ 6 g/km,
  e-van ~21 kWh/100 km with charging losses ≈ 80 g/km. Tailpipe emissions are 0 for both
  (TREMOD counts battery-electric vehicles by their power, as here).
- Parking per stop (`park_seconds`, time from reaching a place to being at its door, and
  back to the vehicle; the planner adds it to every move to a new place, see
  `louise.planning.matrix.travel_s`):
  - e-car: commercial vehicles delivering parcels in downtown Seattle cruised 2.3 minutes
    per trip for a place to park (Dalla Chiara & Goodchild, "Do commercial vehicles cruise
    for parking? Empirical evidence from Seattle", Transport Policy 97, 2020, pp. 26–36),
    28 % of their trip time; with the walk from a legal space to the door and back (at
    least the bike's 45 s below): 180 s.
  - cargo bike: riders in Seattle's cargo-cycle pilot parked on average 30 m from the
    address, mostly on the pavement, and made one delivery per stop (Dalla Chiara,
    Donnelly, Gunes & Goodchild, "How cargo cycle drivers use the urban transport
    infrastructure", Transportation Research Part A, 2023, article 103562): no search,
    60 m on foot and locking the bike: 45 s.
  A town whose cars find a loading bay at every door (or whose centre has none) enters its
  own figures; 0 for both makes the plan count driving time only.
"""

from dataclasses import asdict, dataclass
from typing import Any

# More than any vehicle could cost per hour, km or day, in cents (and g CO2 per km).
MOST = 1_000_000
PARK_MOST = 1800  # seconds: parking for longer than half an hour per stop is a mistyped figure


@dataclass(frozen=True)
class VehicleCosts:
    """Costs of one vehicle kind in whole cents, grams of CO2 per km, and the seconds it
    takes at each stop to park and walk to the door."""

    cents_per_hour: int
    cents_per_km: int
    cents_per_day: int
    co2_g_per_km: int
    park_seconds: int


DEFAULTS: dict[str, VehicleCosts] = {
    "bike": VehicleCosts(cents_per_hour=2200, cents_per_km=5, cents_per_day=800,
                         co2_g_per_km=6, park_seconds=45),
    "car": VehicleCosts(cents_per_hour=2200, cents_per_km=13, cents_per_day=2500,
                        co2_g_per_km=80, park_seconds=180),
}
FIELDS = ("cents_per_hour", "cents_per_km", "cents_per_day", "co2_g_per_km", "park_seconds")
# Each field in words, for a refusal that says which figure is wrong.
NAMES = {"cents_per_hour": "Der Stundenlohn", "cents_per_km": "Die Kosten je km",
         "cents_per_day": "Die Fixkosten je Tag", "co2_g_per_km": "Der CO₂-Wert je km",
         "park_seconds": "Die Parkzeit je Stopp"}


def costs_default() -> dict[str, dict[str, int]]:
    """A new town's `vehicle_costs`: the defaults above, per vehicle kind."""
    return {kind: asdict(costs) for kind, costs in DEFAULTS.items()}


def costs_problem(value: Any) -> str | None:
    """What is wrong with a town's `vehicle_costs`, in German; None when nothing is."""
    if not isinstance(value, dict) or not set(value) <= set(DEFAULTS):
        return f"Fahrzeugkosten gibt es nur für {', '.join(DEFAULTS)}."
    for kind, costs in value.items():
        if not isinstance(costs, dict) or not set(costs) <= set(FIELDS):
            return f"Fahrzeugkosten sind {', '.join(FIELDS)}."
        for name, number in costs.items():
            if isinstance(number, int) and number < 0:
                return f"{NAMES[name]} ({kind}) darf nicht negativ sein."
        if not all(isinstance(v, int) and 0 <= v <= MOST for v in costs.values()):
            return f"Fahrzeugkosten sind ganze Zahlen von 0 bis {MOST:,}.".replace(",", ".")
        if costs.get("park_seconds", 0) > PARK_MOST:
            return (f"Parken und Weg zur Tür dauern höchstens {PARK_MOST:,} Sekunden je "
                    "Stopp.").replace(",", ".")
    return None
