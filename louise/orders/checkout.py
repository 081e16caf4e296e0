"""Checkout: the one way in for every order, whoever places it and through which channel.

The web shop, the API, the shop's counter and the demo (and the hotline, acting for a
customer) all call one of three entry points — `checkout_place` (goods from any number of
shops), `service_request` (a service fetched at the door) and `counter_place` (a parcel a
shop sends to someone without an account) — and every rule lives here once:

* who may place through which channel (`_authorise`);
* the idempotency key: a retry, sequential or concurrent, answers with the first checkout
  (`_idempotent`);
* the wave (it must still be bookable), the delivery fee, the SEPA mandate of the customer
  who pays, the destination (`_begin`);
* stock, and for a locker a compartment with its opening code; an `Order` is built only in
  `_order_build`;
* one stop of the slot's capacity, taken last (`_idempotent`).

A `Checkout` holds what its orders share: the slot, the fee (carried by the first order)
and the key. Everything happens in one transaction, so a basket is bought whole or not at
all. Lock order is always products by (shop, product), then compartments, then the slot
row, so two checkouts cannot deadlock each other. The slot row is the one every checkout
of a wave needs, and a lock lasts until the commit: it is taken right before it, so
concurrent checkouts of one wave wait for each other only that long.
"""

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from louise.accounts.access import has_role, town_ids, visible_to
from louise.accounts.models import Role, User
from louise.billing.fees import (
    SERVICE,
    SHOPPING_LIST,
    customer_fees_on,
    fee_for,
    merchant_schedules_on,
)
from louise.billing.models import CustomerFees, MerchantFees, SepaMandate
from louise.billing.returns import orders_blocked
from louise.billing.selectors import mandate_active, pays_by_invoice
from louise.billing.services import mandate_create
from louise.catalog.models import Merchant, Product, ServiceOffer
from louise.core.calendar import BERLIN, Wave
from louise.core.errors import Conflict, Forbidden, Invalid
from louise.core.images import image_upload
from louise.core.validation import save_validated
from louise.geo.geocode import position_for_address
from louise.geo.models import Address, Locker, PickupPoint, Town
from louise.geo.selectors import zone_serving
from louise.geo.services import address_create

from .charges import order_charge
from .lifecycle import order_transition
from .lockers import compartment_reserve
from .models import (
    Channel,
    Checkout,
    DeliveryMethod,
    EventKind,
    Order,
    OrderKind,
    OrderLine,
    ShoppingList,
)
from .notifications import checkout_notify
from .slots import slot_row, slot_take, wave_bookable

# Channels on which customers place for themselves (a standing order is their own
# instruction, carried out ahead of each date).
SELF_SERVICE = (Channel.WEB, Channel.API, Channel.DEMO, Channel.STANDING)
# How many waves ahead a standing order's dates may be booked (about three months).
STANDING_WAVES = 70


@dataclass(frozen=True)
class LineRequest:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class Destination:
    method: str
    address_id: int | None = None
    pickup_point_id: int | None = None
    locker_id: int | None = None


@dataclass(frozen=True)
class MandateRequest:
    """A new SEPA mandate given with the order (holder and IBAN)."""

    holder: str
    iban: str


@dataclass(frozen=True)
class Recipient:
    """Someone without an account a shop sends a parcel to, and their door."""

    name: str
    street: str
    postcode: str
    lat: float
    lon: float
    phone: str = ""
    city: str = "Bottrop"
    district: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Load:
    """What a rider carries for one order."""

    weight_g: int = 0
    volume_ml: int = 0
    cooled: bool = False
    bulky: bool = False
    parcels: int = 1


def _fees_in_force(town: Town, now: datetime) -> tuple[CustomerFees | None, date]:
    day = now.astimezone(BERLIN).date()
    return customer_fees_on(town, day), day


def delivery_fee(town: Town, method: str | None, *, basket_cents: int = 0,
                 channel: str = Channel.WEB, now: datetime | None = None) -> int:
    """The customer's fee for one delivery (a method, or `SERVICE` for a service's round
    trip), in cents, under the town's schedule in force (`billing.fees`). A counter delivery
    is charged to the shop, so its recipient pays nothing."""
    fees, day = _fees_in_force(town, now or timezone.now())
    return _fee_under(fees, day, method, basket_cents, channel)


