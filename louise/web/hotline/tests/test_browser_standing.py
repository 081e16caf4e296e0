"""A standing delivery set up on the phone, in a real browser: a senior centre on Tuesdays
and Fridays gets the next four weeks' orders, Christmas Day is dropped, and the agent skips
one date by hand; a rule without a weekday is refused and nothing is made."""

import pytest
import time_machine
from playwright.sync_api import expect

from louise.catalog.models import Product
from louise.conftest import MONDAY_MORNING
from louise.hotline.models import StandingOrder
from louise.orders.models import Order, OrderStatus
from louise.web.conftest import DESKTOP, screenshot, sign_in


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_standing_delivery_twice_a_week_books_four_weeks_and_one_date_is_skipped(
        page, shop, customer, staff_users, monday):
    Product.objects.update(stock=100)
    person, _address = customer
    page.set_viewport_size(DESKTOP)
    sign_in(page, "hotline", f"/hotline/kunden/{person.pk}/")
    form = page.locator("#standing-form")

    # a rule without a weekday is refused, nothing made
    form.get_by_label("Bezeichnung").fill("Seniorenzentrum St. Anna")
    form.get_by_label(shop["product"].name).fill("2")
    form.get_by_role("button", name="Dauerauftrag anlegen").click()
    expect(page.get_by_text("Bitte mindestens einen Wochentag wählen.")).to_be_visible()
    assert not StandingOrder.objects.exists()

    # Tuesdays and Fridays, three recipients, holidays dropped
    form = page.locator("#standing-form")
    form.get_by_label("Bezeichnung").fill("Seniorenzentrum St. Anna")
    form.get_by_label("Di", exact=True).check()
    form.get_by_label("Fr", exact=True).check()
    form.get_by_label("Empfänger").fill("Frau Abel, 12\nHerr Beck, 14\nFrau Cordes")
    form.get_by_label(shop["product"].name).fill("2")
    form.get_by_role("button", name="Dauerauftrag anlegen").click()
    expect(page.get_by_text("Dauerauftrag „Seniorenzentrum St. Anna“ angelegt.")).to_be_visible()
    # the next four weeks: 1.12. to 22.12. booked, Friday 25.12. is Christmas
    christmas = page.locator('tr[data-day="2026-12-25"]')
    expect(christmas).to_contain_text("entfällt")
    expect(christmas).to_contain_text("Weihnachtstag")
    assert Order.objects.count() == 7
    screenshot(page, "hotline-standing")

    # Friday 11 December is skipped by hand: its order is cancelled
    page.locator('tr[data-day="2026-12-11"]').get_by_role("button", name="Entfällt").click()
    expect(page.get_by_text("11.12.2026: entfällt.")).to_be_visible()
    expect(page.locator('tr[data-day="2026-12-11"]')).to_contain_text("einzeln geändert")
    assert Order.objects.exclude(status=OrderStatus.CANCELLED).count() == 6
    note = Order.objects.exclude(status=OrderStatus.CANCELLED).first().notes
    assert "Frau Abel (12); Herr Beck (14); Frau Cordes" in note
