"""The report in words and tables, once for every way it is shown: the dashboard, the PDF,
and the CSV and XLSX files for the funding body. Values are German text (decimal comma,
euros); the raw tables keep numbers as numbers for spreadsheets."""

from dataclasses import dataclass

from louise.core.german import number
from louise.core.money import euro_text
from louise.geo.models import VehicleKind
from louise.logistics.fallback import FALLBACK_LABELS
from louise.logistics.services import FailureReason
from louise.orders.models import DeliveryMethod

from .selectors import Report

METHODS = {method: str(label) for method, label in DeliveryMethod.choices}
KINDS = {"bike": "Lastenrad", "car": "E-Auto"}


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    previous: str


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    figures: list[Figure]


@dataclass(frozen=True)
class Table:
    name: str  # file name without extension
    title: str
    headers: list[str]
    rows: list[list]


def percent(value: float | None) -> str:
    return "–" if value is None else f"{number(round(value * 100, 1))} %"


def plain(value: float | None, unit: str = "") -> str:
    return "–" if value is None else f"{number(value)}{f' {unit}' if unit else ''}"


def euro(cents: float | None) -> str:
    return "–" if cents is None else euro_text(round(cents))


def counted(values: dict[str, int], names: dict[str, str]) -> str:
    return ", ".join(f"{names.get(k, k)}: {v}" for k, v in values.items()) or "–"


def _kind(report: Report, kind: str, attribute: str) -> float | None:
    use = report.fleet.get(kind)
    return None if use is None else getattr(use, attribute)


def _groups(r: Report) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Per group its key, title and (label, value) pairs of one report."""
    s, q, e = r.service, r.quality, r.environment
    fleet = []
    for kind in VehicleKind.values:
        name = KINDS[kind]
        fleet += [
            (f"{name}: km", plain(round(_kind(r, kind, "km") or 0, 1))),
            (f"{name}: Fahrzeugstunden", plain(round(_kind(r, kind, "hours") or 0, 1))),
            (f"{name}: Stopps je Fahrzeugstunde", plain(_kind(r, kind, "stops_per_hour"))),
            (f"{name}: Pakete je Fahrzeugstunde", plain(_kind(r, kind, "parcels_per_hour"))),
            (f"{name}: Wartezeit-Anteil", percent(_kind(r, kind, "waiting_share"))),
            (f"{name}: Auslastung der Schichten", percent(_kind(r, kind, "utilisation"))),
        ]
    return [
        ("service", "Leistung", [
            ("Bestellungen (Ware)", plain(s["orders"])),
            ("Zustellungen nach Art", counted(r.drops_by_method, METHODS)),
            ("Hol- und Bringdienste", plain(s["services"])),
            ("Aktive Kundschaft (30 Tage)", plain(s["active_customers"])),
            ("Neue Kundschaft", plain(s["new_customers"])),
            ("Aktive Geschäfte", plain(s["active_merchants"])),
            ("Umsatz lokaler Waren", euro(s["goods_cents"])),
            ("Bestellungen über die Hotline", plain(s["hotline"])),
            ("Daueraufträge", plain(s["standing"])),
        ]),
        ("quality", "Qualität", [
            ("Pünktlich (im zugesagten Fenster)", percent(q.on_time)),
            ("Beim ersten Versuch zugestellt", percent(q.first_attempt)),
            ("Gescheitert nach Grund", counted(q.failures, FailureReason.DROP)),
            ("Ersatzwege genutzt", counted(q.fallbacks, FALLBACK_LABELS)),
            ("Mittlere Verspätung (der verspäteten)", plain(q.lateness_min, "min")),
            ("Noch am selben Abend (bis Bestellschluss bestellt)", percent(q.same_day)),
        ]),
        ("fleet", "Flotte", fleet),
        ("environment", "Umwelt", [
            ("Lastenrad-km", plain(e.km.get("bike", 0))),
            ("Auto-km", plain(e.km.get("car", 0))),
            ("CO₂e der Flotte", plain(e.co2_kg, "kg")),
            ("CO₂e vermieden ggü. Diesel-Lieferwagen", plain(e.avoided_vs_van_kg, "kg")),
            ("CO₂e vermieden ggü. privaten Einkaufsfahrten", plain(e.avoided_vs_trips_kg, "kg")),
        ]),
        ("economics", "Wirtschaftlichkeit", [
            *((f"Einnahmen: {kind}", euro(cents)) for kind, cents in r.revenue.by_kind.items()),
            ("Einnahmen gesamt", euro(r.revenue.total)),
            ("Kosten: Fahrerstunden × Lohn", euro(r.costs.riders)),
            ("Kosten: Fahrzeuge je km", euro(r.costs.km)),
            ("Kosten: Fahrzeuge je Einsatztag", euro(r.costs.vehicle_days)),
            ("Kosten: Miete City-Station", euro(r.costs.hub_rent)),
            ("Kosten: Software und Hosting", euro(r.costs.software)),
            ("Kosten gesamt", euro(r.costs.total)),
            ("Kosten je Stopp", euro(r.cost_per_stop)),
            ("Ergebnis je Bestellung", euro(r.contribution_per_order)),
            ("Deckungsbeitrag je Bestellung (ohne Fixkosten)",
             euro(r.outcome.contribution_per_order)),
            ("Break-even: Bestellungen je Liefertag", plain(r.outcome.break_even_per_day)
             if r.outcome.break_even_per_day is not None else "nicht erreichbar"),
        ]),
    ]


def figure_groups(report: Report, previous: Report | None = None) -> list[Group]:
    """The five groups of figures, each with the previous period's value beside it."""
    before = {key: dict(pairs) for key, _t, pairs in _groups(previous)} if previous else {}
    return [Group(key, title, [Figure(label, value, before.get(key, {}).get(label, "–"))
                               for label, value in pairs])
            for key, title, pairs in _groups(report)]


