"""One real order, from the shop to the customer's door, through the HTTP API only,
each step done by the role that does it in life, with that person's own login."""

import time_machine

from ...conftest import MONDAY_MORNING


def test_order_from_shop_to_door(shop, customer, shifts, staff_users, api,
                                 django_capture_on_commit_callbacks):
    kundin, merchant, dispo, rider = (api("kundin"), api("laden1"), api("dispatcher"),
                                      api("rider"))
    address_id = kundin.get("/me/addresses").json()[0]["id"]

    with time_machine.travel(MONDAY_MORNING, tick=False):
        # Customer orders one book to her door.
        response = kundin.post("/orders", {
            "merchant_id": shop["merchant"].pk,
            "lines": [{"product_id": shop["product"].pk, "quantity": 1}],
            "destination": {"method": "door", "address_id": address_id},
        }, headers={"Idempotency-Key": "flow-1"})
        assert response.status_code == 201, response.content
        number = response.json()["number"]
        assert response.json()["status"] == "placed"

        # The shop accepts and packs it.
        assert merchant.post(f"/orders/{number}/accept").json()["status"] == "accepted"
        ready = merchant.post(f"/orders/{number}/ready", {"parcels": 1})
        assert ready.json()["status"] == "ready"

    # The dispatcher sees the leg, plans the day and publishes the tour.
    legs = dispo.get("/legs", day="2026-11-30").json()
    assert [leg["order"] for leg in legs] == [number]
    with django_capture_on_commit_callbacks(execute=True):  # the job runs (inline in tests)
        run = dispo.post("/plans", {"day": "2026-11-30"})  # the time limit: the app's
    assert run.status_code == 202, run.content
    assert run.json()["time_limit_s"] == 1.0  # the day's size within the test settings' 1-1 s
    run = dispo.get(f"/plans/{run.json()['id']}")
    assert run.json()["status"] == "done" and run.json()["summary"]["assigned"] == 1
    tours = dispo.get("/tours", day="2026-11-30").json()
    assert len(tours) == 1 and tours[0]["status"] == "draft"
    tour_id = tours[0]["id"]
    assert rider.get(f"/tours/{tour_id}").status_code == 404  # drafts are not the riders' yet
    assert dispo.post(f"/tours/{tour_id}/publish").json()["status"] == "published"

    # The rider of that tour collects and delivers with a proof.
    tour_rider = api(_username_of(tours[0]["rider"]))
    stops = tour_rider.get(f"/tours/{tour_id}").json()["stops"]
    assert [s["kind"] for s in stops] == ["pickup", "delivery"]
    pickup = tour_rider.post(f"/stops/{stops[0]['id']}/complete", {"parcels": 1})
    assert pickup.status_code == 200, pickup.content
    assert kundin.get(f"/orders/{number}").json()["status"] == "out_for_delivery"
    drop = tour_rider.post(f"/stops/{stops[1]['id']}/complete",
                           {"proof_method": "name", "recipient_name": "Kundin Test"})
    assert drop.status_code == 200, drop.content

    # The customer sees "delivered", with the whole history.
    detail = kundin.get(f"/orders/{number}").json()
    assert detail["status"] == "delivered"
    assert [e["to_status"] for e in detail["events"]] == [
        "placed", "accepted", "ready", "collected", "out_for_delivery", "delivered"]
    assert [(e["kind"], e["label"]) for e in detail["events"]][:2] == [
        ("placed", "bestellt"), ("status", "angenommen")]


def _username_of(display_name: str) -> str:
    """Fixture riders are named '<username> Test'."""
    return display_name.split()[0]