def delivery_fees(town: Town, methods: list[str | None], *, basket_cents: int = 0,
                  now: datetime | None = None) -> dict[str | None, int]:
    """`delivery_fee` of several methods under one look-up of the schedule (the checkout
    page shows every method's fee)."""
    fees, day = _fees_in_force(town, now or timezone.now())
    return {method: _fee_under(fees, day, method, basket_cents, Channel.WEB)
            for method in methods}


def _fee_under(fees: CustomerFees | None, day: date, method: str | None, basket_cents: int,
               channel: str) -> int:
    if channel == Channel.COUNTER:
        return 0
    return fee_for(fees, method=method or "", basket_cents=basket_cents, day=day)


@dataclass(frozen=True)
class _Delivery:
    """What every order of one checkout shares."""

    checkout: Checkout
    wave: Wave
    method: str
    place: dict
    recipient_name: str
    recipient_phone: str
    mandate: SepaMandate | None
    customer_fees: CustomerFees | None
    # the merchant schedules in force, by shop (None: the town's), read once for all orders
    merchant_fees: dict[int | None, MerchantFees]
    now: datetime

    def merchant_fees_of(self, merchant: Merchant) -> MerchantFees | None:
        """A shop's agreed schedule, else the town's (`billing.fees.merchant_fees_on`)."""
        return self.merchant_fees.get(merchant.pk) or self.merchant_fees.get(None)


def _authorise(customer: User | None, agent: User | None, channel: str) -> None:
    """Customers place for themselves; the hotline for a customer; shop staff, at the
    counter, for a recipient without an account and for their own shop only."""
    if channel == Channel.COUNTER:
        allowed = (customer is None and agent is not None and has_role(agent, Role.MERCHANT)
                   and agent.merchant_id is not None)
    elif channel == Channel.HOTLINE:
        allowed = (customer is not None and has_role(customer, Role.CUSTOMER)
                   and agent is not None and has_role(agent, Role.HOTLINE))
    else:
        allowed = (channel in SELF_SERVICE and customer is not None
                   and has_role(customer, Role.CUSTOMER) and agent in (None, customer))
    if not allowed:
        raise Forbidden("Für diese Aktion fehlt Ihnen die Berechtigung.")


def _existing(customer: User | None, agent: User | None, key: str) -> Checkout | None:
    owner = {"customer": customer} if customer is not None else {"customer": None,
                                                                  "placed_by": agent}
    return Checkout.objects.filter(idempotency_key=key, **owner).first()


def _idempotent(customer: User | None, agent: User | None, channel: str, key: str,
                place: Callable[[], _Delivery]) -> Checkout:
    """Run `place` once per key, in one transaction whose last step takes the delivery's
    stop: a retry, sequential or concurrent, gets the first result."""
    _authorise(customer, agent, channel)
    if not key or len(key) > 64:
        raise Invalid("Das Formular ist abgelaufen. Bitte laden Sie die Seite neu.",
                      field="idempotency_key")
    if (existing := _existing(customer, agent, key)) is not None:
        return existing
    try:
        with transaction.atomic():
            delivery = place()
            slot_take(delivery.checkout.slot, wave=delivery.wave, hint=(
                "LOUISE kann heute keine weitere Lieferung mitnehmen; bitte wenden Sie sich "
                "an die Disposition." if channel == Channel.COUNTER else ""))
            checkout = delivery.checkout
    except IntegrityError:
        # A concurrent submit of the same form won; its transaction has committed.
        if (existing := _existing(customer, agent, key)) is not None:
            return existing
        raise
    if checkout.customer_id is not None:
        checkout_notify(checkout)
    return checkout


