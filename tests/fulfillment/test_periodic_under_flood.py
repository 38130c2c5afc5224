"""Acceptance (issue 17): with 2,000 failing webhook deliveries and 2,000 delivery tasks queued
on the ordinary queue, a real beat and the periodic worker still time out a store's overdue
fulfilment on time: the periodic jobs have a queue and a worker of their own. The ordinary
worker is frozen once it has failed its first deliveries, so that the flood stays queued whatever
the machine's speed (a quiet machine once drained the 2,000 nudges within the job's minute)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.celery import app as celery_app
from fulfillment.models import Fulfilment
from network_marketplace.models import OutboxMessage
from network_marketplace.tasks import deliver_outbox
from network_marketplace.webhooks import create_endpoint, emit_event
from tests.network_marketplace.conftest import ROOT, _database_url_of_this_test, _wait_for_worker

from .conftest import home, order_for
from .test_timeout_worker import wait_for

pytestmark = [pytest.mark.xdist_group("celery-worker"), pytest.mark.django_db(transaction=True)]
FLOOD = 2000


@pytest.fixture
def processes():
    """Start Celery processes (workers, beat) for this test; all are stopped at the end."""
    started = []
    suffix = uuid.uuid4().hex[:10]
    queues = {"ordinary": f"test-{suffix}", "periodic": f"test-periodic-{suffix}"}
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_of_this_test(),
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
        "CELERY_TASK_DEFAULT_QUEUE": queues["ordinary"],
        "CELERY_PERIODIC_QUEUE": queues["periodic"],
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
    }

    def start(name: str, *args: str) -> subprocess.Popen:
        log = open(ROOT / "artifacts" / f"celery-{name}-{suffix}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args, "--loglevel", "INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append((process, log))
        return process

    def worker(kind: str, *, wait: bool = True) -> subprocess.Popen:
        name = f"{kind}-{suffix}"
        process = start(
            name, "worker", "--pool", "solo", "--queues", queues[kind],
            "--hostname", f"{name}@%h", "--without-mingle", "--without-gossip",
        )  # fmt: skip
        if wait:  # a solo worker busy with a task does not answer pings
            _wait_for_worker(f"{name}@", process)
        return process

    def beat() -> subprocess.Popen:
        return start(f"beat-{suffix}", "beat", "--pidfile", "")

    start.worker, start.beat, start.queues = worker, beat, queues
    celery_app.conf.task_always_eager = False
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queues["ordinary"]
    try:
        yield start
    finally:
        celery_app.conf.task_default_queue = default_queue
        for process, log in started:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


def queue_length(name: str) -> int:
    with celery_app.connection_for_write() as connection:
        return connection.default_channel.client.llen(name)


def test_the_timeout_job_runs_on_time_behind_a_flood_of_failing_webhooks(
    network, processes, hq_admin
):
    # Given a store that let an acceptance deadline pass
    for other in (network.villeurbanne, network.caluire):
        network.stock(other).delete()
    order = order_for(home(network.secateur))
    late = order.fulfilments.get()
    Fulfilment.objects.filter(pk=late.pk).update(accept_deadline=timezone.now())
    # And 2,000 webhook deliveries to a receiver that is down (nothing listens on port 9),
    # with 2,000 delivery tasks queued on the ordinary queue (one per commit, as before)
    endpoint = create_endpoint(
        store=None, url="http://127.0.0.1:9/hooks", event_types=["*"], actor=hq_admin
    ).endpoint
    with transaction.atomic():
        for index in range(FLOOD):
            emit_event(
                event_type="order.updated", store_id=None, data={"n": index},
                event_id=f"flood:{index}",
            )  # fmt: skip
    for _ in range(FLOOD):
        deliver_outbox.apply_async()
    assert queue_length(processes.queues["ordinary"]) >= FLOOD
    assert OutboxMessage.objects.filter(kind="webhook").count() == FLOOD

    # When the periodic worker and the ordinary worker start, the ordinary one fails its first
    # deliveries and is then frozen (SIGSTOP) with the flood still queued: however fast a machine
    # drains the nudges, the periodic jobs must not depend on the ordinary queue moving at all
    processes.worker("periodic")
    ordinary = processes.worker("ordinary", wait=False)
    wait_for(
        lambda: type(endpoint).objects.get(pk=endpoint.pk).consecutive_failures >= 1,
        message="the first failed delivery",
    )
    ordinary.send_signal(signal.SIGSTOP)
    queued = queue_length(processes.queues["ordinary"])
    assert queued > 0
    # And a real beat starts
    started = time.monotonic()
    processes.beat()

    # Then the overdue fulfilment times out on the job's schedule (beat sends it after its
    # interval, 60 s), not after the flood, which is still queued
    interval = settings.CELERY_BEAT_SCHEDULE["fulfillment-time-out-overdue"]["schedule"]
    wait_for(
        lambda: Fulfilment.objects.get(pk=late.pk).status == Fulfilment.Status.TIMED_OUT,
        timeout=interval.total_seconds() + 60,
        message="the timeout job",
    )
    took = time.monotonic() - started
    assert took < interval.total_seconds() + 20, f"the timeout job ran {took:.0f} s after beat"
    # nothing was taken from the ordinary queue (the job and the sweep may add their nudges)
    assert queue_length(processes.queues["ordinary"]) >= queued
    ordinary.send_signal(signal.SIGCONT)
    # And the failing endpoint is backing off or paused rather than hammered
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures >= 1
    assert timezone.now() - endpoint.last_failure_at < timedelta(minutes=5)
