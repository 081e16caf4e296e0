"""The console in a real browser: a rejected tour goes out only with a reason, nothing goes
out while the day is planned, failed jobs show, the live refresh leaves typing alone."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from louise.accounts.models import Role
from louise.logistics.adjust import stop_lock, stop_move
from louise.logistics.models import (
    PlanRun,
    PublishOverride,
    RunStatus,
    StopKind,
    Tour,
    TourStatus,
)
from louise.web.conftest import DESKTOP, screenshot, sign_in

DAY = "2026-11-30"


@pytest.fixture(autouse=True)
def settled(page):
    """Stop the console's polling before the database is emptied after the test."""
    yield
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")


def ordered(tour: Tour) -> list:
    return list(tour.stops.select_related("leg").order_by("sequence"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_tour_the_checker_rejects_goes_out_only_with_a_reason(page, drafts, staff_users):
    # given a draft whose drop was moved before its pickup
    dispo, tour = staff_users[Role.DISPATCHER], drafts[0]
    drop = next(s for s in ordered(tour) if s.kind == StopKind.DELIVERY)
    stop_move(stop_id=drop.pk, by=dispo, tour_id=tour.pk, position=1)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dispatcher", f"/dispo/?tag={DAY}")
    # when the dispatcher publishes it
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    # then the checker's findings are shown in words, and the tour stays a draft
    feedback = page.locator("#feedback")
    expect(feedback).to_contain_text("Stopp 1")
    expect(feedback).to_contain_text("Zustellung vor Abholung")
    assert Tour.objects.get(pk=tour.pk).status == TourStatus.DRAFT
    # when they confirm with a reason
    feedback.get_by_label("Trotzdem veröffentlichen").check()
    feedback.get_by_label("Begründung").fill("Kundin holt im Laden ab")
    screenshot(page, "dispatch-override")
    feedback.get_by_role("button", name="Mit Begründung veröffentlichen").click()
    # then it is out, on the record, and the tour says so
    article = page.locator(f'article.tour[data-tour="{tour.pk}"]')
    expect(article.locator(".badge").first).to_have_text("veröffentlicht")
    expect(article.locator(".override-note")).to_contain_text("Kundin holt im Laden ab")
    record = PublishOverride.objects.get(tour=tour)
    assert record.by == dispo and record.reason == "Kundin holt im Laden ab"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_publishing_waits_for_the_plan_run_and_a_failed_run_shows(page, drafts, staff_users):
    # given a plan run of the day still computing (after the one that made the drafts)
    run = PlanRun.objects.create(day=DAY, status=RunStatus.RUNNING,
                                 created_at=drafts[0].plan_run.created_at + timedelta(minutes=5))
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dispatcher", f"/dispo/?tag={DAY}")
    # then nothing can be published, and the console says why
    publish_all = page.get_by_role("button", name="Alle Entwürfe veröffentlichen")
    expect(publish_all).to_be_disabled()
    expect(publish_all).to_have_attribute("title", re.compile("Planung läuft – bitte warten"))
    # when the run fails in the background
    PlanRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED,
                                             error="Kein Fahrzeug frei")
    # then the failure shows with its message, without a reload
    failures = page.locator("#failures")
    expect(failures).to_contain_text("Hintergrundjob fehlgeschlagen", timeout=12_000)
    expect(failures).to_contain_text("Kein Fahrzeug frei")
    screenshot(page, "dispatch-failed-job")
    # and publishing works again, told in German: one tour, not "1 Touren"
    expect(publish_all).to_be_enabled()
    publish_all.click()
    expect(page.locator("#feedback")).to_have_text("1 Tour veröffentlicht.")
    assert Tour.objects.get(pk=drafts[0].pk).status == TourStatus.PUBLISHED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_live_refresh_leaves_what_the_dispatcher_types(page, drafts, staff_users):
    # given the console with a draft of four stops
    dispo, tour = staff_users[Role.DISPATCHER], drafts[0]
    stops = ordered(tour)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dispatcher", f"/dispo/?tag={DAY}")
    row = page.locator(f'tr.stop[data-stop="{stops[0].pk}"]')
    position = row.locator("input.pos")
    # when the dispatcher types a new position for the first stop
    position.fill("2")
    # and meanwhile the day changes on the server (a colleague locks the last stop)
    stop_lock(stop_id=stops[3].pk, by=dispo, locked=True)
    # then the refresh shows the change but leaves the field, its input and its focus alone
    last = page.locator(f'tr.stop[data-stop="{stops[3].pk}"]')
    expect(last.get_by_title("gesperrt")).to_have_count(1, timeout=12_000)
    expect(position).to_have_value("2")
    expect(position).to_be_focused()
    # and an unsaved input survives a refresh without the focus, too
    page.locator("h1").click()
    stop_lock(stop_id=stops[2].pk, by=dispo, locked=True)
    third = page.locator(f'tr.stop[data-stop="{stops[2].pk}"]')
    expect(third.get_by_title("gesperrt")).to_have_count(1, timeout=12_000)
    expect(position).to_have_value("2")
    # when they send it, the stop moves and the row is the server's again
    row.get_by_role("button", name="Verschieben").click()
    expect(page.locator("tr.stop").nth(1)).to_have_attribute("data-stop", str(stops[0].pk))
    expect(page.locator(f'tr.stop[data-stop="{stops[0].pk}"] input.pos')).to_have_value("2")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_numbers_and_filters_read_german(page, drafts, staff_users):
    # given a planned day of two legs, both planned
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dispatcher", f"/dispo/?tag={DAY}")
    expect(page.locator("#legs tr")).to_have_count(2)
    # then the status filter offers "eingeplant" once, however many legs have it
    expect(page.locator("#f-status option", has_text="eingeplant")).to_have_count(1)
    # and the tour's distance has a decimal comma
    header = page.locator("article.tour header").first
    km = Tour.objects.get(pk=drafts[0].pk).distance_m / 1000
    expect(header).to_contain_text(f"{round(km, 1):g} km".replace(".", ","))
    expect(header).to_contain_text("4 Stopps")
