"""The audit trail: every mutating service records its actor here."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeAlias

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent, User

# Whoever acts: a User, a store API key (with its `audit_user`), or a system job's name.
Actor: TypeAlias = Any


def actor_label(actor: Actor) -> str:
    """A readable name for whoever acted: a user, an API key, or a system job (a string)."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    if isinstance(actor, User):
        return actor.email
    return str(actor)


def record_audit_event(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    store_id: int | None = None,
    data: dict | None = None,
) -> AuditEvent:
    user = actor if isinstance(actor, User) else getattr(actor, "audit_user", None)
    event = AuditEvent(
        actor_user=user,
        actor_label=actor_label(actor),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        store_id=store_id,
        data=data or {},
    )
    batches = getattr(_open_batches, "stack", None)
    if batches:
        batches[-1].append(event)  # written when the batch ends
    else:
        event.save()
    return event


_open_batches = threading.local()


@contextmanager
def audit_batch() -> Iterator[None]:
    """The audit rows recorded inside the block are written together when it ends, in one
    multi-row INSERT (a checkout's confirmation records several). End it inside the transaction
    of the changes they record; when the block raises, nothing is written (that transaction is
    rolling back). Until then a recorded row has no primary key."""
    stack = getattr(_open_batches, "stack", None)
    if stack is None:
        stack = _open_batches.stack = []
    rows: list[AuditEvent] = []
    stack.append(rows)
    try:
        yield
    finally:
        stack.pop()
    if rows:
        AuditEvent.objects.bulk_create(rows)
