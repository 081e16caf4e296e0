"""Every endpoint tried as anonymous, as the wrong role or the wrong person, and as the
right one. Outside one's scope an object does not exist (404); a wrong role is 403."""

import pytest

from louise.accounts.models import Role


def rider_name(tour) -> str:
    return tour.shift.rider.username


@pytest.mark.parametrize("path", ["/me", "/me/addresses", "/orders", "/legs", "/tours"])
def test_anonymous_gets_401_everywhere_private(api, db, path):
    response = api().get(path)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_public_catalogue_needs_no_login(api, shop):
    assert api().get("/merchants").status_code == 200
    assert api().get(f"/merchants/{shop['merchant'].slug}").json()["products"][0]["stock"] == 5


def test_customer_sees_only_own_orders(api, placed, other_customer):
    # given: someone else's order
    stranger = api("kunde2")
    # then: neither in the list nor by number
    assert stranger.get("/orders").json() == []
    response = stranger.get(f"/orders/{placed.number}")
    assert response.status_code == 404
    assert api("kundin").get(f"/orders/{placed.number}").status_code == 200


def test_customer_cannot_cancel_someone_elses_order(api, placed, other_customer):
    assert api("kunde2").post(f"/orders/{placed.number}/cancel").status_code == 404
    placed.refresh_from_db()
    assert placed.status == "placed"


def test_merchant_sees_and_acts_only_on_own_shop(api, placed, shop, other_shop):
    other = api("laden2")
    assert other.get(f"/orders/{placed.number}").status_code == 404
    assert other.post(f"/orders/{placed.number}/accept").status_code == 404
    decline = other.post(f"/orders/{placed.number}/decline", {"reason": "Keine Zeit"})
    assert decline.status_code == 404
    assert other.post(f"/orders/{placed.number}/ready", {}).status_code == 404
    placed.refresh_from_db()
    assert placed.status == "placed"
    assert api("laden1").post(f"/orders/{placed.number}/accept").status_code == 200


def test_customer_cannot_act_as_merchant(api, placed):
    response = api("kundin").post(f"/orders/{placed.number}/accept")
    assert response.status_code == 403


@pytest.mark.parametrize("username", ["kundin", "laden1", "rider"])
def test_dispatch_endpoints_refuse_other_roles(api, placed, staff_users, username):
    client = api(username)
    assert client.get("/legs").status_code == 403
    assert client.post("/plans", {"day": "2026-11-30"}).status_code == 403


def test_only_customers_place_orders(api, shop, customer, staff_users):
    body = {"merchant_id": shop["merchant"].pk,
            "lines": [{"product_id": shop["product"].pk, "quantity": 1}],
            "destination": {"method": "door", "address_id": customer[1].pk}}
    assert api("dispatcher").post("/orders", body).status_code == 403
    assert api().post("/orders", body).status_code == 401


def test_rider_sees_only_own_published_tour(api, published, other_rider):
    assert api(rider_name(published)).get(f"/tours/{published.pk}").status_code == 200
    assert api("fremdfahrer").get(f"/tours/{published.pk}").status_code == 404
    assert api("fremdfahrer").get("/tours").json() == []
    assert api("kundin").get(f"/tours/{published.pk}").status_code == 404


def test_other_rider_cannot_complete_a_stop(api, published, other_rider):
    stop = published.stops.first()
    response = api("fremdfahrer").post(f"/stops/{stop.pk}/complete", {"parcels": 1})
    assert response.status_code == 404
    stop.refresh_from_db()
    assert stop.status == "pending"


def test_dispatcher_cannot_complete_a_riders_stop(api, published):
    stop = published.stops.first()
    assert api("dispatcher").post(f"/stops/{stop.pk}/complete", {"parcels": 1}).status_code == 403


def test_rider_cannot_publish(api, published, staff_users):
    # a published tour cannot be published again, and riders may not publish at all
    response = api(rider_name(published)).post(f"/tours/{published.pk}/publish")
    assert response.status_code == 403
    assert api("dispatcher").post(f"/tours/{published.pk}/publish").status_code == 409


def test_addresses_and_mandates_are_customer_things(api, staff_users):
    body = {"street": "Altmarkt 1", "postcode": "46236", "lat": 51.5, "lon": 6.9}
    assert api(Role.HOTLINE).post("/me/addresses", body).status_code == 403
    assert api(Role.HOTLINE).post("/me/mandate", {"holder": "X Y",
                                                   "iban": "DE89370400440532013000"}
                                  ).status_code == 403
