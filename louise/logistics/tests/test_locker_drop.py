"""A parcel in a locker is proven by its compartment's code, always — and an item coming
back from repair to a locker the customer chose gets a compartment and a code too."""

import pytest
import time_machine
from django.core import mail

from louise.accounts.models import Role
from louise.core.errors import Invalid
from louise.core.tests.pictures import jpeg
from louise.geo.models import LockerCompartment
from louise.logistics.models import LegKind, StopKind
from louise.logistics.returns import return_choices, service_return_choose
from louise.logistics.services import stop_complete
from louise.logistics.tests.journeys import one_book_bought, packed_planned_published
from louise.orders.checkout import Destination
from louise.orders.lifecycle import order_transition
from louise.orders.lockers import locker_collect
from louise.orders.models import OrderStatus
from louise.orders.quotes import service_intake_scan
from louise.orders.services import order_mark_ready

from ...conftest import MONDAY_MORNING, service_booked

pytestmark = pytest.mark.django_db


def test_a_locker_drop_needs_the_compartments_code(shop, customer, town, shifts, staff_users):
    # given: a book bought to the locker, collected by the rider
    person, _ = customer
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = one_book_bought(shop, person, Destination("locker", locker_id=town["locker"].pk),
                                "locker-drop")
        tour = packed_planned_published(shop, [order], staff_users)
    rider = tour.shift.rider
    stop_complete(stop_id=tour.stops.get(kind=StopKind.PICKUP).pk, rider=rider, parcels=1)
    drop = tour.stops.get(kind=StopKind.DELIVERY)
    box = LockerCompartment.objects.get(order=order)
    # when / then: a photo, a name or a wrong code prove nothing at a locker
    with pytest.raises(Invalid, match=f"nur der Code von Fach {box.number}"):
        stop_complete(stop_id=drop.pk, rider=rider, proof_method="photo", photo=jpeg())
    with pytest.raises(Invalid, match="nur der Code"):
        stop_complete(stop_id=drop.pk, rider=rider, proof_method="name", recipient_name="X")
    with pytest.raises(Invalid, match="Code passt nicht"):
        stop_complete(stop_id=drop.pk, rider=rider, proof_method="locker_code",
                      locker_code="000000" if box.code != "000000" else "111111")
    order.refresh_from_db()
    assert order.status == OrderStatus.OUT_FOR_DELIVERY
    # and the compartment's code does
    stop_complete(stop_id=drop.pk, rider=rider, proof_method="locker_code", locker_code=box.code)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


def test_a_repaired_item_sent_back_to_a_locker_gets_a_compartment_and_a_code(
        shop, customer, town, staff_users, django_capture_on_commit_callbacks):
    # given: a repair, the customer wants it back in the locker; the shop has it and is done
    person, address = customer
    person.email = "kundin@example.org"
    person.save()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = service_booked(person, shop["service"], address, now=MONDAY_MORNING)
        back_slot = return_choices(order=order, now=MONDAY_MORNING)[0].value
        service_return_choose(order_number=order.number, by=person, slot_start=back_slot,
                              locker_id=town["locker"].pk, now=MONDAY_MORNING)
        order_transition(order, "accept", by=shop["staff"])
        order_transition(order, "pick_up_item")
        service_intake_scan(code=order.number, by=shop["staff"])
        # when: the shop reports the work done
        order_mark_ready(order_number=order.number, by=shop["staff"], now=MONDAY_MORNING)
    # then: the way back goes to the locker, with a compartment of its own
    back = order.legs.get(kind=LegKind.RETURN)
    box = LockerCompartment.objects.get(order=order)
    assert back.drop_ref == f"locker:{town['locker'].pk}" and box.locker == town["locker"]
    # when: the rider puts it in and the customer opens the compartment with the code
    order.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        for event in ("collect", "dispatch", "deliver"):
            order_transition(order, event)
    assert box.code in mail.outbox[-1].body
    freed = locker_collect(locker_id=town["locker"].pk, code=box.code,
                           by=staff_users[Role.OPERATOR])
    assert freed.pk == box.pk and freed.order is None
