"""When a rider may be at a leg's places: the open spans of each place, and windows cut to them.

The one place for the question "is this place open then?". A shop has its weekly hours
(two spans for a split shift), the public holidays of its town's state if it closes on
them, and its special days; a pickup point has its weekly hours and closes on public
holidays (it has no special days, and a parcel must never wait at a shut kiosk); a door,
a locker, the hub and a rider's running stop have no limit. So has a shop that has not
entered any hours yet (as before: it hands over whenever a rider comes).

A window here is, as in the planner, the time a stop may *begin*: a stop must also end
inside the same open span, so each span's close is moved forward by the stop's service
time. Leg creators (`legs.py`, `fallback.py`) store such windows, and the planning bridge
hands the same spans to the planner's checker (rule `hours`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from louise.catalog.models import Merchant
from louise.catalog.selectors import merchant_hours_on
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict
from louise.core.hours import hours_on
from louise.geo.models import PickupPoint
from louise.geo.stop_times import StopTimes

if TYPE_CHECKING:
    from louise.orders.models import Order

type Span = tuple[datetime, datetime]

# The places where a stop begins with meeting someone, which stops one after the other at
# the place share (`StopTimes.shared`, see geo/stop_times.py); not the hub's bay (its stop
# is `StopTimes.hub`) nor a rider's position.
HANDOVER_PLACES = ("merchant:", "address:", "point:", "locker:")
# How far ahead a closed place's next opening is looked for (holidays, a week's closure).
LOOK_AHEAD_DAYS = 14


def handover_at(ref: str, times: StopTimes) -> timedelta:
    """The part of a stop's service at the place `ref` that stops there in a row share
    (the town's `times.shared`); none at the hub or at a rider's position."""
    return times.shared if ref.startswith(HANDOVER_PLACES) else timedelta(0)


def days_of(start: datetime, end: datetime) -> list[date]:
    """The local dates from `start` to `end`, both included."""
    first, last = start.astimezone(BERLIN).date(), end.astimezone(BERLIN).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def fit(start: datetime, end: datetime, spans: list[Span] | None,
        service: timedelta) -> Span | None:
    """The part of the window [start, end] in which a stop of `service` begins and ends
    inside one open span; None if there is none (no spans given: no limit, the window,
    at least a moment long).

    Of several spans (a split shift) the latest is taken. For a pickup it is the one nearest
    the evening wave, when the riders' shifts run and the goods wait least; for a drop it
    leaves the most time to collect the goods first. Within a three-hour wave two spans of
    one place rarely both touch it, so little is lost by giving the planner one of them
    (its window is one interval; the checker still knows them all)."""
    if spans is None:
        return start, max(start, end)
    cut = [(max(start, opens), min(end, closes - service)) for opens, closes in spans]
    return max(((a, b) for a, b in cut if a <= b), default=None)


@dataclass
class Hours:
    """The open spans of one place day by day (read once per day); `on` is None for a
    place without a limit."""

    on: Callable[[date], list[Span]] | None
    _days: dict[date, list[Span]] = field(default_factory=dict)

    @classmethod
    def of_merchant(cls, merchant: Merchant) -> "Hours":
        if not merchant.opening_hours and not merchant.opening_exceptions.exists():
            return cls(None)
        return cls(lambda day: merchant_hours_on(merchant=merchant, day=day).times)

    @classmethod
    def of_point(cls, point: PickupPoint) -> "Hours":
        schedule = point.town.schedule
        return cls(lambda day: hours_on(point.opening_hours, day, closed_on_holidays=True,
                                        schedule=schedule).times)

    @classmethod
    def of_ref(cls, ref: str) -> "Hours":
        """The hours of the place a leg's `ref` names ("merchant:3", "point:7", …)."""
        kind, _, pk = ref.partition(":")
        if kind == "merchant":
            return cls.of_merchant(Merchant.objects.select_related("town").get(pk=pk))
        if kind == "point":
            return cls.of_point(PickupPoint.objects.select_related("town").get(pk=pk))
        return cls(None)

    def _spans(self, on: Callable[[date], list[Span]], day: date) -> list[Span]:
        if day not in self._days:
            self._days[day] = on(day)
        return self._days[day]

    def between(self, start: datetime, end: datetime) -> list[Span] | None:
        """The open spans of every day from `start` to `end`; None without a limit."""
        if self.on is None:
            return None
        on = self.on
        return [span for day in days_of(start, end) for span in self._spans(on, day)]

    def window(self, start: datetime, end: datetime, service: timedelta) -> Span | None:
        """`fit` for this place."""
        return fit(start, end, self.between(start, end), service)

    def next_open(self, after: datetime, service: timedelta) -> Span | None:
        """The first open span from `after` on in which a stop of `service` fits, as a
        window for its start; None if the place stays shut for `LOOK_AHEAD_DAYS`."""
        if self.on is None:
            return after, after
        on = self.on
        for day in days_of(after, after + timedelta(days=LOOK_AHEAD_DAYS)):
            for opens, closes in self._spans(on, day):
                if max(opens, after) <= closes - service:
                    return max(opens, after), closes - service
        return None


def place_window(hours: Hours, start: datetime, end: datetime, service: timedelta, *,
                 since: datetime | None = None) -> Span:
    """The window [start, end] at a place cut to its open spans. If the place is shut all
    that time: its latest span from `since` on (a pickup point that shuts before the wave
    takes the parcel earlier that day), else its next opening after `start` (the leg then
    misses its wave and the planner says why, instead of sending a rider to a shut door).
    A place shut for two weeks refuses the leg."""
    found = (hours.window(start, end, service)
             or (hours.window(since, end, service) if since is not None else None)
             or hours.next_open(start, service))
    if found is None:
        raise Conflict("Der Ort hat in den nächsten zwei Wochen keine Öffnungszeit, zu der "
                       "eine Sendung abgeholt oder abgegeben werden kann.", code="place_closed")
    return found


def wave_drop_window(order: "Order", drop_ref: str, now: datetime) -> Span:
    """The order's wave at `drop_ref` while the place is open, long enough for the town's
    drop time: a leg's drop there, direct or onward from the hub."""
    return place_window(Hours.of_ref(drop_ref), order.wave_start, order.wave_end,
                        order.town.stop_times.drop, since=now)


def shop_can_receive(merchant: Merchant, start: datetime, end: datetime,
                     service: timedelta) -> bool:
    """Whether an item can be handed in at the shop between `start` and `end` (a drop of
    `service` inside one of its open spans). If not, a repair fetch waits elsewhere (the
    hub overnight) for the shop's next opening, `shop_next_open`."""
    return Hours.of_merchant(merchant).window(start, end, service) is not None


def shop_next_open(merchant: Merchant, after: datetime, service: timedelta) -> Span | None:
    """When the shop can next take an item handed in from `after` on (window of the drop's
    start); None if it stays shut for two weeks."""
    return Hours.of_merchant(merchant).next_open(after, service)
