"""`louise bench region`'s parts (a whole run starts servers and takes minutes): the
region's towns apart from each other, a seed whose people the API takes, and the
bookkeeping of answers."""

import pytest
from django.test import Client

from bench.region_load import Stats, region_seed, report, town_data
from louise.demo import kirchbergen


def test_the_towns_share_no_postcode_login_or_place():
    towns = [town_data(k) for k in range(5)]
    postcodes = [{pc for _z, codes, _k, _a in t.ZONES for pc in codes} for t in towns]
    assert all(len(codes) == 3 for codes in postcodes)
    assert len(set().union(*postcodes)) == 15
    assert not set().union(*postcodes) & {pc for _z, codes, _k, _a in kirchbergen.ZONES
                                          for pc in codes}
    logins = [u for t in towns for u in [t.SHOP_OWNER[0], t.CUSTOMER_FIRST,
                                         *(row[0] for row in t.STAFF)]]
    assert len(logins) == len(set(logins)) == 25
    assert len({t.SLUG for t in towns}) == 5 and len({t.HUB["lat"] for t in towns}) == 5
    # the data a town is built from still names its own shop for the owner and the store
    for t in towns:
        shops = {row[0] for row in t.MERCHANTS}
        assert t.SHOP_OWNER[1] in shops and t.SHOPPING_STORE in shops


def _api(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_the_seed_hands_out_people_the_api_takes():
    region = region_seed(2, 6)
    assert region["vehicles_per_town"] == 2
    for town in region["towns"]:
        # each town has customers with a home, shops with products, riders and dispatch
        # (Kirchbergen's own customers: more only for more than three times as many orders)
        assert len(town["customers"]) == kirchbergen.CUSTOMERS
        assert all(c["address"] for c in town["customers"])
        assert town["shops"] and all(s["products"] for s in town["shops"])
        assert len(town["riders"]) >= 3  # the data's own three vehicles, and its riders
        # and a customer's token places an order in the town's wave, door to door
        customer, shop = town["customers"][0], town["shops"][0]
        answer = _api(customer["token"]).post("/api/v1/orders", {
            "lines": [{"product_id": shop["products"][0], "quantity": 1}],
            "destination": {"method": "door", "address_id": customer["address"]}},
            content_type="application/json")
        assert answer.status_code == 201, answer.content
        # which the shop's token accepts, and the dispatcher's token sees in its town
        number = answer.json()["number"]
        assert _api(shop["token"]).post(f"/api/v1/orders/{number}/accept").status_code == 200
        day = answer.json()["wave_start"][:10]
        seen = _api(town["dispatcher"]).get("/api/v1/dispatch/day",
                                            {"day": day, "town": town["slug"]})
        assert seen.status_code == 200 and seen.json()["town"]["slug"] == town["slug"]


def test_answers_are_counted_as_done_refused_or_errors():
    stats = Stats()
    for status, seconds in ((201, 0.1), (200, 0.2), (409, 0.3), (500, 0.4), (0, 0.9)):
        stats.add("POST /orders", seconds, status, {"detail": f"d{status}"})
    assert stats.refused["POST /orders"] == 1 and stats.errors["POST /orders"] == 2
    assert set(stats.examples) == {"POST /orders 409", "POST /orders 500", "POST /orders 0"}
    line = report(stats).splitlines()[1].split()
    assert line[:2] == ["POST", "/orders"] and line[2:] == ["5", "300", "900", "1", "2"]
