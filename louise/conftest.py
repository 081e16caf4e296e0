"""Shared test fixtures: a tiny town built through the real services, and one person per role.

Fixtures build data the way the app does (services, not raw model inserts), so a test
that passes here exercises the same validation a user meets.
"""

import io
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import django
import pytest
import time_machine
from PIL import Image

# Set up Django even when pytest-django is switched off (`-p no:django`, as the pure
# planning library's tests may be run), so importing the fixtures below never fails.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "louise.settings_test")
django.setup()
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from louise.accounts.models import Role, User
from louise.accounts.services import user_create
from louise.billing.collection import collection_run
from louise.billing.invoices import InvoiceLine, invoice_issue
from louise.billing.models import CollectionRun, CustomerFees, Debit, Invoice, PayoutRun
from louise.billing.payouts import payout_run
from louise.billing.services import creditor_save, mandate_create
from louise.catalog.cache import catalog_changed
from louise.catalog.invitations import shop_owner_grant
from louise.catalog.models import Merchant, MerchantPhoto, OpeningException, Product, ServiceOffer
from louise.catalog.services import (
    merchant_create,
    merchant_photo_add,
    opening_exception_set,
    product_create,
    service_offer_create,
)
from louise.core.calendar import BERLIN
from louise.core.validation import save_validated
from louise.geo import services as geo
from louise.geo.models import Address, Hub, Locker, PickupPoint, Town, Zone, default_town_id
from louise.logistics.fleet import pattern_exception_add, pattern_save
from louise.logistics.hub_routing import route_force
from louise.logistics.models import (
    PlanRun,
    Proof,
    Shift,
    ShiftException,
    ShiftPattern,
    Tour,
    TourStop,
    Vehicle,
)
from louise.logistics.services import (
    plan_day,
    shift_create,
    stop_complete,
    tour_publish,
    vehicle_create,
)
from louise.orders import services as orders
from louise.orders.checkout import Destination, LineRequest, checkout_place, service_request
from louise.orders.models import Order

PASSWORD = "test-pass-123"
OPEN_ALL_WEEK = {str(d): [["08:00", "20:00"]] for d in range(7)}
# Monday 30 November 2026, 10:00 in Bottrop: before the cut-off, a working day.
MONDAY_MORNING = datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN)


def the_town() -> Town:
    """The town every fixture builds in (the first one; a test of two towns makes another)."""
    return Town.objects.get(pk=default_town_id())


def town_set(**fields) -> Town:
    """Change the first town's settings, as its operator would in the console (which saves
    the town, so the cached catalogue is left behind as here)."""
    Town.objects.filter(pk=default_town_id()).update(**fields)
    catalog_changed()
    return the_town()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: a test's rows are rolled back, and another
    test's cached pages, or the report's what-if basis kept under the newest rows' ids,
    must not meet rows that look the same."""
    cache.clear()


def fees_set(**amounts) -> CustomerFees:
    """The first town's customer fees from now on (one schedule, valid since ever), as its
    operator would set them in the console."""
    town = the_town()
    CustomerFees.objects.filter(town=town).delete()
    return CustomerFees.objects.create(town=town, valid_from=date(2000, 1, 1), **amounts)


def other_town(name: str = "Gladbeck", postcode: str = "45964") -> Town:
    """A second town with one active zone, to try town isolation against."""
    town = Town.from_settings(name=name, slug=name.lower())
    town.save()
    geo.zone_create(name=f"{name} Mitte", postcodes=[postcode], vehicle_kinds=["bike", "car"],
                    town=town)
    return town


def make_user(username: str, role: str = Role.CUSTOMER, **extra):
    """A person of `role`; LOUISE's own staff work for the first town unless told otherwise."""
    if role not in (Role.CUSTOMER, Role.MERCHANT):
        extra.setdefault("town_ids", [default_town_id()])
    return user_create(username=username, password=PASSWORD, role=role, first_name=username,
                       last_name="Test", email=f"{username}@example.org", **extra)


