"""Periodic jobs on fulfilments: timeouts, uncollected orders, reservations ending.

Thin and idempotent: each calls one service that takes every fulfilment in its own short
transaction with SELECT ... FOR UPDATE SKIP LOCKED and re-checks it, so two runs at once, or a
run after a worker died mid-way (acks_late + reject_on_worker_lost redeliver it), do each move
once and finish what the dead one left.
"""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def time_out_overdue_fulfilments() -> int:
    """Every minute: fulfilments not accepted by their deadline go to the next candidate."""
    moved = services.time_out_overdue_fulfilments()
    if moved:
        logger.info("timed out %d fulfilment(s)", moved)
    return moved


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def expire_uncollected_fulfilments() -> int:
    """Every 5 minutes: click & collect orders past their collection date are cancelled."""
    moved = services.expire_uncollected_fulfilments()
    if moved:
        logger.info("cancelled %d uncollected fulfilment(s)", moved)
    return moved


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def expire_reservations() -> int:
    """Every minute: reserve & collect fulfilments whose hold ended."""
    moved = services.expire_reservations()
    if moved:
        logger.info("ended %d expired reservation(s)", moved)
    return moved


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def remind_expiring_reservations() -> int:
    """Every 5 minutes: remind the customers whose reservation ends within a few hours."""
    sent = services.remind_expiring_reservations()
    if sent:
        logger.info("sent %d reservation reminder(s)", sent)
    return sent


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def expire_unreturned_returns() -> int:
    """Every hour: returns announced but never brought back within 30 days are cancelled."""
    expired = services.expire_unreturned_returns()
    if expired:
        logger.info("cancelled %d return(s) never brought back", expired)
    return expired
