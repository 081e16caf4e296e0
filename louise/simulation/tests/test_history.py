"""Past days simulated: the shifts come from the town's patterns also before they were set
up, and `history_run` lives the working days before today without touching today's wave;
the report for those days shows what was recorded."""

from datetime import date, datetime

import pytest
import time_machine

from louise.accounts.audit import AuditEntry
from louise.accounts.models import Role
from louise.catalog.models import Product
from louise.cli import main
from louise.conftest import make_customer, order_placed, the_town
from louise.core.calendar import BERLIN
from louise.logistics.models import Proof, Shift, ShiftPattern, StopKind, StopStatus, TourStop
from louise.orders.models import Order, OrderStatus
from louise.reports.selectors import Period, report_for
from louise.simulation.agenda import Agenda, Life, Options
from louise.simulation.cast import cast_for
from louise.simulation.dice import Dice
from louise.simulation.history import history_days, history_progress, history_run
from louise.simulation.models import SimulatedDay
from louise.simulation.runner import simulate

from .test_simulate import SMALL, TUESDAY, small_town

__all__ = ["small_town"]
# "Today" of these tests: a Tuesday a week after the patterns began (TUESDAY, 1 December).
TODAY = datetime(2026, 12, 8, 9, 0, tzinfo=BERLIN)
MONDAY_BEFORE = date(2026, 11, 30)


def drops_done_on(day: date):
    return TourStop.objects.filter(kind=StopKind.DELIVERY, status=StopStatus.DONE,
                                   tour__plan_run__day=day)


def test_a_day_before_the_patterns_began_gets_shifts_tours_and_proofs(small_town):
    # given: patterns valid from Tuesday 1 December, and today a week later
    assert not ShiftPattern.objects.filter(valid_from__lt=TUESDAY).exists()
    with time_machine.travel(TODAY, tick=False):
        # when: the Monday before the patterns began is simulated
        result = simulate(days=1, start=MONDAY_BEFORE, seed=3, options=SMALL)
    # then: the patterns were dated back by the town's operator, on the record
    assert set(ShiftPattern.objects.values_list("valid_from", flat=True)) == {MONDAY_BEFORE}
    changes = AuditEntry.objects.filter(model="Schichtmuster", action="geändert")
    assert changes.count() == 2 and {e.by.role for e in changes} == {Role.OPERATOR}
    assert [n for n in result.notes if "Schichtmuster ab 30.11.2026" in n]
    # ... the day had its shifts, tours, and drops proven by the riders
    assert Shift.objects.filter(day=MONDAY_BEFORE).count() == 2
    [day] = result.as_json()
    assert day["day"] == "2026-11-30" and day["tours"] > 0 and day["drops"] > 0
    drops = drops_done_on(MONDAY_BEFORE)
    assert drops.exists()
    assert Proof.objects.filter(stop__in=drops).count() == drops.count()


def test_the_history_lives_the_days_before_today_and_leaves_today_alone(small_town):
    with time_machine.travel(TODAY, tick=False):
        # given: a customer's order for today's wave, still in the shop's inbox
        customer, _home = make_customer("heute", lat=51.523, lon=6.929)
        live = order_placed(customer, Product.objects.order_by("pk").first(), now=TODAY)
        progress = []
        # when: the two working days before today are simulated as the demo's history
        result = history_run(days=2, seed=5, options=SMALL,
                             on_day=lambda _day: progress.append(
                                 history_progress([the_town()])))
    # then: Friday and Monday were lived, and the progress was there while it ran
    days = [date(2026, 12, 4), date(2026, 12, 7)]
    assert history_days(the_town(), 2, TODAY.date()) == days
    assert list(SimulatedDay.objects.values_list("day", flat=True)) == days
    assert [(p.done, p.days, p.finished) for [p] in progress] == [(1, 2, False),
                                                                   (2, 2, False)]
    # ... and is finished, from Friday to the day before today
    [done] = history_progress([the_town()])
    assert (done.finished, done.first_day, done.last_day) == (True, days[0],
                                                              date(2026, 12, 7))
    # ... today's order is as it was: no simulated shop accepted it
    live.refresh_from_db()
    assert live.status == OrderStatus.PLACED
    # ... and no order of the history is for today's wave or later
    assert not Order.objects.filter(wave_start__gte=TODAY.replace(hour=0)).exclude(
        pk=live.pk).exists()
    assert all(day.figures.drops > 0 for day in result.days)
    # ... and the report of those days shows the recorded deliveries
    operator = the_town().staff.get(role=Role.OPERATOR)
    with time_machine.travel(TODAY, tick=False):
        report = report_for(operator, None, Period("custom", days[0], days[-1]))
    assert report.quality.on_time is not None and report.quality.on_time > 0
    assert sum(use.km for use in report.fleet.values()) > 0
    assert report.stops == sum(d.figures.pickups + d.figures.drops for d in result.days)


def test_a_second_history_run_goes_on_after_the_last_simulated_day(small_town):
    with time_machine.travel(TODAY, tick=False):
        # given: a history stopped after its first town-day
        asked = iter([False, True])
        history_run(days=2, options=SMALL, stop=lambda: next(asked))
        assert [(p.done, p.days, p.finished)
                for p in history_progress([the_town()])] == [(1, 2, False)]
        # when: it runs again
        history_run(days=2, options=SMALL)
    # then: only the missing day was lived
    assert list(SimulatedDay.objects.values_list("day", flat=True)) == [date(2026, 12, 4),
                                                                       date(2026, 12, 7)]
    assert history_progress([the_town()])[0].finished


@pytest.mark.parametrize("argv", [["--history", "3", "--start", "2026-11-02"],
                                  ["--history", "3", "--town", "bottrop"]])
def test_the_history_takes_no_start_nor_town(argv, capsys, monkeypatch, db):
    monkeypatch.setenv("LOUISE_DEMO", "1")
    assert main(["simulate", *argv]) == 2
    assert "ohne --start und --town" in capsys.readouterr().err


def test_the_command_simulates_the_history_and_says_so(small_town, capsys, monkeypatch):
    monkeypatch.setenv("LOUISE_DEMO", "1")
    with time_machine.travel(TODAY, tick=False):
        code = main(["simulate", "--history", "1", "--seed", "2", "--time-limit", "1",
                     "--orders", "4", "--bookings", "0"])
    assert code == 0
    assert "Bottrop – Mo, 07.12.2026" in capsys.readouterr().out
    assert history_progress([the_town()])[0].finished


def test_a_history_grows_from_half_its_customers_to_all(small_town):
    """On a history's first day half the customers (the earliest accounts) have signed up,
    more each day, all of them on the last day before `until` and on any other run."""
    cast = cast_for(the_town())
    everyone = cast.customers
    first, until = date(2026, 11, 2), date(2026, 12, 2)  # 30 days
    history = Options(until=until, growing_from=first)

    def signed_up(day: date, options: Options = history) -> list:
        with time_machine.travel(TODAY, tick=False) as traveller:
            return Life(town=the_town(), day=day, cast=cast, dice=Dice(0), options=options,
                        agenda=Agenda(traveller, TODAY)).customers

    assert len(everyone) == 8
    assert signed_up(first) == everyone[:4]  # half
    assert signed_up(date(2026, 11, 17)) == everyone[:6]  # half-way: three quarters
    assert signed_up(date(2026, 12, 1)) == everyone  # 29 of 30 days grown: all, rounded
    assert signed_up(until) == everyone  # the live day
    assert signed_up(first, Options()) == everyone  # not a history
