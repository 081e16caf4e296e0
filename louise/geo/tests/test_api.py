import pytest


def test_suggest_is_public_and_finds_streets(api, gazetteer):
    # when
    response = api().get("/addresses/suggest", q="haupt")
    # then
    assert response.status_code == 200
    assert response.json() == [{
        "label": "Hauptstraße, 46236 Bottrop (Stadtmitte)", "street": "Hauptstraße",
        "housenumber": "", "postcode": "46236", "city": "Bottrop", "district": "Stadtmitte",
        "lat": 51.5205, "lon": 6.93}]


def test_suggest_offers_houses_once_a_number_is_typed(api, gazetteer):
    body = api().get("/addresses/suggest", q="Hauptstr. 9", limit=3).json()
    assert [(s["street"], s["housenumber"]) for s in body] == [("Hauptstraße", "9")]


@pytest.mark.parametrize("params", [{}, {"q": "h"}, {"q": "haupt", "limit": 0},
                                    {"q": "haupt", "limit": "viele"}, {"q": "x" * 200}])
def test_suggest_refuses_bad_input_with_json(api, gazetteer, params):
    response = api().get("/addresses/suggest", **params)
    assert response.status_code == 422
    assert response.json()["detail"]
