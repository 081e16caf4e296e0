"""The town's report over a period, for its operators (one town) or the region's (every
town): orders, drops, tours, shifts and the ledger, counted and added up in the database
(no order or stop is read one by one: a big town's month is 60,000 orders), and turned into
figures by `figures.py`. The dashboard, the exports and
`louise report` all ask `report_for`.
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import connection, connections
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    FloatField,
    Func,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from louise.accounts.access import require_role, town_ids
from louise.accounts.models import Role, User
from louise.billing.models import EntryKind, LedgerEntry
from louise.core.calendar import BERLIN, is_working_day
from louise.core.dates import FIRST_DAY
from louise.core.errors import Invalid, NotFound
from louise.geo.areas import area_bounds, area_contains
from louise.geo.models import Town, VehicleKind, Zone
from louise.geo.report_costs import FACTORS, report_costs_default
from louise.geo.selectors import postcode_area, town_for, towns_of
from louise.geo.vehicle_costs import VehicleCosts
from louise.logistics.models import Shift, StopKind, StopStatus, Tour, TourStatus, TourStop
from louise.logistics.ridden import Served, ridden_of, served_of
from louise.orders.models import CALLED_OFF, Channel, Order, OrderKind
from louise.simulation.figures import TO_CUSTOMERS, share

from .figures import (
    Baselines,
    Basis,
    Costs,
    DropCounts,
    Environment,
    KindUse,
    OrderSums,
    Outcome,
    Quality,
    Revenue,
    TourRow,
    WhatIf,
    costs_of,
    drop_costs,
    environment,
    fleet,
    quality,
    what_if,
)

REGION = "region"
KINDS = ("day", "week", "month", "custom")
LONGEST_DAYS = 366
ACTIVE_DAYS = 30


# --- the period ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    kind: str  # day, week, month, custom
    first: date
    last: date  # inclusive

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def span(self) -> tuple[datetime, datetime]:
        """Berlin midnight to midnight, as aware datetimes."""
        begin = datetime.combine(self.first, datetime.min.time(), BERLIN)
        return begin, datetime.combine(self.last + timedelta(days=1), datetime.min.time(),
                                       BERLIN)

    def days_until(self, today: date) -> int:
        """How many of its days have begun by `today`: all of a past period, the days so far
        of one still running (its costs per day and orders per day count only those)."""
        return max(1, min(self.days, (today - self.first).days + 1))

    def previous(self) -> "Period":
        """The period before, of the same kind (the calendar month before a month)."""
        if self.kind == "month":
            last = self.first - timedelta(days=1)
            return Period("month", last.replace(day=1), last)
        return Period(self.kind, self.first - timedelta(days=self.days),
                      self.first - timedelta(days=1))

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.first:%m/%Y}"
        if self.first == self.last:
            return f"{self.first:%d.%m.%Y}"
        return f"{self.first:%d.%m.%Y} – {self.last:%d.%m.%Y}"


def _day(text: str, what: str) -> date:
    try:
        day = (date.fromisoformat(f"{text}-01") if len(text) == 7
               else date.fromisoformat(text))
    except ValueError:
        raise Invalid(f"„{text}“ ist kein Datum (JJJJ-MM-TT, für einen Monat JJJJ-MM).",
                      field=what) from None
    if day < FIRST_DAY:
        raise Invalid(f"Vor {FIRST_DAY:%Y} gibt es keine Zahlen.", field=what)
    return day


def period_parse(kind: str, start: str, until: str = "", *, today: date) -> Period:
    """The period a person asked for: a day, the week (Monday to Sunday) or month a day lies
    in, or a custom span; one that begins after today is refused in German."""
    if kind not in KINDS:
        raise Invalid("Zeitraum ist Tag, Woche, Monat oder frei.", field="zeitraum")
    first = _day(start, "ab") if start else today
    if kind == "week":
        first -= timedelta(days=first.weekday())
        last = first + timedelta(days=6)
    elif kind == "month":
        first = first.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    elif kind == "custom":
        last = _day(until, "bis") if until else today
        if last < first:
            raise Invalid("Das Ende des Zeitraums liegt vor seinem Anfang.", field="bis")
        if (last - first).days >= LONGEST_DAYS:
            raise Invalid(f"Höchstens {LONGEST_DAYS} Tage auf einmal.", field="bis")
    else:
        last = first
    if first > today:
        raise Invalid(f"Der Zeitraum ab {first:%d.%m.%Y} liegt in der Zukunft; "
                      "dafür gibt es noch keine Zahlen.", field="ab")
    return Period(kind, first, last)


# --- whose report -------------------------------------------------------------------------

def report_towns(user: User, slug: str | None) -> tuple[str, list[Town]]:
    """The towns an operator's report covers and its title: one town of theirs, or with
    `slug="region"` every town, for the region's operator only; anything else is unknown."""
    require_role(user, Role.OPERATOR)
    if slug == REGION:
        if town_ids(user) is not None:
            raise NotFound("Den Bericht der Region sieht nur der Betrieb der Region.")
        return "Region", list(towns_of(user))
    town = town_for(user, slug, roles=(Role.OPERATOR,))
    return town.name, [town]


