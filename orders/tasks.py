"""Periodic jobs on orders."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def settle_abandoned_checkouts() -> int:
    """Every minute: place or cancel the orders whose payment step never finished. Idempotent:
    each order is settled under its row lock, once."""
    settled = services.settle_abandoned_checkouts()
    if settled:
        logger.info("settled %d abandoned checkout(s)", settled)
    return settled


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def purge_order_requests() -> int:
    """Every hour: forget the API's order Idempotency-Keys older than a day. Idempotent."""
    from .api.idempotency import purge_expired

    return purge_expired()
