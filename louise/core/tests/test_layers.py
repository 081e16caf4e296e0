"""The import direction of the apps, checked on every module (docs/architecture.md).

A lower layer must never import a higher one: core ← accounts ← geo ← catalog, billing ←
orders ← logistics ← customers, reports, demo, simulation, hotline ← web, api. The planning
library imports nothing of LOUISE and no Django at all, so it can be benchmarked and swapped
on its own.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the `louise` package

LAYERS: list[set[str]] = [
    {"core", "planning"},
    {"accounts"},
    {"geo"},
    {"catalog", "billing"},
    {"orders"},
    {"logistics"},
    {"customers", "reports", "demo", "simulation", "hotline"},
    {"web", "api"},
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def _imports(path: Path) -> set[str]:
    """Every `louise.X` module this file imports, relative imports resolved."""
    package = path.relative_to(ROOT.parent).parent.parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, node.module or ""]).strip(".")
            found.add(module)
    return {name for name in found if name.startswith("louise.")}


def _modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py")
                  if "migrations" not in p.parts and p.parts[len(ROOT.parts)] in LEVEL)


def test_every_app_has_a_layer() -> None:
    apps = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    assert apps - {"demo"} <= set(LEVEL) | {"locale", "static", "templates"}, (
        f"apps without a layer: {sorted(apps - set(LEVEL))}")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path) -> None:
    app = path.relative_to(ROOT).parts[0]
    upward = sorted(name for name in _imports(path)
                    if LEVEL.get(name.split(".")[1], -1) > LEVEL[app])
    assert not upward, f"{app} (layer {LEVEL[app]}) imports a higher layer: {upward}"


def test_planning_is_pure() -> None:
    """No Django and nothing else of LOUISE in the planning library."""
    for path in (ROOT / "planning").rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                  if n.level == 0}
        bad = sorted(n for n in names if n.startswith(("django", "louise."))
                     and not n.startswith("louise.planning"))
        assert not bad, f"{path.name} imports {bad}"
