"""The Bottrop demo: a town's shops, customers, fleet and one day's orders, built through
the same services the app uses, from a fixed seed, and safe to run again."""

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from louise.accounts.models import Role, User
from louise.accounts.services import user_create
from louise.billing.services import mandate_create
from louise.catalog.invitations import shop_owner_grant
from louise.catalog.models import Merchant
from louise.catalog.services import merchant_create, product_create, service_offer_create
from louise.core.calendar import BERLIN, Wave, wave_for
from louise.core.errors import DomainError
from louise.core.german import number
from louise.geo import services as geo
from louise.geo.gazetteer import HouseIn, StreetIn
from louise.geo.geocode import position_for_address
from louise.geo.models import Address, Hub, Locker, PickupPoint, Town, default_town_id
from louise.logistics.models import Shift, Tour, TourStatus, Vehicle
from louise.logistics.services import plan_day, shift_create, tour_publish, vehicle_create
from louise.orders import services as orders
from louise.orders.checkout import Destination, LineRequest, checkout_place, service_request
from louise.orders.models import Channel, Order

from . import bottrop

PASSWORD = "bottrop2026"
SEED = 20261128
CUSTOMERS = 300
GOODS_ORDERS = 45
SERVICE_BOOKINGS = 4
# A valid German test IBAN (the standard example); every demo customer signs with it.
DEMO_IBAN = "DE89370400440532013000"

LOGINS = [
    ("Kundin", "kunde"), ("Händler (Schuhmacherei)", "laden"), ("Disposition", "dispo"),
    ("Hotline", "hotline"), ("Betrieb (Stadt)", "stadt"),
]


@dataclass
class Report:
    wave: Wave
    created: list[str] = field(default_factory=list)
    plan: str = ""
    riders: list[tuple[str, str]] = field(default_factory=list)  # (role label, username)

    def text(self, base_url: str) -> str:
        lines = ["", "LOUISE – Bottrop-Demo", "=" * 22]
        lines += [f"  {line}" for line in self.created] or ["  Demo-Daten waren schon da."]
        lines.append(f"  Lieferwelle: {self.wave.label}")
        if self.plan:
            lines.append(f"  {self.plan}")
        lines += ["", f"  Shop:        {base_url}/", f"  Disposition: {base_url}/dispo/",
                  f"  Fahrer-App:  {base_url}/fahrer/", f"  API-Doku:    {base_url}/api/v1/docs",
                  f"  Verwaltung:  {base_url}/admin/", "",
                  f"  Anmeldungen (Passwort für alle: {PASSWORD}):"]
        lines += [f"    {role:<26} {username}" for role, username in [*LOGINS, *self.riders]]
        return "\n".join(lines) + "\n"


