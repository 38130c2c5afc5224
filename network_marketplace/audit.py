"""The audit trail: every mutating service records its actor here."""

from __future__ import annotations

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
    return AuditEvent.objects.create(
        actor_user=user,
        actor_label=actor_label(actor),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        store_id=store_id,
        data=data or {},
    )
