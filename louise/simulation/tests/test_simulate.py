"""`louise simulate` on a small town: days lived through the app's own services, figures per
day and town, and a second run that goes on where the first one stopped."""

import json
from datetime import date, time

import pytest

from louise.accounts.models import Role
from louise.catalog.models import Product
from louise.cli import main
from louise.core.errors import Invalid
from louise.geo.models import Town
from louise.logistics.models import Proof, ShiftPattern, StopKind, StopStatus, TourStop
from louise.orders.models import Order, OrderStatus
from louise.simulation.agenda import Options
from louise.simulation.goods import RESTOCK_TO
from louise.simulation.models import SimulatedDay
from louise.simulation.runner import simulate

from ...conftest import build_shop, build_staff_users, build_town, make_customer, make_user

TUESDAY = date(2026, 12, 1)
SMALL = Options(time_limit=1, orders=5, bookings=1)
KEYS = {"day", "town", "town_name", "orders", "orders_next_wave", "cancelled", "declined",
        "service_bookings", "legs", "tours", "pickups", "drops", "on_time_share", "failures",
        "fallbacks", "lockers_emptied", "stops_left", "vehicles", "unassigned", "seed",
        "refused", "incidents", "run_seconds"}


@pytest.fixture
def small_town(transactional_db):
    """Build_town's zones, hub, point, locker, bike and car; one shop with a service; eight
    customers; a dispatcher and an operator; two riders with weekday shift patterns."""
    places = build_town()
    build_shop()
    Product.objects.update(stock=500)
    for i in range(8):
        make_customer(f"kunde{i}", lat=51.520 + i * 0.002, lon=6.925 + (i % 3) * 0.004)
    staff = build_staff_users()
    riders = [staff[Role.RIDER], make_user("fahrer2", Role.RIDER)]
    for rider, vehicle in zip(riders, [places["bike"], places["car"]], strict=True):
        ShiftPattern.objects.create(rider=rider, vehicle=vehicle, weekdays=[0, 1, 2, 3, 4],
                                    start_time=time(14), end_time=time(21),
                                    valid_from=TUESDAY)
    return places


def test_two_days_then_one_more_from_the_command_line(small_town, tmp_path, capsys,
                                                       monkeypatch):
    # given: a second town nobody lives in yet
    Town.from_settings(name="Nebenstadt", slug="nebenstadt").save()
    # when: two working days are simulated
    result = simulate(days=2, start=TUESDAY, seed=7, options=SMALL)
    # then: the empty town is left out with a note
    assert [n for n in result.notes if n.startswith("Nebenstadt")] == [
        "Nebenstadt: nicht simuliert – Nebenstadt hat keine Kundinnen und Kunden mit Adresse "
        "im Liefergebiet und SEPA-Mandat; die Simulation braucht welche."]
    # ... and the other has one entry per day with every figure
    entries = result.as_json()
    assert [(e["day"], e["town"]) for e in entries] == [("2026-12-01", "bottrop"),
                                                         ("2026-12-02", "bottrop")]
    assert all(set(e) == KEYS for e in entries)
    assert all(e["orders"] > 0 and e["tours"] > 0 and e["drops"] > 0 for e in entries)
    assert sum(use["km"] for e in entries for use in e["vehicles"].values()) > 0
    # ... kept in the database for the next run
    assert list(SimulatedDay.objects.values_list("day", flat=True)) == [TUESDAY,
                                                                       date(2026, 12, 2)]
    # ... and orders were delivered by riders with a proof of each drop
    assert Order.objects.filter(status=OrderStatus.DELIVERED).exists()
    drops = TourStop.objects.filter(kind=StopKind.DELIVERY, status=StopStatus.DONE)
    assert drops.exists()
    assert Proof.objects.filter(stop__in=drops).count() == drops.count()

    # when: the command runs again without a start
    monkeypatch.setenv("LOUISE_DEMO", "1")  # as the command sets it, undone after the test
    out = tmp_path / "sim.json"
    code = main(["simulate", "--days", "1", "--seed", "7", "--time-limit", "1", "--orders", "5",
                 "--bookings", "1", "--json", str(out)])
    # then: it goes on with the next working day, prints its table and writes its entry
    assert code == 0
    assert [e["day"] for e in json.loads(out.read_text())] == ["2026-12-03"]
    printed = capsys.readouterr().out
    assert "Bottrop – Do, 03.12.2026" in printed
    assert "Zustellungen" in printed


def test_the_shops_refill_what_ran_low_each_morning(small_town):
    # given: a shop whose shelf is empty after earlier days
    product = Product.objects.get()
    Product.objects.update(stock=0)
    # when: a day is simulated
    result = simulate(days=1, start=TUESDAY, seed=7, options=SMALL)
    # then: the shop refilled it in the morning, and the customers could buy it
    (day,) = result.as_json()
    assert day["orders"] > 0 and "out_of_stock" not in day["refused"]
    product.refresh_from_db()
    kept = Order.objects.filter(lines__product=product).exclude(
        status__in=[OrderStatus.CANCELLED, OrderStatus.DECLINED])
    sold = sum(kept.values_list("lines__quantity", flat=True))
    assert sold > 0 and product.stock == RESTOCK_TO - sold


def test_a_start_inside_the_simulated_days_is_refused_and_changes_nothing(small_town):
    # given a simulated day
    SimulatedDay.objects.create(town_id=small_town["hub"].town_id, day=TUESDAY, seed=1)
    orders = Order.objects.count()
    # when / then
    with pytest.raises(Invalid, match=r"schon bis 01\.12\.2026 simuliert"):
        simulate(days=1, start=TUESDAY, options=SMALL)
    assert Order.objects.count() == orders
    assert not ShiftPattern.objects.filter(valid_from__gt=TUESDAY).exists()
