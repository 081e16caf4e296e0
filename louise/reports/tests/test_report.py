"""The report read from a day recorded through the real services: one book ordered in the
morning, collected and handed over at the door that evening; who may see which report;
periods and their refusals."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from louise.accounts.models import Role
from louise.conftest import (
    MONDAY_MORNING,
    make_customer,
    make_user,
    order_placed,
    other_town,
    the_town,
)
from louise.core.calendar import BERLIN
from louise.core.errors import Forbidden, Invalid, NotFound
from louise.geo.areas import area_contains
from louise.geo.models import Street
from louise.geo.places import zone_save
from louise.logistics.models import Shift, StopKind, Tour, TourStatus
from louise.logistics.ridden import ridden_of
from louise.logistics.services import stop_complete
from louise.logistics.tests.journeys import door_delivery_published
from louise.reports.charts import charts_of
from louise.reports.drawing import drawn
from louise.reports.selectors import (
    Period,
    period_parse,
    report_compared,
    report_for,
    report_towns,
    what_if_for,
)

MONDAY = MONDAY_MORNING.date()


@pytest.fixture
def delivered_day(shop, customer, staff_users, shifts):
    """Monday: the book is bought at 10:00, picked up at 17:40, at the door at 18:00."""
    order, tour = door_delivery_published(shop, customer, staff_users)
    rider = tour.shift.rider
    for hhmm, kind in (((17, 40), StopKind.PICKUP), ((18, 0), StopKind.DELIVERY)):
        moment = MONDAY_MORNING.replace(hour=hhmm[0], minute=hhmm[1])
        with time_machine.travel(moment, tick=False):
            stop = tour.stops.get(kind=kind)
            stop_complete(stop_id=stop.pk, rider=rider, parcels=1, proof_method="name",
                          recipient_name="Kundin")
    return order, tour


def test_the_day_as_the_operator_sees_it(delivered_day, staff_users):
    _order, tour = delivered_day
    report = report_for(staff_users[Role.OPERATOR], None, Period("day", MONDAY, MONDAY))
    assert report.service["orders"] == 1
    assert (report.service["active_customers"], report.service["new_customers"],
            report.service["active_merchants"]) == (1, 1, 1)
    assert report.service["goods_cents"] == 1500  # one book
    assert report.drops_by_method == {"door": 1}
    assert (report.quality.on_time, report.quality.first_attempt,
            report.quality.same_day) == (1.0, 1.0, 1.0)
    kind = tour.shift.vehicle.kind
    use = report.fleet[kind]
    assert (use.tours, use.stops, use.drops, use.parcels) == (1, 2, 1, 1)
    assert use.km > 0
    # the two shifts of the day, the car's 14:00–21:00 and the bike's from its published
    # tour (`shift_start_to_tour`) to 21:00, at 22 € an hour
    hours = sum((s.ends_at - s.starts_at).total_seconds() / 3600 for s in Shift.objects.all())
    assert 7 < hours < 14
    assert report.costs.riders == round(hours * 2200)
    # rent 900 € and software 250 € a month, one day: × 12 / 365
    assert (report.costs.hub_rent, report.costs.software) == (2959, 822)
    assert report.stops == 2
    assert report.cost_per_stop == round(report.costs.total / 2, 1)
    # emitted: the tour's km at the kind's factor (bike 6 g/km, car 80 g/km)
    factor = {"bike": 6, "car": 80}[kind]
    assert report.environment.co2_kg == round(use.km * factor / 1000, 2)
    assert [d.day for d in report.days] == [MONDAY]
    assert report.lever.orders_per_day == 1.0
    assert report.revenue.from_ledger is False  # no ledger entries: the orders' fees


def test_the_day_before_had_nothing(delivered_day, staff_users):
    before = report_for(staff_users[Role.OPERATOR], None,
                        Period("day", MONDAY, MONDAY).previous())
    assert before.period.first == MONDAY - timedelta(days=1)
    assert before.service["orders"] == 0
    assert (before.quality.on_time, before.cost_per_stop) == (None, None)


def test_who_sees_which_report(town, staff_users):
    operator = staff_users[Role.OPERATOR]
    gladbeck = other_town()
    region = make_user("region", Role.OPERATOR, town_ids=[], all_towns=True)
    assert report_towns(operator, None) == (the_town().name, [the_town()])
    with pytest.raises(NotFound):
        report_towns(operator, gladbeck.slug)  # another town's report: unknown
    with pytest.raises(NotFound):
        report_towns(operator, "region")  # only the region's operator sees the region
    with pytest.raises(NotFound):
        report_towns(operator, "atlantis")
    title, towns = report_towns(region, "region")
    assert (title, {t.slug for t in towns}) == ("Region", {the_town().slug, gladbeck.slug})
    for role in (Role.DISPATCHER, Role.RIDER, Role.HOTLINE):
        with pytest.raises(Forbidden):
            report_towns(staff_users[role], None)


TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(("kind", "start", "until", "first", "last"), [
    ("day", "2026-11-20", "", date(2026, 11, 20), date(2026, 11, 20)),
    ("week", "2026-11-26", "", date(2026, 11, 23), date(2026, 11, 29)),  # Monday to Sunday
    ("month", "2026-11", "", date(2026, 11, 1), date(2026, 11, 30)),
    ("month", "2026-02-14", "", date(2026, 2, 1), date(2026, 2, 28)),
    ("custom", "2026-10-03", "2026-11-02", date(2026, 10, 3), date(2026, 11, 2)),
    ("month", "", "", date(2026, 11, 1), date(2026, 11, 30)),  # this month so far
])
def test_periods(kind, start, until, first, last):
    period = period_parse(kind, start, until, today=TODAY)
    assert (period.first, period.last) == (first, last)


def test_the_period_before():
    assert Period("month", date(2026, 3, 1), date(2026, 3, 31)).previous() == Period(
        "month", date(2026, 2, 1), date(2026, 2, 28))
    assert Period("week", date(2026, 11, 23), date(2026, 11, 29)).previous().first == date(
        2026, 11, 16)
    assert Period("custom", date(2026, 11, 1), date(2026, 11, 10)).previous() == Period(
        "custom", date(2026, 10, 22), date(2026, 10, 31))


@pytest.mark.parametrize(("kind", "start", "until", "says"), [
    ("month", "2026-12", "", "liegt in der Zukunft"),
    ("day", "2026-12-01", "", "liegt in der Zukunft"),
    ("custom", "2026-11-10", "2026-11-01", "vor seinem Anfang"),
    ("custom", "2024-01-01", "2026-01-01", "Höchstens 366 Tage"),
    ("month", "2026-13", "", "kein Datum"),
    ("year", "2026-01-01", "", "Tag, Woche, Monat oder frei"),
    ("day", "1999-12-31", "", "Vor 2000"),
])
def test_bad_periods_are_refused_in_german(kind, start, until, says):
    with pytest.raises(Invalid, match=says):
        period_parse(kind, start, until, today=TODAY)


SQUARE = {"type": "Polygon", "coordinates": [[[6.92, 51.52], [6.94, 51.52], [6.94, 51.53],
                                              [6.92, 51.53], [6.92, 51.52]]]}


def test_drops_are_counted_in_the_drawn_zone_and_mapped(delivered_day, staff_users):
    operator = staff_users[Role.OPERATOR]
    zone_save(by=operator, town=the_town(), name="Altmarkt", postcodes=[],
              vehicle_kinds=["bike"], active=True, area=SQUARE)  # the customer's door is in it
    zone_save(by=operator, town=the_town(), name="Leer", postcodes=[], vehicle_kinds=["bike"],
              active=True, area={"type": "Polygon", "coordinates": [[
                  [6.95, 51.50], [6.96, 51.50], [6.96, 51.51], [6.95, 51.50]]]})
    report = report_for(operator, None, Period("day", MONDAY, MONDAY))
    # the town's zones of postcodes only (`build_town`) are counted by the door's postcode,
    # 46236: Mitte's
    assert [(z.name, z.drops) for z in report.zones] == [
        ("Altmarkt", 1), ("Kirchhellen", 0), ("Leer", 0), ("Mitte", 1), ("Oberhausen", 0)]
    charts = {chart.key: chart for chart in charts_of(report)}
    assert charts["zones"].rows[:3] == [["Bottrop", "Altmarkt", "1"],
                                        ["Bottrop", "Kirchhellen (PLZ 46244)", "0"],
                                        ["Bottrop", "Leer", "0"]]
    svg = drawn(report, "zones", "svg")
    assert b"<svg" in svg and b"Altmarkt" in svg


def test_charts_drawn_in_many_threads_at_once_are_the_charts_drawn_alone(delivered_day,
                                                                         staff_users):
    # given: a web process with threads draws the charts of several requests at once
    report = report_for(staff_users[Role.OPERATOR], None, Period("day", MONDAY, MONDAY))
    keys = ["orders", "zones", *[chart.key for chart in charts_of(report)]] * 2
    alone = {key: drawn(report, key, "svg") for key in set(keys)}
    # when
    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        futures = [pool.submit(drawn, report, key, "svg") for key in keys]
        together = [future.result(timeout=120) for future in futures]
    # then: each one as if drawn alone (matplotlib's settings are global; no thread sees
    # another's half-drawn state), and none hung
    assert together == [alone[key] for key in keys]


def street(name: str, postcode: str, south_west: tuple[float, float],
           north_east: tuple[float, float]) -> Street:
    (south, west), (north, east) = south_west, north_east
    return Street.objects.create(area="test", name=name, name_key=name.lower(),
                                 postcode=postcode, city="Bottrop", lat=(south + north) / 2,
                                 lon=(west + east) / 2, min_lat=south, min_lon=west,
                                 max_lat=north, max_lon=east)


def test_a_zone_of_postcodes_is_mapped_around_its_streets(delivered_day, staff_users):
    """Mitte (46236) has two streets in the gazetteer, Kirchhellen (46244) none and no
    address: Mitte is drawn as the hull of the streets' bounds and the customer's door,
    Kirchhellen only listed."""
    street("Hauptstraße", "46236", (51.520, 6.920), (51.522, 6.930))
    street("Gartenstraße", "46236", (51.527, 6.934), (51.530, 6.936))
    street("Dorfstraße", "46000", (51.600, 6.900), (51.601, 6.901))  # another postcode
    report = report_for(staff_users[Role.OPERATOR], None, Period("day", MONDAY, MONDAY))
    zones = {z.name: z for z in report.zones}
    mitte = zones["Mitte"]
    assert (mitte.drops, mitte.postcodes, mitte.label) == (1, ("46236",), "Mitte (PLZ 46236)")
    assert mitte.area is not None
    ring = mitte.area["coordinates"][0]
    # the hull's corners: the outer corners of the two streets' bounds (lon, lat)
    assert sorted(map(tuple, ring[:-1])) == [(6.92, 51.52), (6.92, 51.522), (6.93, 51.52),
                                             (6.934, 51.53), (6.936, 51.527), (6.936, 51.53)]
    assert ring[0] == ring[-1]
    assert all(area_contains(mitte.area, lat=lat, lon=lon)
               for lat, lon in [(51.521, 6.925), (51.5285, 6.935)])
    assert zones["Kirchhellen"].area is None
    assert report.postcode_zones
    charts = {chart.key: chart for chart in charts_of(report)}
    svg = drawn(report, "zones", "svg")
    assert b"Mitte (PLZ 46236)" in svg and b"Kirchhellen" not in svg  # listed, not drawn
    assert ["Bottrop", "Kirchhellen (PLZ 46244)", "0"] in charts["zones"].rows


def test_a_closed_tour_keeps_what_it_rode_and_an_older_one_is_followed(delivered_day,
                                                                       staff_users):
    """Closing the tour (its last stop done) keeps its metres and seconds as
    `logistics.ridden.tour_use` measures them; a tour closed before they were kept (none
    stored) is followed along its stops, to the same figures."""
    _order, tour = delivered_day
    tour.refresh_from_db()
    assert tour.status == TourStatus.DONE
    measured = ridden_of([Tour.objects.select_related("shift__vehicle__hub").get(pk=tour.pk)])
    assert (tour.ridden_m, tour.ridden_s) == (measured[tour.pk].metres,
                                              measured[tour.pk].seconds)
    assert tour.ridden_m > 0 and tour.ridden_s > 0
    # the pickup and the drop done, 1 parcel dropped, the leg's service at each end
    leg = tour.stops.get(kind=StopKind.DELIVERY).leg
    assert (tour.ridden_stops, tour.ridden_parcels, tour.ridden_service_s) == (
        2, 1, leg.pickup_service_s + leg.drop_service_s)
    period = Period("day", MONDAY, MONDAY)
    kept = report_for(staff_users[Role.OPERATOR], None, period).fleet[tour.shift.vehicle.kind]
    assert (kept.km, kept.hours, kept.stops, kept.parcels) == (
        tour.ridden_m / 1000, tour.ridden_s / 3600, 2, 1)
    Tour.objects.filter(pk=tour.pk).update(ridden_m=None, ridden_s=None, ridden_stops=None,
                                           ridden_service_s=None, ridden_parcels=None)
    followed = report_for(staff_users[Role.OPERATOR], None, period).fleet[
        tour.shift.vehicle.kind]
    assert followed == kept


def test_the_what_if_reworks_only_the_economics_on_the_measured_basis(
        delivered_day, staff_users, shop, customer, django_assert_max_num_queries):
    """After the report is drawn, the what-if panel answers from its kept basis with a few
    look-ups, to the outcome the whole report gives under the same levers; a new order
    changes the basis it is measured on."""
    operator, period = staff_users[Role.OPERATOR], Period("day", MONDAY, MONDAY)
    report_for(operator, None, period)
    lever = {"fee_cents": 500, "merchant_percent": 10.0, "orders_per_day": 30.0}
    with django_assert_max_num_queries(6):  # the towns, the newest rows' ids
        outcome = what_if_for(operator, None, period, lever)
    assert outcome == report_for(operator, None, period, lever).outcome
    # 5 € fee + 10 % of the one book's 15 € = 6.50 €
    assert outcome.revenue_per_order == 650
    order_placed(customer[0], shop["product"], 3, now=MONDAY_MORNING)  # 45 € of goods
    again = what_if_for(operator, None, period, lever)
    # measured afresh: (15 € + 45 €) / 2 orders = 30 € of goods, 10 % of it 3 €: 8 €
    assert again.revenue_per_order == 800
    assert again == report_for(operator, None, period, lever).outcome


def test_the_active_customers_of_a_running_month_are_those_of_the_last_30_days(
        shop, customer, other_customer, staff_users):
    """On 1 December the month has begun: who ordered that morning is active, and so is who
    ordered on 2 November (within 30 days of now), not who ordered on 31 October; counted
    up to the month's end, 31 December, nobody would be."""
    for person, placed in ((customer[0], datetime(2026, 12, 1, 8, tzinfo=BERLIN)),
                           (other_customer[0], datetime(2026, 11, 2, 9, tzinfo=BERLIN)),
                           (make_customer("frueher")[0], datetime(2026, 10, 31, 9, tzinfo=BERLIN))):
        order_placed(person, shop["product"], now=placed)
    with time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=BERLIN), tick=False):
        report = report_for(staff_users[Role.OPERATOR], None,
                            Period("month", date(2026, 12, 1), date(2026, 12, 31)))
    assert report.service["active_customers"] == 2


