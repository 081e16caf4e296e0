"""Windows from the places: a leg is never planned into a closed shop or pickup point.

Small days on Monday 30 November 2026 (wave 17:30–20:30): split shifts, a point that
closes early, special days and holidays, the repair fetch into a shop, and the real
solver's plan counted stop by stop against the places' hours.
"""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from louise.accounts.models import Role
from louise.catalog.models import Merchant, OpeningException
from louise.core.calendar import BERLIN
from louise.geo.models import PickupPoint, Town
from louise.logistics.models import Leg, LegKind, LegStatus, Tour, TourStatus, TourStop
from louise.logistics.publishing import tour_violations
from louise.logistics.services import plan_day
from louise.logistics.windows import Hours, shop_can_receive, shop_next_open
from louise.orders import services
from louise.orders.checkout import Destination

from ...conftest import MONDAY_MORNING, order_placed, service_booked, the_town

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY = MONDAY_MORNING.date(), MONDAY_MORNING.date() + timedelta(days=1)
SPLIT = {str(d): [["09:00", "13:00"], ["15:00", "18:30"]] for d in range(6)}
SHOP_9_1830 = {str(d): [["09:00", "18:30"]] for d in range(6)}
SHOP_9_17 = {str(d): [["09:00", "17:00"]] for d in range(6)}
POINT_8_19 = {str(d): [["08:00", "19:00"]] for d in range(6)}
POINT_8_17 = {str(d): [["08:00", "17:00"]] for d in range(6)}


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), BERLIN)


def hours_set(shop, hours: dict) -> Merchant:
    Merchant.objects.filter(pk=shop["merchant"].pk).update(opening_hours=hours)
    shop["merchant"].refresh_from_db()
    return shop["merchant"]


def point_hours_set(town, hours: dict) -> PickupPoint:
    PickupPoint.objects.filter(pk=town["point"].pk).update(opening_hours=hours)
    return PickupPoint.objects.get(pk=town["point"].pk)


def ready(shop, customer, *, key: str = "k", destination: Destination | None = None) -> Leg:
    """An order placed and packed Monday 10:00; its leg from the shop (to the door, the
    point, or the City-Depot when the order goes via the hub)."""
    person, address = customer
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = order_placed(person, shop["product"], key=key, now=MONDAY_MORNING,
                             destination=destination or Destination("door",
                                                                    address_id=address.pk))
        services.order_accept(order_number=order.number, by=shop["staff"])
        services.order_mark_ready(order_number=order.number, by=shop["staff"],
                                  now=MONDAY_MORNING)
    return Leg.objects.get(order=order, pickup_ref__startswith="merchant:")


def fetch_of(shop, customer) -> Leg:
    """A service booked for Monday's wave and accepted: the fetch leg door → shop."""
    person, address = customer
    order = service_booked(person, shop["service"], address, now=MONDAY_MORNING)
    services.order_accept(order_number=order.number, by=shop["staff"])
    return Leg.objects.get(order=order, kind=LegKind.ITEM_PICKUP)


def test_a_split_shift_shop_hands_over_in_its_afternoon_span(shop, customer):
    # given a shop open 09–13 and 15–18:30
    hours_set(shop, SPLIT)
    # when an order is packed at 10:00 for the evening wave
    leg = ready(shop, customer)
    # then it is collected in the afternoon span, the pickup done (2 min) by 18:30
    assert (leg.pickup_from, leg.pickup_until) == (at(15), at(18, 28))
    assert (leg.drop_from, leg.drop_until) == (at(17, 30), at(20, 30))  # a door: the wave


def test_a_drop_at_a_pickup_point_ends_before_the_point_closes(shop, customer, town):
    # given a kiosk open until 19:00
    point = point_hours_set(town, POINT_8_19)
    # when an order for it is packed
    leg = ready(shop, customer, destination=Destination("point", pickup_point_id=point.pk))
    # then it is dropped in the wave, the drop (3 min) done by 19:00
    assert (leg.drop_from, leg.drop_until) == (at(17, 30), at(18, 57))


