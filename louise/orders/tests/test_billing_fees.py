"""Fee schedules: validity, overlap refused, the schedule in force kept on each order."""

from datetime import date, timedelta

import pytest

from louise.accounts.models import Role
from louise.billing.fees import (
    SERVICE,
    Span,
    customer_fees_create,
    fee_for,
    merchant_fees_create,
    merchant_fees_on,
)
from louise.billing.models import CustomerFees, MerchantFees
from louise.core.errors import Invalid, NotFound
from louise.geo.models import Town
from louise.orders.checkout import Destination

from ...conftest import MONDAY_MORNING, make_user, order_placed, other_town, the_town

MONDAY = MONDAY_MORNING.date()


@pytest.fixture
def operator(town):
    return make_user("betrieb", Role.OPERATOR)


LAST_YEAR = date(2025, 12, 1)  # "today" for schedules made ahead of the tested days


def the_town_from_2000(operator) -> Town:
    """The town with one open schedule since 2000 at 0 € (what the data migration gives a
    town that had no fees; made here, since a flushed test database lost it)."""
    town = the_town()
    CustomerFees.objects.filter(town=town).delete()
    customer_fees_create(by=operator, town_id=town.pk, today=date(1999, 12, 31),
                         span=Span(date(2000, 1, 1), None))
    return town


def test_overlapping_schedule_is_refused_with_a_clear_message_and_nothing_stored(operator):
    # given
    town = the_town_from_2000(operator)
    customer_fees_create(by=operator, town_id=town.pk, today=LAST_YEAR,
                         span=Span(date(2026, 1, 1), date(2026, 12, 31)), door_cents=390)
    # when
    with pytest.raises(Invalid) as caught:
        customer_fees_create(by=operator, town_id=town.pk, today=LAST_YEAR,
                             span=Span(date(2026, 12, 1), None), door_cents=490)
    # then
    assert "überschneidet sich" in caught.value.message
    assert "01.01.2026 bis 31.12.2026" in caught.value.message
    assert list(CustomerFees.objects.filter(town=town).values_list("valid_from", "valid_until")
                ) == [(date(2000, 1, 1), date(2025, 12, 31)),
                      (date(2026, 1, 1), date(2026, 12, 31))]


def test_a_new_schedule_ends_the_open_one_and_never_starts_in_the_past(operator):
    town = the_town_from_2000(operator)
    with pytest.raises(Invalid, match="frühestens ab morgen"):
        customer_fees_create(by=operator, town_id=town.pk, today=MONDAY,
                             span=Span(MONDAY, None), door_cents=490)
    with pytest.raises(Invalid, match="vor „gültig ab“"):
        customer_fees_create(by=operator, town_id=town.pk, today=LAST_YEAR,
                             span=Span(date(2027, 1, 1), date(2026, 1, 1)))
    customer_fees_create(by=operator, town_id=town.pk, today=MONDAY,
                         span=Span(MONDAY + timedelta(days=1), None), door_cents=490)
    assert list(CustomerFees.objects.filter(town=town).values_list(
        "valid_until", "door_cents")) == [(MONDAY, 0), (None, 490)]


def test_operator_of_another_town_cannot_set_its_fees(operator):
    stranger = other_town()
    with pytest.raises(NotFound):
        customer_fees_create(by=operator, town_id=stranger.pk, today=LAST_YEAR,
                             span=Span(MONDAY, None))
    assert CustomerFees.objects.filter(town=stranger).count() == 1  # its first, untouched


def test_fee_rules_pilot_free_basket_and_service_round_trip(operator):
    fees = customer_fees_create(by=operator, town_id=the_town().pk, today=LAST_YEAR,
                                span=Span(MONDAY, None), door_cents=390, locker_cents=190,
                                service_cents=590, free_above_cents=5000,
                                pilot_free_until=MONDAY)
    assert fee_for(fees, method="door", basket_cents=1000, day=MONDAY) == 0  # pilot
    tuesday = MONDAY + timedelta(days=1)
    assert fee_for(fees, method="door", basket_cents=1000, day=tuesday) == 390
    assert fee_for(fees, method="door", basket_cents=5000, day=tuesday) == 0
    assert fee_for(fees, method=SERVICE, basket_cents=9000, day=tuesday) == 590
    assert fee_for(None, method="door", basket_cents=0, day=tuesday) == 0


def test_order_keeps_the_schedule_in_force_and_a_new_one_changes_no_past(shop, customer,
                                                                         operator):
    # given: 3,90 € on Monday
    town = the_town()
    first = customer_fees_create(by=operator, town_id=town.pk, today=LAST_YEAR,
                                 span=Span(date(2026, 1, 1), None), door_cents=390)
    person, address = customer
    order = order_placed(person, shop["product"], now=MONDAY_MORNING)
    # when: 4,90 € from Tuesday
    customer_fees_create(by=operator, town_id=town.pk, today=MONDAY,
                         span=Span(MONDAY + timedelta(days=1), None), door_cents=490)
    # then
    order.refresh_from_db()
    assert (order.customer_fees, order.fee_cents) == (first, 390)
    later = order_placed(person, shop["product"], now=MONDAY_MORNING + timedelta(days=1),
                         destination=Destination("door", address_id=address.pk))
    assert later.fee_cents == 490


def test_a_shops_agreed_schedule_takes_precedence(shop, other_shop, operator):
    town = the_town()
    general = merchant_fees_create(by=operator, town_id=town.pk, today=LAST_YEAR,
                                   span=Span(MONDAY, None), percent_bp=500)
    agreed = merchant_fees_create(by=operator, town_id=town.pk, today=LAST_YEAR,
                                  span=Span(MONDAY, date(2026, 12, 31)),
                                  merchant_id=shop["merchant"].pk, percent_bp=300)
    with pytest.raises(Invalid, match="vereinbarten Gebühr"):
        merchant_fees_create(by=operator, town_id=town.pk, today=LAST_YEAR,
                             span=Span(date(2026, 12, 24), None), merchant_id=shop["merchant"].pk)
    assert merchant_fees_on(town, shop["merchant"].pk, MONDAY) == agreed
    assert merchant_fees_on(town, other_shop["merchant"].pk, MONDAY) == general
    assert MerchantFees.objects.filter(merchant__isnull=False).count() == 1
