"""The town's report in the operator's console: what it shows of a recorded day, the what-if
panel answered by the server, bad input refused in German, the downloads, and that only the
town's operators and the region's see it."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from louise.accounts.models import Role
from louise.conftest import make_user, other_town, the_town
from louise.core.calendar import BERLIN
from louise.core.money import euro_text
from louise.geo.towns import town_update
from louise.reports import selectors
from louise.reports.selectors import Period, report_for
from louise.reports.tests.test_report import MONDAY, delivered_day
from louise.simulation.models import History, SimulatedDay

__all__ = ["delivered_day"]
URL = "/betrieb/bericht/"
MONDAY_QUERY = {"zeitraum": "day", "ab": "2026-11-30"}


def client_of(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_operator_sees_the_days_figures_charts_and_sources(delivered_day, staff_users):
    page = client_of(staff_users[Role.OPERATOR]).get(URL, MONDAY_QUERY)
    assert page.status_code == 200
    html = page.content.decode()
    for words in ("Bericht Bottrop · 30.11.2026", "Verglichen mit 29.11.2026", "Leistung",
                  "Qualität", "Flotte", "Umwelt", "Wirtschaftlichkeit",
                  "Pünktlich (im zugesagten Fenster)", "100 %", "Kosten je Stopp",
                  "Break-even", "Als Tabelle",
                  'src="/betrieb/bericht/grafik/drops.svg?zeitraum=day&amp;ab=2026-11-30"',
                  "Umweltbundesamt", "Was wäre, wenn"):
        assert words in html, words


def test_each_chart_is_drawn_in_a_request_of_its_own_from_the_pages_report(
        delivered_day, staff_users, monkeypatch):
    """The page draws no chart; each picture is asked for on its own and drawn from the
    report the page just measured, without measuring the day again."""
    measured = []
    measure = selectors.report_of
    monkeypatch.setattr(selectors, "report_of", lambda *args, **kwargs: (
        measured.append(args[2]) or measure(*args, **kwargs)))
    client = client_of(staff_users[Role.OPERATOR])
    page = client.get(URL, MONDAY_QUERY).content.decode()
    assert "<svg" not in page and len(measured) == 2  # the day and the day before
    chart = client.get(f"{URL}grafik/drops.svg", MONDAY_QUERY)
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
    assert b"<svg" in chart.content and b"Zustellungen" in chart.content
    assert len(measured) == 2  # drawn from the page's report
    cache.clear()  # the kept report gone (another web process, or ten minutes later)
    assert b"<svg" in client.get(f"{URL}grafik/orders.svg", MONDAY_QUERY).content
    assert measured[2:] == [Period("day", MONDAY, MONDAY)]  # measured for the picture
    assert client.get(f"{URL}grafik/kuchen.svg", MONDAY_QUERY).status_code == 404
    bad = client.get(f"{URL}grafik/drops.svg", {"zeitraum": "day", "ab": "gestern"})
    assert bad.status_code == 400 and "ist kein Datum" in bad.content.decode()


def test_the_what_if_panel_is_the_servers_answer(delivered_day, staff_users):
    operator = staff_users[Role.OPERATOR]
    panel = client_of(operator).get(URL, {**MONDAY_QUERY, "teil": "waswaere",
                                          "gebuehr": "3.50", "bestellungen": "40", "rad": "100"})
    assert panel.status_code == 200
    html = panel.content.decode()
    assert "<html" not in html and 'id="wi-break-even"' in html
    expected = report_for(operator, None, Period("day", MONDAY, MONDAY), {
        "fee_cents": 350, "orders_per_day": 40, "bike_share": 1.0}).outcome
    # the fee of 3.50 € plus the shop's fees on the day's goods (none under its schedule)
    assert expected.revenue_per_order >= 350
    assert euro_text(int(expected.revenue_per_order)) in html.split('id="wi-revenue"')[1]
    assert euro_text(int(expected.result_per_day)) in html.split('id="wi-result"')[1]
    shown = (str(expected.break_even_per_day) if expected.break_even_per_day is not None
             else "nicht erreichbar")
    assert shown in html.split('id="wi-break-even"')[1]


def test_a_lever_the_server_refuses_is_said_in_the_panel(delivered_day, staff_users):
    panel = client_of(staff_users[Role.OPERATOR]).get(URL, {**MONDAY_QUERY, "teil": "waswaere",
                                                           "gebuehr": "-2"})
    assert panel.status_code == 400
    html = panel.content.decode()
    assert "<html" not in html and 'id="wi-result"' not in html
    assert ("Gebühr je Zustellung (€): Dieser Wert muss größer oder gleich 0 sein."
            in html.split('id="what-if-errors"')[1])


@pytest.mark.parametrize(("query", "says"), [
    ({"zeitraum": "month", "ab": "2999-01-01"}, "liegt in der Zukunft"),
    ({"zeitraum": "custom", "ab": "2026-11-10", "bis": "2026-11-01"}, "vor seinem Anfang"),
    ({"zeitraum": "day", "ab": "gestern"}, "ist kein Datum"),
    ({"zeitraum": "jahr"}, "Auswahl"),
    ({"gebuehr": "-1"}, "größer oder gleich 0"),
])
def test_bad_input_is_refused_in_german(staff_users, query, says):
    page = client_of(staff_users[Role.OPERATOR]).get(URL, query)
    assert page.status_code == 400
    assert says in page.content.decode()


def test_a_factor_the_town_set_is_shown_as_its_own(town, staff_users):
    operator = staff_users[Role.OPERATOR]
    town_update(by=operator, town_id=the_town().pk, report_costs={"van_co2_g_per_km": 300})
    html = client_of(operator).get(URL).content.decode()
    row = html.split("Diesel-Lieferwagen: CO₂e je km")[1].split("</tr>")[0]
    assert "300 g" in row and "Wert der Stadt" in row
    assert "Umweltbundesamt" in html  # the other factors keep their sources


def test_downloads(delivered_day, staff_users):
    client = client_of(staff_users[Role.OPERATOR])
    pdf = client.get(f"{URL}bericht.pdf", MONDAY_QUERY)
    assert pdf["Content-Type"] == "application/pdf"
    assert "Bericht Bottrop" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    xlsx = client.get(f"{URL}bericht.xlsx", MONDAY_QUERY)
    assert xlsx.content.startswith(b"PK") and "bericht-bottrop-2026-11-30" in xlsx[
        "Content-Disposition"]
    csvs = zipfile.ZipFile(io.BytesIO(client.get(f"{URL}bericht.zip", MONDAY_QUERY).content))
    assert "tage.csv" in csvs.namelist()
    assert client.get(f"{URL}bericht.pdf", {"zeitraum": "month", "ab": "2999-01-01"}
                      ).status_code == 400


def test_only_operators_of_the_town_or_the_region_see_it(town, staff_users):
    gladbeck = other_town()
    theirs = make_user("stadt-gladbeck", Role.OPERATOR, town_ids=[gladbeck.pk])
    region = make_user("region", Role.OPERATOR, town_ids=[], all_towns=True)
    ours = client_of(staff_users[Role.OPERATOR])
    assert ours.get(URL).status_code == 200
    assert ours.get(URL, {"stadt": "gladbeck"}).status_code == 404  # another town
    assert ours.get(URL, {"stadt": "region"}).status_code == 404  # the region's only
    assert ours.get(URL, {"stadt": "atlantis"}).status_code == 404
    assert ours.get(f"{URL}bericht.pdf", {"stadt": "gladbeck"}).status_code == 404
    assert ours.get(f"{URL}grafik/orders.svg", {"stadt": "gladbeck"}).status_code == 404
    other = client_of(theirs)
    assert other.get(URL, {"stadt": "bottrop"}).status_code == 404
    page = other.get(URL)
    assert page.status_code == 200 and "Bericht Gladbeck" in page.content.decode()
    whole = client_of(region).get(URL, {"stadt": "region"})
    assert whole.status_code == 200 and "Bericht Region" in whole.content.decode()
    assert client_of(region).get(URL, {"stadt": "gladbeck"}).status_code == 200
    for role in (Role.DISPATCHER, Role.RIDER, Role.HOTLINE):
        assert client_of(staff_users[role]).get(URL).status_code == 403
        assert client_of(staff_users[role]).get(f"{URL}bericht.pdf").status_code == 403
        assert client_of(staff_users[role]).get(f"{URL}grafik/orders.svg").status_code == 403
    assert client_of(make_user("kundin", Role.CUSTOMER)).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to the sign-in


def test_the_page_says_how_far_the_demos_history_is(staff_users):
    # given: a history of 60 working days being simulated, one of them done
    history = History.objects.create(town=the_town(), days=60, first_day=date(2026, 9, 2),
                                     until=date(2026, 11, 30))
    SimulatedDay.objects.create(town=the_town(), day=date(2026, 9, 2), seed=0)
    client = client_of(staff_users[Role.OPERATOR])
    # when / then: the operator's page says so
    html = client.get(URL, MONDAY_QUERY).content.decode()
    assert ("Verlauf wird aufgebaut (Bottrop): 1 von 60 Tagen ab 02.09.2026 simuliert"
            in html)
    # ... with a link to the history's days
    link = "?stadt=bottrop&amp;zeitraum=custom&amp;ab=2026-09-02&amp;bis=2026-11-29"
    assert link in html
    # ... and once it is finished, only the link
    history.finished = datetime(2026, 11, 30, 12, tzinfo=BERLIN)
    history.save()
    html = client.get(URL, MONDAY_QUERY).content.decode()
    assert "Verlauf wird aufgebaut" not in html
    assert link in html and "vom 02.09.2026 bis 29.11.2026 zeigen" in html
