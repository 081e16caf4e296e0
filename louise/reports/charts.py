"""The report's charts: which there are, and the table of each, for screen readers and
for everyone who would rather read than look. The pictures themselves are drawn by
`reports.drawing` (matplotlib), one at a time: the dashboard asks for each as an image of
its own, so the page answers without drawing any, and the PDF draws them all.

Charts: orders per day (time series), drops per day by method and km per day by vehicle
kind (stacked bars), and the map of drops per zone (when the town has zones).
"""

from dataclasses import dataclass

from .selectors import DayRow, Report
from .tables import KINDS, METHODS

TITLES = {"orders": "Bestellungen je Tag", "drops": "Zustellungen je Tag nach Art",
          "km": "Kilometer je Tag nach Fahrzeug", "zones": "Zustellungen je Zone (Karte)"}


@dataclass(frozen=True)
class Chart:
    key: str  # one of TITLES
    title: str
    headers: list[str]
    rows: list[list[str]]


def day_label(row: DayRow) -> str:
    return f"{row.day:%d.%m.}"


def charts_of(report: Report) -> list[Chart]:
    """The report's charts with their tables (the map only when the town has zones)."""
    days = [day_label(d) for d in report.days]
    charts = [
        Chart("orders", TITLES["orders"], ["Tag", "Bestellungen"],
              [[day, str(d.orders)] for day, d in zip(days, report.days, strict=True)]),
        Chart("drops", TITLES["drops"], ["Tag", *METHODS.values()],
              [[day, *(str(d.drops.get(m, 0)) for m in METHODS)]
               for day, d in zip(days, report.days, strict=True)]),
        Chart("km", TITLES["km"], ["Tag", *KINDS.values()],
              [[day, *(str(d.km.get(k, 0)) for k in KINDS)]
               for day, d in zip(days, report.days, strict=True)]),
    ]
    if report.zones:
        charts.append(Chart("zones", TITLES["zones"], ["Stadt", "Zone", "Zustellungen"],
                            [[z.town, z.label, str(z.drops)] for z in report.zones]))
    return charts
