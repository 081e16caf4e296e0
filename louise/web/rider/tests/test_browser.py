"""The rider's evening in a real browser, on a phone-sized screen."""

import io
import re
from datetime import datetime, time
from urllib.parse import unquote

import pytest
import time_machine
from PIL import Image
from playwright.sync_api import expect

from louise.core.calendar import BERLIN
from louise.logistics.models import Proof, RiderAction, StopKind, StopStatus, TourStop
from louise.orders.models import OrderStatus
from louise.web.conftest import screenshot, sign_in

from ....conftest import MONDAY_MORNING

# Monday, a quarter to six: the wave has started.
EVENING = datetime.combine(MONDAY_MORNING.date(), time(17, 45), BERLIN)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def stops_of(tour) -> list[TourStop]:
    return list(tour.stops.select_related("leg__order").order_by("sequence"))


def open_card(page):
    return page.locator("li.stop-card.current")


def collect(page, stop: TourStop) -> None:
    card = open_card(page)
    card.get_by_label("Code vom Etikett").fill(f"LOUISE:{stop.leg.order.number}:1/1")
    card.get_by_label("Code vom Etikett").press("Enter")
    expect(card.get_by_label("Anzahl Pakete")).to_have_value("1")
    card.get_by_role("button", name="Abholung bestätigen").click()
    moved_on(page, stop)


def moved_on(page, stop: TourStop) -> None:
    """Wait until the app has taken the action and opened the next stop: up to 15 s, as a
    delivery uploads and stores its photo first (on a busy CI machine, more than the 5 s
    Playwright waits by default)."""
    expect(page.locator(f"#stop-{stop.pk}")).not_to_have_class(re.compile(r"\bcurrent\b"),
                                                              timeout=15_000)


@pytest.fixture
def evening(page):
    """Server and browser clocks on Monday evening (the tour's day)."""
    page.clock.set_fixed_time(EVENING)
    with time_machine.travel(EVENING, tick=True):
        yield


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_rider_completes_the_tour_with_photo_and_a_failed_stop_to_the_locker(
        page, running_tour, tour_rider, evening):
    # given the rider's published tour: two pickups at the shop, two drops
    stops = stops_of(running_tour)
    pickups = [s for s in stops if s.kind == StopKind.PICKUP]
    drops = [s for s in stops if s.kind == StopKind.DELIVERY]
    sign_in(page, tour_rider.username, "/fahrer/")
    expect(page.locator("li.stop-card")).to_have_count(4)
    geo = f"geo:{pickups[0].lat},{pickups[0].lon}?q={pickups[0].lat},{pickups[0].lon}("
    href = open_card(page).get_by_role("link", name="Navigation").get_attribute("href")
    assert href.startswith(geo) and unquote(href[len(geo):-1]) == pickups[0].label
    screenshot(page, "rider-tour")
    # when they collect both parcels by their labels
    for stop in stops[:2]:
        collect(page, stop)
    # and deliver the first with a photo
    card = open_card(page)
    card.get_by_label("Foto aufnehmen").set_input_files(
        files=[{"name": "tuer.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    screenshot(page, "rider-proof")
    card.get_by_role("button", name="Zugestellt").click()
    moved_on(page, drops[0])
    # and nobody opens at the second door
    card = open_card(page)
    expect(card).to_contain_text(drops[1].label)
    card.get_by_label("Nicht zustellbar, weil").select_option("not_home")
    card.get_by_role("button", name="Nicht zustellbar").click()
    # then the tour gets a locker stop with the compartment and its code
    locker_card = page.locator("li.stop-card.current")
    expect(locker_card).to_contain_text("Paketstation, Fach")
    screenshot(page, "rider-locker")
    code = locker_card.locator(".locker").inner_text().rsplit("Code ", 1)[1].strip()
    # when they put the parcel in and confirm with the code
    locker_card.get_by_label("Fachcode eingeben").fill(code)
    locker_card.get_by_role("button", name="Zugestellt").click()
    # then the tour is done
    expect(page.get_by_text("Tour abgeschlossen")).to_be_visible()
    screenshot(page, "rider-done")
    assert [s.status for s in stops_of(running_tour)] == [
        StopStatus.DONE, StopStatus.DONE, StopStatus.DONE, StopStatus.FAILED, StopStatus.DONE]
    assert Proof.objects.get(stop=drops[0]).photo.name.endswith(".jpg")
    # and both customers' orders show delivered
    for drop in drops:
        drop.leg.order.refresh_from_db()
        assert drop.leg.order.status == OrderStatus.DELIVERED
    customer = drops[0].leg.order.customer
    page.get_by_role("button", name="Abmelden").click()
    sign_in(page, customer.username, f"/bestellungen/{drops[0].leg.order.number}/")
    expect(page.locator("#live")).to_contain_text("zugestellt")
    screenshot(page, "rider-customer-delivered")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_three_actions_queued_offline_land_once_each(page, running_tour, tour_rider, evening):
    # given the rider's tour open on the phone
    stops = stops_of(running_tour)
    sign_in(page, tour_rider.username, "/fahrer/")
    expect(page.locator("li.stop-card")).to_have_count(4)
    # and the answer to the first action gets lost on the way back once
    lost = []

    def lose_first_answer(route):
        if not lost:
            lost.append(route.fetch())  # the server did the work ...
            route.abort()               # ... but the phone never hears of it
        else:
            route.continue_()

    page.route("**/api/v1/rider/actions", lose_first_answer)
    # when the network goes away and the rider does three stops
    page.context.set_offline(True)
    for stop in stops[:2]:
        collect(page, stop)
    card = open_card(page)
    card.get_by_label("Name", exact=True).check()
    card.get_by_label("Name des Empfängers").fill("Frau Test")
    card.get_by_role("button", name="Zugestellt").click()
    moved_on(page, stops[2])
    # then all three wait on the phone, and nothing reached the server
    expect(page.locator("#outbox")).to_contain_text("3 Aktionen warten")
    screenshot(page, "rider-offline")
    assert not RiderAction.objects.exists()
    # when the network is back
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    # then the outbox empties (the lost answer is simply asked again) ...
    expect(page.locator("#outbox")).to_be_hidden(timeout=20_000)
    # ... and each action landed exactly once, in the rider's order
    actions = list(RiderAction.objects.order_by("id"))
    assert [a.stop_id for a in actions] == [s.pk for s in stops[:3]]
    assert all(not a.error for a in actions) and len(lost) == 1
    assert [s.status for s in stops_of(running_tour)] == [
        StopStatus.DONE, StopStatus.DONE, StopStatus.DONE, StopStatus.PENDING]
