"""Steps several tests walk through, done through the real services."""

import time_machine

from louise.accounts.models import Role
from louise.core.calendar import waves_from
from louise.logistics.hub_desk import delivery_sort, parcel_scan
from louise.logistics.models import Leg, LegKind, Tour
from louise.logistics.services import plan_day, stop_complete, tour_publish
from louise.orders.checkout import Destination, LineRequest, checkout_place, service_request
from louise.orders.lifecycle import order_transition
from louise.orders.models import Order
from louise.orders.services import order_accept, order_mark_ready

from ...conftest import MONDAY_MORNING, make_user, the_town


def first_wave() -> str:
    return waves_from(MONDAY_MORNING, 1)[0].start.isoformat()


def one_book_bought(shop, person, destination: Destination, key: str) -> Order:
    """One book of `shop` checked out on Monday morning for the first wave; call at that time."""
    return checkout_place(
        customer=person, lines=[LineRequest(shop["product"].pk, 1)], destination=destination,
        slot_start=first_wave(), idempotency_key=key, now=MONDAY_MORNING).orders.get()


def door_delivery_published(shop, customer, staff_users) -> tuple[Order, Tour]:
    """One book bought on Monday morning to the customer's door, packed by the shop, planned
    and published: the tour is ready to ride."""
    person, address = customer
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = one_book_bought(shop, person, Destination("door", address_id=address.pk),
                                "journey")
        tour = packed_planned_published(shop, [order], staff_users)
    order.refresh_from_db()
    return order, tour


def packed_planned_published(shop, orders: list[Order], staff_users) -> Tour:
    """The shop accepts and packs the orders; the dispatcher plans Monday and publishes the
    one tour that carries them. Call at Monday-morning time."""
    for order in orders:
        order_accept(order_number=order.number, by=shop["staff"])
        order_mark_ready(order_number=order.number, by=shop["staff"], now=MONDAY_MORNING)
    plan_day(town=the_town(),
             day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER], time_limit=1)
    tour = Tour.objects.get()
    tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    return tour


def repair_booked(shop, customer, key: str) -> Order:
    """The shop's service booked on Monday morning for the first wave, accepted by the shop."""
    person, address = customer
    order = service_request(customer=person, service_id=shop["service"].pk,
                            address_id=address.pk, item_description="Einband lose",
                            slot_start=first_wave(), idempotency_key=key,
                            now=MONDAY_MORNING).orders.get()
    order_accept(order_number=order.number, by=shop["staff"])
    return order


def locker_delivery_delivered(shop, customer, locker) -> Order:
    """One book bought on Monday morning to the locker and put into its compartment by the
    rider: the customer may now open it with the code."""
    person, _address = customer
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = one_book_bought(shop, person, Destination("locker", locker_id=locker.pk),
                                "locker-journey")
        for event in ("accept", "mark_ready", "collect", "dispatch", "deliver"):
            order_transition(order, event)
    return order


def two_shop_basket_published(shop, other_shop, customer, staff_users) -> tuple[list[Order], Tour]:
    """One checkout from two shops to the customer's door on Monday morning, packed by both
    shops, planned and published: two pickups and two drops at one door."""
    person, address = customer
    with time_machine.travel(MONDAY_MORNING, tick=False):
        orders = list(checkout_place(
            customer=person, destination=Destination("door", address_id=address.pk),
            lines=[LineRequest(shop["product"].pk, 1), LineRequest(other_shop["product"].pk, 1)],
            slot_start=first_wave(), idempotency_key="two-shops",
            now=MONDAY_MORNING).orders.order_by("id"))
        for order in orders:
            staff = (shop if order.merchant_id == shop["merchant"].pk else other_shop)["staff"]
            order_accept(order_number=order.number, by=staff)
            order_mark_ready(order_number=order.number, by=staff, now=MONDAY_MORNING)
        plan_day(town=the_town(),
                 day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER], time_limit=1)
    tour = Tour.objects.get()
    tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    return orders, tour


def brought_to_the_depot(tour: Tour) -> None:
    """The rider brings each order of the tour from its shop to the hub (the transfers)."""
    for stop in tour.stops.filter(leg__kind=LegKind.TRANSFER).order_by("sequence"):
        stop_complete(stop_id=stop.pk, rider=tour.shift.rider, parcels=1,
                      proof_method="name", recipient_name="Depot")


def through_the_depot(orders: list[Order], tour: Tour) -> None:
    """The rider brings each order from its shop to the hub, the depot scans them in and
    marks their delivery sorted: the evening drop may leave."""
    depot = make_user("depot", Role.HUB)
    brought_to_the_depot(tour)
    for order in orders:
        parcel_scan(by=depot, town=the_town(), code=order.number)
    for group in {leg.group for leg in Leg.objects.filter(order__in=orders).exclude(group="")}:
        delivery_sort(by=depot, town=the_town(), group=group)
