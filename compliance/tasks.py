"""Compliance's periodic jobs: thin, idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task

from . import transparency_db
from .services import measures


@shared_task(acks_late=True, reject_on_worker_lost=True)
def expire_measures() -> int:
    return measures.expire_measures()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def submit_statements() -> dict:
    report = transparency_db.submit_pending_statements()
    return {"sent": len(report.sent), "failed": len(report.failed)}
