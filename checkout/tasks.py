"""Periodic jobs of the checkout. Their task names are kept from when they lived in orders (the
beat schedule and queued messages name them)."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services
from .api.idempotency import purge_expired

logger = logging.getLogger(__name__)


@shared_task(
    name="orders.tasks.settle_abandoned_checkouts",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def settle_abandoned_checkouts() -> int:
    """Every minute: place or cancel the orders whose payment step never finished. Idempotent:
    each order is settled under its row lock, once."""
    settled = services.settle_abandoned_checkouts()
    if settled:
        logger.info("settled %d abandoned checkout(s)", settled)
    return settled


@shared_task(
    name="orders.tasks.purge_order_requests",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def purge_order_requests() -> int:
    """Every hour: forget the API's order Idempotency-Keys older than a day. Idempotent."""
    return purge_expired()


@shared_task(
    name="orders.tasks.delete_stale_guest_carts",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def delete_stale_guest_carts() -> int:
    """Delete the guest carts left untouched (a guest's session is gone long before).
    Idempotent. The retention job (compliance.tasks.apply_retention) runs the same purge on its
    beat; this task stays for schedules written before it."""
    deleted = services.delete_stale_guest_carts()
    if deleted:
        logger.info("deleted %d stale guest cart(s)", deleted)
    return deleted