def tables_of(report: Report, previous: Report | None = None) -> list[Table]:
    """The raw tables for the funding body (CSV, XLSX) and the PDF's appendix."""
    groups = figure_groups(report, previous)
    methods, kinds = list(METHODS), list(VehicleKind.values)
    return [
        Table("kennzahlen", "Kennzahlen", ["Bereich", "Kennzahl", report.period.label,
                                           previous.period.label if previous else "Vorher"],
              [[g.title, f.label, f.value, f.previous] for g in groups for f in g.figures]),
        Table("tage", "Je Tag", ["Tag", "Bestellungen",
                                 *(f"Zustellungen {METHODS[m]}" for m in methods),
                                 *(f"km {KINDS[k]}" for k in kinds)],
              [[d.day.isoformat(), d.orders, *(d.drops.get(m, 0) for m in methods),
                *(d.km.get(k, 0.0) for k in kinds)] for d in report.days]),
        Table("fahrzeuge", "Je Fahrzeugart", [
            "Art", "Touren", "km", "Fahrzeugstunden", "bezahlte Stunden", "Stopps",
            "Zustellungen", "Pakete", "Wartestunden", "Einsatztage"],
              [[KINDS.get(k, k), u.tours, round(u.km, 2), round(u.hours, 2),
                round(u.paid_hours, 2), u.stops, u.drops, u.parcels,
                round(u.waiting_hours, 2), u.vehicle_days] for k, u in report.fleet.items()]),
        Table("zonen", "Zustellungen je Zone", ["Stadt", "Zone", "Zustellungen"],
              [[z.town, z.label, z.drops] for z in report.zones]),
        Table("faktoren", "Faktoren und Quellen", ["Stadt", "Faktor", "Wert", "Einheit",
                                                   "Quelle"],
              [[f.town, f.label, f.value, f.unit, f.source] for f in report.factors]),
    ]
