import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from louise.billing.models import SepaMandate
from louise.catalog.models import Product
from louise.core.calendar import waves_from
from louise.core.errors import Conflict, Invalid
from louise.core.tests.pictures import jpeg
from louise.geo import places
from louise.geo.models import Locker, LockerCompartment
from louise.orders import checkout as co
from louise.orders.checkout import Destination, LineRequest
from louise.orders.models import Checkout, Order, OrderStatus, Slot
from louise.orders.services import order_cancel, order_decline
from louise.orders.slots import slot_choices

from ...conftest import MONDAY_MORNING, fees_set, make_customer, the_town, town_set

FIRST_WAVE = waves_from(MONDAY_MORNING, 2)[0].start.isoformat()
SECOND_WAVE = waves_from(MONDAY_MORNING, 2)[1].start.isoformat()


def buy(person, *lines, key="k-1", slot=FIRST_WAVE, mandate=None):
    """Check out to the town's one locker."""
    return co.checkout_place(
        customer=person, lines=[LineRequest(p.pk, q) for p, q in lines],
        destination=Destination("locker", locker_id=Locker.objects.get().pk),
        slot_start=slot, idempotency_key=key, mandate=mandate, now=MONDAY_MORNING)


def test_basket_from_two_shops_makes_one_order_per_shop_and_one_fee(shop, other_shop, customer,
                                                                     settings):
    # given
    fees_set(door_cents=390, point_cents=290, locker_cents=190, service_cents=390)
    person, _address = customer
    # when
    checkout = buy(person, (shop["product"], 2), (other_shop["product"], 1))
    # then
    orders = list(checkout.orders.order_by("merchant__name"))
    assert [o.merchant for o in orders] == [shop["merchant"], other_shop["merchant"]]
    assert {o.wave_start for o in orders} == {waves_from(MONDAY_MORNING, 1)[0].start}
    assert sorted(o.fee_cents for o in orders) == [0, 190]
    assert checkout.fee_cents == 190
    assert sum(o.total_cents for o in orders) == 3 * 1500 + 190
    assert all(o.delivery_method == "locker" for o in orders)
    assert Slot.objects.get().booked == 1  # one delivery, one stop


def test_a_retried_checkout_makes_one_checkout(shop, customer):
    person, _address = customer
    first = buy(person, (shop["product"], 1), key="same")
    again = buy(person, (shop["product"], 1), key="same")
    assert first.pk == again.pk
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=shop["product"].pk).stock == 4


def test_a_taken_order_number_or_reference_is_drawn_again(shop, customer, other_customer,
                                                          monkeypatch):
    """Six hex digits a day meet a taken one in a busy region (a 500 in `bench region`):
    the number is drawn again, and both checkouts go through."""
    first = buy(customer[0], (shop["product"], 1), key="a")
    taken = [first.reference.split("-")[1], first.orders.get().number.split("-")[1]]
    draws = iter([taken[0], "00000A", taken[1], "00000B"])
    monkeypatch.setattr(co.secrets, "token_hex", lambda n: next(draws).lower())
    second = buy(other_customer[0], (shop["product"], 1), key="b")
    assert second.reference == f"E{MONDAY_MORNING:%y%m%d}-00000A"
    assert second.orders.get().number == f"B{MONDAY_MORNING:%y%m%d}-00000B"
    assert Order.objects.count() == 2


def test_a_full_slot_cannot_be_booked(shop, customer, other_customer, settings):
    # given: one stop per slot, taken by the first customer
    town_set(slot_capacity=1)
    buy(customer[0], (shop["product"], 1))
    # when / then
    with pytest.raises(Conflict, match="ausgebucht"):
        buy(other_customer[0], (shop["product"], 1), key="k-2")
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=shop["product"].pk).stock == 4
    assert [c.full for c in slot_choices(town=the_town(),
                                         now=MONDAY_MORNING, count=2)] == [True, False]
    # and the next slot still works
    buy(other_customer[0], (shop["product"], 1), key="k-3", slot=SECOND_WAVE)


def test_the_stop_is_taken_last_right_before_the_commit(shop, other_shop, customer):
    # The slot row is the one row every checkout of a wave writes, and its lock lasts until
    # the commit: everything else of the checkout happens before the stop is taken.
    with CaptureQueriesContext(connection) as done:
        buy(customer[0], (shop["product"], 1), (other_shop["product"], 1))
    statements = [q["sql"] for q in done.captured_queries]
    take = next(i for i, sql in enumerate(statements) if sql.startswith('UPDATE "orders_slot"'))
    # (inside the test's own transaction the checkout's commit is a savepoint's release)
    assert statements[take + 1].startswith("RELEASE SAVEPOINT")
    assert Slot.objects.get().booked == 1


def test_cancelling_every_order_gives_the_stop_back(shop, other_shop, customer):
    person, _address = customer
    checkout = buy(person, (shop["product"], 1), (other_shop["product"], 1))
    first, second = checkout.orders.all()
    order_cancel(order_number=first.number, by=person)
    assert Slot.objects.get().booked == 1  # the other shop's parcel still comes
    order_decline(order_number=second.number, by=other_shop["staff"]
                  if second.merchant == other_shop["merchant"] else shop["staff"],
                  reason="Leider ausverkauft")
    assert Slot.objects.get().booked == 0


