from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction

from louise.accounts.models import Role, User
from louise.billing.models import SepaMandate
from louise.catalog.models import Merchant, ServiceOffer
from louise.core.calendar import BERLIN, is_working_day
from louise.demo import bottrop, kirchbergen, seed
from louise.geo.models import Hub, Locker, PickupPoint, Town, Zone, default_town_id
from louise.geo.selectors import town_for
from louise.hotline.models import StandingOrder
from louise.hotline.selectors import callers_of, follow_ups_due
from louise.logistics.models import Leg, Shift, ShiftPattern, Tour, TourStatus, Vehicle
from louise.orders.models import Channel, Checkout, Order, Slot

from ...conftest import MONDAY_MORNING


def counts() -> dict[str, int]:
    return {"users": User.objects.count(), "merchants": Merchant.objects.count(),
            "orders": Order.objects.count(), "legs": Leg.objects.count(),
            "patterns": ShiftPattern.objects.count(), "shifts": Shift.objects.count(),
            "published": Tour.objects.filter(status=TourStatus.PUBLISHED).count(),
            "towns": Town.objects.count()}


@dataclass
class Seeded:
    report: seed.Report
    first: dict[str, int]   # the counts after the first run
    again: seed.Report      # the second run's report


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for the module's tests, and run a second time; rolled back at
    the end, so nothing leaks into other modules."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = seed.run(time_limit=1, now=MONDAY_MORNING)
        first = counts()
        yield Seeded(report, first, seed.run(time_limit=1, now=MONDAY_MORNING))
        transaction.set_rollback(True)


def town_of(data) -> Town:
    return Town.objects.get(slug=data.SLUG)


def customers_of(town: Town):
    return User.objects.filter(role=Role.CUSTOMER, addresses__zone__town=town).distinct()


@pytest.mark.django_db
def test_demo_runs_again_without_duplicating_anything(seeded):
    assert seeded.first == counts()
    assert "Demo-Daten waren schon da" in seeded.again.text("http://x")
    assert "Geplant und veröffentlicht" in seeded.report.text("http://x")
    assert "Geplant und veröffentlicht" not in seeded.again.text("http://x")


@pytest.mark.django_db
def test_bottrop_is_the_default_town_as_before(seeded):
    bottrop_town = town_of(bottrop)
    assert bottrop_town.pk == default_town_id()
    assert Merchant.objects.filter(town=bottrop_town).count() >= 25
    assert ServiceOffer.objects.filter(merchant__town=bottrop_town).values(
        "merchant").distinct().count() >= 3
    assert customers_of(bottrop_town).count() == 300 + len(bottrop.HOTLINE_CALLERS)
    assert PickupPoint.objects.filter(town=bottrop_town).count() == 6
    assert Locker.objects.filter(town=bottrop_town).count() == 2
    assert Tour.objects.filter(plan_run__town=bottrop_town,
                               status=TourStatus.PUBLISHED).exists()


@pytest.mark.django_db
def test_the_second_town_has_its_own_service(seeded):
    town = town_of(kirchbergen)
    assert town.pk != default_town_id()
    zones = list(Zone.objects.filter(town=town))
    assert len(zones) == 3 and [z.name for z in zones if z.vehicle_kinds == ["car"]]
    # its postcodes are its own: no zone of Bottrop has one of them
    codes = {code for zone in zones for code in zone.postcodes}
    assert not codes & {code for zone in Zone.objects.exclude(town=town)
                        for code in zone.postcodes}
    assert Hub.objects.filter(town=town).count() == 1
    assert PickupPoint.objects.filter(town=town).count() == 1
    assert Locker.objects.filter(town=town).count() == 1
    shops = Merchant.objects.filter(town=town)
    assert shops.count() == 10 and not shops.filter(products__isnull=True).exists()
    assert ServiceOffer.objects.filter(merchant__town=town).exists()
    customers = customers_of(town)
    assert customers.count() == 100 + len(kirchbergen.HOTLINE_CALLERS)
    assert SepaMandate.objects.filter(customer__in=customers).count() == customers.count()
    kinds = sorted(Vehicle.objects.filter(town=town).values_list("kind", flat=True))
    assert kinds == ["bike", "bike", "car"]
    assert town.staff.filter(role=Role.RIDER).count() == 3
    # its own staff, who work there and nowhere else; the region's operator everywhere
    for username in ("dispo2", "stadt2", "hotline2"):
        person = User.objects.get(username=username)
        assert town_for(person) == town and list(person.towns.all()) == [town]
    assert town_for(User.objects.get(username="dispo")) == town_of(bottrop)
    region = User.objects.get(username="region")
    assert region.all_towns and town_for(region, "kirchbergen") == town
    assert town_for(region, "bottrop") == town_of(bottrop)
    # today's orders, planned and published in that town
    orders = Order.objects.filter(town=town)
    assert orders.exclude(checkout__channel=Channel.STANDING).count() == (
        kirchbergen.GOODS_ORDERS + kirchbergen.SERVICE_BOOKINGS)
    assert set(orders.values_list("merchant__town", flat=True)) == {town.pk}
    assert Tour.objects.filter(plan_run__town=town, status=TourStatus.PUBLISHED).exists()
    assert not Leg.objects.filter(town=town).exclude(order__town=town).exists()


