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

    # When it runs for a second
    beat.start()
    time.sleep(1.0)
    beat.stop()
    beat.join(timeout=5)

    # Then the job ran at start-up and again on its schedule, in this process
    assert beat.runs["heartbeat"] >= 3
    assert cache.get(HEARTBEAT_CACHE_KEY)
