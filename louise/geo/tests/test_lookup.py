import pytest

from louise.core.errors import Invalid
from louise.geo.gazetteer import name_key, parse_query, query_key
from louise.geo.geocode import position_for_address
from louise.geo.selectors import Precision, address_lookup, street_suggestions


@pytest.mark.parametrize(("name", "key"), [
    ("Hauptstraße", "hauptstr"), ("Hauptstrasse", "hauptstr"), ("Hauptstr.", "hauptstr"),
    ("Kirchhellener Str.", "kirchhellenerstr"), ("Kirchhellenerstraße", "kirchhellenerstr"),
    ("Friedrich-Ebert-Straße", "friedrich ebertstr"), ("Mühlenweg", "muehlenweg"),
    ("Strandweg", "strandweg"),
])
def test_names_fold_to_one_key(name, key):
    assert name_key(name) == key


def test_half_typed_street_word_still_matches():
    assert name_key("Hauptstraße").startswith(query_key("HAUPTSTRA"))
    assert name_key("Kirchhellener Straße") == query_key("kirchhellener stra")
    assert parse_query("46236 Hauptstr. 5 a") == parse_query("Hauptstr. 5a, 46236")
    assert parse_query("Hauptstr. 5a").housenumber == "5a"


def test_exact_house(gazetteer):
    # when
    found = address_lookup(street="Hauptstr.", housenumber="3", postcode="46236")
    # then
    assert (found.street, found.housenumber, found.precision) == ("Hauptstraße", "3",
                                                                  Precision.HOUSE)
    assert (found.lat, found.approximate) == (51.5203, False)


def test_unknown_number_is_interpolated_on_its_side_and_flagged(gazetteer):
    # when: 5 lies between the odd numbers 3 and 9; 7a likewise
    found = address_lookup(street="hauptstraße", housenumber="5", postcode="46236")
    # then
    assert found.precision == Precision.INTERPOLATED and found.approximate
    assert found.lat == pytest.approx(51.5205)
    assert address_lookup(street="Hauptstraße", housenumber="7a",
                          postcode="46236").lat == pytest.approx(51.5207)


def test_number_beyond_the_known_ones_takes_the_nearest_house(gazetteer):
    found = address_lookup(street="Hauptstraße", housenumber="41", postcode="46236")
    assert (found.precision, found.lat) == (Precision.NEAREST_HOUSE, 51.5209)


def test_street_without_houses_gives_its_middle(gazetteer):
    found = address_lookup(street="Kirchhellener Straße", housenumber="12", postcode="46236")
    assert (found.precision, found.lat, found.lon) == (Precision.STREET, 51.5310, 6.9210)


@pytest.mark.parametrize(("street", "postcode"), [("Hauptstraße", "46238"),
                                                  ("Nebenstraße", "46236")])
def test_unknown_street_is_a_precise_error(gazetteer, street, postcode):
    with pytest.raises(Invalid) as error:
        address_lookup(street=street, housenumber="1", postcode=postcode)
    assert error.value.message == f"Straße „{street}“ in PLZ {postcode} nicht gefunden."
    assert error.value.code == "street_not_found"


def test_suggestions_by_a_few_letters(gazetteer):
    # when
    haupt = street_suggestions(query="haupt")
    kirch = street_suggestions(query="kirchhellener")
    # then
    assert [s.label for s in haupt] == ["Hauptstraße, 46236 Bottrop (Stadtmitte)"]
    assert [s.street for s in kirch] == ["Kirchhellener Str."]
    assert [s.label for s in street_suggestions(query="bahn")] == ["Am Bahnhof, 46236 Bottrop"]
    assert street_suggestions(query="hellener") == []
    assert street_suggestions(query="h") == []
    assert street_suggestions(query="haupt", postcodes=["46238"]) == []


def test_suggestions_with_a_number_offer_the_houses(gazetteer):
    # when
    found = street_suggestions(query="Hauptstr 1")
    # then: the exact house first, then the others starting with 1
    assert [s.label for s in found] == ["Hauptstraße 1, 46236 Bottrop (Stadtmitte)",
                                        "Hauptstraße 10, 46236 Bottrop (Stadtmitte)"]
    assert [s.housenumber for s in street_suggestions(query="Hauptstr 2")] == [""]


def test_address_position_uses_the_gazetteer_or_refuses(gazetteer, town):
    # when
    house = position_for_address(street="Hauptstraße 9", postcode="46236")
    # then: a covered postcode refuses a street it does not know ...
    assert (house.lat, house.precision) == (51.5209, Precision.HOUSE)
    with pytest.raises(Invalid, match="nicht gefunden"):
        position_for_address(street="Gartenstraße 9", postcode="46236")
    # ... and an uncovered one falls back to the postcode's centre, labelled so
    outside = position_for_address(street="Marktstraße 1", postcode="46045")
    assert (outside.precision, outside.approximate) == (Precision.POSTCODE, True)
