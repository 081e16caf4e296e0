"""The report for the funding body: a PDF (title page, key figures with the period before,
charts, method and the sources of the factors) with reportlab, as the invoices are made,
and the raw tables as CSV (German spreadsheet dialect, as the shop's turnover export) and
XLSX (openpyxl)."""

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from louise.core.calendar import BERLIN
from louise.core.errors import Invalid

from .charts import charts_of
from .drawing import drawn
from .selectors import Report, period_parse, reports_compared, town_named
from .tables import figure_groups, tables_of

METHOD = (
    "Alle Zahlen stammen aus den aufgezeichneten Bestellungen, Stopps, Zustellnachweisen, "
    "Schichten und dem Kundenkonto der Plattform; nichts ist geschätzt außer den Faktoren "
    "unten. Pünktlich heißt: die Fahrerin kam bis zum Ende des zugesagten Zeitfensters an. "
    "Kilometer und Fahrzeugstunden folgen den erledigten Stopps in ihrer Reihenfolge "
    "(Luftlinie mal Umwegfaktor der Planung). Kosten: bezahlte Schichtstunden mal Lohn, km "
    "und Einsatztage je Fahrzeugart, Miete und Software anteilig je Kalendertag. "
    "Break-even: Bestellungen je Liefertag, bei denen die Deckungsbeiträge (Gebühren minus "
    "Fahrerzeit und km je Zustellung) die Fixkosten decken. CO2e: Strommix für Rad und "
    "E-Auto; verglichen mit einem Diesel-Lieferwagen auf denselben km und mit privaten "
    "Einkaufsfahrten im Pkw."
)


def _pdf_text(text: str) -> str:
    """reportlab's standard fonts have no subscript two."""
    return text.replace("₂", "2").replace("&", "&amp;").replace("<", "&lt;")


def _table(rows: list[list], widths: list[float]) -> Table:
    table = Table([[Paragraph(_pdf_text(str(c)), _SMALL) for c in row] for row in rows],
                  colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6efe9")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


_STYLES = getSampleStyleSheet()
_SMALL = _STYLES["BodyText"].clone("small", fontSize=8, leading=10)


def _chart(png: bytes, width_mm: float = 170) -> Image:
    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    return Image(io.BytesIO(png), width=width_mm * mm, height=width_mm * mm * h / w)


def report_pdf(report: Report, previous: Report, *, made: datetime) -> bytes:
    """Title page, key figures per group with the period before, charts, method and factors."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=f"LOUISE-Bericht {report.title} "
                            f"{report.period.label}", author="LOUISE",
                            leftMargin=20 * mm, rightMargin=20 * mm)
    h1, h2, body = _STYLES["Title"], _STYLES["Heading2"], _STYLES["BodyText"]
    story: list = [
        Spacer(1, 60 * mm),
        Paragraph(_pdf_text(f"LOUISE – Bericht {report.title}"), h1),
        Paragraph(_pdf_text(f"Zeitraum {report.period.label}, verglichen mit "
                            f"{previous.period.label}"), body),
        Paragraph(_pdf_text(f"Erstellt am {made.astimezone(BERLIN):%d.%m.%Y %H:%M} aus den "
                            "Daten der Plattform"), body),
        PageBreak(),
    ]
    for group in figure_groups(report, previous):
        story += [Paragraph(_pdf_text(group.title), h2), _table(
            [["Kennzahl", report.period.label, previous.period.label],
             *([f.label, f.value, f.previous] for f in group.figures)],
            [85 * mm, 42 * mm, 42 * mm]), Spacer(1, 4 * mm)]
    story.append(PageBreak())
    for chart in charts_of(report):
        story += [Paragraph(_pdf_text(chart.title), h2),
                  _chart(drawn(report, chart.key, "png"))]
    story += [PageBreak(), Paragraph("Methode", h2), Paragraph(_pdf_text(METHOD), body),
              Paragraph("Faktoren und Quellen", h2),
              _table([["Stadt", "Faktor", "Wert", "Quelle"],
                      *([f.town, f.label, f"{f.value} {f.unit}", f.source]
                        for f in report.factors)],
                     [25 * mm, 45 * mm, 22 * mm, 78 * mm])]
    doc.build(story)
    return out.getvalue()


def table_csv(rows: list[list], headers: list[str]) -> str:
    """Semicolon-separated with a BOM, as German spreadsheets open it; decimal commas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([str(c).replace(".", ",") if isinstance(c, float) else c
                         for c in row])
    return "\ufeff" + out.getvalue()


def report_csvs(report: Report, previous: Report) -> dict[str, str]:
    """One CSV per raw table, by file name."""
    return {f"{t.name}.csv": table_csv(t.rows, t.headers) for t in tables_of(report, previous)}


def report_csv_zip(report: Report, previous: Report) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in report_csvs(report, previous).items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def report_xlsx(report: Report, previous: Report) -> bytes:
    """One sheet per raw table; numbers stay numbers."""
    book = Workbook()
    for number, table in enumerate(tables_of(report, previous)):
        sheet = book.worksheets[0] if number == 0 else book.create_sheet()
        sheet.title = table.title[:31]
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def month_files(*, town_slug: str, month: str, pdf: Path, csv_dir: Path | None = None,
                xlsx: Path | None = None, now: datetime) -> list[Path]:
    """`louise report`: one town's month (YYYY-MM) as PDF, and the raw tables as CSV files in
    `csv_dir` and an XLSX workbook if asked; refuses an unknown town or a month to come."""
    town = town_named(town_slug)
    if len(month) != len("2026-01"):
        raise Invalid(f"„{month}“ ist kein Monat (JJJJ-MM).", field="month")
    period = period_parse("month", month, today=now.astimezone(BERLIN).date())
    report, previous = reports_compared(town.name, [town], period)
    pdf.write_bytes(report_pdf(report, previous, made=now))
    written = [pdf]
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        for name, text in report_csvs(report, previous).items():
            (csv_dir / name).write_text(text, encoding="utf-8")
            written.append(csv_dir / name)
    if xlsx is not None:
        xlsx.write_bytes(report_xlsx(report, previous))
        written.append(xlsx)
    return written
