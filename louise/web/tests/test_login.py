import pytest

from louise.accounts.models import Role
from louise.web.conftest import DESKTOP, screenshot

from ...conftest import PASSWORD, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_lands_on_the_roles_start_page(page):
    # given
    make_user("dispo1", Role.DISPATCHER)
    make_user("kundin1")
    # when: a customer signs in
    page.goto("/konto/anmelden/")
    page.get_by_label("Benutzername").fill("kundin1")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    # then
    page.wait_for_url("**/")
    assert page.locator(".who").inner_text() == "kundin1 Test"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_wrong_password_says_so(page):
    make_user("kundin1")
    page.set_viewport_size(DESKTOP)
    page.goto("/konto/anmelden/")
    page.get_by_label("Benutzername").fill("kundin1")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    assert "falsch" in page.get_by_role("alert").inner_text()
    screenshot(page, "login-desktop")
