"""Compliance's Celery tasks and periodic jobs: thin, idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task

from network_marketplace.models import OutboxMessage
from network_marketplace.outbox import register_handler

from . import transparency_db
from .services import (
    dac7,
    data_access,
    gdpr,
    illegal_products,
    measures,
    p2b_measures,
    traders,
    transparency_report,
)
from .services.gdpr import export as gdpr_export


@shared_task(acks_late=True, reject_on_worker_lost=True)
def expire_measures() -> int:
    return measures.expire_measures()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def submit_statements() -> dict:
    report = transparency_db.submit_pending_statements()
    return {"sent": len(report.sent), "failed": len(report.failed)}


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_store_export(export_id: int) -> None:
    """Build a store's data export (safe twice: a finished export is left as it is)."""
    data_access.build_store_export(export_id=export_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def end_terminated_stores() -> int:
    """Periodic: close the stores whose termination notice has run out."""
    return len(p2b_measures.end_due_terminations())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_dac7_calendar() -> dict:
    """Daily: DAC7 reminders, payout holds and releases, January's declaration."""
    run = dac7.run_dac7_calendar()
    return {
        "reminded": len(run.reminded),
        "held": len(run.held),
        "released": len(run.released),
        "declaration": run.declaration,
        "problem": run.problem,
    }


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_old_exports() -> int:
    """Periodic: drop the archives of old store data exports."""
    return data_access.purge_old_exports()


def _dispatch_export(message: OutboxMessage) -> None:
    """The outbox hands a requested export to the worker: a request is never lost."""
    build_store_export.delay(message.payload["export"])


register_handler(data_access.EXPORT_KIND, _dispatch_export)
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


# GDPR for customers (issue 13, part F): the export of her data, the retention engine.


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_personal_data_export(export_id: int) -> None:
    """Build a customer's data export (safe twice: a finished export is left as it is)."""
    gdpr.build_personal_data_export(export_id=export_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_retention() -> dict:
    """Periodic: every retention clock applied once; what each removed (also a RetentionRun)."""
    return gdpr.apply_retention().removed


def _dispatch_personal_export(message: OutboxMessage) -> None:
    build_personal_data_export.delay(message.payload["export"])


register_handler(gdpr_export.EXPORT_KIND, _dispatch_personal_export)
