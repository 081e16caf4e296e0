"""The shopping-list service: a free-text list bought by the rider at the store, its price
settled from the receipt, a purchase over budget confirmed or declined before it goes out."""

import secrets

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from louise.accounts.models import Role
from louise.billing.ledger import order_balance
from louise.billing.models import EntryKind, LedgerEntry
from louise.core.errors import Conflict, Forbidden, Invalid, NotFound
from louise.hotline.services import hotline_purchase_answer, hotline_shopping_list
from louise.logistics.models import Leg, LegKind, LegStatus, StopKind, Tour
from louise.logistics.services import plan_day, stop_complete, tour_publish
from louise.logistics.shopping import shopping_purchase
from louise.logistics.tests.journeys import first_wave
from louise.orders.checkout import Destination, shopping_list_place
from louise.orders.models import Approval, Channel, EventKind, Order, OrderKind, OrderStatus
from louise.orders.services import order_cancel, order_mark_ready
from louise.orders.shopping import purchase_answer

from ...conftest import MONDAY_MORNING, fees_set, make_user, other_town, the_town, tiny_jpeg

LIST = "Bio-Milch 1 l\n\n  Brot  \nÄpfel 1 kg\n"


def receipt() -> SimpleUploadedFile:
    return SimpleUploadedFile("bon.jpg", tiny_jpeg(), content_type="image/jpeg")


@pytest.fixture
def store(shop):
    shop["merchant"].shopping_service = True
    shop["merchant"].save(update_fields=["shopping_service"])
    return shop


def list_placed(store, customer, budget_cents: int = 2000, **extra) -> Order:
    person, address = customer
    return shopping_list_place(
        customer=person, merchant_id=store["merchant"].pk, items=LIST, budget_cents=budget_cents,
        substitutions="wenn keine Bio-Milch, dann normale",
        destination=Destination("door", address_id=address.pk), slot_start=first_wave(),
        idempotency_key=secrets.token_hex(8), now=MONDAY_MORNING, **extra).orders.get()


def planned(store, customer, staff_users, budget_cents: int = 2000) -> tuple[Order, Tour]:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = list_placed(store, customer, budget_cents)
        plan_day(town=the_town(), day=MONDAY_MORNING.date(),
                 by=staff_users[Role.DISPATCHER], time_limit=1)
        tour = Tour.objects.get()
        tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    return order, tour


def buy(order: Order, by, total: int, states=("bought", "missing", "bought")) -> Order:
    return shopping_purchase(by=by, order_number=order.number, states=list(states),
                             receipt_total_cents=total, photo=receipt())


def test_a_list_is_one_order_of_its_own_kind_with_the_fee_and_a_long_stop_at_the_store(
        store, customer):
    fees_set(door_cents=300, shopping_list_cents=500)
    order = list_placed(store, customer)
    assert order.kind == OrderKind.SHOPPING
    assert order.status == OrderStatus.ACCEPTED  # LOUISE's team takes it on at once
    assert order.fee_cents == 500 and order.subtotal_cents == 0
    assert [i["text"] for i in order.shopping.items] == ["Bio-Milch 1 l", "Brot", "Äpfel 1 kg"]
    assert order.shopping.substitutions == "wenn keine Bio-Milch, dann normale"
    leg = Leg.objects.get(order=order)
    assert leg.kind == LegKind.SHOPPING and leg.status == LegStatus.OPEN
    assert leg.pickup_service_s == 20 * 60
    assert leg.pickup_ref == f"merchant:{store['merchant'].pk}"
    assert order_balance(order.pk) == 500  # only the fee until the receipt is known


@pytest.mark.parametrize("change, field", [
    ({"budget_cents": 0}, "budget_cents"),
    ({"items": " \n \n"}, "items"),
])
def test_a_bad_list_is_refused_and_nothing_is_booked(store, customer, change, field):
    person, address = customer
    args = {"customer": person, "merchant_id": store["merchant"].pk, "items": LIST,
            "budget_cents": 2000, "destination": Destination("door", address_id=address.pk),
            "idempotency_key": "bad", "now": MONDAY_MORNING, **change}
    with pytest.raises(Invalid) as refused:
        shopping_list_place(**args)
    assert refused.value.field == field
    assert not Order.objects.exists()


