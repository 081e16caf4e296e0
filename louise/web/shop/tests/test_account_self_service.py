"""The customer looks after their own account: password, name and phone, bank account —
and reads prices and slots the way they are meant."""

import re

import pytest
import time_machine
from django.test import Client

from louise.accounts.models import User
from louise.billing.models import SepaMandate
from louise.catalog.services import service_offer_create
from louise.core.calendar import waves_from
from louise.orders.checkout import service_request

from ....conftest import MONDAY_MORNING
from .conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_forgotten_password_is_reset_by_a_mailed_link(customer, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    person, _ = customer
    person.email = "kundin@example.org"
    person.save()
    client = Client()
    assert "Passwort vergessen?" in client.get("/konto/anmelden/").content.decode()
    # when: she asks for a link
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/konto/passwort-vergessen/", {"email": "kundin@example.org"})
    assert answer["Location"] == "/konto/passwort-vergessen/gesendet/"
    [mail] = mailoutbox
    assert mail.subject == "Ihr neues Passwort bei LOUISE"
    link = re.search(r"https?://[^/]+(/konto/passwort-neu/\S+)", mail.body).group(1)
    # when: she follows it and sets a new password
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "Neues-Passwort-2026",
                                                 "new_password2": "Neues-Passwort-2026"})
    # then: the new password works, the link does not work twice
    signed = Client().post("/konto/anmelden/", {"username": person.username,
                                                "password": "Neues-Passwort-2026"})
    assert signed.status_code == 302
    assert "abgelaufen" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(db, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = Client().post("/konto/passwort-vergessen/", {"email": "niemand@example.org"})
    assert answer["Location"] == "/konto/passwort-vergessen/gesendet/"
    assert mailoutbox == []


def test_a_signed_in_customer_changes_the_password(customer):
    person, _ = customer
    person.set_password("altes-passwort-1")
    person.save()
    client = signed_in(person)
    page = client.get("/konto/passwort/").content.decode()
    assert "Passwort ändern" in page and "Password change" not in page
    wrong = client.post("/konto/passwort/", {"old_password": "falsch",
                                             "new_password1": "Neues-Passwort-2026",
                                             "new_password2": "Neues-Passwort-2026"})
    assert wrong.status_code == 200
    client.post("/konto/passwort/", {"old_password": "altes-passwort-1",
                                     "new_password1": "Neues-Passwort-2026",
                                     "new_password2": "Neues-Passwort-2026"})
    person.refresh_from_db()
    assert person.check_password("Neues-Passwort-2026")


def test_name_and_phone_can_be_corrected(customer):
    person, _ = customer
    client = signed_in(person)
    client.post("/konto/profil/", {"first_name": "Erika", "last_name": "Muster",
                                   "phone": "0171 555"})
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.phone) == ("Erika", "Muster", "0171 555")
    refused = client.post("/konto/profil/", {"first_name": " ", "last_name": "X", "phone": "1"})
    assert refused.status_code == 200
    assert User.objects.get(pk=person.pk).first_name == "Erika"


def test_a_new_bank_account_replaces_the_mandate_for_new_orders(customer):
    person, _ = customer
    old = SepaMandate.objects.get(customer=person, active=True)
    client = signed_in(person)
    # a wrong IBAN changes nothing
    page = client.post("/konto/bezahlung/", {"holder": "Erika Muster", "iban": "DE00 1234",
                                             "mandate_consent": "on"}).content.decode()
    assert "IBAN ist ungültig" in page
    assert SepaMandate.objects.get(customer=person, active=True) == old
    # a right one replaces it; the old mandate stays on record
    client.post("/konto/bezahlung/", {"holder": "Erika Muster",
                                      "iban": "DE02 1203 0000 0000 2020 51",
                                      "mandate_consent": "on"})
    new = SepaMandate.objects.get(customer=person, active=True)
    assert new != old and new.iban == "DE02120300000000202051"
    assert SepaMandate.objects.filter(pk=old.pk).exists()


def test_a_repair_priced_after_inspection_shows_no_price_and_slots_show_the_weekday(
        shop, customer, town):
    person, address = customer
    offer = service_offer_create(merchant=shop["merchant"], name="Buch restaurieren",
                                 price_cents=None, quote_after_inspection=True)
    client = signed_in(person)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = client.get(f"/dienstleistungen/{offer.pk}/buchen/").content.decode()
    assert "bringen ihn zu Buchladen Eins" in page
    assert "Mo, 30.11.2026, 17:30–20:30 Uhr" in page
    service_request(customer=person, service_id=offer.pk, address_id=address.pk,
                    item_description="Einband lose",
                    slot_start=waves_from(MONDAY_MORNING, 1)[0].start.isoformat(),
                    idempotency_key="quote", now=MONDAY_MORNING)
    orders = client.get("/bestellungen/").content.decode()
    assert "Preis nach Begutachtung" in orders and "0,00" not in orders
