import pytest

from louise.catalog.models import Product
from louise.core.errors import Conflict, Forbidden, Invalid, NotFound
from louise.orders import services
from louise.orders.checkout import Destination, LineRequest, checkout_place
from louise.orders.models import Order, OrderStatus

from ...conftest import MONDAY_MORNING, make_customer, order_placed


def place(customer, address, product, quantity=1, key="", method="door", **dest):
    return order_placed(customer, product, quantity, key=key, now=MONDAY_MORNING,
                        destination=Destination(method, address_id=address.pk, **dest))


def test_placing_reserves_stock_and_books_the_same_day_wave(shop, customer):
    person, address = customer
    # when
    order = place(person, address, shop["product"], quantity=2)
    # then
    shop["product"].refresh_from_db()
    assert shop["product"].stock == 3
    assert order.subtotal_cents == 3000
    assert order.wave_start.date() == MONDAY_MORNING.date()
    assert order.mandate is not None


def test_last_items_cannot_be_sold_twice(shop, customer, other_customer):
    place(customer[0], customer[1], shop["product"], quantity=4)
    with pytest.raises(Conflict, match="nur noch 1 Stück"):
        place(other_customer[0], other_customer[1], shop["product"], quantity=2)
    shop["product"].refresh_from_db()
    assert shop["product"].stock == 1
    assert Order.objects.count() == 1


def test_failed_order_leaves_no_half_written_state(shop, customer, other_shop):
    # given: a basket where the second product does not belong to the shop
    person, address = customer
    with pytest.raises(Invalid, match="in diesem Geschäft nicht"):
        checkout_place(
            customer=person, merchant_id=shop["merchant"].pk, idempotency_key="k",
            lines=[LineRequest(shop["product"].pk, 1), LineRequest(other_shop["product"].pk, 1)],
            destination=Destination("door", address_id=address.pk), now=MONDAY_MORNING)
    # then
    assert Order.objects.count() == 0
    assert Product.objects.get(pk=shop["product"].pk).stock == 5


def test_same_idempotency_key_makes_one_order(shop, customer):
    person, address = customer
    first = place(person, address, shop["product"], key="k-1")
    again = place(person, address, shop["product"], key="k-1")
    assert first.pk == again.pk
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=shop["product"].pk).stock == 4


def test_address_outside_active_zone_is_refused(shop, town):
    person, address = make_customer("fern", postcode="46045", lat=51.47, lon=6.85)
    with pytest.raises(Invalid, match="außerhalb des Liefergebiets"):
        place(person, address, shop["product"])


def test_someone_elses_address_cannot_be_used(shop, customer, other_customer):
    with pytest.raises(Invalid, match="Lieferadresse"):
        place(customer[0], other_customer[1], shop["product"])


def test_locker_delivery(shop, customer, town):
    person, address = customer
    order = place(person, address, shop["product"], method="locker", locker_id=town["locker"].pk)
    assert order.destination == town["locker"]


def test_only_customers_place_orders(shop, staff_users, customer):
    dispatcher = staff_users["dispatcher"]
    with pytest.raises(Forbidden):
        place(dispatcher, customer[1], shop["product"])


def test_decline_restocks_and_records_the_reason(shop, customer):
    order = place(*customer, shop["product"], quantity=2)
    services.order_decline(order_number=order.number, by=shop["staff"], reason="Ausverkauft")
    order.refresh_from_db()
    assert order.status == OrderStatus.DECLINED
    assert order.decline_reason == "Ausverkauft"
    assert Product.objects.get(pk=shop["product"].pk).stock == 5


def test_merchant_cannot_touch_another_shops_order(shop, other_shop, customer):
    order = place(*customer, shop["product"])
    with pytest.raises(NotFound):
        services.order_accept(order_number=order.number, by=other_shop["staff"])
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


