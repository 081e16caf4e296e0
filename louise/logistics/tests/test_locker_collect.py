"""A locker compartment is free again once the customer has opened it with the code."""

import pytest

from louise.accounts.models import Role
from louise.core.errors import Forbidden, Invalid, NotFound
from louise.geo.models import LockerCompartment
from louise.orders.lockers import locker_collect
from louise.orders.models import EventKind, OrderStatus

from .journeys import locker_delivery_delivered

pytestmark = pytest.mark.django_db


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def delivered(shop, customer, town):
    return locker_delivery_delivered(shop, customer, town["locker"])


def test_opening_with_the_code_frees_the_compartment_and_notes_it(delivered, town,
                                                                  staff_users):
    # given: the parcel lies in its compartment
    box = LockerCompartment.objects.get(order=delivered)
    operator = staff_users[Role.OPERATOR]
    # when: the locker reports the compartment opened with its code
    freed = locker_collect(locker_id=town["locker"].pk, code=f" {box.code} ", by=operator)
    # then: the compartment is free, the code gone, the order's trail says so
    box.refresh_from_db()
    assert (freed.number, box.order, box.code) == (box.number, None, "")
    last = delivered.events.last()
    assert (last.kind, last.by, last.to_status) == (EventKind.LOCKER_OPENED, operator,
                                                    OrderStatus.DELIVERED)
    assert last.text == "aus der Paketstation abgeholt"
    # and: the same code does not open it twice
    with pytest.raises(Invalid):
        locker_collect(locker_id=town["locker"].pk, code=box.code, by=operator)


def test_a_parcel_not_yet_delivered_cannot_be_collected(shop, customer, town, staff_users):
    # given: a locker order still on its way (its compartment reserved at checkout)
    order = locker_delivery_delivered(shop, customer, town["locker"])
    order.status = OrderStatus.OUT_FOR_DELIVERY
    order.save(update_fields=["status"])
    box = LockerCompartment.objects.get(order=order)
    # when / then: its code is refused exactly like a wrong one, and the box stays taken
    with pytest.raises(Invalid) as early:
        locker_collect(locker_id=town["locker"].pk, code=box.code, by=staff_users[Role.OPERATOR])
    with pytest.raises(Invalid) as wrong:
        locker_collect(locker_id=town["locker"].pk, code=other_code(box.code),
                       by=staff_users[Role.OPERATOR])
    assert early.value.message == wrong.value.message
    assert LockerCompartment.objects.get(pk=box.pk).order == order


def test_only_an_operator_at_a_known_locker(delivered, town, staff_users):
    box = LockerCompartment.objects.get(order=delivered)
    with pytest.raises(Forbidden):
        locker_collect(locker_id=town["locker"].pk, code=box.code,
                       by=staff_users[Role.DISPATCHER])
    with pytest.raises(NotFound):
        locker_collect(locker_id=town["locker"].pk + 1000, code=box.code,
                       by=staff_users[Role.OPERATOR])
    assert LockerCompartment.objects.get(pk=box.pk).order == delivered


def test_a_parcel_rerouted_to_a_pickup_point_is_not_collected_at_the_locker(delivered, town,
                                                                           staff_users):
    # given: the parcel went to the pickup point instead (its old compartment stayed taken)
    box = LockerCompartment.objects.get(order=delivered)
    delivered.delivery_method, delivered.pickup_point = "point", town["point"]
    delivered.save(update_fields=["delivery_method", "pickup_point"])
    # when / then: the old code opens nothing
    with pytest.raises(Invalid):
        locker_collect(locker_id=town["locker"].pk, code=box.code, by=staff_users[Role.OPERATOR])
