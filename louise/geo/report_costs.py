"""What the town's report needs besides the vehicles' costs (`vehicle_costs`, whose per-hour
figure is the rider's wage): the hub's rent, software and hosting, and the CO2e factors of
the baselines the bikes are compared with. A new town starts from the values below; its
operator replaces them with its own (`Town.report_costs`), and the report shows each factor
with its source, or "Wert der Stadt" once the town has set its own. The reasoning behind
each value is in docs/report.md; they are estimates for a mid-sized German town, as of 2025.
"""

from dataclasses import dataclass
from typing import Any

from .vehicle_costs import MOST


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    unit: str
    default: int
    source: str


FACTORS: tuple[Factor, ...] = (
    Factor("hub_rent_cents_per_month", "Miete der City-Station je Monat", "Cent", 90_000,
           "Annahme: rund 60 m² Laden- und Lagerfläche in der Innenstadt einer Mittelstadt "
           "zu etwa 15 €/m² warm"),
    Factor("software_cents_per_month", "Software und Hosting je Monat", "Cent", 25_000,
           "Annahme: ein gemieteter Server mit Datenbank, Sicherung, Domain und SMS-Kontingent"),
    Factor("van_co2_g_per_km", "Diesel-Lieferwagen: CO₂e je km", "g", 250,
           "EEA, CO2 emissions from new vans (Flotte 2022 um 200 g/km nach WLTP), zuzüglich "
           "etwa 25 % Mehrverbrauch im Stop-and-go der Zustellung"),
    Factor("car_co2_g_per_km", "Privat-Pkw: CO₂e je km", "g", 166,
           "Umweltbundesamt, Emissionsdaten des Personenverkehrs (TREMOD, Pkw 2022: "
           "166 g CO₂e je Personenkilometer, Vorkette eingeschlossen)"),
    Factor("trip_m", "Einkaufsfahrt hin und zurück je Lieferung", "m", 6_000,
           "Mobilität in Deutschland 2017 (MiD): Einkaufswege in Mittelstädten im Mittel "
           "etwa 3 km je Richtung"),
    Factor("car_trip_share_pct", "Anteil der Einkäufe, die sonst mit dem Pkw gefahren würden",
           "%", 50, "Mobilität in Deutschland 2017 (MiD): etwa die Hälfte der Einkaufswege "
                    "mit dem Pkw"),
)
BY_KEY = {factor.key: factor for factor in FACTORS}


def report_costs_default() -> dict[str, int]:
    """A new town's `report_costs`: the values above."""
    return {factor.key: factor.default for factor in FACTORS}


def report_costs_problem(value: Any) -> str | None:
    """What is wrong with a town's `report_costs`, in German; None when nothing is."""
    if not isinstance(value, dict) or not set(value) <= set(BY_KEY):
        return f"Berichtswerte sind nur {', '.join(BY_KEY)}."
    for key, number in value.items():
        label = BY_KEY[key].label
        if not isinstance(number, int) or isinstance(number, bool):
            return f"{label}: bitte eine ganze Zahl."
        if number < 0:
            return f"{label} darf nicht negativ sein."
        if number > MOST or (BY_KEY[key].unit == "%" and number > 100):
            return f"{label} ist zu groß."
    return None