def build_town() -> dict:
    """Zones (one car-only, one switched off), the hub, a point, a locker, a bike and a car."""
    geo.zone_create(name="Mitte", postcodes=["46236"], vehicle_kinds=["bike", "car"])
    geo.zone_create(name="Kirchhellen", postcodes=["46244"], vehicle_kinds=["car"])
    geo.zone_create(name="Oberhausen", postcodes=["46045"], vehicle_kinds=["car"], active=False)
    hub = geo.hub_create(name="City-Station", street="Altmarkt 4", postcode="46236",
                         lat=51.5236, lon=6.9285)
    point = geo.pickup_point_create(name="Kiosk Test", opening_hours=OPEN_ALL_WEEK,
                                    street="Am Bahnhof 3", postcode="46236", lat=51.526,
                                    lon=6.935)
    locker = geo.locker_create(name="Station Test", compartments={"S": 2, "M": 2},
                               street="Altmarkt 10", postcode="46236", lat=51.5230,
                               lon=6.9300)
    bike = vehicle_create(name="Rad 1", kind="bike", hub=hub, capacity_g=100_000,
                          capacity_ml=400_000, capacity_parcels=20, range_km=50)
    car = vehicle_create(name="Auto 1", kind="car", hub=hub, capacity_g=500_000,
                         capacity_ml=2_000_000, capacity_parcels=60, range_km=150,
                         speed_kmh=25, bulky=True, cooled=True)
    return {"hub": hub, "point": point, "locker": locker, "bike": bike, "car": car}


@pytest.fixture
def town(db):
    return build_town()


def _shop(name: str, lat: float, lon: float):
    merchant = merchant_create(name=name, category="books", street="Hauptstraße 1",
                               postcode="46236", lat=lat, lon=lon, opening_hours=OPEN_ALL_WEEK)
    product = product_create(merchant=merchant, name=f"Buch von {name}", price_cents=1500,
                             stock=5, weight_g=600, volume_ml=1200)
    return merchant, product


def build_shop() -> dict:
    merchant, product = _shop("Buchladen Eins", 51.5245, 6.9260)
    service = service_offer_create(merchant=merchant, name="Buch binden", price_cents=900)
    staff = make_user("laden1", Role.MERCHANT, merchant=merchant)
    return {"merchant": merchant, "product": product, "service": service, "staff": staff}


def build_other_shop() -> dict:
    merchant, product = _shop("Laden Zwei", 51.5200, 6.9400)
    staff = make_user("laden2", Role.MERCHANT, merchant=merchant)
    return {"merchant": merchant, "product": product, "staff": staff}


@pytest.fixture
def shop(town):
    return build_shop()


@pytest.fixture
def other_shop(town):
    return build_other_shop()


def make_customer(username: str, postcode: str = "46236", lat: float = 51.5280,
                  lon: float = 6.9350):
    customer = make_user(username, phone="02041 123456")
    address = geo.address_create(owner=customer, street="Gartenstraße 5", postcode=postcode,
                                 lat=lat, lon=lon, require_active_zone=False)
    mandate_create(customer=customer, holder=f"{username} Test", iban="DE89370400440532013000")
    return customer, address


def order_placed(person, product, quantity: int = 1, *, destination: Destination | None = None,
                 key: str = "", now: datetime | None = None):
    """One product bought through the checkout, as the web shop does, for the first bookable
    wave (to the person's first address unless told otherwise); returns the order."""
    if destination is None:
        destination = Destination("door", address_id=Address.objects.filter(owner=person)
                                  .order_by("pk").first().pk)
    return checkout_place(customer=person, lines=[LineRequest(product.pk, quantity)],
                          destination=destination, idempotency_key=key or secrets.token_hex(8),
                          now=now).orders.get()


def service_booked(person, service, address, description: str = "Altes Buch", *,
                   now: datetime | None = None):
    """A service booked through the checkout for the first bookable wave; returns the order."""
    return service_request(customer=person, service_id=service.pk, address_id=address.pk,
                           item_description=description, idempotency_key=secrets.token_hex(8),
                           now=now).orders.get()


@pytest.fixture
def customer(town):
    return make_customer("kundin")


@pytest.fixture
def other_customer(town):
    return make_customer("kunde2")


def build_staff_users() -> dict:
    return {role: make_user(role, role) for role in
            (Role.DISPATCHER, Role.RIDER, Role.HOTLINE, Role.OPERATOR)}


@pytest.fixture
def staff_users(town):
    return build_staff_users()


def build_shifts(town: dict, rider) -> list:
    """The dispatcher's fleet on Monday 30 November 2026, 14:00–21:00: `rider` on the bike,
    a second rider ("fahrer2") in the car."""
    rider2 = make_user("fahrer2", Role.RIDER)
    start = datetime.combine(MONDAY_MORNING.date(), time(14), BERLIN)
    end = datetime.combine(MONDAY_MORNING.date(), time(21), BERLIN)
    return [shift_create(rider=rider, vehicle=town["bike"], starts_at=start, ends_at=end),
            shift_create(rider=rider2, vehicle=town["car"], starts_at=start, ends_at=end)]


@pytest.fixture
def shifts(town, staff_users):
    return build_shifts(town, staff_users[Role.RIDER])


