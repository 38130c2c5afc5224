import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

from network_marketplace.health import HEARTBEAT_CACHE_KEY

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.xdist_group("celery-worker")
def test_healthz_is_200_when_database_cache_broker_and_worker_answer(client, celery_worker):
    cache.delete(HEARTBEAT_CACHE_KEY)  # a fresh start: beat has not run yet

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "worker": "ok",
        "heartbeat": "waiting",  # no beat in this test: not seen yet is not a failure
    }


@pytest.fixture
def unreachable_database(db):
    """Point the default connection at a port where nothing listens, then put it back."""
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = "1"
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.mark.xdist_group("celery-worker")
def test_healthz_is_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["status"] == "down"
    assert body["checks"]["database"]["detail"]


PROBE_HEALTHZ = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"status_code": response.status_code, "body": response.json()}))
"""


@pytest.mark.xdist_group("celery-worker")
def test_healthz_is_503_when_redis_is_unreachable(transactional_db):
    # A separate process whose REDIS_URL points where no Redis listens (the cache and broker
    # clients are process-wide, so the outage is simulated where it would happen: at start-up).
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE_HEALTHZ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])

    assert answer["status_code"] == 503
    checks = answer["body"]["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["cache"]["status"] == "down"
    assert checks["broker"]["status"] == "down"


@pytest.mark.xdist_group("celery-worker")
def test_healthz_is_503_when_no_worker_answers(client, db):
    # No worker runs for this test, so nobody answers the broker's ping.
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["status"] == "down"


@pytest.mark.xdist_group("celery-worker")
def test_liveness_answers_without_touching_dependencies(client, unreachable_database):
    assert client.get("/healthz/live").status_code == 200


def test_healthz_reports_the_outbox_backlog_without_failing(client, db):
    from datetime import timedelta

    from django.utils import timezone

    from network_marketplace.models import OutboxMessage

    now = timezone.now()
    OutboxMessage.objects.create(
        kind="email", dedupe_key="late", next_attempt_at=now - timedelta(minutes=10)
    )
    OutboxMessage.objects.create(
        kind="email", dedupe_key="later", next_attempt_at=now + timedelta(hours=1)
    )
    OutboxMessage.objects.create(kind="webhook", dedupe_key="gone", status="dead")

    body = client.get("/healthz").json()

    assert body["outbox"]["due"] == 1
    assert 590 <= body["outbox"]["oldest_due_seconds"] <= 700
    assert body["outbox"]["dead"] == 1


@pytest.mark.xdist_group("celery-worker")
def test_healthz_turns_503_when_the_heartbeat_stops(client, celery_worker, settings):
    cache.set(HEARTBEAT_CACHE_KEY, (timezone.now() - timedelta(seconds=30)).isoformat())
    fresh = client.get("/healthz")
    cache.set(HEARTBEAT_CACHE_KEY, (timezone.now() - timedelta(minutes=10)).isoformat())
    stopped = client.get("/healthz")
    cache.delete(HEARTBEAT_CACHE_KEY)

    assert fresh.status_code == 200
    assert stopped.status_code == 503
    heartbeat = stopped.json()["checks"]["heartbeat"]
    assert heartbeat["status"] == "down"
    assert "600 s ago (limit 180 s)" in heartbeat["detail"]
    assert "periodic queue" in heartbeat["detail"]
