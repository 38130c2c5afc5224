from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from network_marketplace.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker(transactional_db):
    """A real `celery worker` process on the Redis broker, on a queue of this test's own."""
    if settings.EMBEDDED:
        pytest.fail("REDIS_URL must point at a Redis server: `make test` sets it.")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_of_this_test(),
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
    }
    log = open(ROOT / "artifacts" / f"celery-{queue}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "network_marketplace", "worker",
            "--pool", "solo", "--queues", queue, "--hostname", f"{queue}@%h",
            "--without-mingle", "--without-gossip", "--loglevel", "INFO",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    celery_app.conf.task_always_eager = False
    try:
        _wait_for_worker(f"{queue}@", process)
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _database_url_of_this_test() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for_worker(name_prefix: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {process.returncode}; see artifacts/")
        replies = celery_app.control.ping(timeout=0.5)
        if any(name.startswith(name_prefix) for reply in replies for name in reply):
            return
    pytest.fail("the Celery worker did not answer within 60 s")


(ROOT / "artifacts").mkdir(exist_ok=True)
