"""The town's report over a period, for its operators (one town) or the region's (every
town): the rows of orders, drops, tours, shifts and the ledger, read once per town and
period, and turned into figures by `figures.py`. The dashboard, the exports and
`louise report` all ask `report_for`.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Min, Sum

from louise.accounts.access import require_role, town_ids
from louise.accounts.models import Role, User
from louise.billing.models import EntryKind, LedgerEntry
from louise.core.calendar import BERLIN, is_working_day
from louise.core.dates import FIRST_DAY
from louise.core.errors import Invalid, NotFound
from louise.geo.areas import area_bounds, area_contains
from louise.geo.models import Town, VehicleKind, Zone
from louise.geo.report_costs import FACTORS, report_costs_default
from louise.geo.selectors import town_for, towns_of
from louise.logistics.models import Shift, StopKind, StopStatus, Tour, TourStatus, TourStop
from louise.orders.models import CALLED_OFF, Channel, Order, OrderKind
from louise.simulation.figures import TO_CUSTOMERS, Visit, share, tour_use

from .figures import (
    Baselines,
    Basis,
    Costs,
    DropRow,
    Environment,
    KindCosts,
    KindUse,
    OrderRow,
    Outcome,
    Quality,
    Revenue,
    TourRow,
    WhatIf,
    costs_of,
    environment,
    fleet,
    quality,
    unit_costs,
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

def _local_day(moment: datetime) -> date:
    return moment.astimezone(BERLIN).date()


def _orders(town: Town, begin: datetime, end: datetime) -> list[OrderRow]:
    rows = (Order.objects.filter(town=town, placed_at__gte=begin, placed_at__lt=end)
            .exclude(status__in=CALLED_OFF).order_by()
            .values_list("placed_at", "kind", "checkout__channel", "customer_id",
                         "merchant_id", "subtotal_cents", "fee_cents", "parcels", "wave_start",
                         "merchant_fees__per_order_cents", "merchant_fees__per_parcel_cents",
                         "merchant_fees__percent_bp"))
    out = []
    for (placed, kind, channel, customer, merchant, goods, fee, parcels, wave, per_order,
         per_parcel, percent) in rows:
        day = _local_day(placed)
        out.append(OrderRow(
            day=day, kind=kind, channel=channel or "", customer=customer, merchant=merchant,
            goods_cents=goods, fee_cents=fee,
            merchant_fee_cents=(per_order or 0) + (per_parcel or 0) * parcels,
            merchant_percent_bp=percent or 0,
            same_day_promised=kind == OrderKind.GOODS and _local_day(wave) == day))
    return out


def _drops(town: Town, begin: datetime, end: datetime) -> tuple[list[DropRow], list[tuple]]:
    """Drops to customers finished or given up in the period, and where each done one was."""
    rows = (TourStop.objects.filter(
        tour__plan_run__town=town, kind=StopKind.DELIVERY, leg__kind__in=TO_CUSTOMERS,
        leg__order__isnull=False, status__in=[StopStatus.DONE, StopStatus.FAILED],
        done_at__gte=begin, done_at__lt=end).order_by()
        .values_list("leg__order_id", "leg__order__delivery_method",
                     "tour__shift__vehicle__kind", "status", "done_at", "leg__drop_service_s",
                     "leg__drop_until", "failure_reason", "fallback", "leg__order__placed_at",
                     "leg__drop_lat", "leg__drop_lon"))
    drops, places = [], []
    for (order, method, kind, status, done_at, service_s, until, failure, fallback, placed,
         lat, lon) in rows:
        assert done_at is not None  # the query asks for stops finished in the period
        done = status == StopStatus.DONE
        day = _local_day(done_at)
        drops.append(DropRow(order=order, day=day, method=method, vehicle=kind, done=done,
                             at=done_at, service_s=service_s, until=until, failure=failure,
                             fallback=fallback, same_day=done and _local_day(placed) == day))
        if done:
            places.append((lat, lon))
    return drops, places


def _tours(town: Town, period: Period) -> list[TourRow]:
    tours = list(Tour.objects.filter(plan_run__town=town, plan_run__day__gte=period.first,
                                     plan_run__day__lte=period.last,
                                     status__in=[TourStatus.PUBLISHED, TourStatus.DONE])
                 .select_related("shift__vehicle__hub", "plan_run"))
    visits: dict[int, list[tuple]] = defaultdict(list)
    for row in (TourStop.objects.filter(tour__in=tours, done_at__isnull=False)
                .order_by("done_at", "sequence")
                .values_list("tour_id", "kind", "status", "done_at", "leg__pickup_lat",
                             "leg__pickup_lon", "leg__drop_lat", "leg__drop_lon",
                             "leg__pickup_service_s", "leg__drop_service_s", "leg__parcels",
                             "leg__drop_ref")):
        visits[row[0]].append(row)
    out = []
    for tour in tours:
        vehicle, done = tour.shift.vehicle, visits.get(tour.pk, [])
        use = tour_use(kind=vehicle.kind, hub=(vehicle.hub.lat, vehicle.hub.lon),
                       start=tour.starts_at,
                       visits=[Visit(p_lat, p_lon, at) if kind == StopKind.PICKUP
                               else Visit(d_lat, d_lon, at)
                               for _t, kind, _s, at, p_lat, p_lon, d_lat, d_lon, *_ in done],
                       back=tour.status == TourStatus.DONE, speed_kmh=vehicle.speed_kmh)
        served = [row for row in done if row[2] == StopStatus.DONE]
        out.append(TourRow(
            day=tour.plan_run.day, vehicle=vehicle.pk, kind=vehicle.kind, seconds=use.seconds,
            metres=use.metres, stops=len(served),
            service_s=sum(r[8] if r[1] == StopKind.PICKUP else r[9] for r in served),
            speed_kmh=vehicle.speed_kmh,
            parcels=sum(r[10] for r in served
                        if r[1] == StopKind.DELIVERY and not r[11].startswith("hub:"))))
    return out


def _paid_hours(town: Town, begin: datetime, end: datetime) -> dict[str, float]:
    hours: dict[str, float] = defaultdict(float)
    for kind, starts, ends in Shift.objects.filter(
            vehicle__town=town, starts_at__gte=begin, starts_at__lt=end).order_by().values_list(
            "vehicle__kind", "starts_at", "ends_at"):
        hours[kind] += (ends - starts).total_seconds() / 3600
    return dict(hours)


def _revenue(town: Town, orders: list[OrderRow], begin: datetime, end: datetime) -> Revenue:
    """Customers' fees from the ledger once it has entries for the period, else the fees
    stored on the orders; the shops' fees under the schedules their orders were placed with."""
    booked = dict(LedgerEntry.objects.filter(
        town=town, at__gte=begin, at__lt=end, kind__in=[EntryKind.DELIVERY, EntryKind.SERVICE])
        .values("kind").annotate(cents=Sum("amount_cents")).values_list("kind", "cents"))
    revenue = Revenue(from_ledger=bool(booked))
    if booked:
        revenue.by_kind["Liefergebühren"] = booked.get(EntryKind.DELIVERY, 0)
        revenue.by_kind["Hol- und Bringservice"] = booked.get(EntryKind.SERVICE, 0)
    else:
        for kind, label in ((OrderKind.GOODS, "Liefergebühren"),
                            (OrderKind.SERVICE, "Hol- und Bringservice")):
            revenue.by_kind[label] = sum(o.fee_cents for o in orders if o.kind == kind)
    revenue.by_kind["Händler: Anteil am Warenumsatz"] = round(
        sum(o.goods_cents * o.merchant_percent_bp for o in orders) / 10_000)
    revenue.by_kind["Händler: je Bestellung und Paket"] = sum(o.merchant_fee_cents
                                                             for o in orders)
    return revenue


