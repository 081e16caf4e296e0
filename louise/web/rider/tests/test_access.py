"""The rider app is for riders, and each rider sees and touches only their own tour."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from louise.logistics.models import RiderAction
from louise.web.conftest import signed_in

from ....logistics.tests.conftest import MONDAY_EVENING


@pytest.mark.django_db
def test_rider_app_is_for_riders_only(running_tour, staff_users, customer):
    with time_machine.travel(MONDAY_EVENING, tick=False):
        # given anonymous, a customer and the dispatcher / when they open the app
        anonymous = Client().get("/fahrer/")
        # then they are sent to sign in, or refused
        assert anonymous.status_code == 302
        assert signed_in("kundin").get("/fahrer/").status_code == 403
        assert signed_in("dispatcher").get("/fahrer/").status_code == 403
        # and the tour's rider gets the tour
        page = signed_in(running_tour.shift.rider.username).get("/fahrer/")
    assert page.status_code == 200
    assert page.context["tour"]["id"] == running_tour.pk
    assert len(page.context["tour"]["stops"]) == 4


@pytest.mark.django_db
def test_another_rider_sees_no_tour_and_cannot_act_on_its_stops(running_tour, other_rider, api):
    stop = running_tour.stops.first()
    with time_machine.travel(MONDAY_EVENING, tick=False):
        # given another rider / when they open the app / then there is no tour for them
        page = signed_in(other_rider.username).get("/fahrer/")
        assert page.status_code == 200 and page.context["tour"] is None
        # when they try to complete a stop of someone else's tour / then it does not exist
        response = api(other_rider.username).client.post(
            "/api/v1/rider/actions", {"key": "fremd-0001", "kind": "complete",
                                      "stop_id": stop.pk, "data": '{"parcels": 1}'},
            headers=api(other_rider.username).headers)
        assert response.status_code == 404
        # and a position without a tour is refused
        assert api(other_rider.username).post("/rider/positions",
                                              {"lat": 51.5, "lon": 6.9}).status_code == 409
    stop.refresh_from_db()
    assert stop.status == "pending"
    assert RiderAction.objects.get().error == "NotFound"


@pytest.mark.django_db
def test_rider_api_refuses_other_roles(running_tour, staff_users, api):
    stop = running_tour.stops.first()
    for username, status in ((None, 401), ("dispatcher", 403), ("kundin", 403)):
        client = api(username)
        response = client.client.post("/api/v1/rider/actions", {
            "key": "rolle-0001", "kind": "complete", "stop_id": stop.pk, "data": "{}"},
            headers=client.headers)
        assert response.status_code == status, username
        assert client.post("/rider/positions", {"lat": 51.5, "lon": 6.9}).status_code == status


@pytest.mark.django_db
def test_service_worker_covers_the_app(client):
    response = client.get("/fahrer/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/fahrer/"


@pytest.mark.django_db
def test_the_evening_before_the_rider_sees_the_next_tour(running_tour):
    # given Monday's published tour / when the rider opens the app on Saturday
    with time_machine.travel(MONDAY_EVENING - timedelta(days=2), tick=False):
        page = signed_in(running_tour.shift.rider.username).get("/fahrer/")
    # then it shows that tour as the next one
    assert page.context["tour"]["id"] == running_tour.pk
    assert "Nächste Tour" in page.content.decode()
