"""Periodic jobs on stock."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def release_expired_reservations() -> int:
    """Every minute: give back the units of expired holds. Safe to run twice or concurrently
    (each hold ends once); correctness does not wait for it, expired holds already don't count."""
    released = services.release_expired_reservations()
    if released:
        logger.info("released %d expired reservation(s)", released)
    return released
