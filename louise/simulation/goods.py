"""Simulated shopping: customers check out baskets through the web shop's checkout, shops
accept and pack them.

A basket holds one or two products of one shop (sometimes of two shops: one delivery),
bought to the door, a pickup point or the nearest locker; a door outside the active zones
and goods that do not fit a locker go to a pickup point instead, as the shop page would
suggest. What the checkout refuses (a product sold out, the slot full) is counted by its
code. Every order reaches the shop's inbox; packing takes about the shop's packing time.
Each morning the shops refill what ran low.
"""

from collections import defaultdict
from functools import partial

from louise.catalog.models import Product
from louise.catalog.services import catalog_entry_update
from louise.core.errors import DomainError
from louise.geo.models import Address, Place
from louise.geo.selectors import zone_serving
from louise.orders.checkout import Destination, LineRequest, checkout_place
from louise.orders.models import Channel, Order, OrderKind, OrderStatus
from louise.orders.services import order_mark_ready

from .agenda import Life
from .customers import arrivals, cancel_maybe
from .shops import inbox, when_open

ORDERS_PER_CUSTOMER = 0.15  # checkouts per customer and working day (the demo's 45 of 300)
TWO_SHOPS = 0.1
METHODS = {"door": 7, "point": 2, "locker": 1}
TWO_PARCELS = 0.15
REFUSED_BY_LOCKER = ("locker_unfit", "locker_full")
# A shop reorders a product with fewer than this many left, up to that many (the demo's
# shelves start with 15-60 of each).
RESTOCK_BELOW, RESTOCK_TO = 5, 20


def shopping(life: Life) -> None:
    """The shops' shelves refilled, the day's checkouts, and the orders of earlier days
    still in the shops' hands."""
    _restock(life)
    mean = (life.options.orders if life.options.orders is not None
            else ORDERS_PER_CUSTOMER * len(life.customers))
    for i, at in enumerate(arrivals(life, mean, "checkouts")):
        life.at(at, f"Einkauf {i + 1}", partial(_checkout, life, i))
    for order in (life.own(Order.objects.filter(
            town=life.town, kind=OrderKind.GOODS,
            status__in=[OrderStatus.PLACED, OrderStatus.ACCEPTED]))
                  .select_related("merchant").order_by("pk")):
        if order.status == OrderStatus.PLACED:
            inbox(life, order, then=pack_later)
        else:
            pack_later(life, order)


def _restock(life: Life) -> None:
    """What ran low is on the shelf again in the morning, as a real shop reorders: weeks of
    simulated orders (the demo's history) otherwise empty the shelves, and the demo's
    customer today, like the simulation's, finds a town sold out."""
    for product in Product.objects.filter(merchant__town=life.town, active=True,
                                          stock__lt=RESTOCK_BELOW).order_by("pk"):
        catalog_entry_update(entry=product, stock=RESTOCK_TO)


def _stock(life: Life) -> dict[int, list[Product]]:
    """The town's products on sale that a customer can still buy two of, by shop."""
    shops: dict[int, list[Product]] = defaultdict(list)
    for product in (Product.objects.filter(merchant__town=life.town, merchant__active=True,
                                           active=True, stock__gte=2).order_by("pk")):
        shops[product.merchant_id].append(product)
    return shops


def _destination(life: Life, method: str, home: Address) -> Destination:
    cast = life.cast
    if method == "locker" and cast.lockers:
        nearest = min(cast.lockers, key=lambda lk: _distance2(lk, home))
        return Destination("locker", locker_id=nearest.pk)
    if method != "door" and cast.points:
        nearest_point = min(cast.points, key=lambda p: _distance2(p, home))
        return Destination("point", pickup_point_id=nearest_point.pk)
    return Destination("door", address_id=home.pk)


def _distance2(place: Place, home: Address) -> float:
    return (place.lat - home.lat) ** 2 + (place.lon - home.lon) ** 2


def _checkout(life: Life, i: int) -> None:
    rng = life.dice.rng("checkout", life.town.slug, life.day, i)
    customer, home = rng.choice(life.customers)
    stock = _stock(life)
    if not stock:
        life.refused["out_of_stock"] += 1
        return
    shops = rng.sample(sorted(stock), k=min(len(stock), 2 if rng.random() < TWO_SHOPS else 1))
    lines = [LineRequest(product.pk, rng.randint(1, 2)) for shop in shops
             for product in rng.sample(stock[shop], k=min(len(stock[shop]), rng.randint(1, 2)))]
    method = rng.choices(list(METHODS), weights=list(METHODS.values()))[0]
    if method == "door" and zone_serving(home, life.town) is None:
        method = "point"
    destination = _destination(life, method, home)
    key = f"sim-{life.day:%Y%m%d}-{i}"
    try:
        try:
            checkout = checkout_place(customer=customer, lines=lines, destination=destination,
                                      idempotency_key=key, channel=Channel.DEMO,
                                      now=life.now())
        except DomainError as exc:
            if exc.code not in REFUSED_BY_LOCKER:
                raise
            checkout = checkout_place(customer=customer, lines=lines,
                                      destination=_destination(life, "point", home),
                                      idempotency_key=key, channel=Channel.DEMO,
                                      now=life.now())
    except DomainError as exc:
        life.refused[exc.code or type(exc).__name__] += 1
        return
    for order in checkout.orders.select_related("merchant").order_by("pk"):
        inbox(life, order, then=pack_later)
        cancel_maybe(life, order)


def pack_later(life: Life, order: Order) -> None:
    """The shop packs an accepted order in about its packing time, while it is open."""
    work = life.dice.minutes(0.5 * order.merchant.pack_minutes,
                             1.5 * order.merchant.pack_minutes, "pack", order.pk, life.day)
    at = when_open(order.merchant, life.now(), work)
    if at is not None:
        life.at(at, f"Packen {order.number}", partial(_pack, life, order.pk))


def _pack(life: Life, order_id: int) -> None:
    order = Order.objects.select_related("merchant").get(pk=order_id)
    if order.status != OrderStatus.ACCEPTED:
        return  # cancelled meanwhile
    order_mark_ready(order_number=order.number, by=life.cast.team(order.merchant),
                     parcels=2 if life.dice.chance(TWO_PARCELS, "parcels", order.pk) else 1,
                     now=life.now())
