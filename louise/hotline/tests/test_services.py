"""The hotline acting for callers: through the real checkout, lifecycle and mandates, in
the agent's town only, each action on the audit trail."""

from datetime import date, timedelta

import pytest

from louise.accounts.models import AuditEntry, Role, User
from louise.billing.selectors import mandate_active
from louise.core.calendar import waves_from
from louise.core.errors import Forbidden, Invalid, NotFound
from louise.core.validation import save_validated
from louise.geo.models import Locker, Town
from louise.hotline import services
from louise.hotline.models import Call, PaperMandate
from louise.hotline.selectors import caller_search, callers_of, follow_ups_due
from louise.orders.checkout import Destination, LineRequest, checkout_place
from louise.orders.models import Channel, EventKind, Order, OrderStatus

from ...conftest import MONDAY_MORNING, build_town_world, make_user, other_town, the_town

FIRST, SECOND = (w.start.isoformat() for w in waves_from(MONDAY_MORNING, 2))
TODAY = MONDAY_MORNING.date()


@pytest.fixture
def agent(staff_users):
    return staff_users[Role.HOTLINE]


def new_caller(agent, **fields):
    data = {"first_name": "Erna", "last_name": "Schmidt", "phone": "02041 987654",
            "street": "Gartenstraße 7", "postcode": "46236"} | fields
    return services.caller_create(agent=agent, town=the_town(), **data)


def test_a_caller_becomes_a_customer_without_email_or_password(town, agent):
    # when
    made = new_caller(agent)
    # then
    customer = User.objects.get(pk=made.customer.pk)
    assert (customer.role, customer.email, customer.phone) == ("customer", "", "02041 987654")
    assert not customer.has_usable_password()
    assert made.address.zone is not None and made.alternatives == []
    entry = AuditEntry.objects.get(action="angelegt", object_id=str(customer.pk))
    assert entry.by == agent and "für Erna Schmidt" in entry.changes["notiz"]


@pytest.mark.parametrize("phone", ["", "hallo", "12", "0201 12a45", "2041 123456",
                                   "0" + "1" * 20])
def test_a_phone_number_that_is_not_one_is_refused_and_nothing_made(town, agent, phone):
    with pytest.raises(Invalid) as caught:
        new_caller(agent, phone=phone)
    assert caught.value.field == "phone"
    assert not User.objects.filter(last_name="Schmidt").exists()


def test_callers_are_found_by_misspelt_name_street_or_phone_in_any_spelling(town, agent):
    erna = new_caller(agent).customer
    new_caller(agent, first_name="Max", last_name="Müller", phone="0171 2223334",
               street="Hauptstraße 1")
    for query in ("Schmitt", "erna schmid", "Gartenstr", "Gartenstrasse", "987654",
                  "+49 2041 987654", "02041/987654"):
        assert [h.customer for h in caller_search(agent=agent, town=the_town(),
                                                  query=query)] == [erna], query
    assert caller_search(agent=agent, town=the_town(), query="Meier") == []


def test_an_agent_of_another_town_finds_and_reaches_no_caller_of_this_one(town, agent, shop):
    erna = new_caller(agent).customer
    gladbeck = other_town()
    stranger = make_user("hotline-gl", Role.HOTLINE, town_ids=[gladbeck.pk])
    assert caller_search(agent=stranger, town=gladbeck, query="Schmidt") == []
    with pytest.raises(NotFound):  # not their town at all
        callers_of(agent=stranger, town=the_town())
    with pytest.raises(NotFound):
        services.call_record(agent=stranger, town=gladbeck, customer_id=erna.pk,
                             reason="order")


def test_an_order_for_a_caller_from_two_shops_to_a_locker_names_the_agent(
        town, agent, shop, other_shop):
    # given
    erna = new_caller(agent).customer
    services.paper_mandate_record(agent=agent, town=the_town(), customer_id=erna.pk,
                                  holder="Erna Schmidt", iban="DE89370400440532013000",
                                  received_on=TODAY, today=TODAY)
    # when
    done = services.hotline_checkout(
        agent=agent, town=the_town(), customer_id=erna.pk,
        lines=[LineRequest(shop["product"].pk, 1), LineRequest(other_shop["product"].pk, 2)],
        destination=Destination("locker", locker_id=Locker.objects.get().pk),
        idempotency_key="call-1", slot_start=FIRST, now=MONDAY_MORNING)
    # then
    orders = list(done.orders.all())
    assert len(orders) == 2 and done.channel == Channel.HOTLINE
    assert all(o.customer == erna and o.placed_by == agent for o in orders)
    assert all(o.events.get().by == agent for o in orders)
    assert AuditEntry.objects.filter(action="bestellt", by=agent).count() == 1
    # a retry of the same form books nothing more and records nothing more
    services.hotline_checkout(
        agent=agent, town=the_town(), customer_id=erna.pk,
        lines=[LineRequest(shop["product"].pk, 1)],
        destination=Destination("locker", locker_id=Locker.objects.get().pk),
        idempotency_key="call-1", slot_start=FIRST, now=MONDAY_MORNING)
    assert Order.objects.count() == 2
    assert AuditEntry.objects.filter(action="bestellt").count() == 1


