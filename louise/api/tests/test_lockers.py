"""POST /lockers/{id}/open: the locker controller (an operator token) reports a compartment
opened with its code; tried anonymous, as other roles, and with bad input."""

import pytest

from louise.accounts.models import Role
from louise.geo.models import LockerCompartment
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