def test_a_point_that_shuts_before_the_wave_takes_the_parcel_earlier(shop, customer, town):
    # given a kiosk open until 17:00, before the wave
    point = point_hours_set(town, POINT_8_17)
    # when an order for it is packed at 10:00
    leg = ready(shop, customer, destination=Destination("point", pickup_point_id=point.pk))
    # then it is dropped that afternoon while the kiosk is open, never in the wave
    assert (leg.drop_from, leg.drop_until) == (at(10), at(16, 57))


def test_a_special_day_closes_the_shop_and_the_pickup_waits_for_its_next_opening(
        shop, customer):
    # given a shop with a split shift, shut this Monday (a special day)
    merchant = hours_set(shop, SPLIT)
    OpeningException.objects.create(merchant=merchant, day=MONDAY, closed=True, note="Inventur")
    # when an order is packed
    leg = ready(shop, customer)
    # then no rider is sent on Monday: the pickup window is Tuesday's first opening
    assert (leg.pickup_from, leg.pickup_until) == (at(9, day=TUESDAY), at(12, 58, day=TUESDAY))


def test_a_special_day_with_other_hours_replaces_the_weekly_ones(shop):
    merchant = hours_set(shop, SPLIT)
    OpeningException.objects.create(merchant=merchant, day=MONDAY, closed=False,
                                    hours=[["10:00", "19:30"]], note="Lange Nacht")
    assert Hours.of_merchant(merchant).window(at(17, 30), at(20, 30), timedelta(minutes=3)) \
        == (at(17, 30), at(19, 27))


def test_public_holidays_of_the_places_town_close_shops_and_points(shop, town):
    # given a shop that closes on holidays and one that does not, and the town's point
    merchant = hours_set(shop, SPLIT | {"2": [["09:00", "18:30"]]})
    open_shop = Merchant.objects.create(name="Kiosk Späti", slug="spaeti", category="books",
                                        street="Weg 1", postcode="46236", lat=51.52, lon=6.93,
                                        opening_hours=SHOP_9_1830, closed_on_holidays=False)
    point = PickupPoint.objects.get(pk=town["point"].pk)
    epiphany = date(2027, 1, 6)  # a Wednesday; a holiday in Bavaria, not in NRW
    day = (at(0, day=epiphany), at(23, day=epiphany))
    # when the town is in NRW, then all are open
    assert Hours.of_merchant(merchant).between(*day)
    assert Hours.of_point(point).between(*day)
    # when the town's holidays are Bavaria's, then the shop and the point are shut
    Town.objects.filter(pk=the_town().pk).update(holiday_region="DE-BY")
    merchant = Merchant.objects.get(pk=merchant.pk)
    point = PickupPoint.objects.get(pk=point.pk)
    assert Hours.of_merchant(merchant).between(*day) == []
    assert Hours.of_point(point).between(*day) == []
    # and the shop that opens on holidays stays open
    assert Hours.of_merchant(Merchant.objects.get(pk=open_shop.pk)).between(*day)


def test_the_repair_fetch_is_handed_in_before_the_shop_closes(shop, customer):
    # given a shoemaker open until 18:30
    hours_set(shop, SHOP_9_1830)
    # when a repair is booked for the evening wave
    leg = fetch_of(shop, customer)
    # then the item is fetched in the wave and handed in by 18:30 (drop of 3 minutes)
    assert (leg.pickup_from, leg.pickup_until) == (at(17, 30), at(20, 30))
    assert (leg.drop_from, leg.drop_until) == (at(17, 30), at(18, 27))