def test_a_store_without_the_flag_takes_no_list(shop, customer):
    with pytest.raises(Invalid, match="keinen Einkaufsservice"):
        list_placed(shop, customer)
    assert not Order.objects.exists()


def test_within_the_tolerance_the_receipt_is_charged_and_the_bag_goes_out(
        store, customer, staff_users, shifts):
    fees_set(shopping_list_cents=500)
    order, tour = planned(store, customer, staff_users, budget_cents=2000)
    rider = tour.shift.rider
    pickup = tour.stops.get(kind=StopKind.PICKUP, leg__order=order)
    with pytest.raises(Conflict, match="Erst einkaufen"):
        stop_complete(stop_id=pickup.pk, rider=rider, parcels=1)
    buy(order, rider, 2200)  # 10 % over: still within the town's tolerance
    order.refresh_from_db()
    assert order.status == OrderStatus.READY and order.subtotal_cents == 2200
    assert [i["state"] for i in order.shopping.items] == ["bought", "missing", "bought"]
    assert order.shopping.receipt_photo.name.startswith("receipts/")
    assert order.events.filter(kind=EventKind.PURCHASED, note__contains="fehlt: Brot").exists()
    stop_complete(stop_id=pickup.pk, rider=rider, parcels=1)
    drop = tour.stops.get(kind=StopKind.DELIVERY, leg__order=order)
    stop_complete(stop_id=drop.pk, rider=rider, proof_method="name", recipient_name="Kundin")
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order_balance(order.pk) == 2200 + 500
    assert LedgerEntry.objects.get(order=order, kind=EntryKind.SHOPPING).merchant_id is None


@pytest.mark.parametrize("total", [0, -150])
def test_a_receipt_total_of_zero_or_less_is_refused_and_changes_nothing(
        store, customer, staff_users, shifts, total):
    order, tour = planned(store, customer, staff_users)
    with pytest.raises(Invalid, match="größer als 0 €"):
        buy(order, tour.shift.rider, total)
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert order.shopping.receipt_total_cents is None and not order.shopping.receipt_photo
    assert [i["state"] for i in order.shopping.items] == ["", "", ""]
    assert not order.events.filter(kind=EventKind.PURCHASED).exists()


