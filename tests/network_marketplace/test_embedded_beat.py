import time
from datetime import timedelta

from django.core.cache import cache

from network_marketplace.embedded_beat import EmbeddedBeat
from network_marketplace.health import HEARTBEAT_CACHE_KEY


def test_embedded_beat_runs_periodic_jobs_without_a_broker(db):
    # Given the embedded profile's beat with a job due every 0.2 s
    cache.delete(HEARTBEAT_CACHE_KEY)
    beat = EmbeddedBeat(
        beat_schedule={
            "heartbeat": {
                "task": "network_marketplace.tasks.record_worker_heartbeat",
                "schedule": timedelta(seconds=0.2),
            }
        },
        tick_seconds=0.05,
    )

    # When it runs until the job came round three times (a loaded machine may need longer than
    # the 0.6 s that takes; the wait is bounded)
    beat.start()
    deadline = time.monotonic() + 15
    while beat.runs.get("heartbeat", 0) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    beat.stop()
    beat.join(timeout=5)

    # Then the job ran at start-up and again on its schedule, in this process
    assert beat.runs["heartbeat"] >= 3
    assert cache.get(HEARTBEAT_CACHE_KEY)
