"""The one way a row changes status, for every lifecycle of the platform.

Each app declares its lifecycles in its `states.py` as `Lifecycle` objects (the table of allowed
moves, the event model, how the audit row and the webhook read the row) and its services call
`transition()`. One call locks the row, returns it unchanged when it is already in the target
state (a retried request or job is harmless), checks the move against the table, saves the
status with the given changes, writes the event row and the audit row, and enqueues the
webhooks, in the caller's transaction (or its own). What else a move sets off (stock given back,
a sale booked, a refund) stays in the service that asked for it and runs after `transition()`
returned `moved=True`, in the same transaction.

`tests/test_architecture.py` walks the code: no status is written anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.db import connection, models
from django.utils.translation import gettext as _

from .audit import actor_label, record_audit_event
from .db import atomic_once
from .errors import IllegalTransition
from .webhooks import emit_event

Row = TypeVar("Row", bound=models.Model)

REASON_MAX_LENGTH = 300


@dataclass(frozen=True)
class WebhookEvent:
    """One webhook a move sends: its type, the store whose endpoints receive it (None: HQ's
    only), a stable id (emitting it again sends nothing new) and its JSON data."""

    event_type: str
    store_id: int | None
    event_id: str
    data: dict


@dataclass(frozen=True)
class Lifecycle(Generic[Row]):
    """A model's lifecycle: its statuses' allowed moves and what each move records.

    `moves` maps a status to the statuses it may go to. `check`, when given, refines the table
    for the row at hand (a fulfilment's moves depend on its method) and raises IllegalTransition
    itself. `event_model` (a `network_marketplace.models.StatusEvent`) gets one row per move
    through its `event_parent` foreign key. `store_of` names the store the audit
    row belongs to. `webhooks` returns the events a move sends, given the row and the status it
    left.
    """

    name: str
    model: type[Row]
    moves: Mapping[str, Collection[str]]
    event_model: type[models.Model] | None = None
    event_parent: str = ""
    store_of: Callable[[Row], int | None] = lambda row: None
    check: Callable[[Row, str], None] | None = None
    webhooks: Callable[[Row, str], Iterable[WebhookEvent]] | None = None
    audit_data: Callable[[Row], dict] | None = None
    status_field: str = "status"
    # "An order can't go from “%(current)s” to “%(target)s”." (lazy): the row's own words.
    illegal_message: Any = None

    def __post_init__(self) -> None:
        _REGISTRY[self.model] = self

    def label_of(self, status: str) -> str:
        field = cast(models.Field, self.model._meta.get_field(self.status_field))
        choices = dict(field.flatchoices)
        return str(choices.get(status, status))

    def can_move(self, row: Row, target: str) -> bool:
        current = getattr(row, self.status_field)
        if target not in self.moves.get(current, ()):
            return False
        if self.check is None:
            return True
        try:
            self.check(row, target)
        except IllegalTransition:
            return False
        return True

    def check_move(self, row: Row, target: str) -> None:
        """Raise IllegalTransition unless `row` may go to `target` now."""
        current = getattr(row, self.status_field)
        if target not in self.moves.get(current, ()):
            message = self.illegal_message or _("This can't go from “%(current)s” to “%(target)s”.")
            raise IllegalTransition(
                str(message) % {"current": self.label_of(current), "target": self.label_of(target)},
                current=current,
                target=target,
            )
        if self.check is not None:
            self.check(row, target)


_REGISTRY: dict[type[models.Model], Lifecycle] = {}


def lifecycles() -> list[Lifecycle]:
    """Every declared lifecycle (each app's states.py declares its own at import)."""
    return list(_REGISTRY.values())


@dataclass(frozen=True)
class Moved(Generic[Row]):
    """What `transition()` did: the row as it is now (locked), whether it moved, and from where."""

    row: Row
    moved: bool
    previous: str
    event: Any = None  # the event row written, when it moved


def transition(
    lifecycle: Lifecycle[Row],
    row: Row,
    target: str,
    *,
    actor: Any,
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    audit_data: Mapping[str, Any] | None = None,
    event_fields: Mapping[str, Any] | None = None,
    before_save: Callable[[Row], None] | None = None,
    locked: bool = False,
) -> Moved[Row]:
    """Move `row` to `target`: lock it (SELECT FOR UPDATE), return it unmoved when it is already
    there, check the move, set `changes` with the status, save, write the event row, the audit
    row (`<lifecycle>.<target>`) and the webhooks. `before_save` runs on the locked, checked row
    (another check, another lock to take in a fixed order). Runs in the caller's transaction,
    or opens one. `locked=True`: the caller read `row` with SELECT FOR UPDATE in its transaction
    just before, so it is used as it is instead of being read again."""
    if locked and not connection.in_atomic_block:
        raise ValueError("locked=True needs the caller's transaction, which holds the lock.")
    with atomic_once():
        status_field = lifecycle.status_field
        row = row if locked else type(row)._default_manager.select_for_update().get(pk=row.pk)
        previous = getattr(row, status_field)
        if previous == target:
            return Moved(row=row, moved=False, previous=previous)
        lifecycle.check_move(row, target)
        if before_save is not None:
            before_save(row)
        setattr(row, status_field, target)
        changes = dict(changes or {})
        for name, value in changes.items():
            setattr(row, name, value)
        update_fields = [status_field, *changes]
        if any(f.name == "updated_at" for f in type(row)._meta.concrete_fields):
            update_fields.append("updated_at")
        row.save(update_fields=update_fields)
        reason = (reason or "")[:REASON_MAX_LENGTH]
        event_row = None
        if lifecycle.event_model is not None:
            event_row = lifecycle.event_model._default_manager.create(
                **{lifecycle.event_parent: row},
                from_status=previous,
                to_status=target,
                actor_label=actor_label(actor),
                reason=reason,
                **(event_fields or {}),
            )
        data = {"from": previous, "to": target}
        if reason:
            data["reason"] = reason
        if lifecycle.audit_data is not None:
            data.update(lifecycle.audit_data(row))
        data.update(audit_data or {})
        record_audit_event(
            actor=actor,
            action=f"{lifecycle.name}.{target}",
            target=row,
            store_id=lifecycle.store_of(row),
            data=data,
        )
        if lifecycle.webhooks is not None:
            for event in lifecycle.webhooks(row, previous):
                emit_event(
                    event_type=event.event_type,
                    store_id=event.store_id,
                    event_id=event.event_id,
                    data=event.data,
                )
    return Moved(row=row, moved=True, previous=previous, event=event_row)
