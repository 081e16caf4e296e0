"""Simulated services: customers book a shop's service (the item is fetched at their door),
the shop accepts, and once the rider has brought the item the shop finishes the work a
working day or two later. A service priced after inspection gets a quote first, which
most customers accept; either answer lets the shop release the way back.

The workshop is read from the database every morning (items in service, quotes waiting
for an answer), so work started in one run is finished in the next.
"""

from datetime import date, time
from functools import partial

from louise.catalog.models import ServiceOffer
from louise.core.calendar import BERLIN, next_working_day, wave_for
from louise.geo.selectors import zone_serving
from louise.orders.checkout import service_request
from louise.orders.models import Channel, Order, OrderKind, OrderStatus, QuoteStatus
from louise.orders.quotes import quote_accept, quote_decline, service_inspect
from louise.orders.services import order_mark_ready

from .agenda import Life
from .customers import arrivals, cancel_maybe
from .shops import inbox, when_open

BOOKINGS_PER_CUSTOMER = 0.015  # service bookings per customer and working day (demo: 4 of 300)
ITEMS = ("Ein Paar Lederschuhe, Absätze abgelaufen", "Fünf Oberhemden", "Eine Anzughose",
         "Damenfahrrad, Hinterrad eiert", "Wintermantel, Reißverschluss klemmt",
         "Bettwäsche für zwei Betten")
FINDINGS = "Begutachtet: Arbeit wie beschrieben möglich."
QUOTE_CENTS = (1500, 6000)
QUOTE_DECLINED = 0.15
ANSWER_MINUTES = (60, 240)
WORK_MINUTES = (30, 240)
SECOND_DAY = 0.5  # chance that the work takes two working days instead of one


def bookings(life: Life) -> None:
    """The day's service bookings, and the workshop's items and open quotes."""
    mean = (life.options.bookings if life.options.bookings is not None
            else BOOKINGS_PER_CUSTOMER * len(life.customers))
    for i, at in enumerate(arrivals(life, mean, "bookings")):
        life.at(at, f"Service-Buchung {i + 1}", partial(_book, life, i))
    service = life.own(Order.objects.filter(town=life.town, kind=OrderKind.SERVICE)
                       ).select_related("merchant").order_by("pk")
    for order in service.filter(status=OrderStatus.PLACED):
        inbox(life, order)
    for order in service.filter(status=OrderStatus.IN_SERVICE):
        if order.quote_status == QuoteStatus.PENDING:
            _answer_later(life, order)
        else:
            _work_later(life, order)


def _book(life: Life, i: int) -> None:
    rng = life.dice.rng("booking", life.town.slug, life.day, i)
    homes = [(person, home) for person, home in life.customers
             if zone_serving(home, life.town) is not None]
    offers = list(ServiceOffer.objects.filter(merchant__town=life.town, merchant__active=True,
                                              active=True).order_by("pk"))
    if not homes or not offers:
        return
    customer, home = rng.choice(homes)
    checkout = service_request(customer=customer, service_id=rng.choice(offers).pk,
                               address_id=home.pk, item_description=rng.choice(ITEMS),
                               idempotency_key=f"sim-s-{life.day:%Y%m%d}-{i}",
                               channel=Channel.DEMO, now=life.now())
    order = checkout.orders.select_related("merchant").get()
    inbox(life, order)
    cancel_maybe(life, order)


def _work_later(life: Life, order: Order) -> None:
    at = when_open(order.merchant, life.now(),
                   life.dice.minutes(*WORK_MINUTES, "work", order.pk, life.day))
    if at is not None:
        life.at(at, f"Werkstatt {order.number}", partial(_work, life, order.pk))


def _answer_later(life: Life, order: Order) -> None:
    life.at(max(life.now(), life.clock(time(8)))
            + life.dice.minutes(*ANSWER_MINUTES, "answer", order.pk, life.day),
            f"Kostenvoranschlag {order.number}", partial(_answer, life, order.pk))


def _done_day(order: Order, life: Life) -> date:
    """A working day or two after the item came into the shop."""
    came = order.events.filter(to_status=OrderStatus.IN_SERVICE).order_by("pk").first()
    day = (came.at if came else order.wave_start).astimezone(BERLIN).date()
    for _ in range(2 if life.dice.chance(SECOND_DAY, "work-days", order.pk) else 1):
        day = next_working_day(day, life.town.schedule)
    return day


def _work(life: Life, order_id: int) -> None:
    order = Order.objects.select_related("merchant").get(pk=order_id)
    if order.status != OrderStatus.IN_SERVICE or order.quote_status == QuoteStatus.PENDING:
        return
    team = life.cast.team(order.merchant)
    line = order.lines.select_related("service").first()
    if line and line.service and line.service.quote_after_inspection and not order.quote_status:
        cents = life.dice.rng("quote", order.pk).randrange(*QUOTE_CENTS, 10)
        service_inspect(order_number=order.number, by=team, findings=FINDINGS,
                        quote_cents=cents)
        _answer_later(life, order)
    elif (life.day >= _done_day(order, life)
          and life.reaches(wave_for(life.now(), life.town.schedule).day)):
        # the way back goes out in the next wave: none past the run's horizon
        order_mark_ready(order_number=order.number, by=team, now=life.now())


def _answer(life: Life, order_id: int) -> None:
    order = Order.objects.select_related("customer", "merchant").get(pk=order_id)
    if order.quote_status != QuoteStatus.PENDING or order.customer is None:
        return
    if life.dice.chance(QUOTE_DECLINED, "quote-declined", order.pk):
        quote_decline(order_number=order.number, by=order.customer, reason="Zu teuer.")
    else:
        quote_accept(order_number=order.number, by=order.customer)
    _work_later(life, order)