def _zone_drops(town: Town, places: list[tuple]) -> list["ZoneRow"]:
    rows = []
    for zone in Zone.objects.filter(town=town).order_by("name"):
        if not zone.area:
            continue
        west, south, east, north = area_bounds(zone.area)
        count = sum(1 for lat, lon in places if south <= lat <= north and west <= lon <= east
                    and area_contains(zone.area, lat=lat, lon=lon))
        rows.append(ZoneRow(town.name, zone.name, zone.area, count))
    return rows


# --- the report ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ZoneRow:
    town: str
    name: str
    area: dict
    drops: int


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
    orders: list[OrderRow]
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
    lever: WhatIf
    outcome: Outcome
    days: list[DayRow]
    zones: list[ZoneRow]

    @property
    def cost_per_stop(self) -> float | None:
        return round(self.costs.total / self.stops, 1) if self.stops else None

    @property
    def contribution_per_order(self) -> float | None:
        orders = len(self.orders)
        return round((self.revenue.total - self.costs.total) / orders, 1) if orders else None


def _kind_costs(town: Town) -> dict[str, KindCosts]:
    return {kind: KindCosts(c.cents_per_hour, c.cents_per_km, c.cents_per_day, c.co2_g_per_km)
            for kind in VehicleKind.values for c in [town.costs_of(kind)]}


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
    orders: list[OrderRow] = []
    drops: list[DropRow] = []
    uses, zones, factors = [], [], []
    revenue = Revenue()
    costs = Costs(0, 0, 0, 0, 0)
    co2 = Environment({}, 0, 0, 0)
    spend: dict[str, float] = defaultdict(float)  # kind -> cents of drops (for the what-if)
    fixed = 0
    working_days = 0
    # every day of the period, so the charts' time runs evenly through days without orders
    daily = {day: DayRow(day) for n in range(period.days)
             for day in [period.first + timedelta(days=n)]}
    for town in towns:
        t_orders = _orders(town, begin, end)
        t_drops, places = _drops(town, begin, end)
        tours = _tours(town, period)
        use = fleet(tours, _paid_hours(town, begin, end), t_drops)
        prices = _kind_costs(town)
        t_costs = costs_of(use, prices, days=period.days,
                           hub_rent_month=town.report_factor("hub_rent_cents_per_month"),
                           software_month=town.report_factor("software_cents_per_month"))
        t_co2 = environment(use, prices, _baselines(town), sum(d.done for d in t_drops))
        t_revenue = _revenue(town, t_orders, begin, end)
        for kind, unit in unit_costs(use, prices).items():
            spend[kind] += unit.cents_per_drop * use[kind].drops
        fixed += t_costs.vehicle_days + t_costs.hub_rent + t_costs.software
        working_days = max(working_days, sum(
            is_working_day(period.first + timedelta(days=n), town.schedule)
            for n in range(period.days)))
        orders += t_orders
        drops += t_drops
        uses.append(use)
        zones += _zone_drops(town, places)
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
    for order in orders:
        daily[order.day].orders += 1
    for drop in drops:
        if drop.done:
            row = daily[drop.day]
            row.drops[drop.method] = row.drops.get(drop.method, 0) + 1
    basis = _basis(orders, use, spend, fixed, max(working_days, 1))
    measured = _measured(orders, drops, use, working_days)
    chosen = WhatIf(**{**measured.__dict__, **(lever or {})})
    return Report(
        title=title, towns=towns, period=period, working_days=working_days, orders=orders,
        service=_service(towns, orders, begin, end), drops_by_method=dict(sorted(Counter(
            d.method for d in drops if d.done).items())),
        quality=quality(drops, sum(o.same_day_promised for o in orders)),
        fleet=use, environment=co2, factors=factors, revenue=revenue, costs=costs,
        stops=sum(u.stops for u in use.values()), basis=basis, lever=chosen,
        outcome=what_if(basis, chosen),
        days=[daily[d] for d in sorted(daily)], zones=zones)


