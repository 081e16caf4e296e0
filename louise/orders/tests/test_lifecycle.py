import pytest

from louise.core.errors import Conflict
from louise.orders import services
from louise.orders.lifecycle import OrderFlow, can, order_transition
from louise.orders.models import (
    BEFORE_FIRST_PICKUP,
    BEFORE_SHOP_HANDOVER,
    CALLED_OFF,
    FINISHED,
    LABEL_PRINTABLE,
    NO_SALE,
    Order,
    OrderKind,
    OrderStatus,
)

from ...conftest import MONDAY_MORNING, order_placed


@pytest.fixture
def order(shop, customer):
    return order_placed(customer[0], shop["product"], now=MONDAY_MORNING)


def test_every_state_is_reachable_and_terminal_states_are_final():
    reachable = {OrderFlow.placed.value}
    for transition in OrderFlow.placed.transitions:
        reachable.add(transition.target.value)
    frontier = True
    while frontier:
        frontier = False
        for state in OrderFlow.states:
            if state.value in reachable:
                for transition in state.transitions:
                    if transition.target.value not in reachable:
                        reachable.add(transition.target.value)
                        frontier = True
    assert reachable == set(OrderStatus.values)
    assert {s.value for s in OrderFlow.final_states} == {"declined", "delivered", "cancelled"}


def test_illegal_transition_is_a_conflict_and_changes_nothing(order):
    # when: delivering an order the shop has not even accepted
    with pytest.raises(Conflict, match="kann im Status „bestellt“ nicht zugestellt werden"):
        order_transition(order, "deliver")
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    assert list(order.events.values_list("to_status", flat=True)) == ["placed"]


def test_transition_writes_the_audit_event(order, shop):
    services.order_accept(order_number=order.number, by=shop["staff"])
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    last = order.events.last()
    assert (last.from_status, last.to_status, last.by) == ("placed", "accepted", shop["staff"])


def test_cancel_after_collection_is_refused(order, shop):
    services.order_accept(order_number=order.number, by=shop["staff"])
    services.order_mark_ready(order_number=order.number, by=shop["staff"], now=MONDAY_MORNING)
    order.refresh_from_db()
    order_transition(order, "collect")
    with pytest.raises(Conflict):
        services.order_cancel(order_number=order.number, by=order.customer)


def test_the_status_groups_agree_with_the_state_machine():
    # finished is exactly the machine's final states
    assert {state.value for state in OrderFlow.final_states} == FINISHED
    # goods may be cancelled (and moved) exactly while nothing was collected
    for status in OrderStatus.values:
        goods = Order(kind=OrderKind.GOODS, status=status)
        assert can(goods, "cancel") == (status in BEFORE_FIRST_PICKUP[OrderKind.GOODS]), status
    # a service's item may be fetched from the customer only before the first pickup
    assert BEFORE_FIRST_PICKUP[OrderKind.SERVICE] <= BEFORE_FIRST_PICKUP[OrderKind.GOODS]
    assert OrderStatus.ITEM_PICKED_UP not in BEFORE_FIRST_PICKUP[OrderKind.SERVICE]
    # what still waits for the shop has not ended, and no sale is never counted as one
    assert not (BEFORE_SHOP_HANDOVER | LABEL_PRINTABLE) & FINISHED
    assert CALLED_OFF < NO_SALE and OrderStatus.DELIVERED not in NO_SALE
