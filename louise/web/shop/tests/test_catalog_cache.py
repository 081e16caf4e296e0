"""The cached catalogue (louise/catalog/cache.py): a change shows on the next request, the
stock is never stale, the per-person parts of a page are never cached, and a cached page
asks the database less."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from louise.catalog.cache import catalog_version
from louise.catalog.services import (
    catalog_entry_update,
    merchant_update,
    opening_exception_set,
    product_create,
)

from ....conftest import MONDAY_MORNING, order_placed
from .conftest import signed_in

pytestmark = pytest.mark.django_db

BUY = "In den Warenkorb"
BOOK = "Buchen"


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _shop_url(shop) -> str:
    return f"/geschaefte/{shop['merchant'].slug}/"


def test_a_changed_product_shows_on_the_next_request(shop, customer, monday):
    client = signed_in(customer[0])
    for url in (_shop_url(shop), "/suche/?q=Buch"):  # cached now
        assert "Buch von Buchladen Eins" in _page(client, url)
    before = catalog_version()
    # when: the shop renames and reprices its book (the back office's service)
    catalog_entry_update(entry=shop["product"], name="Buch vom Buchladen", price_cents=1999)
    # then: the next requests show it, on the shop's page and in search
    assert catalog_version() != before
    for url in (_shop_url(shop), "/suche/?q=Buch"):
        page = _page(client, url)
        assert "Buch vom Buchladen" in page and "19,99" in page
        assert "Buch von Buchladen Eins" not in page


def test_a_new_product_a_changed_shop_and_its_hours_show_at_once(shop, customer, monday):
    client = signed_in(customer[0])
    _page(client, "/"), _page(client, "/geschaefte/"), _page(client, _shop_url(shop))
    merchant_update(merchant=shop["merchant"], description="Jetzt mit Lesecafé")
    product_create(merchant=shop["merchant"], name="Lesezeichen", price_cents=250, stock=9)
    opening_exception_set(merchant=shop["merchant"], day=MONDAY_MORNING.date(), closed=True,
                          note="Inventur")
    assert "Jetzt mit Lesecafé" in _page(client, "/geschaefte/")
    page = _page(client, _shop_url(shop))
    assert "Lesezeichen" in page and "Jetzt mit Lesecafé" in page
    assert "heute geschlossen (Inventur)" in page


def test_the_stock_shown_is_never_stale_after_a_checkout(shop, customer, monday):
    client = signed_in(customer[0])
    assert "vorrätig" in _page(client, _shop_url(shop))
    assert "vorrätig" in _page(client, "/suche/?q=Buch")
    version = catalog_version()
    # when: checkouts take the stock (an UPDATE that changes no cached version)
    order_placed(customer[0], shop["product"], 2)
    assert catalog_version() == version
    assert "Nur noch 3 Stück" in _page(client, _shop_url(shop))
    assert "Nur noch 3 Stück" in _page(client, "/suche/?q=Buch")
    order_placed(customer[0], shop["product"], 3)
    page = _page(client, _shop_url(shop))
    assert "ausverkauft" in page and BUY not in page
    # and the search's "in stock only" filter sees it too
    assert "Buch von Buchladen Eins" not in _page(client, "/suche/?q=Buch&vorraetig=1")


@pytest.mark.parametrize("first", ["customer", "staff"])
def test_staff_never_get_a_customers_cached_buttons_nor_the_other_way(shop, customer, first,
                                                                        monday):
    clients = {"customer": signed_in(customer[0]), "staff": signed_in(shop["staff"])}
    pages = {}
    for who in (first, *({"customer", "staff"} - {first})):
        pages[who] = {url: _page(clients[who], url) for url in (_shop_url(shop),
                                                               "/suche/?q=Buch")}
    for url, page in pages["customer"].items():
        assert BUY in page and f">{BOOK}<" in page, url
    for url, page in pages["staff"].items():
        assert BUY not in page and f">{BOOK}<" not in page, url
        assert "Warenkorb" not in page, url  # no basket link either
        # and no form token of the customer's page
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                                pages["customer"][url]))
        assert tokens and not any(token in page for token in tokens), url
    # a visitor, after both, is offered the buttons (and asked to sign in at checkout)
    assert BUY in _page(Client(), _shop_url(shop))


def test_a_cached_page_asks_the_database_less(shop, customer, monday,
                                              django_assert_max_num_queries):
    client = signed_in(customer[0])
    for url, cached_budget in ((_shop_url(shop), 4), ("/suche/?q=Buch", 4),
                               ("/geschaefte/", 4), ("/", 3)):
        with CaptureQueriesContext(connection) as first:
            _page(client, url)
        # session, user, the catalogue's version, and the shop's stock or the customer's
        # town (the shop list): nothing else
        with django_assert_max_num_queries(cached_budget):
            _page(client, url)
        assert len(first.captured_queries) > cached_budget, url
