"""Address autocomplete on the customer's forms, in a real Chromium: the street field is a
combobox offering the town's gazetteer (web/address-suggest.js, shared with the counter)."""

import pytest
from playwright.sync_api import expect

from louise.accounts.models import User
from louise.geo.gazetteer import HouseIn, StreetIn
from louise.geo.models import Address, Precision
from louise.geo.services import gazetteer_replace
from louise.web.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed_gazetteer() -> None:
    houses = [HouseIn(str(n), "46236", round(51.5200 + n * 0.0001, 4), 6.9300)
              for n in (1, 3, 9, 10)]
    gazetteer_replace(area="test", streets=[
        StreetIn(name="Hauptstraße", postcode="46236", city="Bottrop", district="Stadtmitte",
                 points=[(51.5200, 6.9300), (51.5212, 6.9300)], houses=houses),
        StreetIn(name="Hafenweg", postcode="46236", city="Bottrop", district="Stadtmitte",
                 points=[(51.5300, 6.9200)]),
    ])


def test_new_address_by_keyboard_from_a_few_letters(page, customer):
    # given: the gazetteer knows two streets starting with "Ha"
    seed_gazetteer()
    sign_in(page, "kundin", "/konto/adressen/neu/")
    street = page.get_by_role("combobox", name="Straße und Hausnummer")
    expect(street).to_have_attribute("aria-expanded", "false")
    # when: she types "haupt", moves down to the one suggestion and presses Enter
    street.press_sequentially("haupt")
    expect(page.get_by_role("option")).to_have_text(["Hauptstraße, 46236 Bottrop (Stadtmitte)"])
    expect(street).to_have_attribute("aria-expanded", "true")
    street.press("ArrowDown")
    option = page.get_by_role("option", name="Hauptstraße, 46236 Bottrop (Stadtmitte)")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(street).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    street.press("Enter")
    # then: the street and postcode are filled, the list is closed, the number is hers to add
    expect(street).to_have_value("Hauptstraße ")
    expect(street).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_label("PLZ")).to_have_value("46236")
    street.press_sequentially("9")
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/konto/")
    # and: the house is stored at its own position
    stored = Address.objects.exclude(street="Gartenstraße 5").get(owner__username="kundin")
    assert (stored.street, stored.postcode, stored.district, stored.lat, stored.precision) == (
        "Hauptstraße 9", "46236", "Stadtmitte", 51.5209, Precision.HOUSE)


def test_registration_picks_a_house_with_the_mouse_and_escape_closes(page, town):
    # given: a visitor on the registration form
    seed_gazetteer()
    page.goto("/konto/registrieren/")
    page.get_by_label("Vorname").fill("Lena")
    page.get_by_label("Nachname").fill("Neu")
    page.get_by_label("E-Mail-Adresse").fill("lena@example.org")
    page.get_by_label("Telefon (für den Kurier)").fill("02041 555")
    street = page.get_by_role("combobox", name="Straße und Hausnummer")
    # when: she types two letters, then thinks better of it
    street.press_sequentially("ha")
    expect(page.get_by_role("option")).to_have_count(2)
    street.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    # when: she types street and number and clicks the house offered
    street.fill("")
    street.press_sequentially("Hauptstr 3")
    page.get_by_role("option", name="Hauptstraße 3, 46236 Bottrop (Stadtmitte)").click()
    expect(street).to_have_value("Hauptstraße 3")
    expect(page.get_by_label("PLZ")).to_have_value("46236")
    page.get_by_label("Passwort (mindestens 8 Zeichen)").fill("ein-gutes-passwort")
    page.get_by_label("Ich habe die Datenschutzhinweise gelesen.").check()
    page.get_by_role("button", name="Konto anlegen").click()
    # then: the account and the house are stored
    expect(page.locator(".messages")).to_contain_text("Willkommen bei LOUISE, Lena!")
    address = User.objects.get(username="lena@example.org").addresses.get()
    assert (address.street, address.postcode, address.district, address.precision) == (
        "Hauptstraße 3", "46236", "Stadtmitte", Precision.HOUSE)
