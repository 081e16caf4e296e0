"""What the customer sees of an order on its way: the timeline and what happened besides (a
new wave, a fallback), the ETA window, the courier.

Read-only, from the order's events and the published tour that carries its next leg. The
courier's position is revealed only while the rider is on the way to this customer's stop
(riders' privacy, `customer_may_see_rider`); before that the customer sees how many stops
are still ahead of theirs. The position is the rider's last report, or without one the
place of their last finished stop. The ETA is the stop's recomputed
`eta` when execution has updated it, else the planned arrival, widened to a window.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from louise.logistics.models import (
    LegKind,
    LegStatus,
    StopKind,
    StopStatus,
    TourStatus,
    TourStop,
)
from louise.logistics.selectors import customer_may_see_rider
from louise.orders.models import FINISHED, EventKind, Order, OrderEvent, OrderKind, OrderStatus

S = OrderStatus
ETA_HALF_WINDOW = timedelta(minutes=15)
# Happenings the customer reads under the steps (the shop's findings and the quote have
# their own section on the order page).
HISTORY_KINDS = (EventKind.RESCHEDULED, EventKind.RETURN_CHOSEN, EventKind.FALLBACK,
                 EventKind.LOCKER_OPENED, EventKind.HELD)

# The customer's five steps; each lifecycle status counts as reaching one of them.
STEPS = [("placed", _("bestellt")), ("accepted", _("angenommen")),
         ("collected", _("abgeholt")), ("on_its_way", _("unterwegs")),
         ("delivered", _("zugestellt"))]
STEP_OF: dict[str, int] = {
    S.PLACED: 0, S.ACCEPTED: 1, S.ITEM_PICKED_UP: 1, S.IN_SERVICE: 1, S.READY: 1,
    S.COLLECTED: 2, S.AT_HUB: 2, S.OUT_FOR_DELIVERY: 3, S.FAILED: 3, S.DELIVERED: 4}
SERVICE_STEPS = [("placed", _("gebucht")), ("accepted", _("angenommen")),
                 ("item_picked_up", _("bei Ihnen abgeholt")),
                 ("in_service", _("in Bearbeitung")), ("collected", _("auf dem Rückweg")),
                 ("delivered", _("zurückgebracht"))]
SERVICE_STEP_OF: dict[str, int] = {
    S.PLACED: 0, S.ACCEPTED: 1, S.ITEM_PICKED_UP: 2, S.IN_SERVICE: 3,
    S.READY: 3, S.COLLECTED: 4, S.AT_HUB: 4, S.OUT_FOR_DELIVERY: 4, S.FAILED: 4,
    S.DELIVERED: 5}


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    current: bool
    at: datetime | None


@dataclass(frozen=True)
class Tracking:
    steps: list[Step]
    history: tuple[OrderEvent, ...] = ()
    eta_from: datetime | None = None
    eta_until: datetime | None = None
    stops_before: int | None = None
    courier_lat: float | None = None
    courier_lon: float | None = None
    target_lat: float | None = None
    target_lon: float | None = None

    @property
    def courier_visible(self) -> bool:
        return self.courier_lat is not None


def _steps(order: Order) -> list[Step]:
    steps, step_of = ((SERVICE_STEPS, SERVICE_STEP_OF) if order.kind == OrderKind.SERVICE
                      else (STEPS, STEP_OF))
    reached = step_of.get(order.status, -1)
    first_at: dict[int, datetime] = {}
    for event in order.events.all():
        first_at.setdefault(step_of.get(event.to_status, -1), event.at)
    return [Step(label=str(label), done=i <= reached, current=i == reached,
                 at=first_at.get(i)) for i, (_key, label) in enumerate(steps)]


def _next_stop(order: Order) -> TourStop | None:
    """The published stop at the customer's place that comes next for this order."""
    at_customer: dict[str, str] = {
        LegKind.ITEM_PICKUP: StopKind.PICKUP, LegKind.DELIVERY: StopKind.DELIVERY,
        LegKind.RETURN: StopKind.DELIVERY, LegKind.SHOPPING: StopKind.DELIVERY}
    for leg in order.legs.filter(status__in=[LegStatus.PLANNED, LegStatus.COLLECTED],
                                 kind__in=list(at_customer)).order_by("id"):
        stop = (TourStop.objects.select_related("tour", "leg")
                .filter(leg=leg, kind=at_customer[leg.kind], status=StopStatus.PENDING,
                        tour__status=TourStatus.PUBLISHED).first())
        if stop is not None:
            return stop
    return None


def order_tracking(*, order: Order) -> Tracking:
    """Timeline always; ETA once a published tour carries the order; the courier when near."""
    steps = _steps(order)
    history = tuple(e for e in order.events.all() if e.kind in HISTORY_KINDS)
    if order.status in FINISHED:
        return Tracking(steps=steps, history=history)
    stop = _next_stop(order)
    if stop is None:
        return Tracking(steps=steps, history=history)
    before = list(stop.tour.stops.select_related("leg").filter(sequence__lt=stop.sequence)
                  .order_by("sequence"))
    pending_before = sum(s.status == StopStatus.PENDING for s in before)
    courier = _courier(stop, before) if customer_may_see_rider(stop=stop) else None
    eta_from, eta_until = eta_window(stop.eta or stop.planned_arrival, *stop.window)
    return Tracking(
        steps=steps, history=history, eta_from=eta_from, eta_until=eta_until,
        stops_before=pending_before, courier_lat=courier[0] if courier else None,
        courier_lon=courier[1] if courier else None, target_lat=stop.lat, target_lon=stop.lon,
    )


def eta_window(arrival: datetime, opens: datetime,
               closes: datetime) -> tuple[datetime, datetime]:
    """Half an hour round the expected arrival, inside the booked window: never before it
    opens (the courier waits until then), and not past its end while the arrival is inside
    it ("20:11–20:41" for a wave ending 20:30 promised a lateness that was not planned).
    A courier who is really late gets the honest window past the end."""
    start = max(arrival - ETA_HALF_WINDOW, opens)
    end = start + 2 * ETA_HALF_WINDOW
    if arrival <= closes < end:
        start, end = max(opens, closes - 2 * ETA_HALF_WINDOW), closes
    return start, end


def _courier(stop: TourStop, before: list[TourStop]) -> tuple[float, float] | None:
    """The rider's last reported position, else the place of their last finished stop;
    None while the tour has not started."""
    position = stop.tour.positions.order_by("-at").first()
    if position is not None:
        return position.lat, position.lon
    done = [s for s in before if s.status != StopStatus.PENDING]
    return (done[-1].lat, done[-1].lon) if done else None
