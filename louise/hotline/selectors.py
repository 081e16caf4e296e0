"""Reads of the hotline: which customers an agent may act for, finding a caller, the call
log and the follow-ups due.

An agent works for a town, so the customers they serve are those the town delivers to (an
address in one of its zones) or has delivered to (an order of its shops). Anyone else is
`NotFound` to them, like every object outside a person's scope.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from louise.accounts.access import ALL, ON_BEHALF, require_role, scope_rule, visible_to
from louise.accounts.models import Role, User
from louise.billing.models import SepaMandate
from louise.billing.selectors import mandate_active, pays_by_invoice
from louise.catalog.models import Merchant, Product, ServiceOffer
from louise.core.errors import Invalid, NotFound
from louise.core.phone import phone_digits
from louise.geo.models import Address, Locker, PickupPoint, Town
from louise.geo.selectors import lockers_active, pickup_points_active
from louise.orders.models import Approval, Order, OrderKind
from louise.orders.selectors import orders_visible_to

from .models import Call, StandingOrder

# The agents of a town (and its operator) read the town's calls; customers never do.
scope_rule(Call, {Role.HOTLINE: ALL, Role.OPERATOR: ALL}, town="town")

# How alike a typed word and a stored one must be to count (1.0: the same): "Schmitt" finds
# "Schmidt", "Gartenstr" finds "Gartenstraße", "Meier" does not find "Müller".
FUZZY_ENOUGH = 0.75


def callers_of(*, agent: User, town: Town) -> QuerySet[User]:
    """The customers an agent may act for in `town` (one of the agent's towns)."""
    require_role(agent, Role.HOTLINE)
    return customers_of_town(by=agent, town=town)


def customer_of_town(*, by: User, town: Town, customer_id: int) -> User:
    """A customer of `town` for its hotline or its operator (who decide, for instance, who
    may pay by invoice)."""
    customer = customers_of_town(by=by, town=town).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("Diese Kundin / diesen Kunden gibt es in Ihrer Stadt nicht.")
    return customer


def customers_of_town(*, by: User, town: Town) -> QuerySet[User]:
    """Customers with an address in a zone of, or an order in, `town` (one of the hotline
    agent's or operator's towns)."""
    require_role(by, *ON_BEHALF)
    if not visible_to(Town, by).filter(pk=town.pk).exists():
        raise NotFound("Diese Stadt gibt es nicht.")
    customers = User.objects.filter(role=Role.CUSTOMER, is_active=True).filter(
        Q(addresses__zone__town=town) | Q(orders__town=town))
    return User.objects.filter(pk__in=customers.values("pk"))


def caller_get(*, agent: User, town: Town, customer_id: int) -> User:
    require_role(agent, Role.HOTLINE)
    return customer_of_town(by=agent, town=town, customer_id=customer_id)


def _fold(text: str) -> str:
    """Lower case without accents, ß as ss: what a caller spells and what we stored meet."""
    text = text.casefold().replace("ß", "ss").replace("str.", "strasse")
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _word_score(wanted: str, words: list[str]) -> float:
    """How well one typed word matches the best of the stored words (a prefix counts fully,
    so the agent may stop typing early). `rapidfuzz`'s ratio is difflib's, in C++."""
    best = 0.0
    for word in words:
        if word.startswith(wanted) and len(wanted) >= 3:
            return 1.0
        best = max(best, fuzz.ratio(wanted, word) / 100,
                   fuzz.ratio(wanted, word[:len(wanted)]) / 100 if len(wanted) >= 4 else 0.0)
    return best


@dataclass(frozen=True)
class Hit:
    customer: User
    score: float
    streets: list[str]


def caller_search(*, agent: User, town: Town, query: str, limit: int = 20) -> list[Hit]:
    """Callers by name, telephone number or street, forgiving typos: every typed word must
    be close to a word of the person's name or of one of their streets; a query of digits
    is a phone number, matched on its digits whatever the spelling.

    Only the columns compared are read (two queries, no model instances), scored with
    rapidfuzz; the people of the best hits are fetched at the end."""
    query = query.strip()
    if not query:
        return []
    callers = callers_of(agent=agent, town=town)
    streets: dict[int, list[str]] = {}
    for owner, street in (Address.objects.filter(owner__in=callers.values("pk"))
                          .order_by("pk").values_list("owner_id", "street")):
        streets.setdefault(owner, []).append(street)
    rows = callers.order_by("last_name", "first_name", "pk").values_list(
        "pk", "first_name", "last_name", "phone")
    digits = phone_digits(query)
    scored: list[tuple[int, float]] = []
    if len(digits) >= 4 and not any(c.isalpha() for c in query):
        scored = [(pk, 1.0) for pk, _first, _last, phone in rows
                  if digits in phone_digits(phone)][:limit]
    else:
        wanted = _fold(query).replace(",", " ").split()
        for pk, first, last, _phone in rows:
            words = _fold(" ".join([first, last, *streets.get(pk, [])])).split()
            score = min(_word_score(w, words) for w in wanted)
            if score >= FUZZY_ENOUGH:
                scored.append((pk, score))
        scored = sorted(scored, key=lambda hit: -hit[1])[:limit]
    people = User.objects.in_bulk([pk for pk, _score in scored])
    return [Hit(people[pk], score, streets.get(pk, [])) for pk, score in scored]


def calls_of(*, agent: User, town: Town, customer: User) -> QuerySet[Call]:
    """A customer's calls with the town's hotline, newest first."""
    return visible_to(Call, agent).filter(town=town, customer=customer).select_related("agent")


def follow_ups_due(*, agent: User, town: Town, today: date) -> QuerySet[Call]:
    """The agent's own follow-ups due today (or overdue) and not yet done."""
    require_role(agent, Role.HOTLINE)
    return (visible_to(Call, agent).filter(town=town, agent=agent, follow_up_done=False,
                                           follow_up_on__lte=today)
            .select_related("customer").order_by("follow_up_on", "at"))


def purchases_waiting(*, agent: User, town: Town) -> QuerySet[Order]:
    """Shopping lists bought over budget in the agent's town: the customer is to be called
    (the bag waits in the store until they answer)."""
    require_role(agent, Role.HOTLINE)
    return (orders_visible_to(agent).filter(town=town, kind=OrderKind.SHOPPING,
                                            shopping__approval=Approval.PENDING)
            .select_related("customer", "shopping").order_by("shopping__purchased_at"))


@dataclass(frozen=True)
class OrderSheet:
    """What the agent picks from while the caller is on the line: the town's goods on sale
    (by shop), where they can go, and the mandate the caller pays with."""

    products: list[Product]
    services: list[ServiceOffer]
    addresses: list[Address]
    points: list[PickupPoint]
    lockers: list[Locker]
    mandate: SepaMandate | None
    stores: list[Merchant]  # with "Einkaufsservice": a shopping list can be given
    by_invoice: bool


def order_sheet(*, agent: User, town: Town, customer: User) -> OrderSheet:
    caller_get(agent=agent, town=town, customer_id=customer.pk)
    products = list(Product.objects.filter(active=True, stock__gt=0, merchant__active=True,
                                           merchant__town=town)
                    .select_related("merchant").order_by("merchant__name", "name"))
    mandate = mandate_active(customer=customer)
    services = list(ServiceOffer.objects.filter(active=True, merchant__active=True,
                                                merchant__town=town)
                    .select_related("merchant").order_by("merchant__name", "name"))
    return OrderSheet(
        products=products, services=services,
        addresses=list(Address.objects.filter(owner=customer).order_by("pk")),
        points=list(pickup_points_active().filter(town=town).order_by("name")),
        lockers=list(lockers_active().filter(town=town).order_by("name")),
        mandate=(SepaMandate.objects.select_related("paper").get(pk=mandate.pk)
                 if mandate is not None else None),
        stores=list(Merchant.objects.filter(town=town, active=True, shopping_service=True)
                    .order_by("name")),
        by_invoice=pays_by_invoice(customer))


def caller_orders(*, agent: User, town: Town, customer: User) -> QuerySet[Order]:
    """The caller's orders from the town's shops, newest first."""
    return (orders_visible_to(agent).filter(customer=customer, town=town)
            .select_related("checkout", "shopping").order_by("-placed_at")[:30])


def standing_orders_of(*, agent: User, town: Town, customer: User) -> QuerySet[StandingOrder]:
    caller_get(agent=agent, town=town, customer_id=customer.pk)
    return StandingOrder.objects.filter(town=town, customer=customer).order_by("name")


def basket_town(*, product_ids: list[int]) -> Town:
    """The town whose shops a basket (named by its products) is from, for an order the
    hotline places without naming its town; the checkout still checks the whole basket."""
    product = (Product.objects.select_related("merchant__town")
               .filter(pk__in=product_ids[:1], active=True).first())
    if product is None:
        raise Invalid("Dieses Produkt gibt es nicht mehr.", field="lines")
    return product.merchant.town
