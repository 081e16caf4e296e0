"""Who may open the dispatch console and use its API: tried as anonymous, wrong role, right role."""

import pytest
from django.test import Client

from louise.accounts.models import Role
from louise.web.conftest import signed_in

DAY = "2026-11-30"


@pytest.mark.django_db
def test_console_is_for_dispatch_and_operator_only(staff_users, customer):
    # given anonymous, a customer, a rider, the dispatcher and the operator
    # when each opens the console / then only dispatch and operator get it
    anonymous = Client().get("/dispo/")
    assert anonymous.status_code == 302 and "/konto/anmelden/" in anonymous["Location"]
    for username, status in (("kundin", 403), ("rider", 403), ("hotline", 403),
                             ("dispatcher", 200), ("operator", 200)):
        assert signed_in(username).get(f"/dispo/?tag={DAY}").status_code == status, username


@pytest.mark.django_db
def test_console_api_refuses_everyone_else(drafts, staff_users, api):
    # given a planned day and its first draft stop
    stop = drafts[0].stops.first()
    calls = [("get", "/dispatch/day", {"day": DAY}),
             ("post", "/dispatch/plan", {"day": DAY, "time_limit": 1}),
             ("post", "/dispatch/insert", {"day": DAY}),
             ("post", f"/stops/{stop.pk}/lock", {"locked": True}),
             ("post", f"/stops/{stop.pk}/move", {"tour_id": drafts[0].pk, "position": 1})]
    def call(client, method: str, path: str, data: dict):
        return client.get(path, **data) if method == "get" else client.post(path, data)

    for method, path, data in calls:
        # when anonymous, a customer or a rider try / then they are refused
        assert call(api(), method, path, data).status_code == 401, path
        for username in ("kundin", "rider"):
            assert call(api(username), method, path, data).status_code == 403, (path, username)
    # and the dispatcher gets the day
    assert api("dispatcher").get("/dispatch/day", day=DAY).json()["tours"][0]["id"] == drafts[0].pk


@pytest.mark.django_db
def test_a_bad_day_is_a_404_not_a_500(staff_users):
    assert signed_in(Role.DISPATCHER).get("/dispo/?tag=gestern").status_code == 404
