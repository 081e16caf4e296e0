"""Every operation of the OpenAPI schema tried by every kind of caller, generated.

`POLICY` below is the access policy in test form: for each operation, which roles may call
it and which roles own the object its path names (so that another person of that role
must get 404 for it). An operation added to the API without an entry here fails
`test_every_operation_has_a_policy_entry`, so none can be forgotten. Each operation is
then called (a) anonymously: 401 for every private one (the schema's `security` tells
which), (b) by every role that may not use it: 403 or 404, (c) by another customer, shop
or rider on an object that is not theirs: 404, and by every role that may use it: not
refused and never a 500. Path parameters come from a small world (two customers with
orders, two shops, two riders, one with a published tour, a locker); bodies are built
from the schema's `requestBody` with the required fields only (plus the few optional ones
`FIELDS` names), so a body that gains optional fields needs no change here.
"""

import json
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client, RequestFactory

from louise.accounts.models import Role
from louise.accounts.services import token_issue
from louise.api.root import api as louise_api
from louise.orders.checkout import Destination, LineRequest, checkout_place
from louise.orders.services import order_accept, order_mark_ready

from ...conftest import (
    MONDAY_MORNING,
    PASSWORD,
    build_other_shop,
    build_shifts,
    build_shop,
    build_staff_users,
    build_town,
    make_customer,
    make_user,
)
from .conftest import place_order, publish_tour

SCHEMA = louise_api.get_openapi_schema(path_prefix="/api/v1/")
OPERATIONS = {op["operationId"]: (method, path, op)
              for path, methods in SCHEMA["paths"].items() for method, op in methods.items()}


@dataclass(frozen=True)
class Access:
    roles: frozenset[str]             # who may call it (all of them: a public operation)
    owners: frozenset[str] = frozenset()  # roles whose other members must get 404
    public: bool = False


def may(*roles: str, owners: tuple[str, ...] = ()) -> Access:
    return Access(frozenset(roles), frozenset(owners))


EVERYONE = tuple(Role.values)
PUBLIC = Access(frozenset(Role.values), public=True)
DISPATCH = (Role.DISPATCHER, Role.OPERATOR)
STAFF = (Role.HOTLINE, *DISPATCH)
C, M, R = Role.CUSTOMER, Role.MERCHANT, Role.RIDER

HUB_DESK = (Role.HUB, *DISPATCH)

POLICY: dict[str, Access] = {
    # the City-Depot, and the dispatcher's choice of way
    "hub_scan": may(*HUB_DESK),
    "hub_sorted": may(*HUB_DESK),
    "leg_route": may(*DISPATCH),
    # people
    "token": PUBLIC,
    "register": PUBLIC,
    "me": may(*EVERYONE),
    "token_revoke_own": may(*EVERYONE),  # a bearer token ends itself (session users: 401)
    "addresses": may(*EVERYONE),  # one's own address book (empty but for customers)
    "address_add": may(C),
    "mandate_add": may(C),
    # the public catalogue and service area
    "merchants": PUBLIC,
    "merchant": PUBLIC,
    "zones": PUBLIC,
    "pickup_points": PUBLIC,
    "lockers": PUBLIC,
    "address_suggest": PUBLIC,
    "slot_list": PUBLIC,  # the bookable waves, as the shop shows them to visitors
    # orders: customers their own, shops their own, LOUISE's staff all
    "order_place": may(C, Role.HOTLINE),  # the hotline for a customer of its town
    "service_book": may(C),
    "order_list": may(*EVERYONE),  # scoped: a rider's list is empty
    "order_detail": may(C, M, *STAFF, owners=(C, M)),
    "order_accept": may(M, owners=(M,)),
    "order_decline": may(M, owners=(M,)),
    "order_ready": may(M, owners=(M,)),
    "order_cancel": may(C, Role.HOTLINE, Role.OPERATOR, owners=(C,)),
    "service_intake": may(M),  # the order is named by a scanned code: another shop's is 400
    "service_inspect": may(M, owners=(M,)),
    "quote_accept": may(C, Role.HOTLINE, owners=(C,)),
    "quote_decline": may(C, Role.HOTLINE, owners=(C,)),
    "locker_open": may(Role.OPERATOR),
    # dispatch
    "legs": may(*DISPATCH),
    "plan": may(*DISPATCH),
    "plan_run": may(*DISPATCH),
    "plan_background": may(*DISPATCH),
    "dispatch_day": may(*DISPATCH),
    "insert_open_legs": may(*DISPATCH),
    "tour_publish": may(*DISPATCH),
    "stop_move": may(*DISPATCH),
    "stop_lock": may(*DISPATCH),
    # riders: their own published tours and stops
    "tours": may(*EVERYONE),  # scoped: empty for everyone but dispatch and riders
    "tour": may(R, *DISPATCH, owners=(R,)),
    "stop_complete": may(R, owners=(R,)),
    "stop_fail": may(R, owners=(R,)),
    "rider_action": may(R, owners=(R,)),
    "rider_position": may(R),
}