class ApiClient:
    """Talks to /api/v1 as a given user, with that user's own bearer token."""

    def __init__(self, username: str | None = None):
        self.client = Client()
        self.headers: dict[str, str] = {}
        if username:
            response = self.client.post("/api/v1/auth/token", {"username": username,
                                                               "password": PASSWORD},
                                        content_type="application/json")
            assert response.status_code == 200, response.content
            self.headers["Authorization"] = f"Bearer {response.json()['token']}"

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, data=None, headers: dict | None = None):
        return self.client.post(f"/api/v1{path}", data or {}, content_type="application/json",
                                headers={**self.headers, **(headers or {})})


@pytest.fixture
def api():
    return ApiClient


# --- Two towns side by side, for the town-isolation tests -----------------------------------


@dataclass
class TownWorld:
    """One town with one of everything a person of another town must not reach: places,
    fleet, a shop and its owner, a customer, staff, a weekly shift pattern, and Monday's
    plan with a published tour (one order delivered with a photo, one still on the tour,
    one just placed). Every name carries `tag`, so a page or list that shows anything of
    this town can be caught by that word."""

    town: Town
    tag: str
    zone: Zone
    hub: Hub
    point: PickupPoint
    locker: Locker
    bike: Vehicle
    merchant: Merchant
    product: Product
    service: ServiceOffer
    opening_exception: OpeningException
    photo: MerchantPhoto
    people: dict[str, User]  # role -> the town's person of that role (the shop's owner)
    address: Address
    delivered: Order         # delivered with a photo proof
    on_tour: Order           # its stops still pending on the published tour
    placed: Order            # waiting in the shop's inbox
    pattern: ShiftPattern
    shift_exception: ShiftException
    shift: Shift
    run: PlanRun
    tour: Tour
    stop: TourStop           # a pending stop of the tour
    proof_photo: str         # the storage name of the delivery photo
    collection: CollectionRun  # the direct debits of its customers' orders
    debit: Debit
    invoice: Invoice         # LOUISE's invoice to its shop
    payout: PayoutRun

    @property
    def markers(self) -> list[str]:
        """Words that only a page or answer showing something of this town contains."""
        return [self.tag, self.town.name,
                *(order.number for order in (self.delivered, self.on_tour, self.placed))]