def _demo_street(district: str, name: str, north: float, east: float, heading: float,
                 last: int) -> StreetIn:
    """A straight street of the demo gazetteer with houses 1…last (see bottrop.STREETS)."""
    postcode, lat0, lon0 = bottrop.DISTRICTS[district]
    dn, de = math.cos(math.radians(heading)), math.sin(math.radians(heading))

    def at(along: float, left: float) -> tuple[float, float]:
        metres_north, metres_east = north + along * dn + left * de, east + along * de - left * dn
        return (round(lat0 + metres_north / 111_320, 6),
                round(lon0 + metres_east / (111_320 * math.cos(math.radians(lat0))), 6))

    end = 20 + (last - 1) // 2 * 15
    houses = [HouseIn(str(n), postcode, *at(10 + (n - 1) // 2 * 15, 12 if n % 2 else -12))
              for n in range(1, last + 1)]
    return StreetIn(name=name, postcode=postcode, city="Bottrop", district=district,
                    points=[at(0, 0), at(end / 2, 0), at(end, 0)], houses=houses)


def _place(rng: random.Random, district: str, street: str | None = None) -> dict:
    """A house in the district, placed by the gazetteer like any address a customer enters."""
    postcode = bottrop.DISTRICTS[district][0]
    if street is None:
        name, *_, last = rng.choice(bottrop.STREETS[district])
        street = f"{name} {rng.randint(1, last)}"
    found = position_for_address(street=street, postcode=postcode)
    return {"street": street, "postcode": postcode, "district": district, "lat": found.lat,
            "lon": found.lon, "city": "Bottrop"}


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return make_password(PASSWORD)


def _user(username: str, role: str, first: str, last: str, **extra) -> User:
    if role not in (Role.CUSTOMER, Role.MERCHANT):  # LOUISE's own people work for Bottrop
        extra.setdefault("town_ids", [default_town_id()])
    return user_create(username=username, password=PASSWORD, role=role, first_name=first,
                       last_name=last, email=f"{username}@demo.louise.example",
                       check_password=False, password_hash=_password_hash(), **extra)


@transaction.atomic
def _seed_town(rng: random.Random) -> list[str]:
    geo.gazetteer_replace(area="demo:bottrop", streets=[
        _demo_street(district, *street) for district, streets in bottrop.STREETS.items()
        for street in streets])
    for name, postcodes, kinds, active in bottrop.ZONES:
        geo.zone_create(name=name, postcodes=postcodes, vehicle_kinds=kinds, active=active)
    hub = geo.hub_create(**bottrop.HUB)
    for name, district, street in bottrop.PICKUP_POINTS:
        geo.pickup_point_create(name=name, opening_hours=bottrop.WEEKDAYS_8_20,
                                **_place(rng, district, street))
    for name, district, street, compartments in bottrop.LOCKERS:
        geo.locker_create(name=name, compartments=compartments, **_place(rng, district, street))
    for name, kind, cap_g, cap_ml, parcels, range_km, speed, cooled, bulky in bottrop.VEHICLES:
        vehicle_create(name=name, kind=kind, hub=hub, capacity_g=cap_g, capacity_ml=cap_ml,
                       capacity_parcels=parcels, range_km=range_km, speed_kmh=speed,
                       cooled=cooled, bulky=bulky)
    for name, category, district, hours, products, services in bottrop.MERCHANTS:
        merchant = merchant_create(name=name, category=category, opening_hours=hours,
                                   description=f"{name} – Ihr Geschäft in {district}.",
                                   email=f"info@{name.split()[-1].lower()}.example",
                                   **_place(rng, district))
        for pname, price, weight, volume, vat, cooled, bulky in products:
            product_create(merchant=merchant, name=pname, price_cents=price, weight_g=weight,
                           volume_ml=volume, vat_rate=vat, cooled=cooled, bulky=bulky,
                           stock=rng.randint(15, 60))
        for sname, price, days in services:
            service_offer_create(merchant=merchant, name=sname, price_cents=price,
                                 quote_after_inspection=price is None, turnaround_days=days)
    shoes = Merchant.objects.get(category="shoes")
    shop_owner_grant(user=_user("laden", Role.MERCHANT, "Sabine", "Leisten", merchant=shoes))
    _user("dispo", Role.DISPATCHER, "Dirk", "Planer")
    _user("hotline", Role.HOTLINE, "Helga", "Rufer")
    _user("stadt", Role.OPERATOR, "Olaf", "Amtmann")
    for i in range(1, len(bottrop.VEHICLES) + 1):
        _user(f"fahrer{i}", Role.RIDER, rng.choice(bottrop.FIRST_NAMES), f"Kurier {i}")
    served = [d for d in bottrop.DISTRICTS]
    for i in range(CUSTOMERS):
        first, last = rng.choice(bottrop.FIRST_NAMES), rng.choice(bottrop.LAST_NAMES)
        customer = _user("kunde" if i == 0 else f"kunde{i:03d}", Role.CUSTOMER, first, last,
                         phone=f"02041 {rng.randint(100000, 999999)}")
        geo.address_create(owner=customer, label="Zuhause", recipient=f"{first} {last}",
                           **_place(rng, "Stadtmitte" if i == 0 else rng.choice(served)))
        mandate_create(customer=customer, holder=f"{first} {last}", iban=DEMO_IBAN)
    return [f"{sum(map(len, bottrop.STREETS.values()))} Straßen im Straßenverzeichnis, "
            f"{len(bottrop.MERCHANTS)} Geschäfte, {CUSTOMERS} Kundinnen und Kunden, "
            f"{len(bottrop.PICKUP_POINTS)} Abholstellen, {len(bottrop.LOCKERS)} Paketstationen, "
            f"{len(bottrop.VEHICLES)} Fahrzeuge angelegt"]


@transaction.atomic
def _seed_day(rng: random.Random, wave: Wave, now: datetime) -> list[str]:
    riders = list(User.objects.filter(role=Role.RIDER).order_by("username"))
    for rider, vehicle in zip(riders, Vehicle.objects.order_by("name"), strict=False):
        shift_create(rider=rider, vehicle=vehicle,
                     starts_at=datetime.combine(wave.day, time(14, 0), BERLIN),
                     ends_at=datetime.combine(wave.day, time(21, 0), BERLIN))
    customers = list(User.objects.filter(role=Role.CUSTOMER).order_by("username"))
    merchants = list(Merchant.objects.filter(products__isnull=False).distinct().order_by("name"))
    points, lockers = list(PickupPoint.objects.all()), list(Locker.objects.all())
    for i in range(GOODS_ORDERS):
        # `kunde` gets one order on the wave's tour and one still in the shop's inbox
        customer = customers[0] if i in (0, 8) else rng.choice(customers)
        merchant = rng.choice(merchants)
        products = rng.sample(list(merchant.products.all()), k=min(2, merchant.products.count()))
        method = rng.choices(["door", "point", "locker"], weights=[7, 2, 1])[0]
        address = Address.objects.filter(owner=customer).first()
        if method == "door" and not address.zone.active:
            method = "point"
        lines = [LineRequest(p.pk, rng.randint(1, 2)) for p in products]
        point = Destination("point", pickup_point_id=rng.choice(points).pk)
        locker = Destination("locker", locker_id=rng.choice(lockers).pk)
        destination = {"door": Destination("door", address_id=address.pk), "point": point,
                       "locker": locker}[method]
        try:
            order = _buy(customer, lines, destination, f"demo-{wave.day}-{i}", now)
        except DomainError as exc:  # as a customer would: not in the locker, then the point
            if exc.code not in ("locker_unfit", "locker_full"):
                raise
            order = _buy(customer, lines, point, f"demo-{wave.day}-{i}", now)
        if i % 9 == 8:
            continue  # left in the shop's inbox
        staff = _staff_for(order.merchant)
        orders.order_accept(order_number=order.number, by=staff)
        orders.order_mark_ready(order_number=order.number, by=staff, parcels=1, now=now)
    service_offers = [(m, s) for m in Merchant.objects.order_by("name")
                      for s in m.services.filter(price_cents__isnull=False)]
    for i in range(SERVICE_BOOKINGS):
        customer = rng.choice(customers[1:])
        address = Address.objects.filter(owner=customer, zone__active=True).first()
        if address is None:
            continue
        merchant, offer = service_offers[i % len(service_offers)]
        order = service_request(
            customer=customer, service_id=offer.pk, address_id=address.pk,
            item_description="Bitte an der Haustür abholen.", channel=Channel.DEMO,
            idempotency_key=f"demo-s-{wave.day}-{i}", now=now).orders.get()
        orders.order_accept(order_number=order.number, by=_staff_for(merchant))
    return [f"{GOODS_ORDERS} Bestellungen und {SERVICE_BOOKINGS} Service-Buchungen für "
            f"{wave.day:%d.%m.%Y}"]


def _buy(customer: User, lines: list[LineRequest], destination: Destination, key: str,
         now: datetime) -> Order:
    """One shop's goods bought through the checkout, as a customer would (mandate, slot,
    fee, and for a locker a compartment with its code)."""
    return checkout_place(customer=customer, lines=lines, destination=destination,
                          idempotency_key=key, channel=Channel.DEMO, now=now).orders.get()


def _staff_for(merchant: Merchant) -> User:
    """Each shop gets one staff login on first use (the shoemaker's is `laden`)."""
    staff = merchant.staff.first()
    if staff is None:
        staff = _user(f"laden-{merchant.slug}"[:150], Role.MERCHANT, "Team", merchant.name[:100],
                      merchant=merchant)
    return staff


def run(*, time_limit: float = 5.0, now: datetime | None = None) -> Report:
    now = now or timezone.now()
    rng = random.Random(SEED)
    town = Town.objects.get(pk=default_town_id())
    wave = wave_for(now, town.schedule)
    report = Report(wave=wave)
    if not Hub.objects.exists():
        report.created += _seed_town(rng)
    day_rng = random.Random(f"{SEED}-{wave.day}")
    if not Order.objects.filter(wave_start=wave.start).exists() and not Shift.objects.filter(
            starts_at__date=wave.day).exists():
        report.created += _seed_day(day_rng, wave, now)
    if not Tour.objects.filter(plan_run__day=wave.day, status=TourStatus.PUBLISHED).exists():
        dispatcher = User.objects.get(username="dispo")
        run_ = plan_day(town=town, day=wave.day, by=dispatcher, time_limit=time_limit)
        for tour in Tour.objects.filter(plan_run=run_):
            tour_publish(tour=tour, by=dispatcher)
        s = run_.summary
        report.plan = (f"Geplant und veröffentlicht: {s['tours']} Touren, {s['assigned']} von "
                       f"{s['legs']} Aufträgen, {number(s['distance_km'])} km.")
    report.riders = [
        (f"Fahrer/in ({tour.shift.vehicle.name})", tour.shift.rider.username)
        for tour in Tour.objects.filter(plan_run__day=wave.day, status=TourStatus.PUBLISHED)
        .select_related("shift__rider", "shift__vehicle").order_by("shift__rider__username")
    ]
    return report
