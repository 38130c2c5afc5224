"""network_marketplace is the shared infrastructure at the bottom of the layers: it imports no
app of the project (the assembly above every app is config/)."""

import ast
from pathlib import Path

import network_marketplace

PROJECT_APPS = {
    "catalog",
    "stores",
    "orders",
    "fulfillment",
    "payments",
    "checkout",
    "compliance",
    "marketing_hub",
    "config",
    "demo",
}


def _imported_roots(source: str) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_network_marketplace_imports_no_app_of_the_project():
    package = Path(network_marketplace.__file__).parent
    upward = {
        str(path.relative_to(package)): sorted(_imported_roots(path.read_text()) & PROJECT_APPS)
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
    }

    assert {path: apps for path, apps in upward.items() if apps} == {}


def test_an_attempt_counter_is_per_identity_and_does_not_spell_it_out():
    from network_marketplace.ratelimit import AttemptLimit

    limit = AttemptLimit(scope="orders-track")

    assert limit.key_for("A-1001") == limit.key_for("A-1001")
    assert limit.key_for("A-1001") != limit.key_for("A-1002")
    assert limit.key_for("A-1001").startswith("orders-track:")
    assert "A-1001" not in limit.key_for("A-1001")
