"""The API's contract is kept under test: a change to it is always a deliberate one.

After changing an endpoint, refresh the committed schema with
`louise export_openapi_schema --api louise.api.root.api --output docs/openapi.json
--indent 2 --sorted` and review the diff.
"""

import json
from pathlib import Path

from louise.api.root import api

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def current_schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), sort_keys=True))


def test_schema_matches_the_committed_contract(db):
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    current = current_schema()
    changed = sorted(set(current["paths"]) ^ set(committed["paths"]))
    assert not changed, f"paths added or removed: {changed}"
    assert current == committed, "the API changed: export the schema again (see docstring)"


def test_every_operation_declares_its_errors(db):
    for path, operations in current_schema()["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert any(code.startswith("4") for code in codes), f"{method.upper()} {path}"
            assert "500" not in codes, f"{method.upper()} {path}"


def test_openapi_page_is_served(client):
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "LOUISE API"