def town_named(slug: str) -> Town:
    """A town by its short name, for the command line (which has no person)."""
    town = Town.objects.filter(slug=slug).first()
    if town is None:
        known = ", ".join(Town.objects.values_list("slug", flat=True))
        raise NotFound(f"Die Stadt „{slug}“ gibt es nicht (bekannt: {known}).")
    return town


# --- the rows of one town -------------------------------------------------------------------

class Lateness(Func):
    """Seconds a drop was handed over after its window's end: done time less service time
    less the window's end (`simulation.figures.on_time`: late when above 0), in the
    database, to the microsecond: PostgreSQL from the interval (its float `date_part`),
    SQLite from Django's text timestamps (whole seconds plus their fraction)."""

    arity = 3  # done_at, the window's end, the service seconds
    output_field = FloatField()

    def _parts(self, compiler, connection) -> tuple[list[str], list]:
        sql, params = [], []
        for expression in self.get_source_expressions():
            part, part_params = compiler.compile(expression)
            sql.append(part)
            params += part_params
        return sql, params

    def as_postgresql(self, compiler, connection, **extra):
        (done, until, service), params = self._parts(compiler, connection)
        return f"(date_part('epoch', {done} - {until}) - {service})", params

    def as_sqlite(self, compiler, connection, **extra):
        (done, until, service), params = self._parts(compiler, connection)

        def seconds(text: str) -> str:
            return f"(unixepoch({text}) + CAST(substr({text}, 20) AS REAL))"

        return f"({seconds(done)} - {seconds(until)} - {service})", params


def _local(column: str) -> TruncDate:
    return TruncDate(column, tzinfo=BERLIN)


def _order_sums(town: Town, begin: datetime, end: datetime) -> tuple[OrderSums, Counter[date]]:
    """The town's orders placed in the period, not declined or cancelled, added up; and how
    many per Berlin day. Grouped in the database: no order is read one by one."""
    placed = (Order.objects.filter(town=town, placed_at__gte=begin, placed_at__lt=end)
              .exclude(status__in=CALLED_OFF).order_by())
    sums, daily = OrderSums(), Counter[date]()
    for row in (placed.annotate(day=_local("placed_at")).alias(wave_day=_local("wave_start"))
                .values("day", "kind", "checkout__channel")
                .annotate(count=Count("id"), goods=Sum("subtotal_cents"), fee=Sum("fee_cents"),
                          merchant_fee=Sum(
                              Coalesce("merchant_fees__per_order_cents", 0)
                              + Coalesce("merchant_fees__per_parcel_cents", 0) * F("parcels")),
                          share=Sum(Cast("subtotal_cents", BigIntegerField())
                                    * Coalesce("merchant_fees__percent_bp", 0)),
                          same_day=Count("id", filter=Q(kind=OrderKind.GOODS,
                                                        wave_day=F("day"))))):
        kind, channel, count = row["kind"], row["checkout__channel"], row["count"]
        daily[row["day"]] += count
        sums.count += count
        sums.goods_orders += count if kind == OrderKind.GOODS else 0
        sums.services += count if kind == OrderKind.SERVICE else 0
        sums.goods_cents += row["goods"]
        sums.local_goods_cents += row["goods"] if kind == OrderKind.GOODS else 0
        sums.fee_cents[kind] = sums.fee_cents.get(kind, 0) + row["fee"]
        sums.merchant_fee_cents += row["merchant_fee"]
        sums.goods_times_bp += row["share"]
        sums.same_day_promised += row["same_day"]
        sums.hotline += count if channel == Channel.HOTLINE else 0
        sums.standing += count if channel == Channel.STANDING else 0
    sums.merchants = placed.values("merchant_id").distinct().count()
    return sums, daily


