"""The rider's tour without dead ends, on a phone: a pickup can fail, stops can be taken
out of order (a drop still waits for its pickup), a wrong scan is told and forgotten, the
page opens at the first open stop, places are grouped, and the tour has a map."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from louise.logistics.models import LegStatus, StopKind, StopStatus, TourStop
from louise.logistics.rider_actions import rider_action_apply
from louise.web.conftest import screenshot, sign_in

from .test_browser import EVENING, moved_on, open_card, stops_of


@pytest.fixture
def evening(page):
    import time_machine

    page.clock.set_fixed_time(EVENING)
    with time_machine.travel(EVENING, tick=True):
        yield


def card_of(page, stop: TourStop):
    return page.locator(f"#stop-{stop.pk}")


def drop_of(stops: list[TourStop], pickup: TourStop) -> TourStop:
    return next(s for s in stops if s.leg_id == pickup.leg_id and s.kind == StopKind.DELIVERY)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_pickup_can_fail_and_the_rider_may_take_another_stop_first(
        page, running_tour, tour_rider, evening):
    # given the rider's tour: two pickups at the shop, then two drops
    stops = stops_of(running_tour)
    first, second = stops[0], stops[1]
    sign_in(page, tour_rider.username, "/fahrer/")
    expect(open_card(page)).to_have_attribute("id", f"stop-{first.pk}")
    # then a drop cannot be opened before its pickup
    expect(card_of(page, drop_of(stops, first))).to_contain_text("Erst abholen: Stopp 1")
    expect(card_of(page, drop_of(stops, first)).get_by_role(
        "button", name="Diesen Stopp jetzt machen")).to_have_count(0)
    # when the rider takes the second pickup first
    card_of(page, second).get_by_role("button", name="Diesen Stopp jetzt machen").click()
    expect(open_card(page)).to_have_attribute("id", f"stop-{second.pk}")
    card = open_card(page)
    card.get_by_label("Code vom Etikett").fill(f"LOUISE:{second.leg.order.number}:1/1")
    card.get_by_label("Code vom Etikett").press("Enter")
    card.get_by_role("button", name="Abholung bestätigen").click()
    moved_on(page, second)
    # then the first pickup is open again; the shop has not packed it: it fails with why
    card = open_card(page)
    expect(card).to_have_attribute("id", f"stop-{first.pk}")
    card.get_by_label("Abholung nicht möglich, weil").select_option("not_packed")
    screenshot(page, "rider-pickup-failed")
    card.get_by_role("button", name="Abholung gescheitert").click()
    # then its drop leaves the tour and the second order's drop is next
    expect(card_of(page, drop_of(stops, first))).to_have_count(0, timeout=20_000)
    expect(open_card(page)).to_have_attribute("id", f"stop-{drop_of(stops, second).pk}")
    expect(card_of(page, first)).to_contain_text("nicht abgeholt: Ware nicht fertig gepackt")
    # and the leg is back with the dispatcher
    first.refresh_from_db()
    first.leg.refresh_from_db()
    assert first.status == StopStatus.FAILED and first.failure_reason == "not_packed"
    assert first.leg.status == LegStatus.OPEN
    assert not TourStop.objects.filter(pk=drop_of(stops, first).pk).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_wrong_scan_is_told_and_the_next_scan_counts(page, running_tour, tour_rider, evening):
    stops = stops_of(running_tour)
    first, other = stops[0], stops[1]
    sign_in(page, tour_rider.username, "/fahrer/")
    card = open_card(page)
    code = card.get_by_label("Code vom Etikett")
    # when the rider scans the label of another order
    code.fill(f"LOUISE:{other.leg.order.number}:1/1")
    code.press("Enter")
    # then they are told, and it is not counted
    expect(card.locator(".codes")).to_contain_text(
        f"gehört zu Bestellung {other.leg.order.number}")
    expect(card.get_by_label("Anzahl Pakete")).to_have_value("")
    # when they scan the right one, it counts, and the pickup goes through
    code.fill(f"LOUISE:{first.leg.order.number}:1/1")
    code.press("Enter")
    expect(card.get_by_label("Anzahl Pakete")).to_have_value("1")
    card.get_by_role("button", name="Abholung bestätigen").click()
    moved_on(page, first)
    expect(card_of(page, first)).to_have_class(re.compile(r"\bdone\b"), timeout=20_000)
    expect(card_of(page, first)).not_to_contain_text("gehört zu")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_tour_opens_at_the_first_open_stop_with_places_grouped_and_a_map(
        page, running_tour, tour_rider, evening):
    # given the rider's tour of four stops, the two pickups at one shop
    stops = stops_of(running_tour)
    sign_in(page, tour_rider.username, "/fahrer/")
    # then each stop says where it is in the tour
    expect(card_of(page, stops[0])).to_contain_text("Stopp 1 von 4")
    expect(card_of(page, stops[3])).to_contain_text("Stopp 4 von 4")
    # and the two stops at the shop share one heading with their parcels and orders
    group = page.locator("li.place-group")
    expect(group).to_have_count(1)
    expect(group.locator("h2")).to_contain_text(f"{stops[0].label} · 2 Stopps · 2 Pakete")
    expect(group.locator("li.stop-card")).to_have_count(2)
    # and a small map draws the stops and the line without tiles
    expect(page.locator("#tour-map path.stop-marker")).to_have_count(4)
    expect(page.locator("#tour-map path.tour-line")).to_have_count(1)
    screenshot(page, "rider-tour-map")
    # when both pickups are done and the page is opened again
    for i, stop in enumerate(stops[:2]):
        rider_action_apply(rider=tour_rider, key=f"done-{i:06d}", kind="complete",
                           stop_id=stop.pk, data={"parcels": 1})
    page.reload()
    # then the finished stops are folded away, and the page stands at stop 3
    expect(page.locator("li.finished summary")).to_have_text("2 erledigte Stopps")
    expect(card_of(page, stops[0])).to_be_hidden()
    current = open_card(page)
    expect(current).to_have_attribute("id", f"stop-{stops[2].pk}")
    expect(current).to_contain_text("Stopp 3 von 4")
    expect(current).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    top = current.bounding_box()["y"]
    assert abs(top) < 40, top
    screenshot(page, "rider-tour-resumed")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_stop_of_tomorrows_tour_is_refused_and_the_rider_is_told(page, running_tour,
                                                                    tour_rider):
    # given Sunday evening: the app shows Monday's tour ahead
    import time_machine

    sunday = EVENING - timedelta(days=1)
    page.clock.set_fixed_time(sunday)
    stops = stops_of(running_tour)
    first = stops[0]
    with time_machine.travel(sunday, tick=True):
        sign_in(page, tour_rider.username, "/fahrer/")
        expect(page.get_by_text("Nächste Tour Mo, 30.11.")).to_be_visible()
        # when the rider reports its first pickup failed
        card = open_card(page)
        expect(card).to_have_attribute("id", f"stop-{first.pk}")
        card.get_by_label("Abholung nicht möglich, weil").select_option("shop_closed")
        with page.expect_navigation(timeout=20_000):  # the tour fetched anew after it
            card.get_by_role("button", name="Abholung gescheitert").click()
        # then the drop is back, the refusal is still told on the stop, and nothing changed
        expect(card_of(page, drop_of(stops, first))).to_have_count(1, timeout=20_000)
        expect(card_of(page, first).get_by_role("alert")).to_contain_text(
            "erst an diesem Tag", timeout=20_000)
    first.refresh_from_db()
    assert first.status == StopStatus.PENDING
