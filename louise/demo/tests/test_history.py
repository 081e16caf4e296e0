"""The demo's past, in a module of its own (the simulation needs committed transactions, so
the module-wide seeded demo of test_seed cannot be shared): a few working days before the
demo's day lived by `history_run`, as `louise demo` does in the background with 60."""

from datetime import timedelta

import pytest
import time_machine

from louise.accounts.models import User
from louise.cli import main
from louise.demo import bottrop, kirchbergen, seed
from louise.logistics.models import TourStop
from louise.orders.models import Order
from louise.reports.selectors import Period, report_for
from louise.simulation.agenda import Options
from louise.simulation.history import history_run
from louise.simulation.models import SimulatedDay

from ...conftest import MONDAY_MORNING


def live_day() -> tuple:
    """The demo's own day: its orders and the stops of its published tours, as seeded."""
    today = MONDAY_MORNING.replace(hour=0)
    return (tuple(Order.objects.filter(wave_start__gte=today).order_by("pk")
                  .values_list("pk", "status", "wave_start")),
            tuple(TourStop.objects.filter(tour__plan_run__day__gte=today.date())
                  .order_by("pk").values_list("pk", "tour_id", "status", "sequence")))


@pytest.mark.django_db(transaction=True)
def test_the_demo_gets_working_days_of_history_and_keeps_its_day():
    # given: the demo on Monday 30 November
    seed.run(time_limit=1, now=MONDAY_MORNING)
    before = live_day()
    # when: its history of two working days is simulated (a small day, to be quick)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        history_run(days=2, options=Options(time_limit=1, orders=8, bookings=1))
    # then: both towns lived Thursday and Friday
    days = sorted(SimulatedDay.objects.values_list("town__slug", "day"))
    thursday, friday = MONDAY_MORNING.date() - timedelta(4), MONDAY_MORNING.date() - timedelta(3)
    assert days == sorted((data.SLUG, day) for data in (bottrop, kirchbergen)
                          for day in (thursday, friday))
    # ... the demo's day is as it was seeded
    assert live_day() == before
    # ... and Bottrop's report of the last 30 days shows the recorded deliveries
    operator = User.objects.get(username="stadt")
    today = MONDAY_MORNING.date()
    report = report_for(operator, None, Period("custom", today - timedelta(30),
                                               today - timedelta(1)))
    assert report.orders and report.stops > 0
    assert report.quality.on_time is not None and report.quality.on_time > 0
    assert report.fleet["bike"].km > 0


@pytest.mark.parametrize("days", ["-1", "x", "261"])
def test_the_demo_refuses_a_history_it_cannot_simulate(days, capsys):
    with pytest.raises(SystemExit) as ended:
        main(["demo", "--no-serve", "--history-days", days])
    assert ended.value.code == 2
    assert "--history-days" in capsys.readouterr().err