# --- the world ----------------------------------------------------------------------------


@dataclass
class World:
    tokens: dict[str, str]          # caller name -> bearer token
    path: dict[str, Any]            # path parameter name -> value
    fields: dict[str, Any]          # body or query field name -> value


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module; every test runs in a savepoint of its transaction, which
    is rolled back at the end, so nothing leaks into other modules."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    town = build_town()
    shop, other_shop = build_shop(), build_other_shop()
    customer, other_customer = make_customer("kundin"), make_customer("kunde2")
    staff = build_staff_users()
    shifts = build_shifts(town, staff[Role.RIDER])
    tour = publish_tour(place_order(shop, customer), shop["staff"], staff[Role.DISPATCHER])
    basket = _via_the_hub(shop, other_shop, customer)  # packed, its legs via the hub
    mine = place_order(shop, customer)  # still placed: the object of the order operations
    place_order(other_shop, other_customer)
    rider = tour.shift.rider
    other_rider = next(s.rider for s in shifts if s.rider != rider)
    people = {C: customer[0], M: shop["staff"], R: rider, "other-" + C: other_customer[0],
              "other-" + M: other_shop["staff"], "other-" + R: other_rider,
              **{role: staff[role] for role in (Role.DISPATCHER, Role.HOTLINE, Role.OPERATOR)},
              Role.HUB: make_user("depot", Role.HUB)}
    stop = tour.stops.order_by("sequence").first()
    return World(
        tokens={name: token_issue(request=RequestFactory().post("/api/v1/auth/token"),
                                  username=person.username, password=PASSWORD)[1]
                for name, person in people.items()},
        path={"number": mine.number, "tour_id": tour.pk, "stop_id": stop.pk,
              "run_id": tour.plan_run_id, "locker_id": town["locker"].pk,
              "leg_id": basket[1].pk,
              "slug": shop["merchant"].slug},
        fields={"merchant_id": shop["merchant"].pk, "product_id": shop["product"].pk,
                "service_id": shop["service"].pk, "address_id": customer[1].pk,
                "method": "door", "tour_id": tour.pk, "stop_id": stop.pk,
                "day": MONDAY_MORNING.date().isoformat(), "time_limit": 0.5,
                "reason": "not_home", "code": "123456", "key": "aktion-0001",
                "kind": "complete", "username": "kundin", "password": PASSWORD,
                "email": "neu@example.org", "postcode": "46236", "lat": 51.5236,
                "lon": 6.9285, "iban": "DE89370400440532013000", "q": "Altmarkt",
                "label": basket[0].number, "group": basket[1].group, "route": "direct"},
    )


