"""Town isolation for every page: nobody of town A reaches anything of town B.

Every URL pattern of the site (`louise.urls`, less the API, which
louise/api/tests/test_town_isolation.py covers, and Django's admin, which only superusers
enter) whose route takes an object (an id, number, reference, file name) is filled once
with town A's object and once with town B's, and requested (GET and POST) by each person
of town A: customer, shop owner, rider, dispatcher, hotline, operator. Whoever opens A's
object (any answer but a refusal) must get 404 for B's; everyone else must get for B's
object exactly the refusal they get for A's (so B's objects are not even told apart from
A's). The region's operator opens B's objects wherever A's operator opens A's.

A route argument that `ARGS` does not name fails `test_every_object_route_is_covered`
until it is named there (or, for a page that is public or belongs to no town, its route
is listed in `NOT_TOWN_BOUND` with the reason): so a new page, e.g. of the operator's
console, is tested as soon as its argument is known, and cannot be forgotten.

Pages without an object that act in a town (every route under /dispo/ and /betrieb/) are
asked for town B by `?stadt=`: 404 for town A's people who open them for A, while the
region's operator opens them for B. And no page that needs a login shows a person of
town A anything named after town B.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from louise.accounts.models import Role
from louise.billing.customer_invoices import customer_invoices_issue
from louise.billing.ledger import entry_book
from louise.billing.models import CustomerInvoice, Debit, DebitStatus, EntryKind, InvoicePayer
from louise.catalog.models import Merchant
from louise.hotline.models import Call, StandingOrder
from louise.hotline.services import call_record
from louise.hotline.standing import standing_create
from louise.orders.checkout import Destination, LineRequest, shopping_list_place
from louise.orders.models import Order, OrderKind

from ...conftest import TownWorld, TwoTowns, build_two_towns

REFUSED = (403, 404, 405)
TOWN_AREAS = ("dispo/", "betrieb/")  # pages acting in one town, chosen by ?stadt=
SKIPPED_AREAS = ("admin/", "api/")   # superusers only; the API has its own test
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")  # <int:pk>, (?P<pk>...)

# The objects of a town's consoles (dispatch, operator), ready for the pages they grow.
CONSOLE: dict[str, Callable[[TownWorld], Any]] = {
    "town": lambda w: w.town.slug,
    "slug": lambda w: w.merchant.slug,
    "zone_id": lambda w: w.zone.pk,
    "hub_id": lambda w: w.hub.pk,
    "point_id": lambda w: w.point.pk,
    "pickup_point_id": lambda w: w.point.pk,
    "locker_id": lambda w: w.locker.pk,
    "vehicle_id": lambda w: w.bike.pk,
    "merchant_id": lambda w: w.merchant.pk,
    "rider_id": lambda w: w.people[Role.RIDER].pk,
    "person_id": lambda w: w.people[Role.RIDER].pk,  # a member of the town's team
    "user_id": lambda w: w.people[Role.RIDER].pk,
    "pattern_id": lambda w: w.pattern.pk,
    "exception_id": lambda w: w.shift_exception.pk,
    "shift_id": lambda w: w.shift.pk,
    "tour_id": lambda w: w.tour.pk,
    "stop_id": lambda w: w.stop.pk,
    "run_id": lambda w: w.run.pk,
}

def _standing(w: TownWorld) -> StandingOrder:
    """The town's standing order (for its customer), made on first use."""
    return StandingOrder.objects.filter(town=w.town).first() or standing_create(
        agent=w.people[Role.HOTLINE], town=w.town, customer_id=w.people[Role.CUSTOMER].pk,
        name=f"Dauerauftrag {w.tag}", address_id=w.address.pk, weekdays=[1],
        lines=[LineRequest(w.product.pk, 1)], recipients=[], starts_on=timezone.localdate())


def _call(w: TownWorld) -> Call:
    """A call of the town's hotline with a follow-up due today, made on first use."""
    return Call.objects.filter(town=w.town).first() or call_record(
        agent=w.people[Role.HOTLINE], town=w.town, customer_id=w.people[Role.CUSTOMER].pk,
        reason="question", follow_up_on=timezone.localdate())


def _shopping(w: TownWorld) -> Order:
    """A shopping list of the town's customer at its shop (given the service), made on
    first use."""
    found = Order.objects.filter(town=w.town, kind=OrderKind.SHOPPING).first()
    if found is not None:
        return found
    Merchant.objects.filter(pk=w.merchant.pk).update(shopping_service=True)
    return shopping_list_place(
        customer=w.people[Role.CUSTOMER], merchant_id=w.merchant.pk, items="Milch",
        budget_cents=1000, destination=Destination("door", address_id=w.address.pk),
        idempotency_key=f"list-{w.tag}").orders.get()


def _returned(w: TownWorld) -> int:
    """The town's debited customer, whose debit came back (first use): the one whose
    block the town's staff may clear."""
    Debit.objects.filter(pk=w.debit.pk).update(status=DebitStatus.RETURNED)
    return w.debit.customer_id