def _resolve_destination(dest: Destination, customer: User | None, town: Town) -> dict:
    """The place a destination names, in the town of the shops. A door must be the
    customer's own address (or, without a customer, one the counter has just entered) inside
    an active zone of that town."""
    if dest.method not in DeliveryMethod.values:
        raise Invalid(f"Unbekannte Zustellart „{dest.method}“.", field="method")
    if dest.method == DeliveryMethod.DOOR:
        addresses = (visible_to(Address, customer) if customer is not None
                     else Address.objects.filter(owner=None))
        address = (addresses.filter(pk=dest.address_id).first()
                   if dest.address_id is not None else None)
        if address is None:
            raise Invalid("Diese Lieferadresse gibt es in Ihrem Konto nicht.", field="address_id")
        if zone_serving(address, town) is None:
            raise Invalid(f"Diese Adresse liegt außerhalb des Liefergebiets von {town.name}.",
                          field="address_id", code="outside_service_area")
        return {"address": address}
    if dest.method == DeliveryMethod.POINT:
        point = (PickupPoint.objects.filter(pk=dest.pickup_point_id, town=town,
                                            active=True).first()
                 if dest.pickup_point_id is not None else None)
        if point is None:
            raise Invalid("Diese Abholstelle gibt es nicht.", field="pickup_point_id")
        return {"pickup_point": point}
    locker = (Locker.objects.filter(pk=dest.locker_id, town=town, active=True).first()
              if dest.locker_id is not None else None)
    if locker is None:
        raise Invalid("Diese Paketstation gibt es nicht.", field="locker_id")
    return {"locker": locker}


def _payer_mandate(customer: User | None, channel: str,
                   mandate: MandateRequest | None) -> SepaMandate | None:
    """The customer pays by SEPA direct debit, so they need a mandate (given now or before),
    unless the operator lets them pay by invoice; the shop pays for its counter deliveries,
    so those need none."""
    if channel == Channel.COUNTER:
        return None
    if customer is None:  # `_authorise` lets no other channel place without a customer
        raise Forbidden("Für diese Aktion fehlt Ihnen die Berechtigung.")
    if orders_blocked(customer):
        raise Conflict("Wegen wiederholter Rücklastschriften sind neue Bestellungen gesperrt, "
                       "bis die Hotline das mit Ihnen geklärt hat.", code="returns_blocked")
    if mandate is not None:
        return mandate_create(customer=customer, holder=mandate.holder, iban=mandate.iban)
    if (active := mandate_active(customer=customer)) is None and not pays_by_invoice(customer):
        raise Invalid("Bitte erteilen Sie ein SEPA-Lastschriftmandat.", field="iban",
                      code="mandate_missing")
    return active


def _begin(*, town: Town, customer: User | None, agent: User | None, channel: str, key: str,
           destination: Destination, slot_start: str | None, mandate: MandateRequest | None,
           recipient: tuple[str, str], now: datetime, basket_cents: int = 0,
           fee_method: str | None = None) -> _Delivery:
    """The part every booking shares, by the rules of the shops' town: wave, destination,
    mandate, the slot (its stop is taken last, by `_idempotent`), the fee (by the schedule
    in force, kept on every order), and the checkout row. Call inside `_idempotent`'s
    transaction."""
    if channel == Channel.HOTLINE and (ids := town_ids(agent)) is not None and town.pk not in ids:
        # An agent orders only from the shops of the towns they work for.
        raise Forbidden("Diese Geschäfte gehören nicht zu Ihrer Stadt.")
    wave = wave_bookable(town=town, start=slot_start, now=now,
                         count=STANDING_WAVES if channel == Channel.STANDING else None)
    place = _resolve_destination(destination, customer, town)
    payer_mandate = _payer_mandate(customer, channel, mandate)
    slot = slot_row(town=town, wave=wave)
    fees, day = _fees_in_force(town, now)
    checkout = Checkout(reference=fresh_code(Checkout, "reference", f"E{now:%y%m%d}"),
                        customer=customer, placed_by=agent if agent != customer else None,
                        channel=channel, idempotency_key=key, slot=slot,
                        fee_cents=_fee_under(fees, day, fee_method or destination.method,
                                             basket_cents, channel),
                        created_at=now)
    # The key's uniqueness is left to the database: a concurrent duplicate must surface as
    # IntegrityError so `_idempotent` can answer with the first checkout.
    save_validated(checkout, exclude=["reference", "idempotency_key"], loaded=True)
    return _Delivery(checkout=checkout, wave=wave, method=destination.method, place=place,
                     recipient_name=recipient[0], recipient_phone=recipient[1],
                     mandate=payer_mandate, now=now, customer_fees=fees,
                     merchant_fees=merchant_schedules_on(town, day))


def fresh_code(model: type[Checkout] | type[Order], field: str, prefix: str) -> str:
    """A short code of the day: `prefix`, a dash and six hex digits (easy to read out on
    the phone), drawn again while another row has it: among the 16.7 million of a day, a
    region's 5,000 orders would meet a taken one about every other day, and the insert
    would fail (`bench region` met one)."""
    while True:
        code = f"{prefix}-{secrets.token_hex(3).upper()}"
        if not model.objects.filter(**{field: code}).exists():
            return code