def test_the_coming_days_of_a_running_period_are_not_yet_a_cost(town, staff_users, shifts):
    """The week is running on Monday evening: Monday's shifts have begun and cost, the shift
    planned for Wednesday does not yet, and the hub's rent is one day's; on Thursday the
    Wednesday shift costs too, and the rent is four days'."""
    monday = list(Shift.objects.all())
    wednesday = Shift.objects.create(rider=monday[0].rider, vehicle=monday[0].vehicle,
                                     starts_at=monday[0].starts_at + timedelta(days=2),
                                     ends_at=monday[0].ends_at + timedelta(days=2))
    week = Period("week", MONDAY, MONDAY + timedelta(days=6))

    def costs_on(moment: datetime):
        with time_machine.travel(moment, tick=False):
            report = report_for(staff_users[Role.OPERATOR], None, week)
        return report.costs.riders / 2200, report.costs.hub_rent  # hours at 22 €; cents

    def hours(shift: Shift) -> float:
        return (shift.ends_at - shift.starts_at).total_seconds() / 3600

    riders, rent = costs_on(MONDAY_MORNING.replace(hour=18))
    assert riders == pytest.approx(sum(hours(s) for s in monday))
    assert rent == 2959  # one day of the month's rent (as the day's report above)
    riders, rent = costs_on(MONDAY_MORNING + timedelta(days=3))
    assert riders == pytest.approx(sum(hours(s) for s in monday) + hours(wednesday))
    assert abs(rent - 4 * 2959) <= 2  # four days


@pytest.mark.django_db(transaction=True)
def test_the_period_and_the_one_before_measured_at_once_are_as_one_after_the_other(
        delivered_day, staff_users):
    """On PostgreSQL outside a transaction (as a page is served) the two reports are
    measured in two threads with connections of their own, which they close after."""
    if connection.vendor != "postgresql":
        pytest.skip("measured at once only on PostgreSQL (SQLite: one after the other)")
    operator, week = staff_users[Role.OPERATOR], Period("week", MONDAY, MONDAY + timedelta(6))
    lever = {"fee_cents": 500}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        opened = cursor.fetchone()[0]  # this thread's connection
    now, before = report_compared(operator, None, week, lever)
    assert now.service == report_for(operator, None, week).service
    assert now.outcome == report_for(operator, None, week, lever).outcome
    assert before.period == week.previous() and before.service["orders"] == 0
    assert now.service["orders"] == 1 and now.drops_by_method == {"door": 1}
    with connection.cursor() as cursor:  # only this thread's connection is left
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND pid <> %s AND backend_type = 'client backend'", [opened])
        assert cursor.fetchone()[0] == 0
