import pytest
from django.core.cache import cache

from network_marketplace.health import HEARTBEAT_CACHE_KEY
from network_marketplace.tasks import echo, record_worker_heartbeat


@pytest.mark.xdist_group("celery-worker")
def test_task_runs_in_a_real_worker_through_the_redis_broker(celery_worker):
    # Given a worker process listening on its own queue of the Redis broker
    # When a task is sent to that queue
    result = echo.apply_async(args=["bonjour"], queue=celery_worker)

    # Then the worker process (not this one) ran it and the result came back through Redis
    answer = result.get(timeout=30)
    assert answer["value"] == "bonjour"
    assert answer["hostname"].startswith(f"{celery_worker}@")


@pytest.mark.xdist_group("celery-worker")
def test_periodic_heartbeat_run_by_the_worker_is_visible_to_the_web(celery_worker):
    cache.delete(HEARTBEAT_CACHE_KEY)

    record_worker_heartbeat.apply_async(queue=celery_worker)

    for _ in range(100):
        if cache.get(HEARTBEAT_CACHE_KEY):
            break
        import time

        time.sleep(0.1)
    assert cache.get(HEARTBEAT_CACHE_KEY)