def _order_build(delivery: _Delivery, *, kind: str, merchant: Merchant, fee_cents: int,
                 lines: list[OrderLine], load: Load, event: str, **details) -> Order:
    """The one place an order is made: its lines, its first event and, for a locker, its
    compartment (refused before anything is paid if none is free)."""
    checkout = delivery.checkout
    order = Order(
        number=fresh_code(Order, "number", f"B{delivery.now:%y%m%d}"), kind=kind,
        customer=checkout.customer, merchant=merchant, checkout=checkout, fee_cents=fee_cents,
        placed_by=checkout.placed_by, recipient_name=delivery.recipient_name,
        recipient_phone=delivery.recipient_phone, delivery_method=delivery.method,
        wave_start=delivery.wave.start, wave_end=delivery.wave.end, placed_at=delivery.now,
        subtotal_cents=sum(line.total_cents for line in lines), weight_g=load.weight_g,
        volume_ml=load.volume_ml, cooled=load.cooled, bulky=load.bulky, parcels=load.parcels,
        mandate=delivery.mandate, customer_fees=delivery.customer_fees,
        merchant_fees=delivery.merchant_fees_of(merchant), **delivery.place, **details,
    )
    save_validated(order, exclude=["number"], loaded=True)
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    order.events.create(kind=event, to_status=order.status,
                        by=checkout.placed_by or checkout.customer)
    if order.delivery_method == DeliveryMethod.LOCKER:
        compartment_reserve(order=order)
    order_charge(order)
    return order


def _wanted(lines: list[LineRequest]) -> dict[int, int]:
    if not lines:
        raise Invalid("Ihr Warenkorb ist leer.", field="lines")
    wanted: dict[int, int] = {}
    for line in lines:
        if line.quantity < 1:
            raise Invalid("Die Menge muss mindestens 1 sein.", field="quantity")
        wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    return wanted


def _products(wanted: dict[int, int], merchant_id: int | None) -> dict[int, Product]:
    """The products on sale, all of one shop if the caller named it."""
    if merchant_id is not None and not Merchant.objects.filter(pk=merchant_id,
                                                               active=True).exists():
        raise Invalid("Dieses Geschäft gibt es nicht.", field="merchant_id")
    products = {p.pk: p for p in Product.objects.select_related("merchant__town").filter(
        pk__in=wanted, active=True, merchant__active=True)}
    if missing := sorted(set(wanted) - set(products)):
        raise Invalid(f"Produkt {missing[0]} gibt es nicht mehr.", field="lines")
    if merchant_id is not None and (other := sorted(
            pk for pk, p in products.items() if p.merchant_id != merchant_id)):
        raise Invalid(f"Produkt {other[0]} gibt es in diesem Geschäft nicht.", field="lines")
    return products


def _one_town(products: Iterable[Product]) -> Town:
    """The town all shops of a basket are in: one delivery comes from one town's fleet."""
    towns = {p.merchant.town_id: p.merchant.town for p in products}
    if len(towns) > 1:
        raise Invalid("Ihr Warenkorb enthält Geschäfte aus mehreren Städten. Bitte bestellen "
                      "Sie bei den Geschäften jeder Stadt getrennt.", field="lines",
                      code="several_towns")
    return next(iter(towns.values()))


def _take_stock(product: Product, quantity: int) -> None:
    """A conditional `UPDATE … WHERE stock >= n`: two customers racing for the last item
    cannot both win."""
    if not Product.objects.filter(pk=product.pk, stock__gte=quantity).update(
            stock=F("stock") - quantity):
        stock = Product.objects.values_list("stock", flat=True).get(pk=product.pk)
        raise Conflict(f"„{product.name}“: nur noch {stock} Stück vorrätig.",
                       code="out_of_stock")


