"""The API's contract where the framework answers: every error has the same shape, a wrong
token is a 401 (also on a POST), tokens can be ended, and 422 is documented."""

import pytest
from django.test import Client

from louise.accounts.models import ApiToken, Role
from louise.api.root import api as louise_api

SHAPE = {"detail", "code", "field"}


def refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == SHAPE and body["detail"] and body["code"] == code, body
    return body


def test_a_schema_error_names_the_field_in_german(api, customer):
    body = refused(api("kundin").post("/me/addresses", {"street": "Altmarkt 1",
                                                        "postcode": "4623", "lat": 51.5,
                                                        "lon": 6.9}), 422, "validation")
    assert body["field"] == "postcode" and "Format" in body["detail"]
    body = refused(api().post("/auth/token", {"username": "kundin"}), 422, "validation")
    assert body["field"] == "password" and "fehlt" in body["detail"]


def test_no_or_a_wrong_token_is_a_401_in_the_same_shape(api, customer):
    refused(api().get("/me"), 401, "unauthenticated")
    client = api()
    client.headers["Authorization"] = "Bearer not-a-token"
    refused(client.get("/me"), 401, "unauthenticated")
    # a POST with a wrong token is not a CSRF refusal
    refused(client.post("/me/addresses", {"street": "Altmarkt 1", "postcode": "46236",
                                          "lat": 51.5, "lon": 6.9}), 401, "unauthenticated")


@pytest.mark.parametrize("path", ["/api/v1/gibt-es-nicht", "/api/v1/orders/x/y/z",
                                  "/api/v2/orders"])
def test_an_unknown_api_path_is_a_json_404(db, path):
    refused(Client().get(path), 404, "not_found")


def test_a_token_can_end_itself_and_all_of_its_account(api, customer):
    # given two apps signed in as the customer
    phone, tablet = api("kundin"), api("kundin")
    # when the phone signs out
    assert phone.post("/auth/token/revoke", {}).json() == {"revoked": 1}
    # then its token is dead and the tablet's lives
    refused(phone.get("/me"), 401, "unauthenticated")
    assert tablet.get("/me").status_code == 200
    # and "everywhere" ends every token of the account
    other = api("kundin")
    assert other.post("/auth/token/revoke", {"everywhere": True}).json() == {"revoked": 2}
    refused(tablet.get("/me"), 401, "unauthenticated")


def test_a_new_password_ends_every_token(api, customer):
    person, _address = customer
    app = api("kundin")
    person.set_password("ein-neues-passwort-1")
    person.save()
    refused(app.get("/me"), 401, "unauthenticated")
    assert not ApiToken.objects.filter(user=person).exists()


def test_the_other_writes_do_not_end_tokens(api, customer):
    person, _address = customer
    app = api("kundin")
    person.first_name = "Kim"
    person.save()
    assert app.get("/me").status_code == 200


def test_every_operation_that_takes_input_documents_422():
    schema = louise_api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if operation.get("parameters") or operation.get("requestBody"):
                assert 422 in operation["responses"], f"{method.upper()} {path}"


def test_a_locker_request_with_a_csrf_problem_still_has_the_shape(api, staff_users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_users[Role.OPERATOR])
    refused(client.post("/api/v1/lockers/1/open", {"code": "123456"},
                        content_type="application/json"), 403, "csrf_failed")
