"""Migrations stay backward compatible for one release (docs/database.md).

django-migration-linter reads the SQL of every migration added since the release in
production (`base` in config/migrations_base.toml, by `git diff`) and fails on what the previous
release's code cannot live with while it still runs: a dropped or renamed column or table, a new
NOT NULL column without a database default, and so on. A migration a reviewer has checked is
listed under `[reviewed]` with the reason.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
from django_migration_linter import MigrationLinter

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db


def migrations_base() -> tuple[str, dict[str, str]]:
    recorded = tomllib.loads((ROOT / "config" / "migrations_base.toml").read_text())
    return recorded["base"], recorded.get("reviewed", {})


def linter(reviewed: dict[str, str]) -> MigrationLinter:
    return MigrationLinter(
        path=str(ROOT),
        no_cache=True,
        ignore_name=[name.partition(".")[2] for name in reviewed],
        # Index builds lock a table for writes: reported, judged by the reviewer, not an error.
        quiet=["ok", "ignore"],
    )


def test_migrations_since_the_release_in_production_keep_its_code_running(capsys):
    base, reviewed = migrations_base()
    known = subprocess.run(
        ["git", "cat-file", "-e", f"{base}^{{commit}}"], cwd=ROOT, capture_output=True
    )  # fmt: skip
    assert known.returncode == 0, (
        f"the release base {base} (config/migrations_base.toml) is not in this clone's history: "
        "fetch it (a shallow CI clone needs `fetch-depth: 0`)"
    )

    check = linter(reviewed)
    check.lint_all_migrations(git_commit_id=base)

    report = capsys.readouterr().out
    assert check.nb_erroneous == 0, (
        "backward-incompatible migrations since the release in production; make them two-step "
        f"(docs/database.md) or list them, reviewed, in config/migrations_base.toml:\n{report}"
    )


def test_the_check_catches_a_dropped_table_unless_reviewed(capsys):
    # Given a migration that drops a table the previous release read (the special hours moved
    # from the marketing hub to the stores app)
    app_label, name = "marketing_hub", "0010_special_hours_moved_to_stores"

    # When it is linted as if it were new
    unreviewed = linter({})
    unreviewed.lint_all_migrations(app_label=app_label, migration_name=name)
    reviewed = linter({f"{app_label}.{name}": "the release before no longer read the table"})
    reviewed.lint_all_migrations(app_label=app_label, migration_name=name)

    # Then the check fails on it, and passes once a reviewer lists it
    assert unreviewed.nb_erroneous == 1
    assert "DROPPING table" in capsys.readouterr().out
    assert reviewed.nb_erroneous == 0
    assert reviewed.nb_ignored == 1
