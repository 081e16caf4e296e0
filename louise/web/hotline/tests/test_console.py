"""The hotline console's pages: who may open them, an agent's whole call on the server side,
and what the customer sees of it (the agent's name on the order, never the call log)."""

import io

import pytest
import time_machine
from django.test import Client
from pypdf import PdfReader

from louise.accounts.models import Role, User
from louise.conftest import MONDAY_MORNING, make_user, other_town, the_town
from louise.core.calendar import waves_from
from louise.hotline import services
from louise.hotline.models import Call
from louise.hotline.standing import standing_create
from louise.orders.checkout import LineRequest
from louise.orders.models import Order

FIRST = waves_from(MONDAY_MORNING, 1)[0].start.isoformat()
SECRET_NOTE = "Hört schlecht, bitte laut sprechen"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY_MORNING, tick=False):
        yield


@pytest.fixture
def agent(staff_users):
    return staff_users[Role.HOTLINE]


@pytest.fixture
def erna(town, agent):
    made = services.caller_create(agent=agent, town=the_town(), first_name="Erna",
                                  last_name="Schmidt", phone="02041 987654",
                                  street="Gartenstraße 7", postcode="46236")
    return made.customer


def test_the_console_is_the_agents_alone(town, staff_users, customer, erna):
    page = f"/hotline/kunden/{erna.pk}/"
    assert Client().get("/hotline/").status_code == 302  # to the login
    for role in (Role.DISPATCHER, Role.RIDER, Role.OPERATOR):
        assert signed_in(staff_users[role]).get("/hotline/").status_code == 403
    person, _address = customer
    assert signed_in(person).get(page).status_code == 403
    assert signed_in(staff_users[Role.HOTLINE]).get(page).status_code == 200


def test_an_agent_of_another_town_cannot_open_or_change_this_towns_caller(town, erna):
    gladbeck = other_town()
    stranger = signed_in(make_user("hotline-gl", Role.HOTLINE, town_ids=[gladbeck.pk]))
    assert stranger.get(f"/hotline/kunden/{erna.pk}/").status_code == 404
    assert stranger.get(f"/hotline/kunden/{erna.pk}/mandat.pdf").status_code == 404
    assert stranger.get("/hotline/?stadt=" + User.objects.get(pk=erna.pk).addresses.get()
                        .zone.town.slug).status_code == 404
    response = stranger.post(f"/hotline/kunden/{erna.pk}/anruf/", {"reason": "order"})
    assert response.status_code == 404
    found = stranger.get("/hotline/?q=Schmidt").content.decode()
    assert "Niemand gefunden" in found and f"/hotline/kunden/{erna.pk}/" not in found
    assert not Call.objects.exists()


def test_a_bad_phone_number_is_refused_with_the_reason_and_nobody_is_made(town, agent):
    response = signed_in(agent).post("/hotline/", {
        "first_name": "Otto", "last_name": "Tel", "phone": "keine Ahnung",
        "street": "Gartenstraße 1", "postcode": "46236"}, follow=True)
    assert "ist keine Telefonnummer" in response.content.decode()
    assert not User.objects.filter(last_name="Tel").exists()


def test_an_agents_order_shows_on_the_customers_page_but_the_call_log_never(
        town, shop, agent, erna, monday):
    # given: the agent takes a paper mandate, notes the call and orders for Erna
    client = signed_in(agent)
    client.post(f"/hotline/kunden/{erna.pk}/mandat/", {
        "holder": "Erna Schmidt", "iban": "DE89 3704 0044 0532 0130 00",
        "received_on": "2026-11-27"})
    client.post(f"/hotline/kunden/{erna.pk}/anruf/", {
        "reason": "order", "notes": SECRET_NOTE, "follow_up_on": "2026-11-30"})
    response = client.post(f"/hotline/kunden/{erna.pk}/bestellen/", {
        "key": "k1", f"menge_{shop['product'].pk}": "2",
        "destination": f"door:{erna.addresses.get().pk}", "slot": FIRST}, follow=True)
    order = Order.objects.get(customer=erna)
    page = response.content.decode()
    assert order.number in page and "Papier, erhalten am 27.11.2026" in page
    assert "Erna Schmidt" in client.get("/hotline/").content.decode()  # follow-up due today
    # when: Erna looks at her order (she has a web login made for her later)
    her = signed_in(erna)
    mine = her.get(f"/bestellungen/{order.number}/").content.decode()
    # then
    assert "per Hotline von hotline" in mine
    for path in (f"/bestellungen/{order.number}/", "/bestellungen/", "/konto/",
                 "/konto/daten.json"):
        assert SECRET_NOTE not in her.get(path).content.decode(), path
    assert her.get("/hotline/").status_code == 403


def test_a_basket_with_a_bad_quantity_is_refused_and_nothing_ordered(town, shop, agent, erna,
                                                                     monday):
    response = signed_in(agent).post(f"/hotline/kunden/{erna.pk}/bestellen/", {
        "key": "k2", f"menge_{shop['product'].pk}": "zwei",
        "destination": f"door:{erna.addresses.get().pk}", "slot": FIRST}, follow=True)
    assert "ist keine Menge" in response.content.decode()
    assert not Order.objects.exists()


def test_the_mandate_form_is_a_pdf_with_the_callers_name(town, agent, erna):
    response = signed_in(agent).get(f"/hotline/kunden/{erna.pk}/mandat.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "SEPA-Lastschriftmandat" in text and "Erna Schmidt" in text
    assert "Gartenstraße 7" in text


def test_an_agent_of_another_town_cannot_see_or_change_a_standing_order(town, shop, agent,
                                                                         erna):
    standing = standing_create(agent=agent, town=the_town(), customer_id=erna.pk,
                               name="Mittagstisch", address_id=erna.addresses.get().pk,
                               weekdays=[1], lines=[LineRequest(shop["product"].pk, 1)],
                               recipients=[], starts_on=MONDAY_MORNING.date(),
                               today=MONDAY_MORNING.date())
    stranger = signed_in(make_user("hotline-gl", Role.HOTLINE, town_ids=[other_town().pk]))
    assert stranger.get(f"/hotline/dauerauftraege/{standing.pk}/").status_code == 404
    assert stranger.post(f"/hotline/dauerauftraege/{standing.pk}/termin/",
                         {"day": "2026-12-01"}).status_code == 404
    assert not standing.changes.exists()
    assert signed_in(agent).get(f"/hotline/dauerauftraege/{standing.pk}/").status_code == 200


def test_a_service_booked_on_the_phone_and_one_without_an_item_refused(town, shop, agent,
                                                                        erna, monday):
    client = signed_in(agent)
    client.post(f"/hotline/kunden/{erna.pk}/mandat/", {
        "holder": "Erna Schmidt", "iban": "DE89370400440532013000",
        "received_on": "2026-11-27"})
    form = {"key": "s1", "service": shop["service"].pk, "slot": FIRST,
            "address": erna.addresses.get().pk, "item_description": " "}
    refused = client.post(f"/hotline/kunden/{erna.pk}/dienstleistung/", form, follow=True)
    assert "Bitte beschreiben Sie den Gegenstand." in refused.content.decode()
    assert not Order.objects.exists()
    client.post(f"/hotline/kunden/{erna.pk}/dienstleistung/",
                form | {"item_description": "Gesangbuch neu binden"})
    assert Order.objects.get().item_description == "Gesangbuch neu binden"
