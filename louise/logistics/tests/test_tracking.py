"""What the customer sees while the courier is out: ETA once planned, the courier when near,
and an e-mail at every step, following a real planned and published tour."""

from datetime import datetime

import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from louise.core.calendar import BERLIN
from louise.core.tests.pictures import jpeg
from louise.logistics.models import StopKind, StopStatus
from louise.logistics.services import stop_complete, stop_fail
from louise.logistics.tests.journeys import (
    door_delivery_published,
    one_book_bought,
    packed_planned_published,
    through_the_depot,
    two_shop_basket_published,
)
from louise.logistics.tracking import eta_window, order_tracking
from louise.orders.checkout import Destination

from ...conftest import MONDAY_MORNING


def test_eta_courier_and_mails_follow_the_tour(shop, customer, shifts, staff_users, settings,
                                              tmp_path, django_capture_on_commit_callbacks):
    # given: a book bought to the door, packed by the shop, planned and published
    settings.MEDIA_ROOT = tmp_path
    order, tour = door_delivery_published(shop, customer, staff_users)
    drop = tour.stops.get(kind=StopKind.DELIVERY)
    # then: the ETA is a half-hour window round the planned arrival, never before the
    # booked wave; no courier yet
    planned = order_tracking(order=order)
    assert planned.eta_from <= drop.planned_arrival < planned.eta_until
    assert planned.eta_from >= order.wave_start
    assert (planned.eta_until - planned.eta_from).total_seconds() == 1800
    assert not planned.courier_visible
    # when: the rider collects the parcel at the shop
    pickup = tour.stops.get(kind=StopKind.PICKUP)
    with django_capture_on_commit_callbacks(execute=True):
        stop_complete(stop_id=pickup.pk, rider=tour.shift.rider, parcels=1)
    order.refresh_from_db()
    # then: the courier is near (no stop left before hers) and she got "unterwegs"
    near = order_tracking(order=order)
    assert near.courier_visible and near.stops_before == 0
    assert (near.courier_lat, near.courier_lon) in {(pickup.lat, pickup.lon)} | {
        (p.lat, p.lon) for p in tour.positions.all()}
    assert [m.subject for m in mail.outbox][-1] == f"Bestellung {order.number} ist unterwegs"
    assert "Voraussichtlich bei Ihnen" in mail.outbox[-1].body
    # when: delivered
    with django_capture_on_commit_callbacks(execute=True):
        stop_complete(stop_id=drop.pk, rider=tour.shift.rider, proof_method="photo",
                      photo=SimpleUploadedFile("tuer.jpg", jpeg()))
    order.refresh_from_db()
    # then: the timeline is complete and the last mail says so
    assert all(step.done for step in order_tracking(order=order).steps)
    assert mail.outbox[-1].subject == f"Bestellung {order.number} zugestellt"
    assert [a[0] for a in mail.outbox[-1].attachments] == ["zustellfoto.jpg"]


def test_a_failed_drop_mails_what_happens_next_once(shop, customer, shifts, staff_users,
                                                    django_capture_on_commit_callbacks):
    # given: the parcel is on its way
    order, tour = door_delivery_published(shop, customer, staff_users)
    stop_complete(stop_id=tour.stops.get(kind=StopKind.PICKUP).pk, rider=tour.shift.rider,
                  parcels=1)
    mail.outbox.clear()
    # when: nobody is at home
    with django_capture_on_commit_callbacks(execute=True):
        stop_fail(stop_id=tour.stops.get(kind=StopKind.DELIVERY).pk, rider=tour.shift.rider,
                  reason="not_home")
    # then: one mail says where the parcel goes now; none repeats the bare failure
    subjects = [m.subject for m in mail.outbox]
    assert subjects.count(f"Ihre Bestellung {order.number}: Zustellung nicht möglich") == 1
    assert not any("fehlgeschlagen" in s for s in subjects)


def test_courier_is_shown_only_on_the_way_to_the_customers_own_stop(
        shop, customer, other_customer, shifts, staff_users):
    # given: two customers' books on one published tour, both parcels collected
    with time_machine.travel(MONDAY_MORNING, tick=False):
        orders = [one_book_bought(shop, person, Destination("door", address_id=address.pk),
                                  f"two-{i}")
                  for i, (person, address) in enumerate((customer, other_customer))]
        tour = packed_planned_published(shop, orders, staff_users)
    for stop in tour.stops.filter(kind=StopKind.PICKUP):
        stop_complete(stop_id=stop.pk, rider=tour.shift.rider, parcels=1)
    first_drop, second_drop = tour.stops.filter(kind=StopKind.DELIVERY).order_by("sequence")
    later = second_drop.leg.order
    # then: the later customer sees the queue ahead, not where the rider is
    waiting = order_tracking(order=later)
    assert (waiting.stops_before, waiting.courier_visible) == (1, False)
    # when: the rider finishes the stop before hers
    stop_complete(stop_id=first_drop.pk, rider=tour.shift.rider, proof_method="name",
                  recipient_name="Nachbar")
    # then: now the rider is on the way to her, and she may see them
    assert order_tracking(order=later).courier_visible


def test_a_basket_from_two_shops_shows_the_courier_whichever_stop_comes_first(
        shop, other_shop, customer, shifts, staff_users):
    # given: one checkout from two shops to her door, both packed, planned, published, and
    # sorted at the depot (they travel via the hub)
    orders, tour = two_shop_basket_published(shop, other_shop, customer, staff_users)
    through_the_depot(orders, tour)
    # when: both parcels are collected at the hub
    for stop in tour.stops.filter(kind=StopKind.PICKUP, status=StopStatus.PENDING):
        stop_complete(stop_id=stop.pk, rider=tour.shift.rider, parcels=1)
    # then: both orders show the courier on the way to her door
    assert all(order_tracking(order=order).courier_visible for order in orders)


def test_the_eta_window_stays_inside_the_wave_unless_the_courier_is_late():
    def at(hm: str) -> datetime:
        return datetime(2026, 11, 30, *map(int, hm.split(":")), tzinfo=BERLIN)

    wave = (at("17:30"), at("20:30"))
    assert eta_window(at("18:00"), *wave) == (at("17:45"), at("18:15"))
    assert eta_window(at("17:20"), *wave) == (at("17:30"), at("18:00"))  # waits for 17:30
    assert eta_window(at("20:26"), *wave) == (at("20:00"), at("20:30"))  # was 20:11–20:41
    assert eta_window(at("20:50"), *wave) == (at("20:35"), at("21:05"))  # really late
