"""The Celery application: one app for the whole project, configured from Django settings.

Tasks stay in each app's `tasks.py` (found by autodiscovery) and keep their names
(`network_marketplace.tasks.deliver_outbox`...): `celery -A config worker` runs them all.
"""

import os
from typing import Any

from celery import Celery
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("network_marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def on_periodic_queue(schedule: dict[str, dict[str, Any]], queue: str) -> dict[str, dict[str, Any]]:
    """The beat schedule with every job sent to `queue`, unless a job names its own."""
    return {
        name: {**job, "options": {"queue": queue, **job.get("options", {})}}
        for name, job in schedule.items()
    }


@app.on_after_configure.connect
def route_periodic_jobs(sender: Celery, **kwargs: Any) -> None:
    """Every periodic job, whichever settings block added it, runs on the periodic queue
    (CELERY_PERIODIC_QUEUE, served by a worker of its own), so that a flood of ordinary tasks
    never delays it. Done here, once the settings are read, rather than in a loop that had to
    stay last in settings.py."""
    sender.conf.beat_schedule = on_periodic_queue(
        sender.conf.beat_schedule, settings.CELERY_PERIODIC_QUEUE
    )
