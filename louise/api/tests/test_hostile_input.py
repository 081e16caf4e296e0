"""Input that once ended in a 500: NUL characters (PostgreSQL cannot store them), days at
the end of the calendar, unknown stops. Every one must be a 4xx with a message."""

import pytest
from django.test import Client

from louise.accounts.models import Role
from louise.web.conftest import signed_in

NUL = "\x00"


def assert_nul_refused(response) -> None:
    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith("Die Anfrage enthält ein unzulässiges Null")


def test_nul_in_the_path_is_refused(api, shop):
    assert_nul_refused(api().get("/merchants/%00"))
    assert_nul_refused(api().get(f"/merchants/buchladen{NUL}eins"))


def test_nul_in_the_token_login_is_refused(api, customer):
    assert_nul_refused(api().post("/auth/token", {"username": f"kundin{NUL}",
                                                  "password": "x"}))


def test_nul_in_a_query_is_refused(api, customer):
    assert_nul_refused(api("kundin").get("/orders", status=NUL))
    assert_nul_refused(api("kundin").get("/orders", **{f"x{NUL}": "1"}))


def test_nul_deep_in_a_json_body_is_refused(api, shop, customer):
    body = {"merchant_id": shop["merchant"].pk,
            "lines": [{"product_id": shop["product"].pk, "quantity": 1}],
            "destination": {"method": "door", "address_id": customer[1].pk},
            "notes": f"Bitte{NUL}klingeln"}
    assert_nul_refused(api("kundin").post("/orders", body))
    assert_nul_refused(api("kundin").post("/me/addresses", {
        "street": f"Gartenstr{NUL}aße 1", "postcode": "46236", "lat": 51.5, "lon": 6.9}))


def test_nul_in_a_multipart_form_is_refused(published):
    client = signed_in(published.shift.rider.username)
    response = client.post("/api/v1/rider/actions", {
        "key": "k" * 10, "kind": "complete", "stop_id": 1,
        "data": '{"proof_method": "name", "recipient_name": "A\\u0000"}'},
        headers={"X-CSRFToken": "x"})
    # ninja's session auth wants CSRF; the NUL check comes first and says why.
    assert_nul_refused(response)


def test_nul_in_a_page_form_or_cookie_is_a_plain_400(db):
    response = Client().post("/konto/registrieren/", {"email": "a@b.de",
                                                      "street": f"Weg{NUL} 1"})
    assert response.status_code == 400
    assert "Nullzeichen" in response.content.decode()
    client = Client()
    client.cookies["sessionid"] = f"abcdefgh{NUL}ijkl"
    assert client.get("/").status_code == 400


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_days_at_the_calendar_ends_are_bad_input(api, staff_users, day):
    client = api("dispatcher")
    assert client.get("/dispatch/day", day=day).status_code == 422
    assert client.get("/legs", day=day).status_code == 422
    assert client.get("/tours", day=day).status_code == 422
    assert client.post("/plans", {"day": day}).status_code == 422
    assert client.post("/dispatch/insert", {"day": day}).status_code == 422


def test_the_console_answers_a_day_at_the_calendar_end_with_404(staff_users):
    client = signed_in(Role.DISPATCHER)
    assert client.get("/dispo/?tag=9999-12-31").status_code == 404
    assert client.get("/dispo/?tag=2026-11-30").status_code == 200


def test_locking_an_unknown_stop_is_a_404(api, staff_users):
    response = api("dispatcher").post("/stops/999999/lock", {"locked": True})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


HUGE = 2**70  # more than any 64-bit row id: SQLite's driver cannot even send it


def test_an_id_beyond_any_row_is_a_422_not_a_500(api, shop, customer, published):
    # found by the fuzz test (test_fuzz.py): OverflowError in the checkout, a 500
    body = {"merchant_id": shop["merchant"].pk, "lines": [{"product_id": HUGE, "quantity": 1}],
            "destination": {"method": "door", "address_id": customer[1].pk}}
    response = api("kundin").post("/orders", body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "lines.0.product_id"
    dispatcher = api(Role.DISPATCHER)
    for path in (f"/plans/{HUGE}", f"/tours/{HUGE}"):
        response = dispatcher.get(path)
        assert response.status_code == 422, response.content
    response = dispatcher.post(f"/stops/{published.stops.first().pk}/move",
                               {"tour_id": HUGE, "position": 1})
    assert (response.status_code, response.json()["field"]) == (422, "tour_id")