def tiny_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def build_town_world(town: Town, tag: str, *, postcodes: tuple[str, str],
                     at: tuple[float, float]) -> TownWorld:
    """Everything of one town (see `TownWorld`), built through the services; `postcodes`
    are its two zones' (bike and car, car only), `at` is where its hub stands."""
    lat, lon = at
    low = tag.lower()
    zone = geo.zone_create(name=f"Zone {tag}", postcodes=[postcodes[0]],
                           vehicle_kinds=["bike", "car"], town=town)
    geo.zone_create(name=f"Land {tag}", postcodes=[postcodes[1]], vehicle_kinds=["car"],
                    town=town)
    place = {"postcode": postcodes[0], "city": tag}
    hub = geo.hub_create(name=f"Hub {tag}", street=f"{tag}er Markt 1", lat=lat, lon=lon,
                         town=town, **place)
    point = geo.pickup_point_create(name=f"Kiosk {tag}", opening_hours=OPEN_ALL_WEEK,
                                    street=f"{tag}er Markt 3", lat=lat + 0.002, lon=lon,
                                    town=town, **place)
    locker = geo.locker_create(name=f"Station {tag}", compartments={"S": 2, "M": 2},
                               street=f"{tag}er Markt 5", lat=lat, lon=lon + 0.002,
                               town=town, **place)
    bike = vehicle_create(name=f"Rad {tag}", kind="bike", hub=hub, capacity_g=100_000,
                          capacity_ml=400_000, capacity_parcels=20, range_km=50)
    merchant = merchant_create(name=f"Laden {tag}", category="books", street=f"{tag}er Weg 2",
                               lat=lat + 0.001, lon=lon - 0.002, opening_hours=OPEN_ALL_WEEK,
                               town=town, **place)
    product = product_create(merchant=merchant, name=f"Buch aus {tag}", price_cents=1500,
                             stock=9, weight_g=600, volume_ml=1200)
    service = service_offer_create(merchant=merchant, name=f"Binden in {tag}", price_cents=900)
    people = {role: make_user(f"{role}-{low}", role, town_ids=[town.pk]) for role in
              (Role.DISPATCHER, Role.RIDER, Role.HOTLINE, Role.OPERATOR)}
    people[Role.MERCHANT] = shop_owner_grant(
        user=make_user(f"laden-{low}", Role.MERCHANT, merchant=merchant))
    customer = make_user(f"kunde-{low}", phone="02041 123456")
    address = geo.address_create(owner=customer, street=f"{tag}er Weg 9", lat=lat - 0.002,
                                 lon=lon + 0.001, **place)
    mandate_create(customer=customer, holder=f"{tag} Kundin", iban="DE89370400440532013000")
    people[Role.CUSTOMER] = customer
    monday = MONDAY_MORNING.date()
    operator = people[Role.OPERATOR]
    pattern, _made = pattern_save(by=operator, town=town, rider=people[Role.RIDER],
                                  vehicle=bike, weekdays=[0, 1, 2, 3, 4], start_time=time(14),
                                  end_time=time(21), valid_from=monday, today=monday)
    shift_exception, _made = pattern_exception_add(
        by=operator, pattern=pattern, kind="holiday", day=monday + timedelta(days=2),
        today=monday)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        delivered, on_tour, placed = (order_placed(customer, product, now=MONDAY_MORNING)
                                      for _ in range(3))
    for order in (delivered, on_tour):
        orders.order_accept(order_number=order.number, by=people[Role.MERCHANT])
        orders.order_mark_ready(order_number=order.number, by=people[Role.MERCHANT],
                                now=MONDAY_MORNING)
        if order.legs.filter(drop_ref__startswith="hub:").exists():  # the world rides direct
            route_force(by=people[Role.DISPATCHER], leg_id=order.legs.first().pk,
                        route="direct", now=MONDAY_MORNING)
    run = plan_day(town=town, day=monday, by=people[Role.DISPATCHER], time_limit=1)
    tour = Tour.objects.get(plan_run=run)
    tour_publish(tour=tour, by=people[Role.DISPATCHER])
    rider = people[Role.RIDER]
    for stop in tour.stops.filter(leg__order=delivered).order_by("-kind"):  # pickup first
        stop_complete(stop_id=stop.pk, rider=rider, parcels=stop.leg.parcels,
                      proof_method="photo", photo=SimpleUploadedFile(
                          "tuer.jpg", tiny_jpeg(), content_type="image/jpeg"))
    proof = Proof.objects.get(stop__tour=tour, stop__leg__order=delivered)
    creditor_save(by=operator, town_id=town.pk, creditor_name=f"LOUISE {tag}",
                  creditor_id="DE98ZZZ09999999999", iban="DE02120300000000202051",
                  bic="BYLADEM1001")
    collection = collection_run(town_id=town.pk, due=monday + timedelta(days=4),
                                now=MONDAY_MORNING + timedelta(hours=1))
    with transaction.atomic():
        invoice = invoice_issue(town=town, merchant=merchant,
                                lines=[InvoiceLine("Monatspauschale", 1, 1000)],
                                period=(monday.replace(day=1), monday), issued_on=monday)
        payout = payout_run(town=town, month=monday.replace(day=1), execute_on=monday)
    return TownWorld(
        town=town, tag=tag, zone=zone, hub=hub, point=point, locker=locker, bike=bike,
        merchant=merchant, product=product, service=service,
        opening_exception=opening_exception_set(merchant=merchant, day=monday + timedelta(days=7),
                                                closed=True),  # a later day: today it is open
        photo=merchant_photo_add(merchant=merchant, image=SimpleUploadedFile(
            "laden.jpg", tiny_jpeg(), content_type="image/jpeg")),
        people=people, address=address, delivered=Order.objects.get(pk=delivered.pk),
        on_tour=Order.objects.get(pk=on_tour.pk), placed=placed, pattern=pattern,
        shift_exception=shift_exception, shift=Shift.objects.get(pattern=pattern, day=monday),
        run=run, tour=Tour.objects.get(pk=tour.pk),
        stop=tour.stops.filter(leg__order=on_tour).order_by("sequence").first(),
        proof_photo=proof.photo.name, collection=collection, debit=collection.debits.get(),
        invoice=invoice, payout=payout)


@dataclass
class TwoTowns:
    a: TownWorld       # the first town (the default one)
    b: TownWorld       # a second town; nobody of `a` may reach anything of it
    region: User       # the region's operator, who works for both


def build_two_towns() -> TwoTowns:
    # The first town before the second: after a transactional test flushed the database,
    # `the_town()` makes it afresh, and would otherwise take the second for the first.
    first = the_town()
    second = save_validated(Town.from_settings(name="Emscherbruch", slug="emscherbruch"))
    return TwoTowns(
        a=build_town_world(first, "Anger", postcodes=("46236", "46244"),
                           at=(51.5236, 6.9285)),
        b=build_town_world(second, "Emscherbruch", postcodes=("45971", "45975"),
                           at=(51.5290, 7.1050)),
        region=make_user("region", Role.OPERATOR, town_ids=[], all_towns=True))
