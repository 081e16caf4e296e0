"""POST /lockers/{id}/open: the locker controller (its own credential, or an operator)
reports a compartment opened with its code; tried anonymous, as other roles, with bad
input, by guessing, and with a credential of another locker."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from louise.accounts.models import Role
from louise.geo import services as geo
from louise.geo.models import LockerCompartment, LockerFailedOpen
from louise.geo.services import locker_credential_issue
from louise.logistics.tests.journeys import locker_delivery_delivered
from louise.logistics.tests.test_locker_collect import other_code

from .test_input import assert_refused


@pytest.fixture
def box(shop, customer, town, staff_users):
    order = locker_delivery_delivered(shop, customer, town["locker"])
    return LockerCompartment.objects.get(order=order)


def test_operator_opens_with_the_code_and_frees_the_compartment(api, box):
    response = api(Role.OPERATOR).post(f"/lockers/{box.locker_id}/open", {"code": box.code})
    assert response.status_code == 200, response.content
    assert response.json() == {"compartment": box.number}
    box.refresh_from_db()
    assert (box.order, box.code) == (None, "")


def test_anonymous_gets_401(api, box):
    assert_refused(api().post(f"/lockers/{box.locker_id}/open", {"code": box.code}), 401)


@pytest.mark.parametrize("username", [Role.DISPATCHER, Role.RIDER, Role.HOTLINE, "kundin",
                                      "laden1"])
def test_other_roles_get_403(api, box, username):
    assert_refused(api(username).post(f"/lockers/{box.locker_id}/open", {"code": box.code}),
                   403)
    assert LockerCompartment.objects.get(pk=box.pk).order_id is not None


def test_wrong_code_is_400_and_says_nothing_about_compartments(api, box):
    body = assert_refused(api(Role.OPERATOR).post(f"/lockers/{box.locker_id}/open",
                                                  {"code": other_code(box.code)}), 400)
    assert body["code"] == "locker_code" and str(box.number) not in body["detail"]
    assert LockerCompartment.objects.get(pk=box.pk).order_id is not None


def test_unknown_locker_is_404(api, box):
    assert_refused(api(Role.OPERATOR).post(f"/lockers/{box.locker_id + 1000}/open",
                                           {"code": box.code}), 404)


@pytest.mark.parametrize("body", [{}, {"code": ""}, {"code": "12ab56"}, {"code": "1234567"},
                                  {"code": 123456}])
def test_bad_input_is_422(api, box, body):
    assert_refused(api(Role.OPERATOR).post(f"/lockers/{box.locker_id}/open", body), 422)
    assert LockerCompartment.objects.get(pk=box.pk).order_id is not None


def test_wrong_codes_lock_the_locker_for_a_while(api, box):
    # given the operator at the locker (or its controller)
    client = api(Role.OPERATOR)
    url = f"/lockers/{box.locker_id}/open"
    # when five wrong codes are tried
    for _ in range(5):
        assert_refused(client.post(url, {"code": other_code(box.code)}), 400)
    # then every further try is refused for a while, even the right code, and the tries
    # are on record
    body = assert_refused(client.post(url, {"code": box.code}), 429, says="Zu viele falsche")
    assert body["code"] == "too_many_attempts"
    assert LockerFailedOpen.objects.filter(locker_id=box.locker_id).count() == 5
    assert LockerCompartment.objects.get(pk=box.pk).order_id is not None
    # and a quarter of an hour later the customer's code opens the compartment
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert client.post(url, {"code": box.code}).status_code == 200


def test_the_controller_credential_opens_its_own_locker_and_nothing_else(api, box, town):
    # given the locker's controller with its own secret (`louise locker_credential`)
    out = StringIO()
    call_command("locker_credential", str(box.locker_id), stdout=out)
    controller = api()
    controller.headers["Authorization"] = f"Bearer {out.getvalue().splitlines()[1]}"
    other = geo.locker_create(name="Station Zwei", compartments={"S": 1}, street="Weg 2",
                              postcode="46236", lat=51.524, lon=6.931)
    # when it reports a code at its own locker / then the compartment is free
    response = controller.post(f"/lockers/{box.locker_id}/open", {"code": box.code})
    assert response.status_code == 200, response.content
    # but another locker reads as unknown, and the rest of the API does not know it
    assert_refused(controller.post(f"/lockers/{other.pk}/open", {"code": "123456"}), 404)
    assert_refused(controller.get("/me"), 401)
    assert_refused(controller.get("/orders"), 401)
    # and a new secret for the locker ends the old one
    locker_credential_issue(locker=town["locker"])
    assert_refused(controller.post(f"/lockers/{box.locker_id}/open", {"code": "123456"}), 401)
