"""Full-text search over shops, products and services, forgiving German word forms.

Each query word is reduced to its Snowball stem ("Schuhe" → "schuh", "Bücher" → "buch"),
and the stem is looked for inside names and descriptions, so "Schuh" also finds
"Schuhreparatur" (German compounds). Snowball folds umlauts, so the stem is tried with
them put back ("buch" → "büch" finds "Bücher"). The same lookups run on SQLite and
PostgreSQL; at the pilot's size (a few hundred items) that is a few milliseconds. A region
would move this to PostgreSQL's `german` text search behind the same function.
"""

import itertools
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime

import snowballstemmer
from django.db.models import Q, QuerySet

from louise.orders.waves import BERLIN, wave_for

from .models import Category, Merchant, Product, ServiceOffer
from .selectors import merchant_hours_on

# A Snowball stemmer keeps the word it works on in its own fields, so one shared by the
# server's threads mixes up their words (and raises IndexError): one stemmer per thread.
_LOCAL = threading.local()
_UMLAUT = {"a": "ä", "o": "ö", "u": "ü"}
MIN_WORD = 2
MAX_WORDS = 5


@dataclass
class SearchResult:
    query: str
    merchants: list[Merchant] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    services: list[ServiceOffer] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.merchants) + len(self.products) + len(self.services)


def _stem(word: str) -> str:
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = snowballstemmer.stemmer("german")
    return stemmer.stemWord(word.lower())


def _forms(word: str) -> set[str]:
    """The spellings a stem may have in stored text: with and without umlauts and ß, and
    with a capital first letter (SQLite compares non-ASCII letters case-sensitively)."""
    stem = _stem(word)
    slots = [(c, _UMLAUT[c]) if c in _UMLAUT else (c,) for c in stem]
    spellings = {"".join(chars) for chars in itertools.islice(itertools.product(*slots), 8)}
    spellings |= {s.replace("ss", "ß") for s in spellings if "ss" in s}
    return spellings | {s[:1].upper() + s[1:] for s in spellings}


def _matches(words: list[str], fields: tuple[str, ...], categories: bool = False) -> Q:
    """Every word must occur in one of the fields, in one of its spellings (or, for shops,
    name their category)."""
    query = Q()
    for word in words:
        any_field = Q(category__in=_category_hits(word)) if categories else Q()
        for form, name in itertools.product(_forms(word), fields):
            any_field |= Q(**{f"{name}__icontains": form})
        query &= any_field
    return query


def _rank[T](items: QuerySet[T], words: list[str], limit: int) -> list[T]:
    """Hits in the name first (by how many words hit it), then the rest alphabetically."""
    stems = [_stem(w) for w in words]

    def score(item) -> tuple[int, str]:
        name = _fold(item.name)
        return (-sum(stem in name for stem in stems), item.name)

    return sorted(items[:200], key=score)[:limit]


_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def _fold(text: str) -> str:
    return text.lower().translate(_FOLD)


def _open_today(merchant: Merchant, now: datetime) -> bool:
    return not merchant_hours_on(merchant=merchant, day=now.astimezone(BERLIN).date()).closed


def catalog_search(*, query: str, in_stock: bool = False, delivery_today: bool = False,
                   now: datetime, limit: int = 30) -> SearchResult:
    """Search the public catalogue; filters: only products in stock, only shops that still
    deliver today (before the cut-off on a working day and open today)."""
    words = [w for w in re.findall(r"\w+", query) if len(w) >= MIN_WORD][:MAX_WORDS]
    result = SearchResult(query=query)
    if not words:
        return result
    if delivery_today and wave_for(now).day != now.astimezone(BERLIN).date():
        return result
    merchants = Merchant.objects.filter(active=True)
    products = Product.objects.filter(active=True, merchant__active=True).select_related(
        "merchant")
    services = ServiceOffer.objects.filter(active=True, merchant__active=True).select_related(
        "merchant")
    if in_stock:
        products = products.filter(stock__gt=0)
    result.merchants = _rank(merchants.filter(
        _matches(words, ("name", "description", "district"), categories=True)), words, limit)
    result.products = _rank(products.filter(_matches(words, ("name", "description"))),
                            words, limit)
    result.services = _rank(services.filter(_matches(words, ("name", "description"))),
                            words, limit)
    if delivery_today:
        result.merchants = [m for m in result.merchants if _open_today(m, now)]
        result.products = [p for p in result.products if _open_today(p.merchant, now)]
        result.services = [s for s in result.services if _open_today(s.merchant, now)]
    return result


def _category_hits(word: str) -> list[str]:
    """Categories whose German label contains the word ("Wein" → the wine shops)."""
    return [value for value, label in Category.choices if _stem(word) in _fold(str(label))]
