"""Shops are listed and addressed the German way."""

import pytest
from django.test import Client

from louise.catalog.selectors import merchant_list
from louise.catalog.services import merchant_create

from ...conftest import OPEN_ALL_WEEK

pytestmark = pytest.mark.django_db


def _shop(name: str):
    return merchant_create(name=name, category="grocery", street="Weg 1", postcode="46236",
                           lat=51.52, lon=6.93, opening_hours=OPEN_ALL_WEEK)


def test_umlauts_sort_as_their_base_letter():
    for name in ("Buchhandlung Seitenweise", "Zeitungskiosk", "Bäckerei Korn", "apotheke Ost"):
        _shop(name)
    expected = ["apotheke Ost", "Bäckerei Korn", "Buchhandlung Seitenweise", "Zeitungskiosk"]
    assert [m.name for m in merchant_list()] == expected
    page = Client().get("/geschaefte/").content.decode()
    assert [page.index(name) for name in expected] == sorted(page.index(n) for n in expected)
    api = Client().get("/api/v1/merchants").json()
    assert [m["name"] for m in api] == expected


def test_slugs_spell_umlauts_out():
    assert _shop("Wäscherei Blütenweiß").slug == "waescherei-bluetenweiss"
    assert Client().get("/geschaefte/waescherei-bluetenweiss/").status_code == 200
