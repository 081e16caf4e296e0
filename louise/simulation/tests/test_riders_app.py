"""A tour the app gives a rider during the day (an insertion onto a rider on shift who had
none) is ridden by the simulated rider, who looks at the app now and then."""

from datetime import datetime, timedelta

import pytest
import time_machine

from louise.accounts.models import Role
from louise.catalog.models import Product
from louise.conftest import MONDAY_MORNING, make_customer, the_town
from louise.core.calendar import BERLIN
from louise.logistics.models import Shift, StopStatus, TourStop
from louise.logistics.running import open_legs_insert
from louise.logistics.tests.journeys import door_delivery_published, one_book_bought
from louise.orders.checkout import Destination
from louise.orders.services import order_accept, order_mark_ready
from louise.simulation.agenda import Agenda, Life, Options, day_end, day_start
from louise.simulation.cast import cast_for
from louise.simulation.dice import Dice
from louise.simulation.dispatch import LAST_ROUND_BEFORE_WAVE, dispatching

pytestmark = pytest.mark.django_db
MONDAY = MONDAY_MORNING.date()


def test_a_tour_given_to_an_idle_rider_after_the_last_round_is_ridden(shop, customer, shifts,
                                                                      staff_users):
    # given: Monday's bike tour published; the car's rider (14:00–21:00) has none
    dispo = staff_users[Role.DISPATCHER]
    door_delivery_published(shop, customer, staff_users)
    car = Shift.objects.get(vehicle__kind="car")
    assert not car.tours.exists()
    # and after the dispatcher's last round, something only the car carries is inserted
    wave = datetime.combine(MONDAY, the_town().wave_start, BERLIN)
    late_at = wave - LAST_ROUND_BEFORE_WAVE + timedelta(minutes=10)

    def late_bulky_order() -> None:
        Product.objects.filter(pk=shop["product"].pk).update(bulky=True)
        person, address = make_customer("spaet", lat=51.5260, lon=6.9330)
        late = one_book_bought(shop, person, Destination("door", address_id=address.pk), "late")
        order_accept(order_number=late.number, by=shop["staff"])
        order_mark_ready(order_number=late.number, by=shop["staff"], now=MONDAY_MORNING)
        open_legs_insert(town=the_town(), day=MONDAY, by=dispo)

    # when: Monday is lived
    with time_machine.travel(day_start(MONDAY), tick=False) as traveller:
        agenda = Agenda(traveller, day_start(MONDAY))
        life = Life(town=the_town(), day=MONDAY, cast=cast_for(the_town()), dice=Dice(3),
                    options=Options(time_limit=1), agenda=agenda)
        dispatching(life)
        life.at(late_at, "spät", late_bulky_order)
        agenda.run_until(day_end(MONDAY))
    # then: the car's new tour was ridden to its end, like the bike's
    assert life.incidents == []
    tour = car.tours.get()
    assert tour.published_at >= late_at
    assert tour.stops.count() == 2
    assert not TourStop.objects.filter(status=StopStatus.PENDING).exists()