def _drop_stops(town: Town, begin: datetime, end: datetime) -> QuerySet[TourStop]:
    """The town's drops to customers finished or given up in the period (the town by the
    leg's: a tour carries only its town's legs, and the tour's town is two joins away)."""
    return TourStop.objects.filter(
        leg__town=town, kind=StopKind.DELIVERY, leg__kind__in=TO_CUSTOMERS,
        leg__order__isnull=False, status__in=[StopStatus.DONE, StopStatus.FAILED],
        done_at__gte=begin, done_at__lt=end).order_by()


# where a drop went, for the zones of postcodes only: the pickup point's or locker's
# postcode, else the order's address's
DROP_POSTCODE = Coalesce("leg__order__pickup_point__postcode", "leg__order__locker__postcode",
                         "leg__order__address__postcode")


def _drop_counts(town: Town, begin: datetime, end: datetime, *, by_postcode: bool
                 ) -> tuple[DropCounts, dict[date, Counter[str]]]:
    """The town's drops' figures (`DropCounts`, with the done ones per postcode if asked),
    and the done drops per Berlin day and method. Counted in the database: the drops
    grouped by what the figures tell apart, and grouped by order (which attempt came first,
    and whether an order was handed over more than once, which the first grouping would
    count twice among the same-day handovers: then those orders' drops are read)."""
    stops = _drop_stops(town, begin, end)
    done = Q(status=StopStatus.DONE)
    late = done & Q(late_s__gt=0)  # `simulation.figures.on_time`: arrived after the window
    # few keys: PostgreSQL then groups in a hash table (with more it guesses many groups and
    # sorts the 60,000 rows on disk); by tour, not by vehicle kind, which would join the
    # tours, shifts and vehicles to every drop: the tours' kinds are one small query after
    keys = ["day", "method", "tour", "status", "failure_reason", "fallback"]
    counts, daily = DropCounts(), defaultdict[date, Counter[str]](Counter)
    by_tour: Counter[int] = Counter()
    for row in (stops.alias(late_s=Lateness("done_at", "leg__drop_until",
                                            "leg__drop_service_s"),
                            placed_day=_local("leg__order__placed_at"))
                .annotate(day=_local("done_at"), method=F("leg__order__delivery_method"),
                          **({"postcode": DROP_POSTCODE} if by_postcode else {}))
                .values(*keys, *(["postcode"] if by_postcode else []))
                .annotate(count=Count("id"), late=Count("id", filter=late),
                          lateness=Sum("late_s", filter=late),
                          same_day=Count("id", filter=done & Q(day=F("placed_day"))))):
        count = row["count"]
        if row["status"] == StopStatus.DONE:
            counts.done += count
            counts.late += row["late"]
            counts.late_minutes += (row["lateness"] or 0) / 60
            counts.same_day_orders += row["same_day"]
            by_tour[row["tour"]] += count
            for into, key in ((counts.by_method, row["method"]),
                              (counts.by_postcode, row.get("postcode"))):
                if key is not None:
                    into[key] = into.get(key, 0) + count
            daily[row["day"]][row["method"]] += count
        else:
            counts.failures[row["failure_reason"]] = (
                counts.failures.get(row["failure_reason"], 0) + count)
            if row["fallback"]:
                counts.fallbacks[row["fallback"]] = counts.fallbacks.get(row["fallback"], 0) + count
    # per order: its first attempt, whether one failed first (a tie counts as failed), and
    # how many of its drops were done
    orders = (stops.values("leg__order")
              .annotate(first=Min("done_at"),
                        first_failed=Min("done_at", filter=Q(status=StopStatus.FAILED)),
                        done_drops=Count("id", filter=done))
              .aggregate(orders=Count("leg__order"),
                         failed_first=Count("leg__order", filter=Q(first_failed=F("first"))),
                         twice=Count("leg__order", filter=Q(done_drops__gt=1))))
    for tour, kind in (Tour.objects.filter(pk__in=list(by_tour)).order_by()
                       .values_list("pk", "shift__vehicle__kind")):
        counts.by_vehicle[kind] = counts.by_vehicle.get(kind, 0) + by_tour[tour]
    counts.orders = orders["orders"]
    counts.first_done = orders["orders"] - orders["failed_first"]
    if orders["twice"]:
        counts.same_day_orders -= _same_day_repeats(stops.filter(done))
    return counts, daily


