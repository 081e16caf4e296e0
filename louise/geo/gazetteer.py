"""The town's own street directory, free of Django: how names are compared and what an import
or the demo hands to the database.

People type "haupt", "Hauptstr 5" or "kirchhellener strasse"; OpenStreetMap says
"Hauptstraße" and "Kirchhellener Str.". Both sides are folded to one search key (lower
case, umlauts spelt out, every form of "Straße" shortened to "str"), so a prefix of the key
finds the street whatever way it was written.
"""

import re
from dataclasses import dataclass, field

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# A complete "Straße" in any spelling, at the end of a word ("Hauptstraße", "Hauptstr.").
STREET_WORD = re.compile(r"(str|strasse)\b\.?")
# What a person is still typing: "hauptstra" must find "hauptstr".
STREET_TYPED = re.compile(r"stra(s(se?)?)?$")
HOUSE_NUMBER = re.compile(r"^\d+\s?[a-zA-Z]?(\s?[-/]\s?\d*[a-zA-Z]?)?$")
POSTCODE = re.compile(r"^\d{5}$")


def _fold(text: str, *, typing: bool) -> str:
    text = re.sub(r"[^\w.]+", " ", text.casefold().translate(UMLAUTS))
    text = " ".join(STREET_WORD.sub("str", text).replace(".", " ").split())
    if typing:
        text = STREET_TYPED.sub("str", text)
    # "Kirchhellener Straße" and "Kirchhellenerstraße" are one street.
    return re.sub(r" str\b", "str", text)


def name_key(name: str) -> str:
    """The search key stored with a street: "Kirchhellener Straße" → "kirchhellenerstr"."""
    return _fold(name, typing=False)


def query_key(text: str) -> str:
    """The key of what someone typed so far; a half-typed "stra…" counts as "str"."""
    return _fold(text, typing=True)


@dataclass(frozen=True)
class Query:
    """What a person typed into an address field, taken apart."""

    street: str
    housenumber: str = ""
    postcode: str = ""


def parse_query(text: str) -> Query:
    """ "46236 Hauptstr. 5a" → street "Hauptstr.", number "5a", postcode "46236"."""
    words = text.replace(",", " ").split()
    postcode = next((w for w in words if POSTCODE.match(w)), "")
    words = [w for w in words if w != postcode]
    if len(words) > 2 and len(words[-1]) == 1 and any(ch.isdigit() for ch in words[-2]):
        words[-2:] = [words[-2] + words[-1]]  # "Hauptstraße 5 a"
    number: list[str] = []
    while len(words) > 1 and any(ch.isdigit() for ch in words[-1]):
        number.insert(0, words.pop())
    return Query(" ".join(words), "".join(number).lower(), postcode)


def number_value(housenumber: str) -> int | None:
    """The leading number of a house number ("12a" → 12), to interpolate between houses."""
    digits = re.match(r"\d+", housenumber.strip())
    return int(digits.group()) if digits else None


def clean_housenumber(housenumber: str) -> str:
    """One spelling per house: "5 A" and "5a" are the same door."""
    return "".join(housenumber.split()).lower()


@dataclass(frozen=True)
class AddressPoint:
    """A street or a house with its position: read from an extract, or the gazetteer's
    answer to a lookup or an autocomplete."""

    street: str
    housenumber: str
    postcode: str
    city: str
    district: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        house = f"{self.street} {self.housenumber}".strip()
        district = f" ({self.district})" if self.district else ""
        return f"{house}, {self.postcode} {self.city}{district}"


@dataclass
class HouseIn:
    housenumber: str
    postcode: str
    lat: float
    lon: float


@dataclass
class StreetIn:
    """A street as an import or the demo delivers it, before it is stored."""

    name: str
    postcode: str
    city: str
    district: str
    # A few points along the street, in order.
    points: list[tuple[float, float]]
    houses: list[HouseIn] = field(default_factory=list)

    @property
    def centre(self) -> tuple[float, float]:
        """The point that stands for the street: the one nearest its houses, where the
        deliveries go (a long road may run far out of town), else the middle one."""
        if not self.houses:
            return self.points[len(self.points) // 2]
        lat = sum(h.lat for h in self.houses) / len(self.houses)
        lon = sum(h.lon for h in self.houses) / len(self.houses)
        return min(self.points, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        lats = [p[0] for p in self.points] + [h.lat for h in self.houses]
        lons = [p[1] for p in self.points] + [h.lon for h in self.houses]
        return min(lats), min(lons), max(lats), max(lons)
