"""Periodic money jobs: payouts (hourly; they act on HQ's payout days) and the monthly
commission invoices. Thin and safe to run twice: each calls one idempotent service."""

from __future__ import annotations

import logging

from celery import shared_task

from . import invoices, payouts

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_scheduled_payouts() -> int:
    """Every hour: on a payout day, pay each store its available balance once per period."""
    report = payouts.run_payouts()
    if report.paid or report.flagged:
        logger.info(
            "payouts %s: %d paid, %d store(s) flagged (account can't receive payouts)",
            report.period_key,
            len(report.paid),
            len(report.flagged),
        )
    return len(report.paid)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def issue_monthly_invoices() -> int:
    """On the 1st of the month: HQ's commission invoice of last month to each store."""
    issued = invoices.issue_commission_invoices(period=invoices.previous_month())
    if issued:
        logger.info("issued %d commission invoice(s)", len(issued))
    return len(issued)
