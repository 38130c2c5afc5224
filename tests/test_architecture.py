"""The architecture holds: layers one way, status changes through one helper, rooms one can read.

docs/architecture.md explains each rule; this module is what keeps them true.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
MAX_MODULE_LINES = 600

# Status writes that do not go through network_marketplace.transitions, each with its reason.
# Keep this short: a new lifecycle declares its Lifecycle in its app's states.py instead.
STATUS_WRITES_ALLOWED = {
    "stores/services/holds.py": (
        "A stock hold ends in one conditional UPDATE ... WHERE status = 'active' RETURNING over "
        "many rows, under the stock row's lock: the path that keeps StockLevel.reserved equal to "
        "the active holds (design: stock writes), exactly once, without an audit row per "
        "checkout hold. Its table is stores.states.RESERVATION_LIFECYCLE; each end that moves "
        "stock is written as a stock movement."
    ),
    "network_marketplace/outbox.py": (
        "The outbox's own delivery bookkeeping (pending, sent, failed, dead) on rows claimed with "
        "FOR UPDATE SKIP LOCKED: a queue, not a business lifecycle; retries are audited."
    ),
}

# Imports of another app inside a function body, each with its reason. Empty: none is needed.
FUNCTION_LEVEL_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}


def _contract() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(CONTRACT)
    return parser


def _apps() -> list[str]:
    return [
        name.strip()
        for name in _contract()["importlinter"]["root_packages"].split()
        if name.strip()
    ]


def _layers() -> list[list[str]]:
    raw = _contract()["importlinter:contract:layers"]["layers"]
    return [
        [name.strip() for name in re.split(r"[|:]", line) if name.strip()]
        for line in raw.splitlines()
        if line.strip()
    ]


def _app_modules() -> list[Path]:
    modules = []
    for app in _apps():
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                modules.append(path)
    return modules


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_contract_names_every_app_of_the_project():
    packages_with_code = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench", "scripts"}
    }
    in_layers = {app for layer in _layers() for app in layer}

    assert packages_with_code == set(_apps())
    assert in_layers == set(_apps())


def test_the_layers_contract_holds():
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("lower", "higher"),
    [("network_marketplace", "catalog"), ("orders", "payments"), ("fulfillment", "checkout")],
    ids=["core-imports-catalog", "orders-imports-payments", "fulfillment-imports-checkout"],
)
def test_a_wrong_way_import_breaks_the_contract(tmp_path, lower, higher):
    copy = tmp_path / "tree"
    for app in _apps():
        shutil.copytree(ROOT / app, copy / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(CONTRACT, copy / ".importlinter")
    (copy / lower / "_wrong_way.py").write_text(f"import {higher}.services  # noqa\n")

    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(copy)},
    )

    assert result.returncode != 0
    assert f"{lower}._wrong_way -> {higher}.services" in result.stdout


def _function_level_app_imports(path: Path) -> list[tuple[str, str, int]]:
    app = path.relative_to(ROOT).parts[0]
    apps = set(_apps())
    found = []
    tree = ast.parse(path.read_text())
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in apps and top != app:
                    found.append((_relative(path), name, node.lineno))
    return found


def test_no_app_imports_another_inside_a_function():
    found = [
        f"{path}:{line} imports {name}"
        for module in _app_modules()
        for path, name, line in _function_level_app_imports(module)
        if (path, name) not in FUNCTION_LEVEL_IMPORTS_ALLOWED
    ]

    assert found == []


def test_no_module_of_app_code_is_over_600_lines():
    too_long = {
        _relative(path): count
        for path in _app_modules()
        if (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }

    assert too_long == {}


def test_ruff_formats_all_app_code():
    skipped = [_relative(path) for path in _app_modules() if "fmt: skip" in path.read_text()]

    assert skipped == []
    assert not list((ROOT / "scripts").glob("translations_fr*.py"))


def _status_writes(path: Path) -> list[int]:
    """Lines that write a `status` some other way than network_marketplace.transitions."""
    lines = []
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                elements = target.elts if isinstance(target, ast.Tuple) else [target]
                if any(isinstance(e, ast.Attribute) and e.attr == "status" for e in elements):
                    lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            if name == "update" and "status" in keywords:
                lines.append(node.lineno)
            fields = keywords.get("update_fields") or (
                node.args[1] if name == "bulk_update" and len(node.args) > 1 else None
            )
            if fields is not None and name in {"save", "bulk_update"}:
                constants = [c.value for c in ast.walk(fields) if isinstance(c, ast.Constant)]
                if "status" in constants:
                    lines.append(node.lineno)
            second = node.args[1] if len(node.args) > 1 else None
            if name == "setattr" and isinstance(second, ast.Constant) and second.value == "status":
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.search(r"\bSET\s+status\b", node.value, re.IGNORECASE)
        ):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_every_status_change_goes_through_the_transition_helper():
    helper = "network_marketplace/transitions.py"
    found = {
        _relative(path): writes
        for path in _app_modules()
        if _relative(path) not in {helper, *STATUS_WRITES_ALLOWED}
        and (writes := _status_writes(path))
    }

    assert found == {}


def test_the_status_walk_sees_each_way_of_writing_a_status(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "order.status = 'x'\n"
        "Order.objects.filter(pk=1).update(status='x')\n"
        "order.save(update_fields=['status'])\n"
        "Order.objects.bulk_update(orders, ['status', 'updated_at'])\n"
        "setattr(order, 'status', 'x')\n"
        "a.status, a.updated_at = 'x', now\n"
        "sql = 'UPDATE t SET status = %s'\n"
        "order.save(update_fields=['updated_at'])\n"
    )

    assert _status_writes(probe) == [1, 2, 3, 4, 5, 6, 7]


def test_every_model_with_a_status_has_a_lifecycle():
    from django.apps import apps

    from network_marketplace.transitions import lifecycles

    for app in _apps():
        if (ROOT / app / "states.py").exists():
            __import__(f"{app}.states")
    declared = {lifecycle.model for lifecycle in lifecycles()}
    with_status = {
        model
        for model in apps.get_models()
        if model.__module__.split(".")[0] in _apps()
        # A proxy (an admin's view of a table, e.g. HQ's review queue) follows its model's.
        and not model._meta.proxy
        and any(field.name == "status" and field.choices for field in model._meta.fields)
    }
    not_declared = {
        model.__name__
        for model in with_status - declared
        if model.__name__ != "OutboxMessage"  # a queue, see STATUS_WRITES_ALLOWED
    }

    assert not_declared == set()


def test_every_lifecycle_names_its_moves_from_its_own_statuses():
    from network_marketplace.transitions import lifecycles

    for app in _apps():
        if (ROOT / app / "states.py").exists():
            __import__(f"{app}.states")
    for lifecycle in lifecycles():
        statuses = {value for value, _label in lifecycle.model._meta.get_field("status").choices}
        moves = {lifecycle.model.__name__: set(lifecycle.moves)}
        targets = {target for targets in lifecycle.moves.values() for target in targets}

        assert set(lifecycle.moves) <= statuses, moves
        assert targets <= statuses, moves


def test_the_layers_picture_in_the_docs_is_the_contracts():
    result = subprocess.run(
        [sys.executable, "scripts/layers_diagram.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout
    for layer in _layers():
        assert "  ·  ".join(layer) in (ROOT / "docs" / "architecture.md").read_text()


def _untyped_public_functions(path: Path) -> list[str]:
    found = []
    for node in ast.parse(path.read_text()).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name[0] == "_":
            continue
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        arguments += [extra for extra in (node.args.vararg, node.args.kwarg) if extra]
        if node.returns is None or any(argument.annotation is None for argument in arguments):
            found.append(f"{_relative(path)}:{node.lineno} {node.name}")
    return found


def test_every_service_and_selector_signature_is_typed():
    services_and_selectors = [
        path
        for path in _app_modules()
        if any(part.startswith(("services", "selectors")) for part in path.parts[-2:])
    ]
    untyped = [name for path in services_and_selectors for name in _untyped_public_functions(path)]

    assert len(services_and_selectors) > 30
    assert untyped == []
