"""Every customer page, tried as anonymous, as the wrong role and as another customer."""

import pytest

from louise.accounts.models import Role

from ....conftest import make_user
from .conftest import signed_in

pytestmark = pytest.mark.django_db

CUSTOMER_PAGES = ["/kasse/", "/bestellungen/", "/konto/", "/konto/adressen/neu/",
                  "/konto/daten.json", "/konto/loeschen/"]


def _own_pages(placed) -> list[str]:
    number = placed.orders.first().number
    return [f"/einkauf/{placed.reference}/", f"/bestellungen/{number}/",
            f"/bestellungen/{number}/live/", f"/bestellungen/{number}/umplanen/"]


def test_anonymous_visitors_are_sent_to_sign_in(client, placed, shop):
    booking = f"/dienstleistungen/{shop['service'].pk}/buchen/"
    for url in [*CUSTOMER_PAGES, *_own_pages(placed), booking]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/konto/anmelden/?next="), url


@pytest.mark.parametrize("role", [Role.MERCHANT, Role.DISPATCHER, Role.RIDER, Role.HOTLINE,
                                  Role.OPERATOR])
def test_other_roles_may_not_use_the_customer_pages(role, placed, shop):
    extra = {"merchant": shop["merchant"]} if role == Role.MERCHANT else {}
    client = signed_in(make_user(f"x-{role}", role, **extra))
    for url in [*CUSTOMER_PAGES, *_own_pages(placed)]:
        assert client.get(url).status_code == 403, url
    number = placed.orders.first().number
    assert client.post(f"/bestellungen/{number}/stornieren/").status_code == 403


def test_another_customers_orders_are_not_found(placed, other_customer):
    # given: someone else's browser
    client = signed_in(other_customer[0])
    # when / then: every page of the order is a 404, and cancelling does nothing
    for url in _own_pages(placed):
        assert client.get(url).status_code == 404, url
    number = placed.orders.first().number
    assert client.post(f"/bestellungen/{number}/stornieren/").status_code == 404
    assert client.post(f"/bestellungen/{number}/nochmal/").status_code == 404
    assert placed.orders.first().status == "placed"


def test_the_catalogue_and_basket_are_open_to_everyone(client, shop):
    for url in ["/", "/geschaefte/", f"/geschaefte/{shop['merchant'].slug}/", "/suche/?q=Buch",
                "/warenkorb/", "/konto/registrieren/"]:
        assert client.get(url).status_code == 200, url


def test_next_links_cannot_lead_off_the_site(client, shop):
    response = client.post("/warenkorb/hinzufuegen/", {
        "product": shop["product"].pk, "next": "https://evil.example/"})
    assert response["Location"] == "/warenkorb/"
    response = client.post("/warenkorb/hinzufuegen/", {
        "product": shop["product"].pk, "next": f"/geschaefte/{shop['merchant'].slug}/"})
    assert response["Location"] == f"/geschaefte/{shop['merchant'].slug}/"


def test_an_address_can_only_be_removed_by_its_owner(customer, other_customer):
    # given
    address = customer[1]
    # when: someone else tries
    response = signed_in(other_customer[0]).post(f"/konto/adressen/{address.pk}/entfernen/")
    # then
    assert response.status_code == 404
    assert customer[0].addresses.filter(pk=address.pk).exists()
    # and the owner can
    signed_in(customer[0]).post(f"/konto/adressen/{address.pk}/entfernen/")
    assert not customer[0].addresses.exists()
