"""The dispatcher's day in a real browser: plan as a background job, see it, publish it."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from louise.logistics.models import PlanRun, Tour, TourStatus
from louise.logistics.positions import position_record
from louise.logistics.rider_actions import rider_action_apply
from louise.logistics.tests.conftest import MONDAY_EVENING as EVENING
from louise.web.conftest import DESKTOP, screenshot, sign_in

DAY = "2026-11-30"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dispatcher_plans_and_publishes(page, two_orders, shifts, staff_users):
    # given the dispatcher on Monday's console with two open legs
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dispatcher", f"/dispo/?tag={DAY}")
    expect(page.locator("#legs tr")).to_have_count(2)
    # a time beyond what the console allows is refused before anything is asked
    page.locator("#time-limit").fill("1000")
    page.get_by_role("button", name="Planen").click()
    expect(page.locator("#plan-status")).to_contain_text("1 bis 600 Sekunden")
    assert not PlanRun.objects.exists()
    # when they plan, leaving the time to the app
    page.locator("#time-limit").fill("")
    page.get_by_role("button", name="Planen").click()
    # then the job reports its end, and tours with stops, times and load appear
    page.get_by_text("Planung fertig").wait_for()
    assert PlanRun.objects.get().time_limit_s == 1.0  # the day's (test settings), not a 5
    # with what each vehicle kind takes of it, at the town's rates
    expect(page.locator("#plan-status")).to_contain_text(
        re.compile(r"(E-Lastenrad|E-Auto): 1 Tour, [\d,]+ km, [\d,]+\s€, [\d,.]+ k?g CO₂"))
    tour = page.locator("article.tour")
    expect(tour.locator("tr.stop")).to_have_count(4)
    expect(tour.locator("header")).to_contain_text("km")
    # and the map draws stops and the tour line although no tile can load
    expect(page.locator("path.stop-marker")).to_have_count(4)
    expect(page.locator("path.tour-line")).to_have_count(1)
    # and the shift left without a tour says so and leads to the day's shift page
    idle = page.locator("#shifts li").filter(has_text="Tour 0 h")
    expect(idle).to_have_count(1)
    expect(idle.get_by_role("link", name="absagen")).to_have_attribute(
        "href", re.compile(rf"/dispo/schichten/\?tag={DAY}&stadt="))
    expect(page.locator("#shifts li").filter(has_text="absagen")).to_have_count(1)
    screenshot(page, "dispatch-planned")
    # when they publish
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    # then the tour belongs to its rider
    expect(tour.locator(".badge").first).to_have_text("veröffentlicht")
    assert Tour.objects.get().status == TourStatus.PUBLISHED
    screenshot(page, "dispatch-published")
    # when they press "Planen" again with every leg in the published tour
    page.get_by_role("button", name="Planen").click()
    # then they are told there is nothing to plan, and the tour stays as it was
    expect(page.locator("#plan-status")).to_contain_text("nichts zu planen", timeout=30_000)
    expect(page.get_by_role("button", name="Planen")).to_be_enabled()  # the page has reloaded
    expect(tour.locator(".badge").first).to_have_text("veröffentlicht")
    expect(tour.locator("tr.stop")).to_have_count(4)
    assert Tour.objects.get().status == TourStatus.PUBLISHED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_moving_a_stop_tells_what_it_breaks(page, drafts, staff_users):
    # given a planned draft tour
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dispatcher", f"/dispo/?tag={DAY}")
    first = page.locator("tr.stop").first
    moved = first.get_attribute("data-stop")
    # when the dispatcher moves the first pickup behind the last drop
    first.locator("input.pos").fill("4")
    first.get_by_role("button", name="Verschieben").click()
    # then the checker's answer is shown: a drop now comes before its pickup
    expect(page.locator("#feedback")).to_contain_text("Zustellung vor Abholung")
    expect(page.locator("tr.stop").nth(3)).to_have_attribute("data-stop", moved)
    # when they lock a stop
    page.locator("tr.stop").first.get_by_role("button", name="Sperren").click()
    # then it shows as locked
    expect(page.locator("tr.stop").first.get_by_title("gesperrt")).to_have_count(1)
    screenshot(page, "dispatch-adjust")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_positions_and_stop_statuses_arrive_without_reload(page, running_tour, tour_rider):
    # given the console open on the evening of a published tour
    page.set_viewport_size(DESKTOP)
    page.clock.set_fixed_time(EVENING)
    with time_machine.travel(EVENING, tick=True):
        sign_in(page, "dispatcher", f"/dispo/?tag={DAY}")
        first = running_tour.stops.order_by("sequence").first()
        expect(page.locator(f'tr.stop[data-stop="{first.pk}"]')).to_have_class(
            re.compile(r"\bpending\b"))
        # when the rider reports a position and collects at the first stop
        position_record(rider=tour_rider, lat=51.5240, lon=6.9270)
        rider_action_apply(rider=tour_rider, key="live-000001", kind="complete",
                           stop_id=first.pk, data={"parcels": 1})
        # then the console shows both without being reloaded
        expect(page.locator(".rider-pin")).to_have_count(1, timeout=12_000)
        expect(page.locator(f'tr.stop[data-stop="{first.pk}"]')).to_have_class(
            re.compile(r"\bdone\b"))
        screenshot(page, "dispatch-live")
