"""Onboarding a shop in a real browser: the operator `stadt` takes a shop on (an address in
a zone switched off is refused), hands its owner the invitation link, the owner opens it in
a browser of their own and lands in the back office; the audit page shows it all."""

import pytest
from playwright.sync_api import expect

from louise.accounts.models import Role, User
from louise.catalog.models import Merchant
from louise.conftest import make_user
from louise.geo.gazetteer import StreetIn
from louise.geo.services import gazetteer_replace
from louise.web.conftest import screenshot, sign_in

TABLET = {"width": 1024, "height": 768}


def choose_address(page, typed: str, option: str, number: str) -> None:
    street = page.get_by_role("combobox", name="Straße und Hausnummer")
    street.fill(typed)
    page.get_by_role("option", name=option).click()
    street.press("End")
    street.press_sequentially(number)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stadt_onboards_a_shop_and_its_owner_joins_by_the_link(page, browser, live_server,
                                                               town):
    # given: the gazetteer knows a street in zone Mitte and one in Oberhausen (switched off)
    gazetteer_replace(area="test", streets=[
        StreetIn("Gartenstraße", "46236", "Bottrop", "Stadtmitte", [(51.528, 6.935)]),
        StreetIn("Marktstraße", "46045", "Oberhausen", "", [(51.470, 6.860)])])
    make_user("stadt", Role.OPERATOR)
    page.set_viewport_size(TABLET)
    sign_in(page, "stadt", "/betrieb/")
    # when: stadt starts onboarding a shop in Oberhausen
    page.get_by_role("link", name="Geschäfte").click()
    page.get_by_role("link", name="Neues Geschäft aufnehmen").click()
    page.get_by_label("Name des Geschäfts").fill("Teeladen am Markt")
    page.get_by_label("Kategorie").select_option(label="Lebensmittel")
    choose_address(page, "Markt", "Marktstraße, 46045 Oberhausen", "3")
    page.get_by_label("Mo öffnet", exact=True).fill("09:00")
    page.get_by_label("Mo schließt", exact=True).fill("18:00")
    page.get_by_role("button", name="Geschäft anlegen").click()
    # then: refused, nothing made
    page.get_by_text("liegt in keiner aktiven Zone von Bottrop").wait_for()
    screenshot(page, "operator-merchant-refused")
    assert not Merchant.objects.filter(name="Teeladen am Markt").exists()
    # when: the address in zone Mitte is chosen instead
    choose_address(page, "Gart", "Gartenstraße, 46236 Bottrop (Stadtmitte)", "12")
    page.get_by_role("button", name="Geschäft anlegen").click()
    # then: the shop's page, inviting its owner
    page.wait_for_url("**/betrieb/geschaefte/*/")
    shop = Merchant.objects.get(name="Teeladen am Markt")
    assert (shop.street, shop.postcode, shop.district) == ("Gartenstraße 12", "46236",
                                                           "Stadtmitte")
    assert shop.opening_hours == {"0": [["09:00", "18:00"]]}
    page.get_by_label("E-Mail-Adresse der Inhaberin / des Inhabers").fill(
        "tina@example.org")
    page.get_by_role("button", name="Einladung senden").click()
    link = page.locator("#invite-link").input_value()
    assert link.startswith(live_server.url + "/einladung/")
    screenshot(page, "operator-merchant-onboarded")
    # when: the owner opens the link in a browser of their own and sets a password
    owner_context = browser.new_context(viewport=TABLET, locale="de-DE",
                                        timezone_id="Europe/Berlin")
    try:
        owner = owner_context.new_page()
        owner.set_default_timeout(15_000)
        owner.goto(link)
        assert "Inhaberin / Inhaber von Teeladen am Markt" in owner.content()
        owner.get_by_label("Vorname").fill("Tina")
        owner.get_by_label("Nachname").fill("Tee")
        owner.get_by_label("Benutzername").fill("tina")
        owner.get_by_label("Passwort").fill("Tee-Passwort-2026")
        owner.get_by_role("button", name="Konto anlegen").click()
        # then: she is in her shop's back office, as its owner
        owner.wait_for_url("**/laden/")
        assert owner.locator(".shopname").inner_text() == "Teeladen am Markt"
        expect(owner.get_by_role("link", name="Umsatz")).to_be_visible()
    finally:
        owner_context.close()
    tina = User.objects.get(username="tina")
    assert (tina.merchant, tina.has_perm("catalog.manage_shop")) == (shop, True)
    # and the audit page shows the onboarding
    page.goto("/betrieb/")
    page.get_by_role("link", name="Protokoll").click()
    page.wait_for_url("**/betrieb/protokoll/")  # the rows are read only once it is there
    rows = [" | ".join(" ".join(cell.split()) for cell in row.locator("td").all_inner_texts())
            for row in page.locator("#audit tbody tr").all()]
    assert [row.split(" | ", 1)[1] for row in rows] == [  # newest first
        "Tina Tee | angelegt | Benutzer: tina | per Einladung von stadt Test",
        "stadt Test | eingeladen | Geschäft: Teeladen am Markt | Inhaber/in: tina@example.org",
        "stadt Test | angelegt | Geschäft: Teeladen am Markt | "]
    screenshot(page, "operator-audit")