def _via_the_hub(shop: dict, other_shop: dict, customer: tuple) -> list:
    """A basket of both shops, packed: its first order and that order's leg hub → door."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        checkout = checkout_place(
            customer=customer[0], lines=[LineRequest(shop["product"].pk, 1),
                                         LineRequest(other_shop["product"].pk, 1)],
            destination=Destination("door", address_id=customer[1].pk),
            idempotency_key="ueber-den-hub", now=MONDAY_MORNING)
        for order, staff in zip(checkout.orders.order_by("merchant__name"),
                                (shop["staff"], other_shop["staff"]), strict=True):
            order_accept(order_number=order.number, by=staff)
            order_mark_ready(order_number=order.number, by=staff, now=MONDAY_MORNING)
    order = checkout.orders.order_by("pk").first()
    return [order, order.legs.exclude(group="").get()]


# --- requests from the schema ---------------------------------------------------------------


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _value(name: str, schema: dict, fields: dict[str, Any]) -> Any:
    """A valid value for one field: the world's, else the least the schema allows."""
    if name in fields:
        return fields[name]
    schema = _resolve(schema)
    if "anyOf" in schema:
        schema = _resolve(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        return _body(schema, fields)
    if kind == "array":
        return [_value(name, schema["items"], fields)] * max(schema.get("minItems", 0), 1)
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
        return max(low, 1) if kind == "integer" else low
    if kind == "boolean":
        return True
    if schema.get("format") in ("date", "date-time"):
        moment = MONDAY_MORNING.isoformat()
        return moment[:10] if schema["format"] == "date" else moment
    assert "pattern" not in schema, f"Feld „{name}“ braucht einen Wert in FIELDS (Muster)"
    return "x" * max(schema.get("minLength", 0), 3)


def _body(schema: dict, fields: dict[str, Any]) -> dict[str, Any]:
    """The required fields, and the optional ones the world names (an optional body: its
    object's)."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        schema = _resolve(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    required = set(schema.get("required", []))
    return {name: _value(name, prop, fields) for name, prop in schema["properties"].items()
            if name in required or name in fields}


def call(operation_id: str, world: World, caller: str | None):
    method, path, op = OPERATIONS[operation_id]
    client = Client()
    headers = {"Authorization": f"Bearer {world.tokens[caller]}"} if caller else {}
    url = path.format(**world.path)
    query = {p["name"]: _value(p["name"], p["schema"], world.fields)
             for p in op.get("parameters", []) if p["in"] == "query" and p.get("required")}
    if method == "get":
        return client.get(url, query, headers=headers)
    content = op.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        body = _body(content["multipart/form-data"]["schema"], world.fields)
        return client.post(url, body, headers=headers)
    body = _body(content["application/json"]["schema"], world.fields) if content else {}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


# --- the tests ------------------------------------------------------------------------------


def test_every_operation_has_a_policy_entry():
    assert set(OPERATIONS) - set(POLICY) == set(), "neue Operationen ohne Eintrag in POLICY"
    assert set(POLICY) - set(OPERATIONS) == set(), "POLICY nennt Operationen, die es nicht gibt"


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_public_in_the_policy_iff_public_in_the_schema(operation_id):
    assert POLICY[operation_id].public == (not OPERATIONS[operation_id][2].get("security"))


def _cases() -> list:
    cases = []
    for operation_id in sorted(OPERATIONS):
        access = POLICY.get(operation_id, PUBLIC)
        callers = [None, *Role.values, *(f"other-{role}" for role in sorted(access.owners))]
        cases += [pytest.param(operation_id, caller, id=f"{operation_id}-{caller or 'anonym'}")
                  for caller in callers]
    return cases


@pytest.mark.parametrize(("operation_id", "caller"), _cases())
def test_access(world, db, operation_id, caller):
    access = POLICY[operation_id]
    response = call(operation_id, world, caller)
    status = response.status_code
    assert status < 500, response.content
    if caller is None and not access.public:
        assert status == 401, response.content  # (a) private: sign in first
    elif caller is None:
        assert status != 401, response.content
    elif caller.startswith("other-"):
        assert status == 404, response.content  # (c) not theirs: it does not exist
    elif caller in access.roles:
        assert status not in (401, 403, 404), response.content
    else:
        assert status in (403, 404), response.content  # (b) a role that may not use it
