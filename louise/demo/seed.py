"""The demo: two towns of the region, Bottrop (the default town) and the invented
Kirchbergen an der Emscher, each with its shops, customers, fleet, weekly shift patterns
and one day's orders, planned and published; built through the same services the app
uses, from a fixed seed per town, and safe to run again (`make demo` runs it every time).

A town's data is a module shaped like `bottrop.py` (see `kirchbergen.py`); one set of
functions below seeds any of them.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from types import ModuleType

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from louise.accounts.models import Role, User
from louise.accounts.services import user_create
from louise.billing.models import BillingSettings
from louise.billing.services import creditor_save, mandate_create
from louise.catalog.invitations import shop_owner_grant
from louise.catalog.models import Merchant
from louise.catalog.services import (
    merchant_create,
    merchant_update,
    product_create,
    service_offer_create,
)
from louise.core.calendar import BERLIN, Wave, wave_for
from louise.core.errors import DomainError
from louise.core.german import number
from louise.core.validation import save_validated
from louise.geo import services as geo
from louise.geo.gazetteer import HouseIn, StreetIn
from louise.geo.models import Address, Hub, Locker, PickupPoint, Town, default_town_id
from louise.logistics.fleet import pattern_save, weeks_ahead
from louise.logistics.models import ShiftPattern, Tour, TourStatus, Vehicle
from louise.logistics.services import plan_day, tour_publish, vehicle_create
from louise.logistics.shifts import shifts_generate
from louise.orders import services as orders
from louise.orders.checkout import Destination, LineRequest, checkout_place, service_request
from louise.orders.models import Channel, Order

from . import bottrop, kirchbergen
from .hotline import seed_hotline

# A town's data: a module shaped like bottrop.py.
TownData = ModuleType

TOWNS: tuple[TownData, ...] = (bottrop, kirchbergen)  # the first is the default town
PASSWORD = "bottrop2026"
# The region's operator sees every town: (username, first name, last name, label)
REGION_LOGIN = ("region", "Regina", "Ruhrland", "Betrieb (alle Städte)")
# A valid German test IBAN (the standard example); every demo customer signs with it.
DEMO_IBAN = "DE89370400440532013000"


@dataclass
class TownReport:
    """What the demo did in one town, and who can sign in there."""

    town: Town
    wave: Wave
    created: list[str] = field(default_factory=list)
    plan: str = ""
    logins: list[tuple[str, str]] = field(default_factory=list)  # (role label, username)


@dataclass
class Report:
    towns: list[TownReport] = field(default_factory=list)

    def text(self, base_url: str) -> str:
        title = "LOUISE – Demo: " + ", ".join(t.town.name for t in self.towns)
        lines = ["", title, "=" * len(title)]
        for t in self.towns:
            lines.append(f"  {t.town.name}")
            lines += [f"    {line}" for line in t.created] or ["    Demo-Daten waren schon da."]
            lines.append(f"    Lieferwelle: {t.wave.label}")
            if t.plan:
                lines.append(f"    {t.plan}")
        lines += ["", f"  Shop:        {base_url}/", f"  Disposition: {base_url}/dispo/",
                  f"  Fahrer-App:  {base_url}/fahrer/", f"  Hotline:     {base_url}/hotline/",
                  f"  Betrieb:     {base_url}/betrieb/", f"  API-Doku:    {base_url}/api/v1/docs",
                  f"  Verwaltung:  {base_url}/admin/", "",
                  f"  Anmeldungen (Passwort für alle: {PASSWORD}):"]
        for t in self.towns:
            lines.append(f"   {t.town.name}:")
            lines += [f"    {role:<26} {username}" for role, username in t.logins]
        lines += ["   Region:", f"    {REGION_LOGIN[3]:<26} {REGION_LOGIN[0]}"]
        return "\n".join(lines) + "\n"


def _demo_street(data: TownData, district: str, name: str, north: float, east: float,
                 heading: float, last: int) -> StreetIn:
    """A straight street of the demo gazetteer with houses 1…last (see bottrop.STREETS)."""
    postcode, lat0, lon0 = data.DISTRICTS[district]
    dn, de = math.cos(math.radians(heading)), math.sin(math.radians(heading))

    def at(along: float, left: float) -> tuple[float, float]:
        metres_north, metres_east = north + along * dn + left * de, east + along * de - left * dn
        return (round(lat0 + metres_north / 111_320, 6),
                round(lon0 + metres_east / (111_320 * math.cos(math.radians(lat0))), 6))

    end = 20 + (last - 1) // 2 * 15
    houses = [HouseIn(str(n), postcode, *at(10 + (n - 1) // 2 * 15, 12 if n % 2 else -12))
              for n in range(1, last + 1)]
    return StreetIn(name=name, postcode=postcode, city=data.NAME, district=district,
                    points=[at(0, 0), at(end / 2, 0), at(end, 0)], houses=houses)


class _Houses:
    """A demo town's houses as stored in its gazetteer, at hand: an address is placed where
    the gazetteer has the house (what `position_for_address` answers for it, see
    test_gazetteer) without asking the database once per customer."""

    def __init__(self, data: TownData, streets: list[StreetIn]):
        self.data = data
        self.at = {(f"{street.name} {house.housenumber}", house.postcode): (house.lat, house.lon)
                   for street in streets for house in street.houses}

    def place(self, rng: random.Random, district: str, street: str | None = None) -> dict:
        """A house in the district: `street` ("Altmarkt 10"), else one drawn at random."""
        postcode = self.data.DISTRICTS[district][0]
        if street is None:
            name, *_, last = rng.choice(self.data.STREETS[district])
            street = f"{name} {rng.randint(1, last)}"
        lat, lon = self.at[(street, postcode)]
        return {"street": street, "postcode": postcode, "district": district, "lat": lat,
                "lon": lon, "city": self.data.NAME}


def _n(count: int, one: str, many: str) -> str:
    """"1 Tour", "3 Touren": the report counts in German."""
    return f"{count} {one if count == 1 else many}"


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return make_password(PASSWORD)


def _user(username: str, role: str, first: str, last: str, *, town: Town | None = None,
          **extra) -> User:
    """A demo login; LOUISE's own people work for `town`."""
    if town is not None:
        extra["town_ids"] = [town.pk]
    return user_create(username=username, password=PASSWORD, role=role, first_name=first,
                       last_name=last, email=f"{username}@demo.louise.example",
                       check_password=False, password_hash=_password_hash(), **extra)


