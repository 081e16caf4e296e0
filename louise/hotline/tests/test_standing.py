"""Standing deliveries: a twice-weekly rule booked four weeks ahead through the checkout,
Christmas dropped or moved, one date skipped or moved by hand, bad rules refused."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from louise.accounts.models import Role
from louise.billing.fees import Span, customer_fees_create
from louise.billing.models import EntryKind, LedgerEntry
from louise.catalog.models import Product
from louise.core.errors import Invalid
from louise.customers.privacy import customer_erase
from louise.hotline.models import Call, StandingOrder
from louise.hotline.services import call_record
from louise.hotline.standing import (
    Recipient,
    standing_create,
    standing_date_change,
    standing_generate,
)
from louise.orders.checkout import LineRequest
from louise.orders.models import Channel, Checkout, Order, OrderStatus

from ...conftest import MONDAY_MORNING, fees_set, the_town

TUE, FRI = 1, 4
TODAY = MONDAY_MORNING.date()  # Monday 30 November 2026


@pytest.fixture
def agent(staff_users):
    return staff_users[Role.HOTLINE]


@pytest.fixture
def operator(staff_users):
    return staff_users[Role.OPERATOR]


@pytest.fixture
def centre(shop, customer, agent):
    """The senior centre's account: Tuesdays and Fridays, two books, three recipients."""
    Product.objects.update(stock=100)
    person, address = customer

    def make(**fields):
        data = {"agent": agent, "town": the_town(), "customer_id": person.pk,
                "name": "Seniorenzentrum St. Anna", "address_id": address.pk,
                "weekdays": [TUE, FRI], "lines": [LineRequest(shop["product"].pk, 2)],
                "recipients": [Recipient("Frau Abel", "12"), Recipient("Herr Beck", "14"),
                               Recipient("Frau Cordes")],
                "starts_on": TODAY, "today": TODAY} | fields
        return standing_create(**data)
    return make


def booked_days(standing) -> list[date]:
    checkouts = Checkout.objects.filter(idempotency_key__startswith=f"standing-{standing.pk}-")
    return sorted(c.slot.start.date() for c in checkouts
                  if c.orders.exclude(status=OrderStatus.CANCELLED).exists())


def test_twice_a_week_books_four_weeks_ahead_and_drops_christmas(centre):
    # when
    standing = centre()
    results = standing_generate(standing=standing, now=MONDAY_MORNING)
    # then: Tue 1.12. … Tue 22.12.; Fri 25.12. is Christmas and dropped
    assert [r.error for r in results if r.error] == []
    assert booked_days(standing) == [date(2026, 12, d) for d in (1, 4, 8, 11, 15, 18, 22)]
    order = Order.objects.filter(checkout__channel=Channel.STANDING).first()
    assert order.notes == ("Dauerauftrag Seniorenzentrum St. Anna – für: Frau Abel (12); "
                           "Herr Beck (14); Frau Cordes")
    assert order.lines.get().quantity == 2
    # a second nightly run books nothing twice
    standing_generate(standing=standing, now=MONDAY_MORNING)
    assert Order.objects.count() == 7


def test_each_date_is_one_stop_charged_the_fee_in_force_when_it_is_booked(centre, operator):
    """A standing delivery is one checkout per date: one stop, one door fee, booked on the
    ledger like any order and kept with the schedule it was booked under; a new schedule
    prices only the dates booked after it starts."""
    town = the_town()
    old = fees_set(door_cents=390)
    standing = centre()
    standing_generate(standing=standing, now=MONDAY_MORNING)
    orders = Order.objects.filter(checkout__channel=Channel.STANDING)
    assert orders.count() == 7
    assert {(o.checkout.fee_cents, o.fee_cents, o.customer_fees_id) for o in orders} == {
        (390, 390, old.pk)}
    delivery = LedgerEntry.objects.filter(kind=EntryKind.DELIVERY, order__in=orders)
    assert sorted(delivery.values_list("amount_cents", flat=True)) == [390] * 7
    # from Tuesday on a stop costs 4,50 €; the dates booked stay at 3,90 €
    customer_fees_create(by=operator, town_id=town.pk, span=Span(date(2026, 12, 1), None),
                         today=TODAY, door_cents=450)
    standing_generate(standing=standing, now=MONDAY_MORNING + timedelta(days=8))
    assert sorted(LedgerEntry.objects.filter(kind=EntryKind.DELIVERY)
                  .values_list("amount_cents", flat=True)) == [390] * 7 + [450] * 2


def test_a_holiday_can_move_to_the_working_day_before(centre):
    standing = centre(holidays="before")
    standing_generate(standing=standing, now=MONDAY_MORNING)
    assert date(2026, 12, 24) in booked_days(standing)
    assert date(2026, 12, 25) not in booked_days(standing)


def test_one_date_is_skipped_or_moved_alone_and_its_booking_follows(centre, agent):
    standing = centre()
    standing_generate(standing=standing, now=MONDAY_MORNING)
    # skip Friday 11 December: its booked order is cancelled, the stock comes back
    standing_date_change(agent=agent, town=the_town(), standing_id=standing.pk,
                         day=date(2026, 12, 11), now=MONDAY_MORNING)
    # move Tuesday 15 December to Wednesday 16 December
    standing_date_change(agent=agent, town=the_town(), standing_id=standing.pk,
                         day=date(2026, 12, 15), moved_to=date(2026, 12, 16),
                         now=MONDAY_MORNING)
    standing_generate(standing=standing, now=MONDAY_MORNING)  # the next night
    assert booked_days(standing) == [date(2026, 12, d) for d in (1, 4, 8, 16, 18, 22)]
    assert Product.objects.get().stock == 100 - 6 * 2


def test_a_rule_with_no_weekday_or_a_weekend_day_is_refused_and_nothing_made(centre):
    with pytest.raises(Invalid, match="mindestens einen Wochentag"):
        centre(weekdays=[])
    with pytest.raises(Invalid, match="liefert nicht am So"):
        centre(weekdays=[6])
    with pytest.raises(Invalid):
        centre(starts_on=TODAY - timedelta(days=1))
    assert not StandingOrder.objects.exists()


def test_a_date_the_rule_does_not_name_cannot_be_changed(centre, agent):
    standing = centre()
    with pytest.raises(Invalid, match="liefert der Dauerauftrag nicht"):
        standing_date_change(agent=agent, town=the_town(), standing_id=standing.pk,
                             day=date(2026, 12, 2), now=MONDAY_MORNING)


def test_the_nightly_command_books_and_says_so(centre, time_machine):
    standing = centre()
    time_machine.move_to(MONDAY_MORNING, tick=False)
    out = StringIO()
    call_command("standing", stdout=out)
    assert "Seniorenzentrum St. Anna: 7 Termine" in out.getvalue()
    assert len(booked_days(standing)) == 7


def test_erasing_the_customer_takes_their_standing_orders_and_calls_along(centre, agent,
                                                                         customer):
    person, _address = customer
    centre()
    call_record(agent=agent, town=the_town(), customer_id=person.pk, reason="order",
                notes="Hört schlecht", today=TODAY)
    customer_erase(user=person)
    assert not StandingOrder.objects.exists() and not Call.objects.exists()