def _same_day_repeats(done: QuerySet[TourStop]) -> int:
    """How many done drops on the day their order was placed come after the order's first
    such one (rare: an order handed over twice); counted from those orders' drops."""
    twice = (done.values("leg__order").annotate(drops=Count("id")).filter(drops__gt=1)
             .values("leg__order"))
    same_day = Counter(order for order, done_at, placed in done.filter(
        leg__order__in=twice).values_list("leg__order_id", "done_at", "leg__order__placed_at")
        if done_at is not None and _local_day(done_at) == _local_day(placed))
    return sum(n - 1 for n in same_day.values())


def _local_day(moment: datetime) -> date:
    return moment.astimezone(BERLIN).date()


def _tours(town: Town, period: Period) -> list[TourRow]:
    """The period's tours handed to riders: what each cost and did as ridden, kept when it
    closed, else followed along its stops (`logistics.ridden`)."""
    tours = (Tour.objects.filter(plan_run__town=town, plan_run__day__gte=period.first,
                                 plan_run__day__lte=period.last,
                                 status__in=[TourStatus.PUBLISHED, TourStatus.DONE])
             .order_by())
    rows = list(tours.values_list(
        "pk", "status", "ridden_m", "ridden_s", "ridden_stops", "ridden_service_s",
        "ridden_parcels", "plan_run__day", "shift__vehicle_id", "shift__vehicle__kind",
        "shift__vehicle__speed_kmh"))
    open_ = [pk for pk, status, *kept in rows
             if status != TourStatus.DONE or None in kept[:5]]
    running = ridden_of(list(tours.filter(pk__in=open_).select_related("shift__vehicle__hub")))
    served = served_of(open_)
    out = []
    for (pk, _status, metres, seconds, stops, service_s, parcels, day, vehicle, kind,
         speed) in rows:
        if pk in running:
            done = served.get(pk, Served(0, 0, 0))
            metres, seconds = running[pk].metres, running[pk].seconds
            stops, service_s, parcels = done.stops, done.service_s, done.parcels
        # kept when the tour closed, else followed just now
        assert (metres is not None and seconds is not None and stops is not None
                and service_s is not None and parcels is not None)
        out.append(TourRow(day=day, vehicle=vehicle, kind=kind, seconds=seconds, metres=metres,
                           stops=stops, service_s=service_s, speed_kmh=speed, parcels=parcels))
    return out


def _paid_hours(town: Town, begin: datetime, end: datetime) -> dict[str, float]:
    """The hours of the shifts that have begun in the period (in a period still running, the
    shifts of the coming days are planned, not paid yet)."""
    end = min(end, timezone.now())
    hours: dict[str, float] = defaultdict(float)
    for kind, starts, ends in Shift.objects.filter(
            vehicle__town=town, starts_at__gte=begin, starts_at__lt=end).order_by().values_list(
            "vehicle__kind", "starts_at", "ends_at"):
        hours[kind] += (ends - starts).total_seconds() / 3600
    return dict(hours)


FEE_LABELS = {OrderKind.GOODS: "Liefergebühren", OrderKind.SERVICE: "Hol- und Bringservice",
              OrderKind.SHOPPING: "Einkaufszettel"}
CREDITS = "Gutschriften an die Kundschaft"