def _town(data: TownData) -> Town:
    """The town the data describes: the default town for the first, else found by its short
    name or made from the settings."""
    if data is TOWNS[0]:
        return Town.objects.get(pk=default_town_id())
    return (Town.objects.filter(slug=data.SLUG).first()
            or save_validated(Town.from_settings(name=data.NAME, slug=data.SLUG)))


@transaction.atomic
def _seed_town(data: TownData, town: Town, rng: random.Random) -> list[str]:
    streets = _streets(data)
    geo.gazetteer_replace(area=f"demo:{data.SLUG}", streets=streets)
    houses = _Houses(data, streets)
    for name, postcodes, kinds, active in data.ZONES:
        geo.zone_create(name=name, postcodes=postcodes, vehicle_kinds=kinds, active=active,
                        town=town)
    hub = geo.hub_create(town=town, **data.HUB)
    for name, district, street in data.PICKUP_POINTS:
        geo.pickup_point_create(name=name, opening_hours=bottrop.WEEKDAYS_8_20, town=town,
                                **houses.place(rng, district, street))
    for name, district, street, compartments in data.LOCKERS:
        geo.locker_create(name=name, compartments=compartments, town=town,
                          **houses.place(rng, district, street))
    for row in data.VEHICLES:
        _vehicle(hub, *row)
    for name, category, district, hours, products, services in data.MERCHANTS:
        merchant = merchant_create(name=name, category=category, opening_hours=hours,
                                   description=f"{name} – Ihr Geschäft in {district}.",
                                   email=f"info@{name.split()[-1].lower()}.example",
                                   town=town, **houses.place(rng, district))
        for pname, price, weight, volume, vat, cooled, bulky in products:
            product_create(merchant=merchant, name=pname, price_cents=price, weight_g=weight,
                           volume_ml=volume, vat_rate=vat, cooled=cooled, bulky=bulky,
                           stock=rng.randint(15, 60))
        for sname, price, days in services:
            service_offer_create(merchant=merchant, name=sname, price_cents=price,
                                 quote_after_inspection=price is None, turnaround_days=days)
    merchant_update(merchant=Merchant.objects.get(town=town, name=data.SHOPPING_STORE),
                    shopping_service=True)
    owner, shop, first, last, _label = data.SHOP_OWNER
    shop_owner_grant(user=_user(owner, Role.MERCHANT, first, last,
                                merchant=Merchant.objects.get(town=town, name=shop)))
    for username, role, first, last, _label in data.STAFF:
        _user(username, role, first, last, town=town)
    for i in range(1, len(data.VEHICLES) + 1):
        _rider(data, town, rng, i)
    for i in range(data.CUSTOMERS):
        _customer(data, houses, rng, i)
    return [f"{_n(sum(map(len, data.STREETS.values())), 'Straße', 'Straßen')} im "
            f"Straßenverzeichnis, {_n(len(data.MERCHANTS), 'Geschäft', 'Geschäfte')}, "
            f"{data.CUSTOMERS} Kundinnen und Kunden, "
            f"{_n(len(data.PICKUP_POINTS), 'Abholstelle', 'Abholstellen')}, "
            f"{_n(len(data.LOCKERS), 'Paketstation', 'Paketstationen')}, "
            f"{_n(len(data.VEHICLES), 'Fahrzeug', 'Fahrzeuge')} angelegt"]


