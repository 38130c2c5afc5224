"""Compliance's periodic jobs: thin, idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task

from . import transparency_db
from .services import illegal_products, measures, traders, transparency_report


@shared_task(acks_late=True, reject_on_worker_lost=True)
def expire_measures() -> int:
    return measures.expire_measures()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def submit_statements() -> dict:
    report = transparency_db.submit_pending_statements()
    return {"sent": len(report.sent), "failed": len(report.failed)}


# Traders (art. 30), illegal products (art. 32), active recipients (art. 24(2)): part C2.


@shared_task(acks_late=True, reject_on_worker_lost=True)
def enforce_trader_data() -> int:
    return traders.enforce_all_trader_data()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def erase_departed_traders() -> int:
    return traders.erase_departed_traders()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_illegal_product_buyers(case_id: int) -> int:
    case = illegal_products.IllegalProductCase.objects.filter(pk=case_id).first()
    if case is None:
        return 0
    return illegal_products.notify_illegal_product_buyers(case=case)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def record_monthly_active_recipients() -> int:
    return transparency_report.record_monthly_active_recipients().recipients
