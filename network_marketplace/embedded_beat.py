"""Periodic jobs without Redis: the embedded profile's stand-in for `celery beat`.

A daemon thread of the web process reads CELERY_BEAT_SCHEDULE and runs each due task in-process
(tasks are eager there). Production runs the real `celery beat` with the database scheduler.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from celery import current_app as celery_app
from celery.schedules import schedule as every
from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)


class EmbeddedBeat(threading.Thread):
    def __init__(self, beat_schedule: dict | None = None, tick_seconds: float = 1.0):
        super().__init__(name="embedded-beat", daemon=True)
        self.beat_schedule = (
            beat_schedule if beat_schedule is not None else settings.CELERY_BEAT_SCHEDULE
        )
        self.tick_seconds = tick_seconds
        self.stopped = threading.Event()
        self.runs: dict[str, int] = {}

    def _entries(self) -> Iterator[tuple[str, dict[str, Any], Any]]:
        for name, entry in self.beat_schedule.items():
            sched = entry["schedule"]
            if isinstance(sched, timedelta | int | float):
                sched = every(run_every=sched, app=celery_app)
            else:
                sched.app = celery_app
            yield name, entry, sched

    def run(self) -> None:
        celery_app.loader.import_default_modules()
        entries = list(self._entries())
        # Entries run once at start-up, then on their schedule.
        last_run = {name: None for name, _entry, _sched in entries}
        try:
            while not self.stopped.is_set():
                for name, entry, sched in entries:
                    due = last_run[name] is None or sched.is_due(last_run[name]).is_due
                    if due:
                        last_run[name] = celery_app.now()
                        self._run(name, entry)
                self.stopped.wait(self.tick_seconds)
        finally:
            connections.close_all()  # This thread's connections: a stopped beat holds none.

    def _run(self, name: str, entry: dict) -> None:
        try:
            task = celery_app.tasks[entry["task"]]
            task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=True)
            self.runs[name] = self.runs.get(name, 0) + 1
        except Exception:
            logger.exception("periodic job %s failed", name)
        finally:
            close_old_connections()

    def stop(self) -> None:
        self.stopped.set()