def checkout_place(*, customer: User, lines: list[LineRequest], destination: Destination,
                   idempotency_key: str, slot_start: str | None = None,
                   mandate: MandateRequest | None = None, notes: str = "",
                   merchant_id: int | None = None, channel: str = Channel.WEB,
                   placed_by: User | None = None, now: datetime | None = None) -> Checkout:
    """Buy goods: one order per shop, one delivery, one fee. Without `slot_start`, the first
    bookable wave; with `merchant_id`, every product must be that shop's."""
    now = now or timezone.now()

    def place() -> _Delivery:
        wanted = _wanted(lines)
        products = _products(wanted, merchant_id)
        delivery = _begin(town=_one_town(products.values()), customer=customer,
                          agent=placed_by, channel=channel,
                          key=idempotency_key, destination=destination, slot_start=slot_start,
                          mandate=mandate, recipient=(customer.display_name, customer.phone),
                          now=now, basket_cents=sum(products[pk].price_cents * q
                                                    for pk, q in wanted.items()))
        fee = delivery.checkout.fee_cents
        for merchant_id_ in sorted({p.merchant_id for p in products.values()}):
            mine = [(products[pk], q) for pk, q in sorted(wanted.items())
                    if products[pk].merchant_id == merchant_id_]
            for product, quantity in mine:
                _take_stock(product, quantity)
            _order_build(
                delivery, kind=OrderKind.GOODS, merchant=mine[0][0].merchant, fee_cents=fee,
                event=EventKind.PLACED, notes=notes,
                lines=[OrderLine(product=p, name=p.name, quantity=q,
                                 unit_price_cents=p.price_cents, vat_rate=p.vat_rate)
                       for p, q in mine],
                load=Load(weight_g=sum(p.weight_g * q for p, q in mine),
                          volume_ml=sum(p.volume_ml * q for p, q in mine),
                          cooled=any(p.cooled for p, _ in mine),
                          bulky=any(p.bulky for p, _ in mine)))
            fee = 0  # one delivery, one fee
        return delivery

    return _idempotent(customer, placed_by, channel, idempotency_key, place)


def service_request(*, customer: User, service_id: int, address_id: int, item_description: str,
                    idempotency_key: str, slot_start: str | None = None,
                    photo: UploadedFile | None = None, mandate: MandateRequest | None = None,
                    channel: str = Channel.WEB, placed_by: User | None = None,
                    now: datetime | None = None) -> Checkout:
    """Book a service on the customer's item, fetched at their door in a chosen wave (the
    first bookable one without `slot_start`): a checkout of one order."""
    now = now or timezone.now()
    # Checked and re-encoded before anything is booked (see core.images).
    picture = image_upload(photo) if photo is not None else None

    def place() -> _Delivery:
        offer = ServiceOffer.objects.select_related("merchant__town").filter(
            pk=service_id, active=True, merchant__active=True).first()
        if offer is None:
            raise Invalid("Diese Dienstleistung gibt es nicht.", field="service_id")
        if not item_description.strip():
            raise Invalid("Bitte beschreiben Sie den Gegenstand.", field="item_description")
        delivery = _begin(town=offer.merchant.town, customer=customer, agent=placed_by,
                          channel=channel, key=idempotency_key,
                          destination=Destination(DeliveryMethod.DOOR, address_id=address_id),
                          slot_start=slot_start, mandate=mandate,
                          recipient=(customer.display_name, customer.phone), now=now,
                          fee_method=SERVICE)
        order = _order_build(
            delivery, kind=OrderKind.SERVICE, merchant=offer.merchant,
            fee_cents=delivery.checkout.fee_cents, event=EventKind.BOOKED,
            item_description=item_description.strip(),
            lines=[OrderLine(service=offer, name=offer.name, quantity=1,
                             unit_price_cents=offer.price_cents or 0, vat_rate=offer.vat_rate)],
            load=Load(weight_g=offer.weight_g, volume_ml=offer.volume_ml))
        if picture is not None:  # a full slot found after this leaves the file unlinked
            order.item_photo.save("gegenstand.jpg", picture)
        return delivery

    return _idempotent(customer, placed_by, channel, idempotency_key, place)


# A shopping list's bag, for the planner's capacities: a full tote of groceries.
SHOPPING_LOAD = Load(weight_g=8000, volume_ml=30000)
SHOPPING_ITEMS_MAX = 50
SHOPPING_BUDGET_MAX_CENTS = 50_000  # 500 €: a shopper does not carry more


