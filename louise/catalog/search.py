"""Full-text search over shops, products and services, forgiving German word forms.

Each query word is reduced to its Snowball stem ("Schuhe" → "schuh", "Bücher" → "buch"),
and the stem is looked for inside names and descriptions, so "Schuh" also finds
"Schuhreparatur" (German compounds). Snowball folds umlauts, so the stem is tried with
them put back ("buch" → "büch" finds "Bücher"). A word also stands for its synonyms
(`synonyms.GROUPS`: "Schuster" finds the "Schuhmacherei", "kaputt" a repair), a compound
of known words is searched as its parts ("Schuhreparatur" → "Schuh" + "Reparatur"), and
filler words are dropped ("meine Schuhe sind kaputt"). A shop is found by its category
and the names of its services; a service also by its shop's name and category, so
"Schuhe reparieren" finds every repair of the shoemaker. The same lookups run on SQLite and
PostgreSQL; at the pilot's size (a few hundred items) that is a few milliseconds. A region
would move this to PostgreSQL's `german` text search behind the same function.
"""

import itertools
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime

import snowballstemmer
from django.db.models import Model, Q, QuerySet

from louise.core.calendar import BERLIN, wave_for
from louise.core.german import fold

from .cache import catalog_cached, stock_refresh
from .models import Category, Merchant, Product, ServiceOffer
from .selectors import merchant_hours_on
from .synonyms import GROUPS, STOPWORDS

# A Snowball stemmer keeps the word it works on in its own fields, so one shared by the
# server's threads mixes up their words (and raises IndexError): one stemmer per thread.
_LOCAL = threading.local()
_UMLAUT = {"a": "ä", "o": "ö", "u": "ü"}
MIN_WORD = 2
MAX_WORDS = 5
# Hits read per kind before ranking (a few hundred items at the pilot's size).
CANDIDATES = 200


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


def _spellings(stem: str) -> set[str]:
    """The spellings a stem may have in stored text: with and without umlauts and ß, and
    with a capital first letter (SQLite compares non-ASCII letters case-sensitively)."""
    units = re.findall(r"ss|.", stem)
    slots = [("ss", "ß") if u == "ss" else (u, _UMLAUT[u]) if u in _UMLAUT else (u,)
             for u in units]
    spellings = {"".join(chars) for chars in itertools.islice(itertools.product(*slots), 32)}
    return spellings | {s[:1].upper() + s[1:] for s in spellings}


_SYNONYMS = {fold(_stem(word)): {fold(_stem(w)) for w in group}
             for group in GROUPS for word in group}
# Stems a compound may be made of: the synonyms' and the categories' words.
_KNOWN = set(_SYNONYMS) | {fold(_stem(w)) for _, label in Category.choices
                           for w in re.findall(r"\w+", str(label)) if len(w) > 3}


def _parts(word: str) -> list[str]:
    """A compound of two known stems as its parts (a linking -s-, -n- or -en- allowed),
    else the word itself."""
    folded = fold(_stem(word))
    if folded in _KNOWN:
        return [word]
    for cut in range(3, len(folded) - 2):
        head, tail = folded[:cut], folded[cut:]
        for link in ("", "s", "n", "en"):
            if (head in _KNOWN and tail.startswith(link)
                    and fold(_stem(tail[len(link):])) in _KNOWN):
                return [head, tail[len(link):]]
    return [word]


def _terms(query: str) -> list[set[str]]:
    """Each meaningful word of the query as the set of stems that count as it."""
    words = [w for w in re.findall(r"\w+", query.lower())
             if len(w) >= MIN_WORD and w not in STOPWORDS]
    terms = []
    for word in words:
        for part in _parts(word):
            stem = fold(_stem(part))
            terms.append({stem} | _SYNONYMS.get(stem, set()))
    return terms[:MAX_WORDS]


def _matches(terms: list[set[str]], fields: tuple[str, ...],
             category_field: str | None = None) -> Q:
    """Every term must occur in one of the fields, in one of its stems' spellings (or name
    the category in `category_field`)."""
    query = Q()
    for stems in terms:
        any_field = Q(**{f"{category_field}__in": _category_hits(stems)}) if category_field \
            else Q()
        for stem in stems:
            for form, name in itertools.product(_spellings(stem), fields):
                any_field |= Q(**{f"{name}__icontains": form})
        query &= any_field
    return query


def _rank[T: Model](items: QuerySet[T], terms: list[set[str]], limit: int) -> list[T]:
    """Hits in the name first (by how many terms hit it), then the rest alphabetically."""

    def score(item) -> tuple[int, str]:
        name = fold(item.name)
        return (-sum(any(stem in name for stem in stems) for stems in terms), name)

    return sorted(items.distinct()[:CANDIDATES], key=score)[:limit]


def _open_today(merchant: Merchant, now: datetime) -> bool:
    """The shop's town still delivers today (before its cut-off, a working day) and the
    shop is open today."""
    today = now.astimezone(BERLIN).date()
    return (wave_for(now, merchant.town.schedule).day == today
            and not merchant_hours_on(merchant=merchant, day=today).closed)


@dataclass(frozen=True)
class _Hits:
    """What a query finds, ranked, before the filters that change by the minute."""

    merchants: list[Merchant]
    products: list[Product]
    services: list[ServiceOffer]


def _hits(terms: list[set[str]], limit: int) -> _Hits:
    merchants = Merchant.objects.filter(active=True).select_related("town")
    products = Product.objects.filter(active=True, merchant__active=True).select_related(
        "merchant__town")
    services = ServiceOffer.objects.filter(active=True, merchant__active=True).select_related(
        "merchant__town")
    return _Hits(
        _rank(merchants.filter(_matches(
            terms, ("name", "description", "district", "services__name"), "category")),
            terms, limit),
        # every candidate: the stock filter comes after the cache
        _rank(products.filter(_matches(terms, ("name", "description"))), terms, CANDIDATES),
        _rank(services.filter(_matches(
            terms, ("name", "description", "merchant__name"), "merchant__category")),
            terms, limit))


def catalog_search(*, query: str, in_stock: bool = False, delivery_today: bool = False,
                   now: datetime, limit: int = 30) -> SearchResult:
    """Search the public catalogue; filters: only products in stock, only shops that still
    deliver today (before the cut-off on a working day and open today). What the words
    find is cached per catalogue version (`catalog.cache`); the stock and the filters are
    applied to it fresh."""
    terms = _terms(query)
    result = SearchResult(query=query)
    if not terms:
        return result
    hits = catalog_cached(f"search:{sorted(sorted(t) for t in terms)}:{limit}",
                          lambda _version: _hits(terms, limit))
    stock_refresh(hits.products)
    result.merchants, result.services = hits.merchants, hits.services
    result.products = [p for p in hits.products if p.stock > 0 or not in_stock][:limit]
    if delivery_today:
        result.merchants = [m for m in result.merchants if _open_today(m, now)]
        result.products = [p for p in result.products if _open_today(p.merchant, now)]
        result.services = [s for s in result.services if _open_today(s.merchant, now)]
    return result


def _category_hits(stems: set[str]) -> list[str]:
    """Categories whose German label contains one of the stems ("Wein" → the wine shops)."""
    return [value for value, label in Category.choices
            if any(stem in fold(str(label)) for stem in stems)]