@pytest.mark.django_db
def test_shifts_exist_for_every_working_day_of_the_coming_weeks(seeded):
    for data in seed.TOWNS:
        town = town_of(data)
        vehicles = Vehicle.objects.filter(town=town).count()
        assert ShiftPattern.objects.filter(town=town).count() == vehicles
        for offset in range(7, 14):  # next week, Monday to Sunday
            day = MONDAY_MORNING.date() + timedelta(days=offset)
            shifts = Shift.objects.filter(vehicle__town=town, day=day)
            expected = vehicles if is_working_day(day, town.schedule) else 0
            assert shifts.count() == expected, (town.slug, day)
            assert all(s.pattern_id and s.rider.towns.filter(pk=town.pk).exists()
                       for s in shifts)
        # bikes from 14:00, the car from 13:00 (the patterns' hours, wall clock); a shift
        # with a published tour begins when its tour leaves (logistics.shifts)
        car = Shift.objects.filter(vehicle__town=town, vehicle__kind="car", tours=None).first()
        assert f"{car.starts_at.astimezone(BERLIN):%H:%M}" == "13:00"
        for shift in Shift.objects.filter(vehicle__town=town, tours__status="published"):
            assert shift.starts_at <= shift.tours.get().starts_at < shift.starts_at + timedelta(
                minutes=5)


@pytest.mark.django_db
def test_every_login_the_report_names_exists(seeded):
    text = seeded.again.text("http://x")
    for town_report in seeded.report.towns:
        assert town_report.logins
        for _, username in town_report.logins:
            assert User.objects.filter(username=username).exists(), username
            assert f" {username}\n" in text
    for username in ("dispo2", "stadt2", "fahrer2-1", "region", "kunde2", "laden2"):
        assert f" {username}\n" in text, username
    # every rider login the demo names has a published tour to ride
    riders = [u for t in seeded.report.towns for label, u in t.logins
              if label.startswith("Fahrer/in")]
    assert {t.shift.rider.username for t in Tour.objects.filter(
        status=TourStatus.PUBLISHED)} == set(riders)


@pytest.mark.django_db
def test_every_order_went_through_the_checkout(seeded):
    # a stop of the wave, and for a locker a compartment the customer can open with a code
    assert not Order.objects.filter(checkout=None).exists()
    assert set(Checkout.objects.values_list("channel", flat=True)) == {Channel.DEMO,
                                                                       Channel.STANDING}
    lockered = Order.objects.filter(delivery_method="locker")
    assert lockered.exists()
    assert all(len(order.compartment.code) == 6 for order in lockered)
    for town_report in seeded.report.towns:
        slot = Slot.objects.get(town=town_report.town, start=town_report.wave.start)
        assert slot.booked == Checkout.objects.filter(orders__town=town_report.town,
                                                      slot=slot).distinct().count()
        assert town_report.wave.day == MONDAY_MORNING.date()


@pytest.mark.django_db
def test_a_town_grows_for_a_busier_day_like_the_demo(seeded):
    """`louise bench day`'s volume: customers who can order, vehicles with riders on shift."""
    town = town_of(bottrop)
    customers, vehicles = customers_of(town).count(), Vehicle.objects.filter(town=town).count()
    bikes = Vehicle.objects.filter(town=town, kind="bike").count()
    seed.town_grow(bottrop, customers=customers + 3, bikes=bikes + 2, cars=2,
                   today=MONDAY_MORNING.date())
    assert customers_of(town).count() == customers + 3
    assert all(SepaMandate.objects.filter(customer=c, active=True).exists()
               for c in customers_of(town))
    new = list(Vehicle.objects.filter(town=town).order_by("pk"))[vehicles:]
    assert [(v.name, v.kind) for v in new] == [("Lastenrad 4", "bike"), ("Lastenrad 5", "bike"),
                                               ("E-Auto 2", "car")]
    tuesday = MONDAY_MORNING.date() + timedelta(days=1)
    for vehicle in new:
        shift = Shift.objects.get(vehicle=vehicle, day=tuesday)
        assert shift.rider.towns.filter(pk=town.pk).exists()
        start, _end = bottrop.SHIFT_HOURS[vehicle.kind]
        assert f"{shift.starts_at.astimezone(BERLIN):%H:%M}" == start
    assert len({Shift.objects.get(vehicle=v, day=tuesday).rider_id for v in new}) == 3


@pytest.mark.django_db
def test_each_towns_hotline_has_callers_a_follow_up_and_a_standing_delivery(seeded):
    for data, agent in ((bottrop, "hotline"), (kirchbergen, "hotline2")):
        town = town_of(data)
        person = User.objects.get(username=agent)
        callers = callers_of(agent=person, town=town).filter(email="")
        assert callers.count() == len(data.HOTLINE_CALLERS)
        assert follow_ups_due(agent=person, town=town,
                              today=MONDAY_MORNING.date()).count() == 1
        weekly = StandingOrder.objects.get(town=town)
        assert weekly.weekdays == [1, 4] and len(weekly.recipients) == len(
            data.STANDING_RECIPIENTS)
        assert Checkout.objects.filter(customer=weekly.customer,
                                       channel=Channel.STANDING).count() >= 7


def test_each_town_has_one_store_with_the_shopping_list_service(seeded):
    for data in (bottrop, kirchbergen):
        stores = Merchant.objects.filter(town=town_of(data), shopping_service=True)
        assert [m.name for m in stores] == [data.SHOPPING_STORE]
