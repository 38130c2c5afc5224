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

from config.celery import app as celery_app

from .webhook_receiver import WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]


class WorkerQueue(str):
    """The worker's queue name, with its process (a test may kill it)."""

    def __new__(cls, name: str, process: subprocess.Popen):
        queue = super().__new__(cls, name)
        queue.process = process
        return queue


@pytest.fixture
def celery_worker_env():
    """Extra environment variables for the worker process; a test module may override this."""
    return {}


@pytest.fixture
def celery_worker(transactional_db, celery_worker_env):
    """A real `celery worker` process on the Redis broker, on a queue of this test's own.

    Tasks sent without a queue, by the test or by the worker itself, go to that queue.
    """
    if settings.EMBEDDED:
        pytest.fail("REDIS_URL must point at a Redis server: `make test` sets it.")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_of_this_test(),
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **celery_worker_env,
    }
    log = open(ROOT / "artifacts" / f"celery-{queue}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool", "solo", "--queues", queue, "--hostname", f"{queue}@%h",
            "--without-mingle", "--without-gossip", "--loglevel", "INFO",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    celery_app.conf.task_always_eager = False
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        _wait_for_worker(f"{queue}@", process)
        yield WorkerQueue(queue, process)
    finally:
        celery_app.conf.task_default_queue = default_queue
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def webhook_receiver():
    """Start receivers with `webhook_receiver(statuses=[500, 200])`; all stop at the end."""
    started = []

    def start(
        statuses: list[int] | None = None, secret: str = "", delays: list[float] | None = None
    ) -> WebhookReceiver:
        receiver = WebhookReceiver(statuses, secret, delays).start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()


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