def _customer_invoice(w: TownWorld) -> CustomerInvoice:
    """An invoice of the town's customer, who pays by invoice from now on (first use)."""
    found = CustomerInvoice.objects.filter(town=w.town).first()
    if found is not None:
        return found
    customer = w.people[Role.CUSTOMER]
    InvoicePayer.objects.get_or_create(customer=customer)
    entry_book(town_id=w.town.pk, customer_id=customer.pk, kind=EntryKind.DELIVERY,
               amount_cents=390)
    return customer_invoices_issue(town_id=w.town.pk)[0]


# Which object of a town a route argument names, by the area (route prefix) of the page:
# the longest prefix that names the argument wins, "" is every area.
ARGS: dict[str, dict[str, Callable[[TownWorld], Any]]] = {
    "": {
        "number": lambda w: w.on_tour.number,
        "reference": lambda w: w.on_tour.checkout.reference,
        "product_id": lambda w: w.product.pk,
        "service_id": lambda w: w.service.pk,
        "exception_id": lambda w: w.opening_exception.pk,
        "photo_id": lambda w: w.photo.pk,
        "user_id": lambda w: w.people[Role.MERCHANT].pk,
        "address_id": lambda w: w.address.pk,
        "name": lambda w: w.proof_photo,  # an uploaded file (media/)
        "invoice_id": lambda w: w.invoice.pk,  # the shop's invoice from LOUISE
    },
    "dispo/": CONSOLE,
    "hotline/": {
        "customer_id": lambda w: w.people[Role.CUSTOMER].pk,
        "number": lambda w: w.placed.number,
        "standing_id": lambda w: _standing(w).pk,
        "call_id": lambda w: _call(w).pk,
    },
    "betrieb/": CONSOLE,
    "betrieb/geschaefte/": {
        "user_id": lambda w: w.people[Role.MERCHANT].pk,  # the shop's staff
    },
    # the places' pages name their object `pk`
    "betrieb/hubs/": {"pk": lambda w: w.hub.pk},
    "betrieb/zonen/": {"pk": lambda w: w.zone.pk},
    "betrieb/abholstellen/": {"pk": lambda w: w.point.pk},
    "betrieb/paketstationen/": {"pk": lambda w: w.locker.pk},
    "betrieb/geld/": {"collection_id": lambda w: w.collection.pk,
                      "debit_id": lambda w: w.debit.pk, "invoice_id": lambda w: w.invoice.pk,
                      "payout_id": lambda w: w.payout.pk, "customer_id": _returned},
    "betrieb/geld/kundenrechnungen/": {"invoice_id": lambda w: _customer_invoice(w).pk},
    "fahrer/einkauf/": {"number": lambda w: _shopping(w).number},  # the shopper's page
    # clearing a block needs a customer whose debit came back
    "hotline/kunden/<int:customer_id>/ruecklastschriften/": {"customer_id": _returned},
    "konto/rechnungen/": {"invoice_id": lambda w: _customer_invoice(w).pk},
    "betrieb/paketstationen/fach/": {"pk": lambda w: w.locker.compartments.order_by(
        "number").last().pk},
}

# Routes with an argument that names nothing of a town (or, under /dispo/ and /betrieb/,
# without one and acting in no town), and why.
NOT_TOWN_BOUND = {
    "konto/passwort-neu/<uidb64>/<token>/": "the password reset link of whoever holds it",
    "betrieb/texte/<str:kind>/": "the legal texts are the platform's, one for all towns",
    "einladung/<str:token>/": "public: a signed invitation, opened by whoever holds it",
    "laden/einladung/<str:token>/": "public: the signed invitation to join a shop's team",
    "laden/zu/<slug:slug>/": "public: a shop's own link to its page in the catalogue",
    "geschaefte/<slug:slug>/": "public: the catalogue shows every town's shops",
    "dienstleistungen/<int:service_id>/buchen/": "customers book from every town's shops",
    "geschaefte/<slug:slug>/einkaufszettel/": "customers give lists to every town's stores",
    "betrieb/bericht/grafik/<slug:key>.svg": "the name of one of the report's charts; the "
                                             "town is the report's (?stadt=, 404 for another "
                                             "town's, tested with the report page)",
    "betrieb/geschaefte/adressen.json": "the gazetteer's streets, public as in the API's "
                                        "/addresses/suggest; the zone is checked on sending",
}


@dataclass(frozen=True)
class Route:
    route: str             # e.g. "laden/bestellungen/<str:number>/"
    args: tuple[str, ...]  # the names of its arguments

    def named(self, arg: str) -> Callable[[TownWorld], Any] | None:
        """How `ARGS` finds the argument's object, or None."""
        areas = sorted((area for area in ARGS if self.route.startswith(area)), key=len,
                       reverse=True)
        return next((ARGS[area][arg] for area in areas if arg in ARGS[area]), None)

    def value(self, arg: str, world: TownWorld) -> Any:
        named = self.named(arg)
        assert named is not None, f"{self.route}: Argument „{arg}“ fehlt in ARGS"
        return named(world)

    def url(self, world: TownWorld) -> str:
        return "/" + ARGUMENT.sub(lambda m: str(self.value(m.group(1), world)), self.route)