def _fee_credits(town: Town, begin: datetime, end: datetime) -> int:
    """What the ledger gave back of LOUISE's own fees in the period (negative): the fee of a
    failed delivery, and of a called-off order its fee part (`orders.charges`). A called-off
    shopping list's credit also gives back the receipt LOUISE had booked, which is no fee:
    that part is added back."""
    credits = LedgerEntry.objects.filter(
        town=town, at__gte=begin, at__lt=end, merchant__isnull=True,
        order__kind__in=list(FEE_LABELS), kind__in=[EntryKind.FAILED, EntryKind.CANCELLED])
    given = credits.aggregate(cents=Sum("amount_cents"))["cents"] or 0
    receipts = LedgerEntry.objects.filter(
        kind=EntryKind.SHOPPING, order__in=credits.filter(kind=EntryKind.CANCELLED)
        .values("order")).aggregate(cents=Sum("amount_cents"))["cents"] or 0
    return given + receipts


def _revenue(town: Town, orders: OrderSums, begin: datetime, end: datetime) -> Revenue:
    """Customers' fees from the ledger once it has entries for the period (the fees booked,
    less the fees given back, `_fee_credits`), else the fees stored on the orders; the
    shops' fees under the schedules their orders were placed with."""
    booked = dict(LedgerEntry.objects.filter(
        town=town, at__gte=begin, at__lt=end, kind=EntryKind.DELIVERY,
        order__kind__in=list(FEE_LABELS)).order_by()
        .values("order__kind").annotate(cents=Sum("amount_cents"))
        .values_list("order__kind", "cents"))
    revenue = Revenue(from_ledger=bool(booked))
    for kind, label in FEE_LABELS.items():
        revenue.by_kind[label] = (booked if booked else orders.fee_cents).get(kind, 0)
    if booked:
        revenue.by_kind[CREDITS] = _fee_credits(town, begin, end)
    revenue.by_kind["Händler: Anteil am Warenumsatz"] = round(orders.goods_times_bp / 10_000)
    revenue.by_kind["Händler: je Bestellung und Paket"] = orders.merchant_fee_cents
    return revenue


def _zone_drops(town: Town, zones: list[Zone], drops: QuerySet[TourStop],
                by_postcode: dict[str, int]) -> list["ZoneRow"]:
    """Done drops per zone of the town: inside a drawn area by where the rider handed them
    over; in a zone of postcodes only (no area drawn) by the postcode they went to
    (`DROP_POSTCODE`, counted with the drops), and such a zone is mapped as the area around
    its streets (`postcode_area`)."""
    places = (list(drops.filter(status=StopStatus.DONE)
                   .values_list("leg__drop_lat", "leg__drop_lon").annotate(count=Count("id")))
              if any(zone.area for zone in zones) else [])
    rows = []
    for zone in zones:
        if zone.area:
            west, south, east, north = area_bounds(zone.area)
            count = sum(n for lat, lon, n in places
                        if south <= lat <= north and west <= lon <= east
                        and area_contains(zone.area, lat=lat, lon=lon))
            rows.append(ZoneRow(town.name, zone.name, zone.area, count))
        else:
            rows.append(ZoneRow(town.name, zone.name, postcode_area(zone),
                                sum(by_postcode.get(code, 0) for code in zone.postcodes),
                                postcodes=tuple(zone.postcodes)))
    return rows


# --- the report ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ZoneRow:
    town: str
    name: str
    area: dict | None  # None: a zone of postcodes with no streets known to draw it by
    drops: int
    postcodes: tuple[str, ...] = ()  # a zone of postcodes only: its area is drawn around them

    @property
    def label(self) -> str:
        """The zone's name, with its postcodes when it has no drawn area."""
        return f"{self.name} (PLZ {', '.join(self.postcodes)})" if self.postcodes else self.name


@dataclass
class DayRow:
    day: date
    orders: int = 0
    drops: dict[str, int] = field(default_factory=dict)  # by method
    km: dict[str, float] = field(default_factory=dict)  # by vehicle kind


@dataclass(frozen=True)
class FactorRow:
    town: str
    label: str
    value: int
    unit: str
    source: str