def _streets(data: TownData) -> list[StreetIn]:
    return [_demo_street(data, district, *row)
            for district, rows in data.STREETS.items() for row in rows]


def _vehicle(hub: Hub, name: str, kind: str, cap_g: int, cap_ml: int, parcels: int,
             range_km: int, speed: float, cooled: bool, bulky: bool) -> Vehicle:
    """One vehicle of the town's fleet (a row of the data's VEHICLES)."""
    return vehicle_create(name=name, kind=kind, hub=hub, capacity_g=cap_g, capacity_ml=cap_ml,
                          capacity_parcels=parcels, range_km=range_km, speed_kmh=speed,
                          cooled=cooled, bulky=bulky)


def _rider(data: TownData, town: Town, rng: random.Random, i: int) -> User:
    return _user(data.RIDER_NAME.format(i), Role.RIDER, rng.choice(data.FIRST_NAMES),
                 f"Kurier {i}", town=town)


def _customer(data: TownData, houses: _Houses, rng: random.Random, i: int) -> User:
    """The town's `i`-th demo customer (0: the one in the report), with a home in one of its
    districts and a SEPA mandate, so they can order."""
    first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
    customer = _user(data.CUSTOMER_NAME.format(i) if i else data.CUSTOMER_FIRST,
                     Role.CUSTOMER, first, last,
                     phone=f"{data.PHONE} {rng.randint(100000, 999999)}")
    home = data.HOME_DISTRICT if i == 0 else rng.choice(list(data.DISTRICTS))
    geo.address_create(owner=customer, label="Zuhause", recipient=f"{first} {last}",
                       **houses.place(rng, home))
    mandate_create(customer=customer, holder=f"{first} {last}", iban=DEMO_IBAN)
    return customer


def _pattern(data: TownData, town: Town, rider: User, vehicle: Vehicle, today: date) -> int:
    """The rider's weekly shift on the vehicle (the kind's SHIFT_HOURS on the town's working
    days), set up by the town's operator; returns how many shifts it made ahead."""
    start, end = data.SHIFT_HOURS[vehicle.kind]
    _pattern_row, made = pattern_save(
        by=town_staff(data, Role.OPERATOR), town=town, rider=rider, vehicle=vehicle,
        weekdays=list(town.working_days), start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end), valid_from=today, today=today)
    return made.created


@transaction.atomic
def town_grow(data: TownData, *, customers: int, bikes: int, cars: int, today: date,
              seed: int = 0) -> None:
    """A seeded town made as big as a busier day than the demo's needs (`louise bench day`):
    at least `customers` customers like the demo's, and `bikes` and `cars` vehicles (more
    copies of the data's first bike and car) each with a new rider on the kind's weekly
    shift from `today`."""
    town = _town(data)
    rng = random.Random(f"{data.SEED}-grow-{seed}")
    houses = _Houses(data, _streets(data))
    for i in range(len(customers_of(town)), customers):
        _customer(data, houses, rng, i)
    hub = Hub.objects.filter(town=town).order_by("pk").first()
    assert hub is not None  # a seeded town has its hub
    riders = town.staff.filter(role=Role.RIDER).count()
    for kind, wanted in (("bike", bikes), ("car", cars)):
        name, *spec = next(row for row in data.VEHICLES if row[1] == kind)
        base = name.rsplit(" ", 1)[0]
        for n in range(Vehicle.objects.filter(town=town, kind=kind).count() + 1, wanted + 1):
            riders += 1
            _pattern(data, town, _rider(data, town, rng, riders),
                     _vehicle(hub, f"{base} {n}", *spec), today)


