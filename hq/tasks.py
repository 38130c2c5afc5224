"""HQ's periodic job: the scorecards' consequences.

Thin and idempotent: the service moves a store's standing only when its figures call for it,
each step in its own transaction on the standing's locked row, so two runs at once, or a run
after a worker died mid-way (acks_late + reject_on_worker_lost redeliver it), make each step once.
"""

from __future__ import annotations

import logging

from celery import shared_task

from .services import apply_consequences

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def apply_scorecard_consequences() -> int:
    """Every hour: warn, take out of home-delivery routing, or bring back each store by its
    scorecard against HQ's thresholds."""
    steps = apply_consequences()
    if steps:
        logger.info("moved the standing of %d store(s)", len(steps))
    return len(steps)