@dataclass
class Report:
    title: str
    towns: list[Town]
    period: Period
    working_days: int
    orders: OrderSums
    service: dict[str, int]
    drops_by_method: dict[str, int]
    quality: Quality
    fleet: dict[str, KindUse]
    environment: Environment
    factors: list[FactorRow]
    revenue: Revenue
    costs: Costs
    stops: int
    basis: Basis
    measured: WhatIf  # the levers as the period had them
    lever: WhatIf  # as chosen (the measured ones unless changed)
    outcome: Outcome
    days: list[DayRow]
    zones: list[ZoneRow]

    @property
    def cost_per_stop(self) -> float | None:
        return round(self.costs.total / self.stops, 1) if self.stops else None

    @property
    def postcode_zones(self) -> bool:
        """Whether a zone is drawn from its postcodes (the page says how)."""
        return any(zone.postcodes for zone in self.zones)

    @property
    def contribution_per_order(self) -> float | None:
        orders = self.orders.count
        return round((self.revenue.total - self.costs.total) / orders, 1) if orders else None


def _kind_costs(town: Town) -> dict[str, VehicleCosts]:
    return {kind: town.costs_of(kind) for kind in VehicleKind.values}


def _baselines(town: Town) -> Baselines:
    return Baselines(van_g_per_km=town.report_factor("van_co2_g_per_km"),
                     car_g_per_km=town.report_factor("car_co2_g_per_km"),
                     trip_m=town.report_factor("trip_m"),
                     car_trip_share_pct=town.report_factor("car_trip_share_pct"))


def _factors(town: Town) -> list[FactorRow]:
    defaults = report_costs_default()
    return [FactorRow(town.name, f.label, value, f.unit,
                      f.source if value == defaults[f.key] else "Wert der Stadt")
            for f in FACTORS for value in [town.report_factor(f.key)]]


def _merge(parts: list[dict[str, KindUse]]) -> dict[str, KindUse]:
    out: dict[str, KindUse] = {}
    for part in parts:
        for kind, use in part.items():
            into = out.setdefault(kind, KindUse())
            for name in ("tours", "km", "hours", "paid_hours", "stops", "parcels", "drops",
                         "waiting_hours", "vehicle_days"):
                setattr(into, name, getattr(into, name) + getattr(use, name))
    return dict(sorted(out.items()))


