"""The operator's week in a real browser: a shift pattern made in the console gives next
week's shifts, and the dispatcher plans a day nobody seeded into a tour."""

import secrets
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from louise.accounts.models import Role
from louise.conftest import make_user, the_town
from louise.core.calendar import BERLIN, is_working_day
from louise.logistics.models import Leg, Shift, Tour
from louise.orders import services as orders
from louise.orders.checkout import Destination, LineRequest, checkout_place
from louise.web.conftest import DESKTOP, screenshot, sign_in

TABLET = {"width": 1024, "height": 768}


def next_weeks_tuesday() -> date:
    """Tuesday of next week (or the first later working Tuesday, should it be a holiday)."""
    today = timezone.localdate()
    day = today + timedelta(days=7 - today.weekday() + 1)
    while not is_working_day(day, the_town().schedule):
        day += timedelta(days=7)
    return day


def order_ready_on(day: date, shop: dict, customer: tuple) -> None:
    """A door order placed that morning through the checkout, accepted and packed by the
    shop, so the day has an open leg."""
    person, address = customer
    morning = datetime.combine(day, time(10), BERLIN)
    with time_machine.travel(morning, tick=False):
        order = checkout_place(customer=person, lines=[LineRequest(shop["product"].pk, 1)],
                               destination=Destination("door", address_id=address.pk),
                               idempotency_key=secrets.token_hex(8), now=morning).orders.get()
        orders.order_accept(order_number=order.number, by=shop["staff"], now=morning)
        orders.order_mark_ready(order_number=order.number, by=shop["staff"], now=morning)
    assert Leg.objects.filter(order=order, drop_from__date=day).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_shift_pattern_lets_the_dispatcher_plan_an_unseeded_day(page, town, shop, customer):
    # given Bottrop's operator, dispatcher and a rider without any shift, and an order
    # packed for next week's Tuesday
    make_user("stadt", Role.OPERATOR)
    make_user("dispo", Role.DISPATCHER)
    make_user("fahrer1", Role.RIDER)
    tuesday = next_weeks_tuesday()
    order_ready_on(tuesday, shop, customer)
    assert not Shift.objects.exists()
    # when the operator, on a tablet, makes "Mo–Fr 14:00–21:00, Rad 1" for the rider
    page.set_viewport_size(TABLET)
    sign_in(page, "stadt", "/betrieb/")
    page.get_by_role("link", name="Flotte und Schichten").click()
    page.get_by_role("link", name="Neues Schichtmuster").click()
    for day in ("Mo", "Di", "Mi", "Do", "Fr"):
        page.get_by_label(day, exact=True).check()
    page.get_by_label("Beginn").fill("14:00")
    page.get_by_label("Ende").fill("21:00")
    page.get_by_label("Fahrer/in").select_option(label="fahrer1 Test")
    page.get_by_label("Fahrzeug").select_option(label="Rad 1")
    screenshot(page, "operator-pattern-new")
    page.get_by_role("button", name="Speichern").click()
    # then the console says what it made, and next week's Tuesday has the shift
    expect(page.locator(".msg-success")).to_contain_text("Schichten angelegt")
    assert Shift.objects.filter(day=tuesday, rider__username="fahrer1").count() == 1
    screenshot(page, "operator-pattern-saved")
    # and the fleet page lists the pattern
    page.get_by_role("link", name="Flotte und Schichten Bottrop").click()
    expect(page.locator("#patterns tbody tr")).to_contain_text("Mo, Di, Mi, Do, Fr 14:00–21:00")
    screenshot(page, "operator-fleet")
    # when the dispatcher opens that Tuesday's shifts
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dispo", f"/dispo/schichten/?tag={tuesday:%Y-%m-%d}")
    rows = page.locator("#shifts tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("fahrer1 Test")
    expect(rows.first).to_contain_text("14:00–21:00")
    screenshot(page, "dispatch-shifts")
    # and goes on to the console of that day and plans it
    page.get_by_role("link", name="Disposition Bottrop").click()
    expect(page.locator("#legs tr")).to_have_count(1)
    page.get_by_label("Rechenzeit (s)").fill("1")
    page.get_by_role("button", name="Planen").click()
    # then a tour on the pattern's shift appears (a busy machine may take a while)
    page.get_by_text("Planung fertig").wait_for(timeout=60_000)
    expect(page.locator("article.tour")).to_have_count(1)
    expect(page.locator("article.tour header")).to_contain_text("fahrer1 Test")
    tour = Tour.objects.get(plan_run__day=tuesday)
    assert tour.shift.pattern is not None and tour.stops.count() == 2
    screenshot(page, "dispatch-unseeded-day-planned")
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")  # stop the console's polling before the database is emptied
