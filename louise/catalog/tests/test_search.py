from datetime import datetime

import pytest

from louise.catalog.search import catalog_search
from louise.catalog.services import merchant_create, product_create, service_offer_create
from louise.core.calendar import BERLIN

from ...conftest import MONDAY_MORNING, OPEN_ALL_WEEK

MONDAY_EVENING = datetime(2026, 11, 30, 15, 0, tzinfo=BERLIN)  # after the cut-off


@pytest.fixture
def catalogue(db):
    shoes = merchant_create(name="Schuhmacherei Sohle", category="shoes", street="Weg 1",
                            postcode="46236", lat=51.52, lon=6.93, opening_hours=OPEN_ALL_WEEK)
    books = merchant_create(name="Lesezeichen", category="books", street="Weg 2",
                            postcode="46236", lat=51.52, lon=6.93,
                            opening_hours={"5": [["09:00", "13:00"]]})  # Saturdays only
    repair = service_offer_create(merchant=shoes, name="Schuhreparatur", price_cents=1990)
    cream = product_create(merchant=shoes, name="Schuhcreme", price_cents=495, stock=0)
    atlas = product_create(merchant=books, name="Bücher-Atlas", price_cents=2500, stock=3,
                           description="Großer Straßenatlas des Ruhrgebiets")
    return {"shoes": shoes, "books": books, "repair": repair, "cream": cream, "atlas": atlas}


def test_a_word_finds_its_compounds_and_other_forms(catalogue):
    # when
    result = catalog_search(query="Schuhe", now=MONDAY_MORNING)
    # then: "Schuhe" → "schuh" finds the repair, the cream and the shop
    assert result.services == [catalogue["repair"]]
    assert result.products == [catalogue["cream"]]
    assert result.merchants == [catalogue["shoes"]]


def test_umlauts_and_sharp_s_are_forgiven(catalogue):
    assert catalog_search(query="buch", now=MONDAY_MORNING).products == [catalogue["atlas"]]
    assert catalog_search(query="strasse", now=MONDAY_MORNING).products == [catalogue["atlas"]]


def test_every_word_must_match(catalogue):
    assert catalog_search(query="Schuh Atlas", now=MONDAY_MORNING).count == 0


def test_filters_in_stock_and_delivery_today(catalogue):
    # only products in stock: the cream is sold out
    assert catalog_search(query="Schuh", in_stock=True, now=MONDAY_MORNING).products == []
    # delivery today: the bookshop is closed on Mondays
    assert catalog_search(query="Atlas", delivery_today=True, now=MONDAY_MORNING).count == 0
    # after the cut-off nothing is delivered today any more
    assert catalog_search(query="Schuh", delivery_today=True, now=MONDAY_EVENING).count == 0
    assert catalog_search(query="Schuh", delivery_today=True, now=MONDAY_MORNING).count == 3


def test_categories_are_searchable_by_their_name(catalogue):
    assert catalog_search(query="Reparatur", now=MONDAY_MORNING).merchants == [catalogue["shoes"]]


@pytest.fixture
def shoemaker(db):
    shop = merchant_create(name="Schuhmacherei Absatz & Sohle", category="shoes",
                           street="Weg 3", postcode="46236", lat=51.52, lon=6.93,
                           opening_hours=OPEN_ALL_WEEK)
    heels = service_offer_create(merchant=shop, name="Absätze erneuern", price_cents=2490)
    repair = service_offer_create(merchant=shop, name="Schuhreparatur nach Begutachtung",
                                  price_cents=None, quote_after_inspection=True)
    insoles = product_create(merchant=shop, name="Einlegesohlen Leder", price_cents=1290,
                             stock=4)
    tailor = merchant_create(name="Schneiderei Nadelöhr", category="tailor", street="Weg 4",
                             postcode="46236", lat=51.52, lon=6.93, opening_hours=OPEN_ALL_WEEK)
    zip_ = service_offer_create(merchant=tailor, name="Reißverschluss ersetzen",
                                price_cents=1800)
    return {"shop": shop, "heels": heels, "repair": repair, "insoles": insoles,
            "tailor": tailor, "zip": zip_}


@pytest.mark.parametrize("query", ["Schuhreparatur", "Schuhe reparieren", "schuster",
                                   "Meine Schuhe sind kaputt"])
def test_what_people_type_for_a_shoe_repair_finds_the_shoemaker(shoemaker, query):
    result = catalog_search(query=query, now=MONDAY_MORNING)
    assert result.merchants == [shoemaker["shop"]]
    assert set(result.services) == {shoemaker["heels"], shoemaker["repair"]}
    assert result.products == []  # the insoles are no repair


def test_a_broken_heel_finds_the_heel_service(shoemaker):
    result = catalog_search(query="Absatz kaputt", now=MONDAY_MORNING)
    assert result.services[0] == shoemaker["heels"]
    assert result.merchants == [shoemaker["shop"]]


def test_a_synonym_does_not_mix_up_trades(shoemaker):
    # "kaputt" alone is any repair; with "Reißverschluss" only the tailor's
    result = catalog_search(query="Reißverschluss kaputt", now=MONDAY_MORNING)
    assert result.services == [shoemaker["zip"]]
    assert result.merchants == [shoemaker["tailor"]]