@transaction.atomic
def _seed_shifts(data: TownData, town: Town, today: date) -> list[str]:
    """A weekly pattern per rider and vehicle on the town's working days, set up once by
    the town's operator, and the shifts of the coming weeks made ahead on every run (so a
    demo started on another day has its riders too)."""
    created = 0
    if not ShiftPattern.objects.filter(town=town).exists():
        riders = town.staff.filter(role=Role.RIDER).order_by("username")
        for rider, vehicle in zip(riders, Vehicle.objects.filter(town=town).order_by("name"),
                                  strict=False):
            created += _pattern(data, town, rider, vehicle, today)
    created += shifts_generate(town=town, start=today, days=weeks_ahead() * 7).created
    return [f"{_n(created, 'Schicht', 'Schichten')} aus Schichtmustern für die nächsten "
            f"{weeks_ahead()} Wochen"] if created else []


def _seed_creditor(data: TownData, town: Town) -> list[str]:
    """The town's SEPA creditor (the Bundesbank's test creditor id and a test account), so
    the console's collection runs work in the demo."""
    if BillingSettings.objects.filter(town=town).exists():
        return []
    creditor_save(by=town_staff(data, Role.OPERATOR), town_id=town.pk,
                  creditor_name=f"LOUISE {data.NAME} (Demo)", creditor_id="DE98ZZZ09999999999",
                  iban="DE02120300000000202051", bic="BYLADEM1001", vat_id="DE999999999")
    return ["SEPA-Gläubiger für den Lastschrifteinzug"]


def town_staff(data: TownData, role: str) -> User:
    """The town's login of `role` (its dispatcher, its operator)."""
    return User.objects.get(username=next(
        username for username, staff_role, *_ in data.STAFF if staff_role == role))


def customers_of(town: Town) -> list[User]:
    """The demo's customers living in the town (by the zone of their address)."""
    return list(User.objects.filter(role=Role.CUSTOMER, addresses__zone__town=town)
                .distinct().order_by("username"))


@transaction.atomic
def _seed_day(data: TownData, town: Town, rng: random.Random, wave: Wave,
              now: datetime) -> list[str]:
    customers = customers_of(town)
    merchants = list(Merchant.objects.filter(town=town, products__isnull=False).distinct()
                     .order_by("name"))
    points = list(PickupPoint.objects.filter(town=town))
    lockers = list(Locker.objects.filter(town=town))
    for i in range(data.GOODS_ORDERS):
        # the first customer gets one order on the wave's tour and one still in the inbox
        customer = customers[0] if i in (0, 8) else rng.choice(customers)
        merchant = rng.choice(merchants)
        products = rng.sample(list(merchant.products.all()), k=min(2, merchant.products.count()))
        if data.BASKET_EVERY and i % data.BASKET_EVERY == 3:  # and from a second shop
            second = rng.choice([m for m in merchants if m != merchant])
            products.append(rng.choice(list(second.products.all())))
        method = rng.choices(["door", "point", "locker"], weights=[7, 2, 1])[0]
        address = Address.objects.filter(owner=customer).first()
        if method == "door" and not address.zone.active:
            method = "point"
        lines = [LineRequest(p.pk, rng.randint(1, 2)) for p in products]
        point = Destination("point", pickup_point_id=rng.choice(points).pk)
        locker = Destination("locker", locker_id=rng.choice(lockers).pk)
        destination = {"door": Destination("door", address_id=address.pk), "point": point,
                       "locker": locker}[method]
        key = f"demo-{data.SLUG}-{wave.day}-{i}"
        try:
            bought = _buy(customer, lines, destination, key, now)
        except DomainError as exc:  # as a customer would: not in the locker, then the point
            if exc.code not in ("locker_unfit", "locker_full"):
                raise
            bought = _buy(customer, lines, point, key, now)
        if i % 9 == 8:
            continue  # left in the shop's inbox
        for order in bought:
            staff = merchant_staff(order.merchant)
            orders.order_accept(order_number=order.number, by=staff)
            orders.order_mark_ready(order_number=order.number, by=staff, parcels=1, now=now)
    service_offers = [(m, s) for m in Merchant.objects.filter(town=town).order_by("name")
                      for s in m.services.filter(price_cents__isnull=False)]
    for i in range(data.SERVICE_BOOKINGS):
        customer = rng.choice(customers[1:])
        address = Address.objects.filter(owner=customer, zone__active=True).first()
        if address is None:
            continue
        merchant, offer = service_offers[i % len(service_offers)]
        order = service_request(
            customer=customer, service_id=offer.pk, address_id=address.pk,
            item_description="Bitte an der Haustür abholen.", channel=Channel.DEMO,
            idempotency_key=f"demo-s-{data.SLUG}-{wave.day}-{i}", now=now).orders.get()
        orders.order_accept(order_number=order.number, by=merchant_staff(merchant))
    return [f"{_n(data.GOODS_ORDERS, 'Bestellung', 'Bestellungen')} und "
            f"{_n(data.SERVICE_BOOKINGS, 'Service-Buchung', 'Service-Buchungen')} für "
            f"{wave.day:%d.%m.%Y}"]


