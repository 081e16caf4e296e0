"""Town isolation for every API operation, generated from the OpenAPI schema like
test_access_policy.py: nobody of town A reaches anything of town B.

Every operation whose path names an object, or whose query or body names a town, a tour
or a stop (`REFS`), is called with town B's object by each person of town A (customer,
shop owner, rider, dispatcher, hotline, operator): a role that may call it (`POLICY`)
gets 404, any other role 403 or 404. A path parameter `REFS` does not know fails
`test_every_object_parameter_is_known` until it is named there, so a new operation
cannot slip through. The region's operator, who works for both towns, reaches town B's
objects (never 404). Every list (a GET without path parameters) that needs a login shows
town A's people nothing of town B, while the region's operator's lists show B's.

The public operations (the catalogue, zones, points, lockers, the bookable waves) show
every town on purpose: customers order wherever a town's zones cover their address.
"""

import json
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client, RequestFactory

from louise.accounts.models import Role
from louise.accounts.services import token_issue
from louise.logistics.hub_routing import route_force
from louise.logistics.models import Leg
from louise.orders.services import order_accept, order_mark_ready

from ...conftest import (
    MONDAY_MORNING,
    PASSWORD,
    TownWorld,
    TwoTowns,
    build_two_towns,
    order_placed,
)
from .test_access_policy import OPERATIONS, POLICY, _body, _resolve, _value

# Path parameters, and the query or body fields, that name something of a town.
REFS = {
    "number": lambda w: w.on_tour.number,
    "run_id": lambda w: w.run.pk,
    "tour_id": lambda w: w.tour.pk,
    "stop_id": lambda w: w.stop.pk,
    "locker_id": lambda w: w.locker.pk,
    "slug": lambda w: w.merchant.slug,
    "town": lambda w: w.town.slug,
    "leg_id": lambda w: w.on_tour.legs.order_by("pk").first().pk,
    "group": lambda w: Leg.objects.filter(town=w.town).exclude(group="")
    .values_list("group", flat=True).first(),
}


def _via_the_hub(world: TownWorld) -> None:
    """One more order of the town, packed and sent via its hub by its dispatcher: a
    delivery the depot's operations can name."""
    shop = world.people[Role.MERCHANT]
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = order_placed(world.people[Role.CUSTOMER], world.product, now=MONDAY_MORNING)
        order_accept(order_number=order.number, by=shop)
        order_mark_ready(order_number=order.number, by=shop, now=MONDAY_MORNING)
        route_force(by=world.people[Role.DISPATCHER], leg_id=order.legs.get().pk,
                    route="hub", now=MONDAY_MORNING)


def _parameters(op: dict, where: str) -> set[str]:
    return {p["name"] for p in op.get("parameters", []) if p["in"] == where}


def _body_fields(op: dict) -> set[str]:
    names: set[str] = set()
    for content in op.get("requestBody", {}).get("content", {}).values():
        schema = _resolve(content["schema"])
        if "anyOf" in schema:  # an optional body
            schema = _resolve(next(s for s in schema["anyOf"] if s.get("type") != "null"))
        names |= set(schema.get("properties", {}))
    return names


def _naming_b(operation_id: str) -> bool:
    """The operation names an object of a town in its path, query or body."""
    op = OPERATIONS[operation_id][2]
    named = _parameters(op, "path") | _parameters(op, "query") | _body_fields(op)
    return not POLICY[operation_id].public and bool(named & set(REFS))


OBJECT_OPERATIONS = sorted(op for op in OPERATIONS if _naming_b(op))
LISTS = sorted(op for op, (method, path, spec) in OPERATIONS.items()
               if method == "get" and not _parameters(spec, "path")
               and not POLICY[op].public)


