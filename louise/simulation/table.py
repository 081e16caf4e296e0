"""The German table `louise simulate` prints for each day and town."""

from louise.core.calendar import WEEKDAY_NAMES
from louise.core.german import number
from louise.geo.models import VehicleKind
from louise.logistics.fallback import FALLBACK_LABELS
from louise.logistics.services import FailureReason

from .runner import TownDay

REFUSALS = {"out_of_stock": "ausverkauft", "slot_full": "Lieferwelle ausgebucht",
            "slot_gone": "Lieferwelle vorbei", "locker_full": "Paketstation voll",
            "outside_service_area": "außerhalb des Liefergebiets",
            "mandate_missing": "ohne SEPA-Mandat"}
WIDTH = 26


def _counts(counts: dict[str, int], labels: dict[str, str]) -> str:
    return ", ".join(f"{labels.get(key, key)} {number(n)}" for key, n in counts.items())


def _row(label: str, value: str) -> str:
    return f"  {label:<{WIDTH}}{value}"


def day_table(result: TownDay) -> str:
    f = result.figures
    head = f"{f.town_name} – {WEEKDAY_NAMES[f.day.weekday()]}, {f.day:%d.%m.%Y}"
    rows = [head, "─" * len(head),
            _row("Bestellungen", f"{number(f.orders)} (nächste Welle {number(f.orders_next_wave)}"
                                 f", storniert {number(f.cancelled)}, abgelehnt "
                                 f"{number(f.declined)})"),
            _row("Service-Buchungen", number(f.service_bookings)),
            _row("Transportaufträge", number(f.legs)),
            _row("Touren", number(f.tours)),
            _row("Abholungen", number(f.pickups)),
            _row("Zustellungen", number(f.drops)),
            _row("davon pünktlich", "–" if f.on_time_share is None
                 else f"{number(round(f.on_time_share * 100, 1))} %"),
            _row("Fehlversuche", f"{number(sum(f.failures.values()))}"
                 + (f" ({_counts(f.failures, FailureReason.LABELS)}; Ersatzweg: "
                    f"{_counts(f.fallbacks, FALLBACK_LABELS)})" if f.failures else "")),
            _row("Paketstationen geleert", number(f.lockers_emptied)),
            _row("Offene Stopps am Abend", number(f.stops_left))]
    for kind, use in f.vehicles.items():
        rows.append(_row(str(VehicleKind(kind).label),
                         f"{number(use.tours)} {'Tour' if use.tours == 1 else 'Touren'}, "
                         f"{number(use.hours)} Fahrzeugstunden, {number(use.km)} km"))
    rows.append(_row("Nicht eingeplant", number(len(f.unassigned))))
    rows += [f"    Auftrag {u.leg}{f' ({u.order})' if u.order else ''}: {u.reason}"
             for u in f.unassigned]
    if result.refused:
        rows.append(_row("Abgewiesene Einkäufe", _counts(result.refused, REFUSALS)))
    if result.incidents:
        rows.append(_row("Vorfälle", number(len(result.incidents))))
        rows += [f"    {incident}" for incident in result.incidents]
    rows.append(_row("Rechenzeit", f"{number(round(result.seconds, 1))} s"))
    return "\n".join(rows) + "\n"