def test_the_checkout_refuses_a_hotline_order_from_another_towns_shop(town, agent):
    # given: a customer of the other town, and its shop
    gladbeck = save_validated(Town.from_settings(name="Gladbeck", slug="gladbeck"))
    world = build_town_world(gladbeck, "Glad", postcodes=("45964", "45966"),
                             at=(51.5750, 6.9870))
    with pytest.raises(Forbidden):
        checkout_place(customer=world.people[Role.CUSTOMER],
                       lines=[LineRequest(world.product.pk, 1)],
                       destination=Destination("door", address_id=world.address.pk),
                       idempotency_key="x", channel=Channel.HOTLINE, placed_by=agent,
                       now=MONDAY_MORNING)
    assert not Order.objects.filter(placed_by=agent).exists()


def test_an_agent_cancels_and_moves_a_callers_delivery(town, agent, shop, customer):
    person, address = customer
    order = checkout_place(customer=person, lines=[LineRequest(shop["product"].pk, 1)],
                           destination=Destination("door", address_id=address.pk),
                           idempotency_key="self", slot_start=FIRST,
                           now=MONDAY_MORNING).orders.get()
    # move
    services.hotline_move(agent=agent, town=the_town(), number=order.number,
                          slot_start=SECOND, now=MONDAY_MORNING)
    order.refresh_from_db()
    assert order.wave_start == waves_from(MONDAY_MORNING, 2)[1].start
    assert order.events.get(kind=EventKind.RESCHEDULED).by == agent
    # cancel
    services.hotline_cancel(agent=agent, town=the_town(), number=order.number)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert {e.action for e in AuditEntry.objects.filter(by=agent)} == {"umgeplant",
                                                                        "storniert"}


def test_a_paper_mandate_keeps_the_day_it_arrived_and_bad_dates_change_nothing(town, agent):
    erna = new_caller(agent).customer
    for received in (TODAY + timedelta(days=1), TODAY - timedelta(days=200)):
        with pytest.raises(Invalid):
            services.paper_mandate_record(agent=agent, town=the_town(), customer_id=erna.pk,
                                          holder="Erna", iban="DE89370400440532013000",
                                          received_on=received, today=TODAY)
    assert mandate_active(customer=erna) is None
    services.paper_mandate_record(agent=agent, town=the_town(), customer_id=erna.pk,
                                  holder="Erna", iban="DE89370400440532013000",
                                  received_on=TODAY - timedelta(days=3), today=TODAY)
    paper = PaperMandate.objects.get(mandate=mandate_active(customer=erna))
    assert str(paper) == f"Papier, erhalten am {TODAY - timedelta(days=3):%d.%m.%Y}"


def test_follow_ups_due_are_the_agents_own_until_done(town, agent):
    erna = new_caller(agent).customer
    colleague = make_user("hotline-b", Role.HOTLINE)
    mine = services.call_record(agent=agent, town=the_town(), customer_id=erna.pk,
                                reason="question", notes="Fragt nach Bio-Milch",
                                follow_up_on=TODAY, today=TODAY)
    services.call_record(agent=agent, town=the_town(), customer_id=erna.pk, reason="order",
                         follow_up_on=TODAY + timedelta(days=2), today=TODAY)
    services.call_record(agent=colleague, town=the_town(), customer_id=erna.pk,
                         reason="order", follow_up_on=TODAY, today=TODAY)
    assert list(follow_ups_due(agent=agent, town=the_town(), today=TODAY)) == [mine]
    with pytest.raises(Invalid):
        services.call_record(agent=agent, town=the_town(), customer_id=erna.pk,
                             reason="order", follow_up_on=date(2020, 1, 1), today=TODAY)
    services.follow_up_done(agent=agent, town=the_town(), call_id=mine.pk)
    assert list(follow_ups_due(agent=agent, town=the_town(), today=TODAY)) == []
    assert Call.objects.count() == 3


def test_a_household_sharing_one_phone_gets_two_accounts(town, agent):
    first = new_caller(agent).customer
    second = new_caller(agent, first_name="Karl").customer
    assert (first.username, second.username) == ("tel-02041987654", "tel-02041987654-2")


def test_an_agent_books_a_service_for_a_caller(town, agent, shop, customer):
    person, address = customer
    done = services.hotline_service_book(
        agent=agent, town=the_town(), customer_id=person.pk, service_id=shop["service"].pk,
        address_id=address.pk, item_description="Gebundenes Gesangbuch", idempotency_key="s1",
        slot_start=FIRST, now=MONDAY_MORNING)
    order = done.orders.get()
    assert (order.kind, order.placed_by, done.channel) == ("service", agent, Channel.HOTLINE)
    assert AuditEntry.objects.filter(action="bestellt", object_id=str(done.pk)).count() == 1
