"""The basket: products from any number of shops, kept in the visitor's session.

A session basket works before signing in (Django keeps the session's data across login),
costs no database writes while browsing, and is only turned into orders at checkout, where
stock is reserved for real. Quantities here are wishes; the basket view reports lines the
shop can no longer fill so the customer sees it before paying.
"""

from collections.abc import MutableMapping
from dataclasses import dataclass, field

from louise.catalog.models import Merchant, Product
from louise.core.errors import Invalid
from louise.geo.models import Town, default_town_id

from .checkout import LineRequest, delivery_fee

SESSION_KEY = "basket"
MAX_QUANTITY = 99


@dataclass(frozen=True)
class BasketLine:
    product: Product
    quantity: int

    @property
    def total_cents(self) -> int:
        return self.product.price_cents * self.quantity

    @property
    def short(self) -> bool:
        """More wanted than the shop has left."""
        return self.quantity > self.product.stock


@dataclass
class BasketGroup:
    """The part of the basket bought at one shop: it becomes one order."""

    merchant: Merchant
    lines: list[BasketLine] = field(default_factory=list)

    @property
    def subtotal_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)


@dataclass
class Basket:
    groups: list[BasketGroup]

    @property
    def subtotal_cents(self) -> int:
        return sum(group.subtotal_cents for group in self.groups)

    def total_cents(self, method: str | None) -> int:
        """What buying the basket costs if delivered by `method`: the goods and one fee, as
        the checkout's orders will add up to."""
        return self.subtotal_cents + delivery_fee(self.town, method,
                                                   basket_cents=self.subtotal_cents)

    @property
    def town(self) -> Town:
        """The town whose fleet delivers the basket (its shops are all in one town); an
        empty basket has the first town's rules."""
        if self.groups:
            return self.groups[0].merchant.town
        return Town.objects.get(pk=default_town_id())

    @property
    def count(self) -> int:
        return sum(line.quantity for group in self.groups for line in group.lines)

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def short_lines(self) -> list[BasketLine]:
        return [line for group in self.groups for line in group.lines if line.short]

    def line_requests(self) -> list[LineRequest]:
        return [LineRequest(line.product.pk, line.quantity) for group in self.groups
                for line in group.lines]


def _items(session: MutableMapping) -> dict[str, int]:
    return dict(session.get(SESSION_KEY, {}))


def _store(session: MutableMapping, items: dict[str, int]) -> None:
    session[SESSION_KEY] = items


def basket_set(*, session: MutableMapping, product_id: int, quantity: int,
               add: bool = False) -> None:
    """Set (or with `add`, increase) a product's quantity; 0 removes it."""
    product = Product.objects.filter(pk=product_id, active=True, merchant__active=True).first()
    if product is None:
        raise Invalid("Dieses Produkt gibt es nicht mehr.", field="product")
    items = _items(session)
    quantity += items.get(str(product_id), 0) if add else 0
    if not 0 <= quantity <= MAX_QUANTITY:
        raise Invalid(f"Die Menge muss zwischen 0 und {MAX_QUANTITY} liegen.", field="quantity")
    others = Product.objects.filter(pk__in=[int(k) for k in items if k != str(product_id)])
    if quantity and (other := others.exclude(merchant__town=product.merchant.town_id)
                     .select_related("merchant__town").first()) is not None:
        raise Invalid(f"Ihr Warenkorb enthält Waren aus {other.merchant.town.name}; eine "
                      f"Lieferung kommt aus einer Stadt. Bitte bestellen Sie zuerst diese, "
                      f"dann bei „{product.merchant.name}“.", field="product",
                      code="several_towns")
    if quantity > product.stock:
        raise Invalid(f"„{product.name}“: nur noch {product.stock} Stück vorrätig.",
                      field="quantity", code="out_of_stock")
    if quantity:
        items[str(product_id)] = quantity
    else:
        items.pop(str(product_id), None)
    _store(session, items)


def basket_clear(*, session: MutableMapping) -> None:
    session.pop(SESSION_KEY, None)


def basket_count(*, session: MutableMapping) -> int:
    """The number shown on the basket link in every page header; no query needed."""
    return sum(_items(session).values())


def basket_get(*, session: MutableMapping) -> Basket:
    """The basket grouped by shop, with current prices and stock; products that were taken
    off sale since they were added silently drop out."""
    items = _items(session)
    products = (Product.objects.filter(pk__in=[int(k) for k in items], active=True,
                                       merchant__active=True)
                .select_related("merchant__town").order_by("merchant__name", "name"))
    groups: dict[int, BasketGroup] = {}
    for product in products:
        group = groups.setdefault(product.merchant_id, BasketGroup(merchant=product.merchant))
        group.lines.append(BasketLine(product=product, quantity=items[str(product.pk)]))
    return Basket(groups=list(groups.values()))
