"""Guessing passwords is stopped after a few tries (web and API), and signing up does not
tell strangers who has an account."""

import pytest
from django.test import Client

from louise.customers.registration import NOT_POSSIBLE

from ...conftest import PASSWORD

LIMIT = 5


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def web_login(client: Client, username: str, password: str, **headers):
    return client.post("/konto/anmelden/", {"username": username, "password": password},
                       headers=headers)


def api_login(client: Client, username: str, password: str, address: str = "127.0.0.1",
              **headers):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json", headers=headers, REMOTE_ADDR=address)


def test_web_login_is_locked_after_the_limit_even_for_the_right_password(customer):
    client = Client()
    for attempt in range(LIMIT - 1):
        assert web_login(client, "kundin", f"falsch-{attempt}").status_code == 200
    locked = web_login(client, "kundin", "falsch-letzter")
    assert locked.status_code == 429
    right = web_login(client, "kundin", PASSWORD)
    assert right.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_api_token_login_is_locked_with_a_json_429(customer):
    client = Client()
    for attempt in range(LIMIT):
        api_login(client, "kundin", f"falsch-{attempt}")
    response = api_login(client, "kundin", PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out" and "15 Minuten" in body["detail"]
    assert "token" not in body
    assert response["Retry-After"] == "900"


def test_a_lock_is_per_user_and_address(customer, other_customer):
    client = Client()
    for attempt in range(LIMIT):
        api_login(client, "kundin", f"falsch-{attempt}")
    assert api_login(client, "kunde2", PASSWORD).status_code == 200
    assert api_login(client, "kundin", PASSWORD, address="10.0.0.9").status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(customer):
    client = Client()
    for attempt in range(LIMIT + 3):
        api_login(client, "kundin", f"falsch-{attempt}",
                  X_FORWARDED_FOR=f"203.0.113.{attempt}")
    assert api_login(client, "kundin", PASSWORD).status_code == 429


def test_behind_the_proxy_the_forwarded_address_counts(customer, settings):
    settings.LOUISE_PROXY = True
    client = Client()
    for attempt in range(LIMIT):
        api_login(client, "kundin", f"falsch-{attempt}", X_FORWARDED_FOR="198.51.100.7")
    assert api_login(client, "kundin", PASSWORD,
                     X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert api_login(client, "kundin", PASSWORD,
                     X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_a_right_password_before_the_limit_starts_the_count_anew(customer):
    client = Client()
    for round_ in range(3):
        for attempt in range(LIMIT - 1):
            api_login(client, "kundin", f"falsch-{round_}-{attempt}")
        assert api_login(client, "kundin", PASSWORD).status_code == 200


def test_api_sign_up_says_the_same_whether_name_or_email_is_taken(api, customer):
    taken_name = api().post("/customers", {"username": "kundin", "email": "neu@example.org",
                                           "password": "Sicher-123!"})
    taken_email = api().post("/customers", {"username": "ganzneu",
                                            "email": "kundin@example.org",
                                            "password": "Sicher-123!"})
    assert taken_name.status_code == taken_email.status_code == 400
    assert taken_name.json() == taken_email.json() == {
        "detail": NOT_POSSIBLE, "code": "not_possible", "field": None}


def test_web_sign_up_does_not_confirm_an_account(customer):
    response = Client().post("/konto/registrieren/", {
        "first_name": "K", "last_name": "K", "email": "KUNDIN@example.org", "phone": "1",
        "street": "Weg 1", "postcode": "46236", "city": "Bottrop",
        "password": "ein-gutes-passwort", "privacy": "on"})
    page = response.content.decode()
    assert NOT_POSSIBLE in page
    assert "gibt es schon ein Konto" not in page and "vergeben" not in page
