"""The API's examples run through PgBouncer in transaction mode (docs/database.md, "Connection
pooling"): the live server and the test talk to Debian's pgbouncer, started on a free port in
front of the test database, with the settings `DATABASE_POOLER=pgbouncer` gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections

from tests.api_schema import test_examples
from tests.database_servers import pgbouncer_in_front_of, pgbouncer_stats

ROOT = Path(__file__).resolve().parents[2]


def pooler_settings(**environment: str) -> dict:
    """The `default` database as config/settings.py builds it from this environment."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "d = settings.DATABASES['default']; "
        "print(json.dumps({k: d.get(k) for k in ('CONN_MAX_AGE', 'DISABLE_SERVER_SIDE_CURSORS', "
        "'OPTIONS')}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            # The defaults are under test: this run's own choice of binding is left out.
            **{k: v for k, v in os.environ.items() if k != "DATABASE_SERVER_SIDE_BINDING"},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def through_pgbouncer(transactional_db):
    """Every new connection of this test and of the live server goes through pgbouncer."""
    default = connections["default"].settings_dict
    saved = {
        "HOST": default["HOST"],
        "PORT": default["PORT"],
        "DISABLE_SERVER_SIDE_CURSORS": default.get("DISABLE_SERVER_SIDE_CURSORS", False),
    }
    saved_options = dict(default["OPTIONS"])
    with pgbouncer_in_front_of(
        host=default["HOST"] or "127.0.0.1",
        port=int(default["PORT"] or 5432),
        dbname=default["NAME"],
        user=default["USER"] or "postgres",
    ) as port:
        connections.close_all()
        pooled = pooler_settings(DATABASE_POOLER="pgbouncer")
        default.update(
            HOST="127.0.0.1",
            PORT=str(port),
            DISABLE_SERVER_SIDE_CURSORS=pooled["DISABLE_SERVER_SIDE_CURSORS"],
        )
        default["OPTIONS"].update(prepare_threshold=pooled["OPTIONS"]["prepare_threshold"])
        try:
            yield port
        finally:
            connections.close_all()
            default.update(saved)
            default["OPTIONS"].clear()
            default["OPTIONS"].update(saved_options)


def test_pgbouncer_mode_turns_off_server_side_cursors_and_prepared_statements():
    pooled = pooler_settings(DATABASE_POOLER="pgbouncer")
    direct = pooler_settings(DATABASE_POOLER="")

    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert pooled["OPTIONS"]["prepare_threshold"] is None
    assert not direct["DISABLE_SERVER_SIDE_CURSORS"]
    # Straight to PostgreSQL, statements are bound on the server and prepared from their 5th run.
    assert direct["OPTIONS"]["server_side_binding"] is True
    assert direct["OPTIONS"]["prepare_threshold"] == 5


def test_server_side_binding_can_be_turned_off():
    direct = pooler_settings(DATABASE_POOLER="", DATABASE_SERVER_SIDE_BINDING="false")

    assert "server_side_binding" not in direct["OPTIONS"]
    assert "prepare_threshold" not in direct["OPTIONS"]


def test_an_unknown_pooler_is_refused_at_start():
    with pytest.raises(subprocess.CalledProcessError) as refused:
        pooler_settings(DATABASE_POOLER="pgpool")
    assert "DATABASE_POOLER is '' or 'pgbouncer'" in refused.value.stderr


@pytest.mark.django_db(transaction=True)
def test_every_request_example_runs_through_pgbouncer_in_transaction_mode(
    through_pgbouncer, demo_api
):
    test_examples.test_every_request_example_of_the_schema_runs_on_the_demo(demo_api)

    stats = pgbouncer_stats(through_pgbouncer, connections["default"].settings_dict["NAME"])
    # The demo's loading and every example's requests were served by PgBouncer's pool.
    assert stats["total_xact_count"] > 100, stats