def test_over_budget_it_waits_for_the_customer_who_confirms(
        store, customer, staff_users, shifts, mailoutbox, django_capture_on_commit_callbacks):
    order, tour = planned(store, customer, staff_users, budget_cents=2000)
    rider = tour.shift.rider
    with django_capture_on_commit_callbacks(execute=True):
        buy(order, rider, 2300)  # 15 % over
    [mail] = [m for m in mailoutbox if "teurer als Ihr Budget" in m.subject]
    assert mail.to == [customer[0].email] and "23,00" in mail.body
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert order.shopping.approval == Approval.PENDING
    assert not LedgerEntry.objects.filter(order=order, kind=EntryKind.SHOPPING).exists()
    pickup = tour.stops.get(kind=StopKind.PICKUP, leg__order=order)
    with pytest.raises(Conflict, match="wartet auf die Bestätigung"):
        stop_complete(stop_id=pickup.pk, rider=rider, parcels=1)
    with pytest.raises(Forbidden):  # no cancelling round the answer once it is bought
        order_cancel(order_number=order.number, by=customer[0])
    purchase_answer(order_number=order.number, by=customer[0], confirm=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY and order.shopping.approval == Approval.CONFIRMED
    assert order_balance(order.pk) == 2300
    stop_complete(stop_id=pickup.pk, rider=rider, parcels=1)


def test_a_declined_purchase_calls_the_order_off_and_charges_nothing(store, customer,
                                                                     staff_users, shifts):
    fees_set(shopping_list_cents=500)
    order, tour = planned(store, customer, staff_users, budget_cents=1000)
    buy(order, tour.shift.rider, 1500)
    agent = staff_users[Role.HOTLINE]
    hotline_purchase_answer(agent=agent, town=the_town(), number=order.number, confirm=False)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.shopping.approval == Approval.DECLINED
    assert order_balance(order.pk) == 0
    assert Leg.objects.get(order=order).status == LegStatus.CANCELLED
    with pytest.raises(Conflict):  # answered once
        purchase_answer(order_number=order.number, by=customer[0], confirm=True)


def test_the_town_sets_the_tolerance(store, customer, staff_users, shifts):
    town = the_town()
    town.shopping_tolerance_pct = 0
    town.save(update_fields=["shopping_tolerance_pct"])
    order, tour = planned(store, customer, staff_users, budget_cents=2000)
    buy(order, tour.shift.rider, 2001)
    order.refresh_from_db()
    assert order.shopping.approval == Approval.PENDING


def test_only_the_rider_of_the_stop_or_the_towns_hub_staff_record_a_purchase(
        store, customer, staff_users, shifts):
    order, _tour = planned(store, customer, staff_users)
    other_rider = make_user("fahrer9", Role.RIDER)
    with pytest.raises(NotFound):
        buy(order, other_rider, 1500)
    elsewhere = make_user("depot9", Role.HUB, town_ids=[other_town().pk])
    with pytest.raises(NotFound):
        buy(order, elsewhere, 1500)
    with pytest.raises(Forbidden):
        buy(order, customer[0], 1500)
    order.refresh_from_db()
    assert order.shopping.purchased_at is None
    buy(order, make_user("depot1", Role.HUB), 1500)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY


def test_only_the_customer_or_their_towns_hotline_answer(store, customer, other_customer,
                                                         staff_users, shifts):
    order, tour = planned(store, customer, staff_users, budget_cents=1000)
    buy(order, tour.shift.rider, 1500)
    with pytest.raises(NotFound):
        purchase_answer(order_number=order.number, by=other_customer[0], confirm=True)
    town2 = other_town()
    agent2 = make_user("hotline9", Role.HOTLINE, town_ids=[town2.pk])
    with pytest.raises(NotFound):
        purchase_answer(order_number=order.number, by=agent2, confirm=True)
    with pytest.raises(NotFound):
        hotline_purchase_answer(agent=agent2, town=town2, number=order.number, confirm=True)
    with pytest.raises(Forbidden):
        purchase_answer(order_number=order.number, by=tour.shift.rider, confirm=True)
    order.refresh_from_db()
    assert order.shopping.approval == Approval.PENDING


def test_an_agent_enters_a_list_for_a_caller(store, customer, staff_users):
    person, address = customer
    agent = staff_users[Role.HOTLINE]
    done = hotline_shopping_list(
        agent=agent, town=the_town(), customer_id=person.pk, merchant_id=store["merchant"].pk,
        items="Kaffee\nZucker", budget_cents=1200,
        destination=Destination("door", address_id=address.pk), idempotency_key="call-1",
        now=MONDAY_MORNING)
    order = done.orders.get()
    assert done.channel == Channel.HOTLINE and order.placed_by == agent
    assert order.kind == OrderKind.SHOPPING


def test_the_store_cannot_ready_an_unbought_list(store, customer):
    # given a list the store has (accepted at once), not bought yet
    order = list_placed(store, customer)
    # when the store's staff report it ready, as they would a packed parcel
    with pytest.raises(Conflict):
        order_mark_ready(order_number=order.number, by=store["staff"], parcels=1)
    # then nothing moved and nothing is charged beyond the fee
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert not LedgerEntry.objects.filter(order=order, kind=EntryKind.SHOPPING).exists()


def test_a_declined_purchase_gives_back_its_place_in_the_wave(store, customer, staff_users,
                                                              shifts):
    order, tour = planned(store, customer, staff_users, budget_cents=1000)
    slot = order.checkout.slot
    booked = type(slot).objects.get(pk=slot.pk).booked
    buy(order, tour.shift.rider, 1500)
    purchase_answer(order_number=order.number, by=customer[0], confirm=False)
    assert type(slot).objects.get(pk=slot.pk).booked == booked - 1
