"""Compliance's Celery tasks and periodic jobs: thin, idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task

from network_marketplace.models import OutboxMessage
from network_marketplace.outbox import register_handler

from . import transparency_db
from .services import data_access, measures, p2b_measures


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
def purge_old_exports() -> int:
    """Periodic: drop the archives of old store data exports."""
    return data_access.purge_old_exports()


def _dispatch_export(message: OutboxMessage) -> None:
    """The outbox hands a requested export to the worker: a request is never lost."""
    build_store_export.delay(message.payload["export"])


register_handler(data_access.EXPORT_KIND, _dispatch_export)