def _routes(patterns: list | None = None, prefix: str = "") -> Iterator[Route]:
    """Every route of the site, its prefixes joined (regular-expression routes as their
    expression without ^ and $)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern) and not text.startswith(SKIPPED_AREAS):
            yield Route(text, tuple(a or b for a, b in ARGUMENT.findall(text)))


ROUTES = list(_routes())
OBJECT_ROUTES = [r for r in ROUTES if r.args and r.route not in NOT_TOWN_BOUND]
TOWN_ROUTES = [r for r in ROUTES if not r.args and r.route.startswith(TOWN_AREAS)
               and r.route not in NOT_TOWN_BOUND]
PLAIN_ROUTES = [r for r in ROUTES if not r.args]


@pytest.fixture(scope="module")
def towns(django_db_setup, django_db_blocker):
    """Built once for the module; every test runs in a savepoint of its transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_two_towns()
        transaction.set_rollback(True)


def client_of(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@contextmanager
def undone() -> Iterator[None]:
    """What happens inside is rolled back, so one person's requests (an operator blocking
    the shop's owner) do not change what the next person meets."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- the tests -------------------------------------------------------------------------------


def test_every_object_route_is_covered():
    unknown = sorted({f"{r.route}: {arg}" for r in OBJECT_ROUTES for arg in r.args
                      if r.named(arg) is None})
    assert not unknown, ("Routen mit Objekt-Argumenten, die ARGS nicht kennt (dort eintragen "
                         f"oder in NOT_TOWN_BOUND begründen): {unknown}")
    assert set(NOT_TOWN_BOUND) <= {r.route for r in ROUTES}, "NOT_TOWN_BOUND nennt alte Routen"
    # the pages this test is about are among them (the enumeration works)
    assert {"laden/bestellungen/<str:number>/", "bestellungen/<str:number>/",
            "media/<path:name>"} <= {r.route for r in OBJECT_ROUTES}
    assert {"dispo/", "betrieb/"} <= {r.route for r in TOWN_ROUTES}


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.route)
def test_town_a_gets_404_for_town_b_objects(towns: TwoTowns, db, route: Route):
    opened = []
    for role, person in towns.a.people.items():
        with undone():
            client = client_of(person)
            for method in ("get", "post"):
                theirs = getattr(client, method)(route.url(towns.b))  # first: A's may change
                ours = getattr(client, method)(route.url(towns.a))
                assert theirs.status_code < 500 and ours.status_code < 500, (role, method)
                if ours.status_code in REFUSED:
                    assert theirs.status_code == ours.status_code, (role, method)
                else:
                    opened.append((role, method))
                    assert theirs.status_code == 404, (role, method, theirs.status_code)
    assert opened, "niemand aus Stadt A öffnet die Seite für A: ARGS nennt das falsche Objekt"
    # the region's operator opens town B's object wherever A's operator opens A's (in a
    # console, once town B is chosen: some of its pages look objects up in that town only)
    region = client_of(towns.region)
    chosen = f"?stadt={towns.b.town.slug}" if route.route.startswith(TOWN_AREAS) else ""
    for role, method in opened:
        if role == Role.OPERATOR:
            status = getattr(region, method)(route.url(towns.b) + chosen).status_code
            assert status not in REFUSED, (method, status)


@pytest.mark.parametrize("route", TOWN_ROUTES, ids=lambda r: r.route)
def test_town_pages_refuse_town_b_to_town_a(towns: TwoTowns, db, route: Route):
    url = "/" + route.route
    opened = []
    for role, person in towns.a.people.items():
        with undone():
            client = client_of(person)
            for method in ("get", "post"):  # a form's page, or an action (POST only)
                theirs = getattr(client, method)(f"{url}?stadt={towns.b.town.slug}")
                ours = getattr(client, method)(f"{url}?stadt={towns.a.town.slug}")
                if ours.status_code in REFUSED:
                    assert theirs.status_code == ours.status_code, (role, method)
                else:
                    opened.append(method)
                    assert theirs.status_code == 404, (role, method, theirs.status_code)
    # a page nobody of town A opens is the region's (a new town, the towns' teams): its
    # operator opens it, in either town
    region = client_of(towns.region)
    for world in (towns.a, towns.b):
        with undone():
            answers = [getattr(region, method)(f"{url}?stadt={world.town.slug}")
                       for method in opened[:1] or ["get", "post"]]
        response = next((a for a in answers if a.status_code != 405), answers[-1])
        assert response.status_code not in REFUSED, world.tag
        if route.route == "dispo/":
            assert world.tag in response.content.decode()


@pytest.mark.parametrize("route", PLAIN_ROUTES, ids=lambda r: r.route or "/")
def test_no_page_shows_town_a_anything_of_town_b(towns: TwoTowns, db, route: Route):
    url = "/" + route.route
    if Client().get(url).status_code == 200:
        pytest.skip("öffentliche Seite: der Katalog zeigt die Geschäfte aller Städte")
    for role, person in towns.a.people.items():
        response = client_of(person).get(url)
        assert response.status_code < 500, role
        if response.status_code == 200 and not response.streaming:
            text = response.content.decode(errors="replace")
            assert not [m for m in towns.b.markers if m in text], role