def report_of(title: str, towns: list[Town], period: Period,
              lever: dict[str, float] | None = None) -> Report:
    """The figures of `towns` over `period`; `lever` changes the what-if's levers (else they
    are what the period measured). Costs and CO2e are worked out per town with its own
    settings and then added up."""
    begin, end = period.span
    orders, drops = OrderSums(), DropCounts()
    uses, zones, factors = [], [], []
    revenue = Revenue()
    costs = Costs(0, 0, 0, 0, 0)
    co2 = Environment({}, 0, 0, 0)
    spend: dict[str, float] = defaultdict(float)  # kind -> cents of drops (for the what-if)
    fixed = 0
    working_days = 0
    lived = period.days_until(timezone.now().astimezone(BERLIN).date())
    # every day of the period, so the charts' time runs evenly through days without orders
    daily = {day: DayRow(day) for n in range(period.days)
             for day in [period.first + timedelta(days=n)]}
    for town in towns:
        zone_list = list(Zone.objects.filter(town=town).order_by("name"))
        t_orders, t_daily_orders = _order_sums(town, begin, end)
        t_drops, t_daily_drops = _drop_counts(
            town, begin, end, by_postcode=any(not zone.area for zone in zone_list))
        for day, count in t_daily_orders.items():
            daily[day].orders += count
        for day, methods in t_daily_drops.items():
            for method, count in methods.items():
                daily[day].drops[method] = daily[day].drops.get(method, 0) + count
        tours = _tours(town, period)
        use = fleet(tours, _paid_hours(town, begin, end), t_drops.by_vehicle)
        prices = _kind_costs(town)
        t_costs = costs_of(use, prices, days=lived,
                           hub_rent_month=town.report_factor("hub_rent_cents_per_month"),
                           software_month=town.report_factor("software_cents_per_month"))
        t_co2 = environment(use, prices, _baselines(town), t_drops.done)
        t_revenue = _revenue(town, t_orders, begin, end)
        for kind, cents in drop_costs(use, prices).items():
            spend[kind] += cents
        fixed += t_costs.vehicle_days + t_costs.hub_rent + t_costs.software
        working_days = max(working_days, sum(
            is_working_day(period.first + timedelta(days=n), town.schedule)
            for n in range(lived)))
        orders += t_orders
        drops += t_drops
        uses.append(use)
        zones += _zone_drops(town, zone_list, _drop_stops(town, begin, end),
                             t_drops.by_postcode)
        factors += _factors(town)
        revenue = Revenue({k: revenue.by_kind.get(k, 0) + v for k, v in
                           t_revenue.by_kind.items()}, revenue.from_ledger or t_revenue.from_ledger)
        costs = Costs(*(getattr(costs, f) + getattr(t_costs, f) for f in
                        ("riders", "km", "vehicle_days", "hub_rent", "software")))
        co2 = Environment({k: round(co2.km.get(k, 0) + t_co2.km.get(k, 0), 2)
                           for k in sorted({*co2.km, *t_co2.km})},
                          *(round(getattr(co2, f) + getattr(t_co2, f), 2) for f in
                            ("co2_kg", "avoided_vs_van_kg", "avoided_vs_trips_kg")))
        for tour in tours:
            row = daily[tour.day]
            row.km[tour.kind] = round(row.km.get(tour.kind, 0) + tour.metres / 1000, 2)
    use = _merge(uses)
    basis = _basis(orders, use, spend, fixed, max(working_days, 1))
    measured = _measured(orders, use, working_days)
    report = Report(
        title=title, towns=towns, period=period, working_days=working_days, orders=orders,
        service=_service(towns, orders, begin, end), drops_by_method=dict(sorted(
            drops.by_method.items())),
        quality=quality(drops, orders.same_day_promised),
        fleet=use, environment=co2, factors=factors, revenue=revenue, costs=costs,
        stops=sum(u.stops for u in use.values()), basis=basis, measured=measured,
        lever=measured, outcome=what_if(basis, measured),
        days=[daily[d] for d in sorted(daily)], zones=zones)
    # as measured, for the what-if panel's next question and the charts (`report_kept`)
    cache.set(_measured_key(towns, period), report, MEASURED_FOR)
    if not lever:
        return report
    chosen = WhatIf(**{**measured.__dict__, **lever})
    return replace(report, lever=chosen, outcome=what_if(basis, chosen))


def _basis(orders: OrderSums, use: dict[str, KindUse], spend: dict[str, float],
           fixed: int, working_days: int) -> Basis:
    count = orders.count or 1
    per_drop = {kind: spend[kind] / use[kind].drops for kind in spend if use[kind].drops}
    either = next(iter(per_drop.values()), 0.0)
    return Basis(goods_per_order=orders.goods_cents / count,
                 merchant_other_per_order=orders.merchant_fee_cents / count,
                 bike_cents_per_drop=per_drop.get("bike", either),
                 car_cents_per_drop=per_drop.get("car", either),
                 fixed_per_day=fixed / working_days)


def _measured(orders: OrderSums, use: dict[str, KindUse], working_days: int) -> WhatIf:
    """The levers as the period had them."""
    count, goods = orders.count, orders.goods_cents
    done = sum(u.drops for u in use.values())
    return WhatIf(
        fee_cents=round(sum(orders.fee_cents.values()) / count) if count else 0,
        merchant_percent=round(orders.goods_times_bp / goods / 100, 2) if goods else 0.0,
        orders_per_day=round(count / working_days, 1) if working_days else 0.0,
        bike_share=share(use["bike"].drops if "bike" in use else 0, done) or 0.0)