def _basis(orders: list[OrderRow], use: dict[str, KindUse], spend: dict[str, float],
           fixed: int, working_days: int) -> Basis:
    count = len(orders) or 1
    per_drop = {kind: spend[kind] / use[kind].drops for kind in spend if use[kind].drops}
    either = next(iter(per_drop.values()), 0.0)
    return Basis(goods_per_order=sum(o.goods_cents for o in orders) / count,
                 merchant_other_per_order=sum(o.merchant_fee_cents for o in orders) / count,
                 bike_cents_per_drop=per_drop.get("bike", either),
                 car_cents_per_drop=per_drop.get("car", either),
                 fixed_per_day=fixed / working_days)


def _measured(orders: list[OrderRow], drops: list[DropRow], use: dict[str, KindUse],
              working_days: int) -> WhatIf:
    """The levers as the period had them."""
    count = len(orders)
    goods = sum(o.goods_cents for o in orders)
    done = sum(u.drops for u in use.values())
    return WhatIf(
        fee_cents=round(sum(o.fee_cents for o in orders) / count) if count else 0,
        merchant_percent=round(sum(o.goods_cents * o.merchant_percent_bp for o in orders)
                               / goods / 100, 2) if goods else 0.0,
        orders_per_day=round(count / working_days, 1) if working_days else 0.0,
        bike_share=share(use["bike"].drops if "bike" in use else 0, done) or 0.0)


def _service(towns: list[Town], orders: list[OrderRow], begin: datetime, end: datetime
             ) -> dict[str, int]:
    customers = {o.customer for o in orders if o.customer is not None}
    called_off = list(CALLED_OFF)
    active = (Order.objects.filter(town__in=towns, placed_at__gte=end - timedelta(days=ACTIVE_DAYS),
                                   placed_at__lt=end, customer__isnull=False)
              .exclude(status__in=called_off).values("customer_id").distinct().count())
    first_orders = (Order.objects.filter(town__in=towns, customer__in=customers)
                    .exclude(status__in=called_off).values("customer_id")
                    .annotate(first=Min("placed_at")).values_list("first", flat=True))
    return {
        "orders": sum(o.kind == OrderKind.GOODS for o in orders),
        "services": sum(o.kind == OrderKind.SERVICE for o in orders),
        "active_customers": active,
        "new_customers": sum(1 for first in first_orders if first >= begin),
        "active_merchants": len({o.merchant for o in orders}),
        "goods_cents": sum(o.goods_cents for o in orders if o.kind == OrderKind.GOODS),
        "hotline": sum(o.channel == Channel.HOTLINE for o in orders),
        "standing": sum(o.channel == Channel.STANDING for o in orders),
    }


def report_for(user: User, slug: str | None, period: Period,
               lever: dict[str, float] | None = None) -> Report:
    """The report an operator asks for (see `report_towns`)."""
    title, towns = report_towns(user, slug)
    return report_of(title, towns, period, lever)