def _shopping_items(text: str) -> list[dict[str, str]]:
    """The free-text list, one item a line (blank lines dropped), each still to be bought."""
    items = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not items:
        raise Invalid("Bitte schreiben Sie auf, was eingekauft werden soll (ein Artikel je "
                      "Zeile).", field="items")
    if len(items) > SHOPPING_ITEMS_MAX:
        raise Invalid(f"Höchstens {SHOPPING_ITEMS_MAX} Zeilen je Einkaufszettel.",
                      field="items")
    if long := next((item for item in items if len(item) > 120), None):
        raise Invalid(f"Die Zeile „{long[:30]}…“ ist zu lang (höchstens 120 Zeichen).",
                      field="items")
    return [{"text": item, "state": ""} for item in items]


def shopping_list_place(*, customer: User, merchant_id: int, items: str, budget_cents: int,
                        destination: Destination, idempotency_key: str,
                        substitutions: str = "", slot_start: str | None = None,
                        mandate: MandateRequest | None = None, channel: str = Channel.WEB,
                        placed_by: User | None = None, now: datetime | None = None
                        ) -> Checkout:
    """A free-text list a shopper buys in a store with "Einkaufsservice" and brings in the
    wave: a checkout of one order whose price is the receipt's total, settled after the
    purchase (`orders.shopping`). LOUISE's team takes it on at once (no shop packs it), so
    its leg (buy, then deliver) is made now."""
    now = now or timezone.now()

    def place() -> _Delivery:
        store = Merchant.objects.select_related("town").filter(
            pk=merchant_id, active=True, shopping_service=True).first()
        if store is None:
            raise Invalid("In diesem Geschäft gibt es keinen Einkaufsservice.",
                          field="merchant_id")
        wanted = _shopping_items(items)
        if not 0 < budget_cents <= SHOPPING_BUDGET_MAX_CENTS:
            raise Invalid("Das Budget muss zwischen 0,01 € und 500 € liegen.",
                          field="budget_cents")
        if len(substitutions) > 500:
            raise Invalid("Die Ersatzwünsche sind zu lang (höchstens 500 Zeichen).",
                          field="substitutions")
        delivery = _begin(town=store.town, customer=customer, agent=placed_by, channel=channel,
                          key=idempotency_key, destination=destination, slot_start=slot_start,
                          mandate=mandate, recipient=(customer.display_name, customer.phone),
                          now=now, fee_method=SHOPPING_LIST)
        order = _order_build(delivery, kind=OrderKind.SHOPPING, merchant=store,
                             fee_cents=delivery.checkout.fee_cents, lines=[],
                             load=SHOPPING_LOAD, event=EventKind.PLACED)
        ShoppingList.objects.create(order=order, items=wanted, budget_cents=budget_cents,
                                    substitutions=substitutions.strip())
        order_transition(order, "accept", note="Einkaufsservice", now=now)
        return delivery

    return _idempotent(customer, placed_by, channel, idempotency_key, place)


def counter_place(*, by: User, recipient: Recipient, load: Load, idempotency_key: str,
                  slot_start: str | None = None, now: datetime | None = None) -> Checkout:
    """A delivery the shop sends from its counter to someone without an account: the same
    wave, slot and fee rules as every other order; the shop pays, so no mandate is needed.
    The door is entered here, so a retried form does not leave a second address behind."""
    now = now or timezone.now()

    def place() -> _Delivery:
        street, postcode = " ".join(recipient.street.split()), recipient.postcode.strip()
        # The suggestion picked may stand for the whole street; the house has a place of its
        # own.
        found = position_for_address(street=street, postcode=postcode,
                                     fallback=(recipient.lat, recipient.lon))
        address = address_create(street=street, postcode=postcode, city=recipient.city,
                                 district=recipient.district, lat=found.lat, lon=found.lon,
                                 recipient=recipient.name.strip(),
                                 notes=recipient.notes.strip()[:200], precision=found.precision)
        assert by.merchant is not None  # `_authorise` admits shop staff only
        delivery = _begin(town=by.merchant.town, customer=None, agent=by,
                          channel=Channel.COUNTER, key=idempotency_key,
                          destination=Destination(DeliveryMethod.DOOR, address_id=address.pk),
                          slot_start=slot_start, mandate=None,
                          recipient=(recipient.name.strip(), recipient.phone.strip()), now=now)
        _order_build(delivery, kind=OrderKind.GOODS, merchant=by.merchant,
                     fee_cents=delivery.checkout.fee_cents, lines=[], load=load,
                     event=EventKind.COUNTER, notes=recipient.notes.strip()[:300])
        return delivery

    return _idempotent(None, by, Channel.COUNTER, idempotency_key, place)