def test_the_repair_fetch_never_lands_in_a_closed_shop(shop, customer):
    # given a shop that closes at 17:00, before the wave
    merchant = hours_set(shop, SHOP_9_17)
    # when a repair is booked for the evening wave
    leg = fetch_of(shop, customer)
    # then the shop cannot take it tonight: the item spends the night at the City-Depot, and
    # the hand-in at the shop waits for Tuesday's opening
    drop = the_town().stop_times.drop  # 3 minutes
    assert not shop_can_receive(merchant, at(17, 30), at(20, 30), drop)
    assert shop_next_open(merchant, at(17, 30), drop) == (at(9, day=TUESDAY),
                                                          at(16, 57, day=TUESDAY))
    assert leg.drop_ref.startswith("hub:")
    hand_in = Leg.objects.get(order=leg.order, drop_ref=f"merchant:{merchant.pk}")
    assert (hand_in.drop_from, hand_in.drop_until) == (at(9, day=TUESDAY),
                                                       at(16, 57, day=TUESDAY))
    # and the return waits for the shop too, never collected from a closed shop
    back = Leg.objects.get(order=leg.order, kind=LegKind.RETURN)
    assert back.pickup_from >= at(9, day=TUESDAY)


def test_a_shop_that_can_receive_in_the_wave(shop):
    merchant = hours_set(shop, SHOP_9_1830)
    drop = timedelta(minutes=3)
    assert shop_can_receive(merchant, at(17, 30), at(20, 30), drop)
    assert not shop_can_receive(merchant, at(18, 28), at(20, 30), drop)  # 3 minutes do not fit


def _outside(stop: TourStop) -> bool:
    """The stop, from its planned begin to its end, lies outside every span of its place."""
    leg = stop.leg
    ref = leg.pickup_ref if stop.kind == "pickup" else leg.drop_ref
    spans = Hours.of_ref(ref).between(stop.planned_arrival, stop.planned_departure)
    return spans is not None and not any(
        opens <= stop.planned_arrival and stop.planned_departure <= closes
        for opens, closes in spans)


@pytest.fixture
def small_day(shop, other_shop, customer, other_customer, town, shifts):
    """A split-shift shop, a shoemaker closing 18:30, a kiosk closing 19:00; four legs."""
    hours_set(shop, SHOP_9_1830)
    hours_set(other_shop, SPLIT)
    point = point_hours_set(town, POINT_8_19)
    legs = [ready(other_shop, customer, key="a"),
            ready(other_shop, other_customer, key="b",
                  destination=Destination("point", pickup_point_id=point.pk)),
            ready(shop, customer, key="c",
                  destination=Destination("point", pickup_point_id=point.pk)),
            fetch_of(shop, other_customer)]
    # with the legs they lead to via the City-Depot, those of Monday
    return list(Leg.objects.filter(order__in=[leg.order_id for leg in legs],
                                   status=LegStatus.OPEN, drop_from__lt=at(0, day=TUESDAY)))


def test_the_solvers_plan_of_a_small_day_has_no_stop_outside_the_hours(small_day, staff_users):
    # when the day is planned by the real solver
    with time_machine.travel(MONDAY_MORNING, tick=False):
        run = plan_day(town=the_town(), day=MONDAY, by=staff_users[Role.DISPATCHER],
                       time_limit=1)
    stops = list(TourStop.objects.filter(tour__plan_run=run).select_related("leg"))
    # then every leg is planned and no stop lies outside its place's hours
    assert {s.leg_id for s in stops} == {leg.pk for leg in small_day}
    assert [s for s in stops if _outside(s)] == []


def test_a_tour_with_a_drop_at_a_point_shut_after_planning_is_named_for_the_dispatcher(
        small_day, staff_users):
    # given the day planned
    with time_machine.travel(MONDAY_MORNING, tick=False):
        run = plan_day(town=the_town(), day=MONDAY, by=staff_users[Role.DISPATCHER],
                       time_limit=1)
    point_stop = TourStop.objects.filter(tour__plan_run=run, kind="delivery",
                                         leg__drop_ref__startswith="point:").first()
    assert point_stop is not None
    # when the kiosk changes its hours to close at 17:00 on every day
    PickupPoint.objects.update(opening_hours=POINT_8_17)
    tour = Tour.objects.get(pk=point_stop.tour_id, status=TourStatus.DRAFT)
    # then the checker rejects the tour, naming the stop and when the kiosk closed
    texts = tour_violations(tour)
    assert any(f"Stopp {point_stop.sequence} (" in t
               and "außerhalb der Öffnungszeiten (schließt 17:00)" in t for t in texts), texts

