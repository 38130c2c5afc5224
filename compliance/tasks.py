"""Compliance's periodic jobs: thin, idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task

from .services import measures


@shared_task(acks_late=True, reject_on_worker_lost=True)
def expire_measures() -> int:
    return measures.expire_measures()