def _buy(customer: User, lines: list[LineRequest], destination: Destination, key: str,
         now: datetime) -> list[Order]:
    """A basket bought through the checkout, as a customer would (mandate, slot, fee, and
    for a locker a compartment with its code): one order per shop."""
    return list(checkout_place(customer=customer, lines=lines, destination=destination,
                               idempotency_key=key, channel=Channel.DEMO, now=now)
                .orders.order_by("pk"))


def merchant_staff(merchant: Merchant) -> User:
    """Each shop gets one staff login on first use (the shoemaker's is `laden`)."""
    staff = merchant.staff.first()
    if staff is None:
        staff = _user(f"laden-{merchant.slug}"[:150], Role.MERCHANT, "Team", merchant.name[:100],
                      merchant=merchant)
    return staff


def _plan(data: TownData, town: Town, day: date, time_limit: float) -> str:
    """The day planned by the town's dispatcher and every tour published."""
    dispatcher = town_staff(data, Role.DISPATCHER)
    run_ = plan_day(town=town, day=day, by=dispatcher, time_limit=time_limit)
    for tour in Tour.objects.filter(plan_run=run_):
        tour_publish(tour=tour, by=dispatcher)
    s = run_.summary
    return (f"Geplant und veröffentlicht: {_n(s['tours'], 'Tour', 'Touren')}, "
            f"{s['assigned']} von {_n(s['legs'], 'Auftrag', 'Aufträgen')}, "
            f"{number(s['distance_km'])} km.")


def _logins(data: TownData, town: Town, day: date) -> list[tuple[str, str]]:
    """The town's logins for the report: customer, shop, staff, and every rider with a
    published tour on the wave's day."""
    riders = [(f"Fahrer/in ({tour.shift.vehicle.name})", tour.shift.rider.username)
              for tour in Tour.objects.filter(plan_run__town=town, plan_run__day=day,
                                              status=TourStatus.PUBLISHED)
              .select_related("shift__rider", "shift__vehicle")
              .order_by("shift__rider__username")]
    return [("Kundin", data.CUSTOMER_FIRST), (data.SHOP_OWNER[4], data.SHOP_OWNER[0]),
            *((label, username) for username, *_, label in data.STAFF), *riders]


def town_seed(data: TownData, *, today: date) -> tuple[Town, list[str]]:
    """The town `data` describes with its places, shops, people and shifts from `today`,
    but no day's orders (`louise bench region` grows such towns with `town_grow`); what it
    made, as the report says it."""
    town, created = _town(data), []
    if not Hub.objects.filter(town=town).exists():
        created += _seed_town(data, town, random.Random(data.SEED))
    return town, created + _seed_shifts(data, town, today)


def _run_town(data: TownData, now: datetime, time_limit: float) -> TownReport:
    town, created = town_seed(data, today=now.astimezone(BERLIN).date())
    wave = wave_for(now, town.schedule)
    report = TownReport(town=town, wave=wave, created=created)
    report.created += _seed_creditor(data, town)
    if not Order.objects.filter(town=town, wave_start=wave.start).exists():
        day_rng = random.Random(f"{data.SEED}-{wave.day}")
        report.created += _seed_day(data, town, day_rng, wave, now)
    report.created += seed_hotline(data, town, town_staff(data, Role.HOTLINE), now)
    if not Tour.objects.filter(plan_run__town=town, plan_run__day=wave.day,
                               status=TourStatus.PUBLISHED).exists():
        report.plan = _plan(data, town, wave.day, time_limit)
    report.logins = _logins(data, town, wave.day)
    return report


def run(*, time_limit: float = 5.0, now: datetime | None = None) -> Report:
    """Seed what is missing and plan each town's next wave. `time_limit` is the search time
    of the busiest town; a town with fewer orders needs less (the pairs of stops to try
    grow with the square of their number), but at least half a second."""
    now = now or timezone.now()
    busiest = max(data.GOODS_ORDERS for data in TOWNS)
    report = Report([_run_town(data, now, max(0.5, time_limit
                                              * (data.GOODS_ORDERS / busiest) ** 2))
                     for data in TOWNS])
    username, first, last, _label = REGION_LOGIN
    if not User.objects.filter(username=username).exists():
        _user(username, Role.OPERATOR, first, last, all_towns=True)
    return report
