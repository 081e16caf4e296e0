"""Bad input to every endpoint gets a 4xx with a JSON message – never a 500 – and
changes nothing."""

import pytest

from louise.orders.models import Order


def assert_refused(response, status: int, *, says: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"], body
    if says:
        assert says in str(body["detail"]), body
    return body


def test_token_needs_right_credentials(api, customer):
    assert_refused(api().post("/auth/token", {"username": "kundin", "password": "x"}), 400,
                   says="falsch")
    assert_refused(api().post("/auth/token", {"username": "kundin"}), 422)


def test_a_body_that_is_no_json_gets_a_german_message(api, customer):
    body = assert_refused(api("kundin").post("/orders", "{kaputt"), 400,
                          says="kein gültiges JSON")
    assert body["code"] == "bad_json"


def test_text_that_is_no_unicode_gets_a_german_message(api, customer):
    # a lone surrogate (JSON "\\udad4") is no character any database can store
    body = assert_refused(api("kundin").post("/me/addresses", '{"street": "Altmarkt \\udad4 1", '
                                             '"postcode": "46236", "lat": 51.5, "lon": 6.9}'),
                          422, says="kein gültiger Unicode-Text")
    assert body["field"] == "street"


def test_bearer_token_must_be_valid(api, db):
    client = api()
    client.headers["Authorization"] = "Bearer not-a-token"
    assert client.get("/me").status_code == 401


@pytest.mark.parametrize(("body", "status", "says"), [
    ({"username": "neu", "email": "kein-email", "password": "Sicher-123!"}, 422, None),
    ({"username": "kundin", "email": "a@b.de", "password": "Sicher-123!"}, 400,
     "keine Registrierung möglich"),
    ({"username": "neu", "email": "a@b.de", "password": "12345678"}, 400, None),
    ({"username": "x y", "email": "a@b.de", "password": "Sicher-123!"}, 422, None),
])
def test_registration_refuses_bad_input(api, customer, body, status, says):
    assert_refused(api().post("/customers", body), status, says=says)


def test_registration_works(api, town):
    response = api().post("/customers", {"username": "neu", "email": "neu@example.org",
                                         "password": "Sicher-123!", "first_name": "Nina"})
    assert response.status_code == 201
    assert response.json()["role"] == "customer"


@pytest.mark.parametrize(("body", "status", "says"), [
    ({"street": "Altmarkt 1", "postcode": "4623", "lat": 51.5, "lon": 6.9}, 422, None),
    ({"street": "Altmarkt 1", "postcode": "46236", "lat": 95, "lon": 6.9}, 422, None),
    ({"street": "Marktstr. 1", "postcode": "46045", "lat": 51.47, "lon": 6.85}, 400,
     "außerhalb des Liefergebiets"),
    ({"street": "Marktstr. 1", "postcode": "99999", "lat": 51.47, "lon": 6.85}, 400,
     "außerhalb des Liefergebiets"),
])
def test_address_refuses_bad_input(api, customer, body, status, says):
    assert_refused(api("kundin").post("/me/addresses", body), status, says=says)


def test_address_refuses_a_position_outside_the_town(api, customer):
    # Munich's position for a Bottrop postcode: the zone comes from the postcode, the
    # position must still lie near the hub
    body = assert_refused(api("kundin").post("/me/addresses", {
        "street": "Altmarkt 1", "postcode": "46236", "lat": 48.137, "lon": 11.575}), 400,
        says="nicht im Liefergebiet")
    assert (body["code"], body["field"]) == ("position_outside_service_area", "lat")
    assert customer[0].addresses.count() == 1


def test_mandate_refuses_bad_iban(api, customer):
    body = assert_refused(api("kundin").post("/me/mandate", {
        "holder": "Kundin Test", "iban": "DE89370400440532013001"}), 400, says="IBAN")
    assert body["code"] == "bad_iban"


def order_body(shop, customer, **overrides) -> dict:
    body = {"merchant_id": shop["merchant"].pk,
            "lines": [{"product_id": shop["product"].pk, "quantity": 1}],
            "destination": {"method": "door", "address_id": customer[1].pk}}
    return body | overrides


@pytest.mark.parametrize(("overrides", "status", "says"), [
    ({"lines": []}, 422, None),
    ({"lines": [{"product_id": 1, "quantity": 0}]}, 422, None),
    ({"merchant_id": 99999}, 400, "Geschäft"),
    ({"lines": [{"product_id": 99999, "quantity": 1}]}, 400, "Produkt"),
    ({"lines": [{"product_id": "x", "quantity": 1}]}, 422, None),
    ({"destination": {"method": "drone"}}, 422, None),
    ({"destination": {"method": "locker", "locker_id": 99999}}, 400, "Paketstation"),
    ({"destination": {"method": "point"}}, 400, "Abholstelle"),
])
def test_order_refuses_bad_input(api, shop, customer, overrides, status, says):
    assert_refused(api("kundin").post("/orders", order_body(shop, customer, **overrides)),
                   status, says=says)
    assert Order.objects.count() == 0


def test_order_refuses_more_than_the_stock(api, shop, customer):
    body = order_body(shop, customer, lines=[{"product_id": shop["product"].pk, "quantity": 6}])
    assert_refused(api("kundin").post("/orders", body), 409, says="nur noch 5 Stück")
    assert Order.objects.count() == 0


def test_malformed_json_is_a_400(api, customer):
    client = api("kundin")
    response = client.client.post("/api/v1/orders", "{not json", content_type="application/json",
                                  headers=client.headers)
    assert 400 <= response.status_code < 500


def test_idempotency_key_replay_returns_the_same_order(api, shop, customer):
    client = api("kundin")
    first = client.post("/orders", order_body(shop, customer), headers={"Idempotency-Key": "a1"})
    again = client.post("/orders", order_body(shop, customer), headers={"Idempotency-Key": "a1"})
    assert first.json()["number"] == again.json()["number"]
    assert Order.objects.count() == 1


def test_merchant_actions_refuse_bad_input(api, placed, shop):
    client = api("laden1")
    assert_refused(client.post(f"/orders/{placed.number}/decline", {"reason": ""}), 422)
    assert_refused(client.post(f"/orders/{placed.number}/ready", {"parcels": 0}), 422)
    assert_refused(client.post(f"/orders/{placed.number}/ready", {}), 409,
                   says="nicht als fertig gemeldet werden")
    assert_refused(client.post("/orders/B000/accept"), 404)


def test_service_booking_refuses_bad_input(api, shop, customer):
    client = api("kundin")
    body = {"service_id": shop["service"].pk, "address_id": customer[1].pk,
            "item_description": "Altes Buch neu binden"}
    assert_refused(client.post("/service-bookings", body | {"service_id": 99999}), 400,
                   says="Dienstleistung")
    assert_refused(client.post("/service-bookings", body | {"item_description": ""}), 422)
    assert_refused(client.post("/service-bookings", body | {"wave_index": 50}), 422)
    assert client.post("/service-bookings", body).status_code == 201


def test_catalogue_refuses_unknown_things(api, shop):
    assert_refused(api().get("/merchants", category="waffen"), 422)
    assert_refused(api().get("/merchants/gibt-es-nicht"), 404)


def test_planning_refuses_bad_input(api, staff_users):
    client = api("dispatcher")
    assert_refused(client.post("/plans", {"day": "gestern"}), 422)
    assert_refused(client.post("/plans", {"day": "2026-11-30", "time_limit": 0}), 422)
    assert_refused(client.get("/plans/999"), 404)
    assert_refused(client.get("/tours/999"), 404)


def test_stop_completion_refuses_bad_input(api, published):
    rider = api(published.shift.rider.username)
    pickup, drop = published.stops.order_by("sequence")
    assert_refused(rider.post(f"/stops/{drop.pk}/complete", {"proof_method": "name",
                                                             "recipient_name": "X"}),
                   409, says="Erst abholen")
    assert_refused(rider.post(f"/stops/{pickup.pk}/complete", {"parcels": 3}), 400,
                   says="1 Pakete erwartet")
    assert rider.post(f"/stops/{pickup.pk}/complete", {"parcels": 1}).status_code == 200
    assert_refused(rider.post(f"/stops/{pickup.pk}/complete", {"parcels": 1}), 409)
    assert_refused(rider.post(f"/stops/{drop.pk}/complete", {}), 400, says="Zustellnachweis")
    assert_refused(rider.post(f"/stops/{drop.pk}/complete", {"proof_method": "name"}), 400,
                   says="fehlt")
    assert_refused(rider.post(f"/stops/{drop.pk}/complete", {"proof_method": "teleport"}), 422)
    assert_refused(rider.post(f"/stops/{drop.pk}/fail", {"reason": "keine Lust"}), 422)
    assert_refused(rider.post("/stops/99999/fail", {"reason": "refused"}), 404)
