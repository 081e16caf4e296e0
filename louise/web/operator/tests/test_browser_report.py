"""The town's report in a real browser: the operator opens it for a recorded day, switches
to the month, and changes a lever of the what-if panel, which the server answers at once."""

from datetime import date

import pytest
from playwright.sync_api import expect

from louise.accounts.models import Role
from louise.core.money import euro_text
from louise.reports.selectors import Period, report_for
from louise.reports.tests.test_report import delivered_day
from louise.web.conftest import DESKTOP, screenshot, sign_in

__all__ = ["delivered_day"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_reads_the_report_and_asks_what_if(page, delivered_day, staff_users):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "operator", "/betrieb/bericht/")
    page.goto("/betrieb/bericht/?zeitraum=day&ab=2026-11-30")
    expect(page.get_by_role("heading", level=1)).to_contain_text("30.11.2026")
    expect(page.locator("#group-quality")).to_contain_text("100 %")
    page.wait_for_load_state("networkidle")  # its charts (see below)
    # when the operator switches to the month
    page.get_by_label("Zeitraum").select_option("month")
    page.get_by_role("button", name="Anzeigen").click()
    # then the month is shown beside the one before, with its charts
    expect(page.get_by_role("heading", level=1)).to_contain_text("11/2026")
    expect(page.get_by_text("Verglichen mit 10/2026.")).to_be_visible()
    expect(page.locator("#chart-drops img")).to_be_visible()
    # every chart is a request of its own: let them finish before the panel asks (the test
    # server shares SQLite's one in-memory connection between its threads)
    page.wait_for_load_state("networkidle")
    # when a lever changes, the server's answer replaces the panel without a new page
    month = Period("month", date(2026, 11, 1), date(2026, 11, 30))
    expected = report_for(staff_users[Role.OPERATOR], None, month,
                          {"orders_per_day": 40.0}).outcome
    # a wrong turn first: a negative fee is answered with the message, in place of the figures
    page.get_by_label("Gebühr je Zustellung (€)").fill("-2")
    expect(page.locator("#what-if-result")).to_have_attribute("data-state", "error")
    expect(page.locator("#what-if-errors")).to_contain_text("größer oder gleich 0")
    page.get_by_label("Gebühr je Zustellung (€)").fill("")
    # one answer at a time, for the same reason
    expect(page.locator("#what-if-result")).to_have_attribute("data-state", "fresh")
    page.get_by_label("Bestellungen je Liefertag").fill("40")
    expect(page.locator("#what-if-result")).to_have_attribute("data-state", "fresh")
    expect(page.locator("#wi-result")).to_have_text(euro_text(int(expected.result_per_day)))
    assert "zeitraum=month" in page.url and "bestellungen" not in page.url
    screenshot(page, "operator-report")