@pytest.fixture(scope="module")
def towns(django_db_setup, django_db_blocker):
    """Built once for the module; every test runs in a savepoint of its transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_two_towns()
        _via_the_hub(world.b)
        people = {**world.a.people, "region": world.region}
        tokens = {name: token_issue(request=RequestFactory().post("/api/v1/auth/token"),
                                    username=person.username, password=PASSWORD)[1]
                  for name, person in people.items()}
        yield world, tokens
        transaction.set_rollback(True)


def fields_of(world: TownWorld) -> dict[str, Any]:
    """The values of the fields a call needs: the objects of `world`'s town."""
    return {**{name: ref(world) for name, ref in REFS.items()},
            "day": MONDAY_MORNING.date().isoformat(), "time_limit": 0.5, "position": 1,
            "reason": "not_home", "code": "123456", "key": "aktion-0001", "kind": "complete",
            "data": "{}", "label": world.on_tour.number, "route": "direct"}


def call(operation_id: str, world: TownWorld, token: str, *, refs: bool = True):
    """The operation called with `world`'s objects (without any town field: `refs` off)."""
    method, path, op = OPERATIONS[operation_id]
    fields = fields_of(world)
    if not refs:
        fields = {k: v for k, v in fields.items() if k not in REFS}
    headers = {"Authorization": f"Bearer {token}"}
    query = {p["name"]: _value(p["name"], p["schema"], fields)
             for p in op.get("parameters", [])
             if p["in"] == "query" and (p.get("required") or p["name"] in fields)}
    client, url = Client(), path.format(**fields)
    if method == "get":
        return client.get(url, query, headers=headers)
    content = op.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return client.post(url, _body(content["multipart/form-data"]["schema"], fields),
                           headers=headers)
    body = _body(content["application/json"]["schema"], fields) if content else {}
    return client.post(url, json.dumps(body), content_type="application/json",
                       headers=headers)


# --- the tests -------------------------------------------------------------------------------


def test_every_object_parameter_is_known():
    unknown = sorted(f"{op}: {name}" for op, (_, _, spec) in OPERATIONS.items()
                     for name in _parameters(spec, "path") if name not in REFS)
    assert not unknown, f"Pfadparameter ohne Eintrag in REFS: {unknown}"
    # what this test is about is among them
    assert {"order_detail", "tour", "plan_run", "stop_move", "locker_open", "dispatch_day",
            "plan", "rider_action"} <= set(OBJECT_OPERATIONS)
    assert {"order_list", "legs", "tours"} <= set(LISTS)


@pytest.mark.parametrize("operation_id", OBJECT_OPERATIONS)
@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.MERCHANT, Role.RIDER, Role.DISPATCHER,
                                  Role.HOTLINE, Role.OPERATOR])
def test_town_a_gets_404_for_town_b(towns, db, operation_id, role):
    world, tokens = towns
    response = call(operation_id, world.b, tokens[role])
    if role in POLICY[operation_id].roles:
        assert response.status_code == 404, response.content
        assert response.json()["code"], response.content  # the API's own error, in JSON
    else:
        assert response.status_code in (403, 404), response.content


@pytest.mark.parametrize("operation_id", OBJECT_OPERATIONS)
def test_the_region_operator_reaches_town_b(towns, db, operation_id):
    world, tokens = towns
    if Role.OPERATOR not in POLICY[operation_id].roles:
        pytest.skip("nicht für den Betrieb")
    response = call(operation_id, world.b, tokens["region"])
    assert response.status_code not in (401, 403, 404) and response.status_code < 500, (
        response.content)


@pytest.mark.parametrize("operation_id", LISTS)
def test_lists_show_town_a_nothing_of_town_b(towns, db, operation_id):
    world, tokens = towns
    for role in world.a.people:
        response = call(operation_id, world.a, tokens[role], refs=False)
        assert response.status_code < 500, (role, response.content)
        text = response.content.decode()
        assert not [m for m in world.b.markers if m in text], role


@pytest.mark.parametrize("operation_id", ["legs", "order_list", "tours"])
def test_the_region_operators_lists_show_town_b(towns: tuple[TwoTowns, dict], db,
                                                operation_id):
    world, tokens = towns
    text = call(operation_id, world.b, tokens["region"], refs=False).content.decode()
    assert world.b.on_tour.number in text or world.b.tag in text
