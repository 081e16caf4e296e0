"""The catalogue as CSV: export for spreadsheets, import with a row-by-row report.

One file holds products and services (column `typ`). Rows are matched to existing
entries by type and name: a known name is updated, a new one created. Every row is
checked first (the same model validation as the forms); if any row is wrong, the report
lists each bad line with its number and nothing at all is saved.

German spreadsheets write `;` and decimal commas, often in Windows-1252: all of that is
read, and the export is written that way (with a BOM, so Excel opens it as UTF-8).
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from louise.core.errors import Invalid
from louise.core.money import euro_text

from .models import Merchant, Product, ServiceOffer

PRODUCT, SERVICE = "produkt", "dienstleistung"
COLUMNS = ["typ", "name", "beschreibung", "preis_eur", "mwst", "bestand", "gewicht_g",
           "volumen_ml", "gekuehlt", "sperrig", "preis_nach_begutachtung", "bearbeitung_tage",
           "aktiv"]
REQUIRED = {"typ", "name"}
# The column a model field is read from, so a validation error names what the shop typed.
COLUMN_OF = {"name": "name", "description": "beschreibung", "price_cents": "preis_eur",
             "vat_rate": "mwst", "stock": "bestand", "weight_g": "gewicht_g",
             "volume_ml": "volumen_ml", "cooled": "gekuehlt", "bulky": "sperrig",
             "quote_after_inspection": "preis_nach_begutachtung",
             "turnaround_days": "bearbeitung_tage", "active": "aktiv"}
MAX_ROWS = 5000
YES = {"ja", "j", "yes", "y", "1", "true", "wahr", "x"}
NO = {"nein", "n", "no", "0", "false", "falsch", ""}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _euros(cents: int | None) -> str:
    return "" if cents is None else euro_text(cents)


def _yes(flag: bool) -> str:
    return "ja" if flag else "nein"


def catalog_export(*, merchant: Merchant) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for p in merchant.products.order_by("name"):
        writer.writerow([PRODUCT, p.name, p.description, _euros(p.price_cents), p.vat_rate,
                         p.stock, p.weight_g, p.volume_ml, _yes(p.cooled), _yes(p.bulky), "",
                         "", _yes(p.active)])
    for s in merchant.services.order_by("name"):
        writer.writerow([SERVICE, s.name, s.description, _euros(s.price_cents), s.vat_rate, "",
                         s.weight_g, s.volume_ml, "", "", _yes(s.quote_after_inspection),
                         s.turnaround_days, _yes(s.active)])
    return "\ufeff" + out.getvalue()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid("Die Datei ist keine Textdatei (CSV).", field="file")


def _reader(text: str) -> csv.DictReader:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = {(h or "").strip().lower() for h in reader.fieldnames or []}
    if missing := REQUIRED - header:
        raise Invalid(f"In der Kopfzeile fehlt die Spalte „{sorted(missing)[0]}“. Erwartet: "
                      f"{';'.join(COLUMNS)}", field="file")
    if unknown := header - set(COLUMNS):
        raise Invalid(f"Unbekannte Spalte „{sorted(unknown)[0]}“. Erlaubt: {';'.join(COLUMNS)}",
                      field="file")
    reader.fieldnames = [(h or "").strip().lower() for h in reader.fieldnames or []]
    return reader


class RowError(ValueError):
    """One cell cannot be read; the message names the column."""


def _cents(value: str, column: str) -> int | None:
    """"12,90", "1.234,50 €" and "12.90" are all read; the cents must be whole."""
    text = value.replace("€", "").replace(" ", "").strip()
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise RowError(f"{column}: „{value.strip()}“ ist kein Betrag") from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise RowError(f"{column}: „{value.strip()}“ ist kein Betrag in Euro und Cent")
    return int(amount * 100)


def _int(value: str, column: str, default: int | None = None) -> int:
    value = value.strip()
    if not value:
        if default is None:
            raise RowError(f"{column}: fehlt")
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise RowError(f"{column}: „{value}“ ist keine ganze Zahl") from exc


def _bool(value: str, column: str, default: bool) -> bool:
    value = value.strip().lower()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(f"{column}: „{value}“ – bitte ja oder nein")


def _fill(entry: Product | ServiceOffer, row: dict[str, str]) -> None:
    get = {k: (v or "") for k, v in row.items() if k}
    entry.description = get.get("beschreibung", entry.description or "").strip()
    entry.vat_rate = _int(get.get("mwst", ""), "mwst", entry.vat_rate)
    entry.active = _bool(get.get("aktiv", ""), "aktiv", entry.active)
    entry.weight_g = _int(get.get("gewicht_g", ""), "gewicht_g", entry.weight_g)
    entry.volume_ml = _int(get.get("volumen_ml", ""), "volumen_ml", entry.volume_ml)
    price = _cents(get.get("preis_eur", ""), "preis_eur")
    if isinstance(entry, Product):
        if price is None:
            raise RowError("preis_eur: fehlt")
        entry.price_cents = price
        entry.stock = _int(get.get("bestand", ""), "bestand", entry.stock)
        entry.cooled = _bool(get.get("gekuehlt", ""), "gekuehlt", entry.cooled)
        entry.bulky = _bool(get.get("sperrig", ""), "sperrig", entry.bulky)
    else:
        entry.price_cents = price
        entry.quote_after_inspection = _bool(get.get("preis_nach_begutachtung", ""),
                                             "preis_nach_begutachtung",
                                             entry.quote_after_inspection)
        entry.turnaround_days = _int(get.get("bearbeitung_tage", ""), "bearbeitung_tage",
                                     entry.turnaround_days)


def _validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{'Eingabe' if f == '__all__' else COLUMN_OF.get(f, f)}: "
                         f"{' '.join(m)}" for f, m in exc.message_dict.items())
    return " ".join(exc.messages)


def catalog_import(*, merchant: Merchant, data: bytes) -> ImportReport:
    """Check every row, then save all of them in one transaction, or none."""
    reader = _reader(_decode(data))
    products = {p.name.casefold(): p for p in merchant.products.all()}
    services = {s.name.casefold(): s for s in merchant.services.all()}
    report, pending, seen = ImportReport(), [], set()
    for row in reader:
        line = reader.line_num
        if line > MAX_ROWS + 1:
            report.errors.append((line, f"Zu viele Zeilen (höchstens {MAX_ROWS})."))
            break
        if not any((v or "").strip() for k, v in row.items() if k):
            continue
        kind, name = (row.get("typ") or "").strip().lower(), (row.get("name") or "").strip()
        if kind not in (PRODUCT, SERVICE):
            report.errors.append((line, f"typ: „{kind}“ – erlaubt sind „{PRODUCT}“ und "
                                        f"„{SERVICE}“"))
            continue
        if (kind, name.casefold()) in seen:
            report.errors.append((line, f"name: „{name}“ steht doppelt in der Datei"))
            continue
        seen.add((kind, name.casefold()))
        known = (products if kind == PRODUCT else services).get(name.casefold())
        model = Product if kind == PRODUCT else ServiceOffer
        entry = known or model(merchant=merchant, name=name)
        try:
            _fill(entry, row)
            entry.full_clean()
        except RowError as exc:
            report.errors.append((line, str(exc)))
            continue
        except ValidationError as exc:
            report.errors.append((line, _validation_text(exc)))
            continue
        pending.append(entry)
    if report.errors:
        return report
    with transaction.atomic():
        for entry in pending:
            if entry.pk:
                report.updated += 1
            else:
                report.created += 1
            entry.save()
    return report
