"""Opening hours as a small JSON value: {"0": [["09:00", "18:00"]], ...} with Monday = "0".

Shops, pickup points and the hub all share this format, so one validator and one
`describe` serve them all.
"""

from datetime import time

from django.core.exceptions import ValidationError

WEEKDAY_NAMES = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
ALWAYS_OPEN = {str(d): [["00:00", "24:00"]] for d in range(7)}


def _parse(value: str) -> time:
    if value == "24:00":
        return time.max
    return time.fromisoformat(value)


def validate_opening_hours(hours: dict) -> None:
    if not isinstance(hours, dict):
        raise ValidationError("Öffnungszeiten müssen ein Objekt je Wochentag sein.")
    for day, spans in hours.items():
        if day not in {str(d) for d in range(7)}:
            raise ValidationError(f"Unbekannter Wochentag „{day}“ (0 = Montag … 6 = Sonntag).")
        for span in spans:
            try:
                opens, closes = (_parse(v) for v in span)
            except (TypeError, ValueError) as exc:
                raise ValidationError(
                    f"{WEEKDAY_NAMES[int(day)]}: Zeitspanne {span!r} ist nicht „HH:MM–HH:MM“."
                ) from exc
            if opens >= closes:
                raise ValidationError(f"{WEEKDAY_NAMES[int(day)]}: Beginn muss vor Ende liegen.")


def describe(hours: dict) -> list[str]:
    lines = []
    for day in range(7):
        spans = hours.get(str(day), [])
        text = ", ".join(f"{a}–{b}" for a, b in spans) if spans else "geschlossen"
        lines.append(f"{WEEKDAY_NAMES[day]}: {text}")
    return lines