def test_a_slot_that_is_no_longer_offered_is_refused(shop, customer):
    with pytest.raises(Invalid, match="nicht mehr buchbar"):
        buy(customer[0], (shop["product"], 1), slot="2026-11-27T17:30:00+01:00")
    assert not Checkout.objects.exists()


def test_without_a_mandate_nothing_is_bought(shop, town):
    # given: a customer who never gave a mandate
    person, _address = make_customer("ohne")
    SepaMandate.objects.filter(customer=person).delete()
    # when / then
    with pytest.raises(Invalid, match="Lastschriftmandat"):
        buy(person, (shop["product"], 1))
    # a bad IBAN is refused and leaves nothing behind
    with pytest.raises(Invalid, match="IBAN"):
        buy(person, (shop["product"], 1), mandate=co.MandateRequest("Ohne Test", "DE00123"))
    assert not Order.objects.exists() and not SepaMandate.objects.exists()
    # a valid one is stored once and used
    checkout = buy(person, (shop["product"], 1),
                   mandate=co.MandateRequest("Ohne Test", "DE89 3704 0044 0532 0130 00"))
    assert checkout.orders.get().mandate.iban == "DE89370400440532013000"


def test_one_short_product_fails_the_whole_basket(shop, other_shop, customer):
    person, _address = customer
    with pytest.raises(Conflict, match="nur noch 5 Stück"):
        buy(person, (shop["product"], 1), (other_shop["product"], 6))
    assert Product.objects.get(pk=shop["product"].pk).stock == 5
    assert not Order.objects.exists()
    assert not Slot.objects.filter(booked__gt=0).exists()


def test_service_booking_takes_a_pickup_slot_and_a_photo(shop, customer, tmp_path, settings):
    # given
    settings.MEDIA_ROOT = tmp_path
    person, address = customer
    photo = SimpleUploadedFile("schuh.jpg", jpeg(), content_type="image/jpeg")
    # when
    checkout = co.service_request(customer=person, service_id=shop["service"].pk,
                                  address_id=address.pk, item_description="Absatz ab",
                                  slot_start=SECOND_WAVE, idempotency_key="s-1", photo=photo,
                                  now=MONDAY_MORNING)
    # then
    order = checkout.orders.get()
    assert order.kind == "service" and order.status == OrderStatus.PLACED
    assert order.wave_start == waves_from(MONDAY_MORNING, 2)[1].start
    assert order.item_photo.name.endswith(".jpg")
    assert Slot.objects.get(start=order.wave_start).booked == 1


def test_each_parcel_gets_its_own_locker_compartment_until_the_locker_is_full(
        shop, other_shop, customer, other_customer):
    # given: the locker has two small and two medium compartments
    first = buy(customer[0], (shop["product"], 1), (other_shop["product"], 1))
    boxes = LockerCompartment.objects.filter(order__checkout=first)
    assert sorted(b.size for b in boxes) == ["S", "S"]
    assert all(len(b.code) == 6 for b in boxes)
    buy(other_customer[0], (shop["product"], 1), (other_shop["product"], 1), key="k-2")
    assert sorted(b.size for b in LockerCompartment.objects.exclude(order=None)) == [
        "M", "M", "S", "S"]
    # when: a third basket wants the full locker
    with pytest.raises(Conflict, match="voll"):
        buy(customer[0], (shop["product"], 1), key="k-3")
    # then: cancelling gives a compartment back
    order_cancel(order_number=first.orders.first().number, by=customer[0])
    buy(customer[0], (shop["product"], 1), key="k-4")
    assert not LockerCompartment.objects.filter(order=None).exists()


def test_a_compartment_out_of_service_takes_no_parcel(shop, customer, other_customer):
    # given: both small compartments are out of service (broken doors)
    LockerCompartment.objects.filter(size="S").update(out_of_service=True)
    # when
    checkout = buy(customer[0], (shop["product"], 1))
    # then: the small parcel goes into a medium one
    assert LockerCompartment.objects.get(order__checkout=checkout).size == "M"
    # and with the other medium one out of service too, the locker counts as full
    LockerCompartment.objects.filter(order=None).update(out_of_service=True)
    with pytest.raises(Conflict, match="voll"):
        buy(other_customer[0], (shop["product"], 1), key="k-2")


def test_a_compartment_holding_a_parcel_cannot_be_removed(shop, customer, staff_users):
    # given a parcel in the locker
    checkout = buy(customer[0], (shop["product"], 1))
    box = LockerCompartment.objects.get(order__checkout=checkout)
    # when the operator wants to take its compartment out
    with pytest.raises(Conflict, match="belegt"):
        places.compartment_remove(by=staff_users["operator"], pk=box.pk)
    # then it stays, with its parcel
    assert LockerCompartment.objects.filter(pk=box.pk, order__checkout=checkout).exists()