def _service(towns: list[Town], orders: OrderSums, begin: datetime, end: datetime
             ) -> dict[str, int]:
    called_off = list(CALLED_OFF)
    placed = Order.objects.filter(town__in=towns, customer__isnull=False).exclude(
        status__in=called_off).order_by()
    until = min(end, timezone.now())  # the 30 days up to now in a period still running
    active = (placed.filter(placed_at__gte=until - timedelta(days=ACTIVE_DAYS),
                            placed_at__lt=until)
              .values("customer_id").distinct().count())
    # whose first order (ever, in these towns) falls in the period
    new = (placed.filter(customer__in=placed.filter(placed_at__gte=begin, placed_at__lt=end)
                         .values("customer_id"))
           .values("customer_id").annotate(first=Min("placed_at")).filter(first__gte=begin)
           .count())
    return {
        "orders": orders.goods_orders,
        "services": orders.services,
        "active_customers": active,
        "new_customers": new,
        "active_merchants": orders.merchants,
        "goods_cents": orders.local_goods_cents,
        "hotline": orders.hotline,
        "standing": orders.standing,
    }


def report_for(user: User, slug: str | None, period: Period,
               lever: dict[str, float] | None = None) -> Report:
    """The report an operator asks for (see `report_towns`)."""
    title, towns = report_towns(user, slug)
    return report_of(title, towns, period, lever)


def reports_compared(title: str, towns: list[Town], period: Period,
                     lever: dict[str, float] | None = None) -> tuple[Report, Report]:
    """The period's report and the one before's, which the page and the PDF set side by
    side. On PostgreSQL outside a transaction the two are measured at once, each in a
    thread with a connection of its own (closed after): they read the same tables and
    nothing of each other, and the database has a core for each, so the page waits for the
    slower of the two instead of both (a month of 60,000 orders and the month before:
    `bench.report`). In a transaction (a test's) the other connection would not see its
    rows, and SQLite gains nothing: one after the other there."""
    before = period.previous()
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return report_of(title, towns, period, lever), report_of(title, towns, before)
    with ThreadPoolExecutor(max_workers=2) as pool:
        now = pool.submit(_own_connection, report_of, title, towns, period, lever)
        then = pool.submit(_own_connection, report_of, title, towns, before)
        return now.result(), then.result()


def _own_connection[T](work: Callable[..., T], *args: object) -> T:
    try:
        return work(*args)
    finally:
        connections.close_all()  # this thread's, which nobody else would close


def report_compared(user: User, slug: str | None, period: Period,
                    lever: dict[str, float] | None = None) -> tuple[Report, Report]:
    """`reports_compared` for what an operator asks (see `report_towns`)."""
    title, towns = report_towns(user, slug)
    return reports_compared(title, towns, period, lever)


# --- the what-if panel ------------------------------------------------------------------------

MEASURED_FOR = 600  # seconds a period's measured report serves the panel and the charts


def _measured_key(towns: list[Town], period: Period) -> str:
    """The cache key of what `towns` measured over `period`, as of their latest change: the
    newest order, ledger entry, tour and shift (anywhere: a few index look-ups) and the
    towns' settings. A stop finished since is in the next page's figures, and in the
    panel's and the charts' after `MEASURED_FOR` at the latest."""
    newest = [model.objects.aggregate(newest=Max("pk"))["newest"]
              for model in (Order, LedgerEntry, Tour, Shift)]
    settings = [(t.pk, t.vehicle_costs, t.report_costs, t.schedule) for t in towns]
    digest = hashlib.sha256(repr((newest, settings)).encode()).hexdigest()[:32]
    return f"report:{period.first}:{period.last}:{digest}"


def report_kept(user: User, slug: str | None, period: Period) -> Report:
    """The report as the page just measured it (the levers as measured), else measured now:
    what the what-if panel and the dashboard's charts, each a request of its own, start from,
    so that neither measures the period again."""
    title, towns = report_towns(user, slug)
    kept = cache.get(_measured_key(towns, period))
    return kept if kept is not None else report_of(title, towns, period)


def what_if_for(user: User, slug: str | None, period: Period,
                lever: dict[str, float]) -> Outcome:
    """The what-if panel's outcome under `lever`: only the economics are worked out again,
    on the basis the period measured."""
    report = report_kept(user, slug, period)
    return what_if(report.basis, WhatIf(**{**report.measured.__dict__, **lever}))
