"""A step taken on many fulfilments at once from the store's queue (accept the selected).

Each goes through the same service as one (permissions, the move's table, the e-mail), in its
own transaction: the orders are separate customers' and independent, so one that can no
longer be accepted (cancelled meanwhile, timed out and gone to another store) is reported and
does not hold back the others; all-or-nothing would make the staff redo the lot for one
stale row. Locks are taken one fulfilment at a time, in primary key order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from network_marketplace.errors import DomainError
from stores.models import Store

from ..models import Fulfilment
from .steps import accept_fulfilment


@dataclass
class BulkOutcome:
    done: list[Fulfilment] = field(default_factory=list)
    refused: list[tuple[Fulfilment, str]] = field(default_factory=list)  # with the reason


def accept_fulfilments(
    *, fulfilments: Iterable[Fulfilment], actor: Any, at_store: Store | None = None
) -> BulkOutcome:
    """Accept each of `fulfilments` (accept_fulfilment, one transaction each); those already
    accepted count as done, those that can't be are refused with the service's reason."""
    outcome = BulkOutcome()
    for fulfilment in sorted(fulfilments, key=lambda each: each.pk):
        try:
            outcome.done.append(
                accept_fulfilment(fulfilment=fulfilment, actor=actor, at_store=at_store)
            )
        except DomainError as refused:
            outcome.refused.append((fulfilment, refused.message))
    return outcome
