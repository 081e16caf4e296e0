"""Every operation of the OpenAPI schema fuzzed by Schemathesis, once per kind of caller.

For each operation and each caller (anonymous, and a bearer token of each role from the
world of `test_access_policy`), Hypothesis draws `EXAMPLES` requests from the schema,
valid ones and ones that break it (Schemathesis's positive and negative modes); half of
them get the world's real path parameters and body fields (the customer's order, the
published tour and its stop, a real product and address), so that requests reach the
domain rules instead of ending at 404. Each request goes in-process through the WSGI
application and must pass Schemathesis's checks:

- `not_a_server_error`: never a 5xx;
- `status_code_conformance`: only status codes the schema documents;
- `response_schema_conformance`: the body fits the documented schema of its status.

Each example runs in a savepoint that is rolled back, so no example changes the world
for the next (a token revoked everywhere, a locker locked after wrong codes, an order
cancelled); the cache (sign-in throttling) is cleared for the same reason. A queued
planning run is never computed: its job is queued when the transaction commits, which
never happens here.

The examples are derandomized, so CI draws the same requests as a run here;
`LOUISE_FUZZ_EXAMPLES=200` searches deeper by hand.
"""

import copy
import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from louise.accounts.models import Role
from louise.wsgi import application

from . import test_access_policy as policy

world = policy.world  # the same small world, built once for this module
EXAMPLES = int(os.environ.get("LOUISE_FUZZ_EXAMPLES", "15"))
SCHEMA = schemathesis.openapi.from_dict(copy.deepcopy(policy.SCHEMA))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
OPERATIONS = sorted((op["operationId"], path, method)
                    for path, methods in policy.SCHEMA["paths"].items()
                    for method, op in methods.items())


@pytest.fixture
def in_process() -> Iterator[None]:
    """Requests run inside the test's transaction: Django must not close the connection at
    their start and end (its own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _with_real_objects(case: schemathesis.Case, real: policy.World) -> None:
    """The world's values for the case's path parameters and the body or query fields it
    names; a plan request asks for the shortest search."""
    case.path_parameters = {name: real.path.get(name, value)
                            for name, value in (case.path_parameters or {}).items()}
    if case.query:
        case.query = {name: real.fields.get(name, value) for name, value in case.query.items()}
    if isinstance(case.body, dict):
        case.body = {name: real.fields.get(name, value) for name, value in case.body.items()}


@pytest.mark.parametrize("caller", [None, *Role.values], ids=lambda caller: caller or "anonym")
@pytest.mark.parametrize(("operation_id", "path", "method"), OPERATIONS,
                         ids=[operation_id for operation_id, _, _ in OPERATIONS])
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(data=st.data())
def test_fuzz(world, db, in_process, operation_id, path, method, caller, data):
    mode = data.draw(st.sampled_from(MODES), label="mode")
    case = data.draw(SCHEMA[path][method].as_strategy(generation_mode=mode), label="case")
    if data.draw(st.booleans(), label="real objects"):
        _with_real_objects(case, world)
    headers = {"Authorization": f"Bearer {world.tokens[caller]}"} if caller else {}
    cache.clear()
    with transaction.atomic():
        response = case.call(app=application, headers=headers)
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS, headers=headers)
