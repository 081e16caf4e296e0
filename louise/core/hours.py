"""Opening hours as a small JSON value: {"0": [["09:00", "13:00"], ["15:00", "18:00"]], ...}
with Monday = "0" and several spans for a split shift.

Shops, pickup points and the hub all share this format, so one validator and one reading
(`hours_on`: the spans on a date, with public holidays) serve them all.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.core.exceptions import ValidationError

from .calendar import BERLIN, WEEKDAY_NAMES, Schedule, public_holiday

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


def _at(day: date, value: str) -> datetime:
    """A wall-clock time on `day` in Berlin; "24:00" is the next midnight."""
    if value == "24:00":
        return datetime.combine(day + timedelta(days=1), time(0), BERLIN)
    return datetime.combine(day, _parse(value), BERLIN)


@dataclass(frozen=True)
class DayHours:
    """A place's hours on one date: its spans as written ("HH:MM" pairs) and why the day
    differs from the weekly hours ("" if it does not)."""

    day: date
    spans: list
    reason: str = ""

    @property
    def closed(self) -> bool:
        return not self.spans

    @property
    def times(self) -> list[tuple[datetime, datetime]]:
        """The spans as aware times (Europe/Berlin), earliest first."""
        return sorted((_at(self.day, a), _at(self.day, b)) for a, b in self.spans)

    def open_until(self, at: datetime) -> datetime | None:
        """When the span `at` falls in closes; None while closed (e.g. in a lunch break)."""
        return next((closes for opens, closes in self.times if opens <= at < closes), None)


def hours_on(hours: dict, day: date, *, closed_on_holidays: bool = False,
             schedule: Schedule | None = None) -> DayHours:
    """The weekly `hours` on one date; a public holiday (of the `schedule`'s state: the
    place's town) closes a place that closes on them."""
    holiday = public_holiday(day, schedule) if closed_on_holidays else None
    if holiday:
        return DayHours(day, [], holiday)
    return DayHours(day, hours.get(str(day.weekday()), []))


def describe(hours: dict) -> list[str]:
    lines = []
    for day in range(7):
        spans = hours.get(str(day), [])
        text = ", ".join(f"{a}–{b}" for a, b in spans) if spans else "geschlossen"
        lines.append(f"{WEEKDAY_NAMES[day]}: {text}")
    return lines


# One weekday typed as text: "08:00-12:00, 14:00-18:00" (also "8.00 – 12", en dash).
_SPAN_TEXT = re.compile(r"^\s*(\d{1,2}(?:[:.]\d{2})?)\s*[-–—]\s*(\d{1,2}(?:[:.]\d{2})?)\s*$")
_CLOSED_WORDS = {"", "-", "–", "zu", "geschlossen"}


def _clock(text: str) -> str:
    """"8", "8.30", "08:30" → "08:30"; ValueError for no time of day ("24:00" is the end)."""
    hours, _, minutes = text.replace(".", ":").partition(":")
    value = f"{int(hours):02d}:{minutes or '00'}"
    _parse(value)
    return value


def hours_from_lines(lines: Sequence[str]) -> dict:
    """The weekly hours from seven lines of text, Monday first, as people write them on a
    door: "08:00-12:00, 14:00-18:00"; empty or "geschlossen" for a closed day. A line that
    is not understood, a span that ends before it begins or spans that overlap are refused
    with the weekday named (and its number in the error's `params["day"]`, for a form)."""
    hours: dict[str, list[list[str]]] = {}
    for day, line in enumerate(lines):
        try:
            if spans := _day_spans(day, line):
                hours[str(day)] = spans
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="hours", params={"day": day}) from exc
    return hours


def _day_spans(day: int, line: str) -> list[list[str]]:
    name = WEEKDAY_NAMES[day]
    if line.strip().casefold() in _CLOSED_WORDS:
        return []
    spans = []
    for part in line.split(","):
        match = _SPAN_TEXT.match(part)
        try:
            if match is None:
                raise ValueError(part)
            spans.append([_clock(match[1]), _clock(match[2])])
        except ValueError as exc:
            raise ValidationError(f"{name}: „{part.strip()}“ ist keine Zeitspanne wie "
                                  "„08:00-12:00“.") from exc
    spans.sort(key=lambda span: _parse(span[0]))
    validate_opening_hours({str(day): spans})
    for (_, closes), (opens, _) in pairwise(spans):
        if _parse(opens) < _parse(closes):
            raise ValidationError(f"{name}: Die Zeitspannen überschneiden sich.")
    return spans


def hours_to_lines(hours: dict) -> list[str]:
    """The weekly hours as the seven lines `hours_from_lines` reads (empty = closed)."""
    return [", ".join(f"{a}-{b}" for a, b in hours.get(str(day), [])) for day in range(7)]
