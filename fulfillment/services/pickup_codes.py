"""The pickup code of a collect fulfilment: made when it is ready, checked at the handover.

Only an HMAC digest of the code is kept, and a random salt: the code is an HMAC of the salt
under SECRET_KEY, so the server can show it again on the customer's own order page once it is
ready (fulfillment/order_pages.py) while a copy of the database alone reveals none. The e-mail
carries it too. Wrong codes are counted on the row; after OrderPolicy.pickup_code_attempts the
code is void, so a 6-digit code can't be found by trying, and the store sends the customer a
new one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError
from orders.models import OrderPolicy
from stores.models import Store

from .. import emails
from ..models import Fulfilment
from ..states import OPEN_STATUSES, check_fulfilment_transition, check_store_performs
from .moves import after_step, move_fulfilment

S = Fulfilment.Status
PICKUP_CODE_DIGITS = 6


class WrongPickupCode(DomainError):
    """The pickup code does not match."""

    code = "wrong_pickup_code"
    http_status = 400


class PickupCodeVoid(DomainError):
    """Too many wrong codes: this pickup code no longer works; a new one must be sent."""

    code = "pickup_code_void"
    http_status = 409


@dataclass(frozen=True)
class ReadyForPickup:
    fulfilment: Fulfilment
    pickup_code: str | None  # None when it was already ready (no new code is issued)


def pickup_code_digest(fulfilment_id: int, code: str) -> str:
    message = f"pickup:{fulfilment_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_pickup_code() -> str:
    return f"{secrets.randbelow(10**PICKUP_CODE_DIGITS):0{PICKUP_CODE_DIGITS}d}"


def new_pickup_code_salt() -> str:
    return secrets.token_hex(16)


def pickup_code_from_salt(fulfilment_id: int, salt: str) -> str:
    """The pickup code a salt stands for (uniform over the 6 digits: 64 bits taken modulo 10^6)."""
    message = f"pickup-code:{fulfilment_id}:{salt}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") % 10**PICKUP_CODE_DIGITS
    return f"{number:0{PICKUP_CODE_DIGITS}d}"


def current_pickup_code(fulfilment: Fulfilment) -> str | None:
    """The code of a fulfilment ready for pickup, to show its own customer; None before it is
    ready, after it is collected, or when it was made before codes had a salt."""
    if fulfilment.status != S.READY_FOR_PICKUP or not fulfilment.pickup_code_salt:
        return None
    return pickup_code_from_salt(fulfilment.pk, fulfilment.pickup_code_salt)


def reissue_pickup_code(
    *, fulfilment: Fulfilment, actor: Any, at_store: Store | None = None
) -> ReadyForPickup:
    """A new code for a ready fulfilment (lost code, or voided by wrong attempts), e-mailed."""
    with transaction.atomic():
        locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
        if locked.status != S.READY_FOR_PICKUP:
            check_fulfilment_transition(locked, S.READY_FOR_PICKUP)
        check_store_performs(locked, at_store.pk if at_store else None, S.READY_FOR_PICKUP)
        salt = new_pickup_code_salt()
        code = pickup_code_from_salt(locked.pk, salt)
        locked.pickup_code_salt = salt
        locked.pickup_code_digest = pickup_code_digest(locked.pk, code)
        locked.pickup_code_failures = 0
        locked.save(
            update_fields=[
                "pickup_code_salt",
                "pickup_code_digest",
                "pickup_code_failures",
                "updated_at",
            ]
        )
        record_audit_event(
            actor=actor,
            action="fulfilment.pickup_code_reissued",
            target=locked,
            store_id=locked.store_id,
        )
        emails.send_ready_for_pickup(locked, code=code)
    return ReadyForPickup(fulfilment=locked, pickup_code=code)


def hand_over(
    *, fulfilment: Fulfilment, code: str, actor: Any, at_store: Store | None = None
) -> Fulfilment:
    """Give a click & collect order to the customer who shows the right code. A wrong code is
    counted (and committed) before WrongPickupCode is raised; a void one raises PickupCodeVoid."""
    policy = OrderPolicy.current()
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
        if locked.status == S.COLLECTED:
            return locked
        check_fulfilment_transition(locked, S.COLLECTED)
        check_store_performs(locked, at_store.pk if at_store else None, S.COLLECTED)
        if locked.pickup_code_failures >= policy.pickup_code_attempts:
            raise PickupCodeVoid(_("Too many wrong codes: send the customer a new pickup code."))
        expected = locked.pickup_code_digest
        if not expected or not hmac.compare_digest(expected, pickup_code_digest(locked.pk, code)):
            locked.pickup_code_failures += 1
            locked.save(update_fields=["pickup_code_failures", "updated_at"])
            remaining = max(policy.pickup_code_attempts - locked.pickup_code_failures, 0)
            record_audit_event(
                actor=actor,
                action="fulfilment.wrong_pickup_code",
                target=locked,
                store_id=locked.store_id,
                data={"remaining": remaining},
            )
            if remaining:
                message = ngettext(
                    "Wrong pickup code. %(remaining)s attempt left.",
                    "Wrong pickup code. %(remaining)s attempts left.",
                    remaining,
                ) % {"remaining": remaining}
            else:
                message = _("Wrong pickup code. No attempt left: send the customer a new code.")
            wrong = WrongPickupCode(message, remaining=remaining)
        else:
            wrong = None
            locked, moved = move_fulfilment(
                fulfilment=locked,
                target=S.COLLECTED,
                actor=actor,
                closed_at=timezone.now(),
                pickup_code_digest="",
                pickup_code_salt="",
            )
            if moved:
                after_step(locked, actor=actor)
    # The failed attempt is committed before the error is raised: it must count.
    if wrong is not None:
        raise wrong
    return locked


def forget_pickup_codes(*, before: datetime) -> int:
    """Blank the digest and salt of the fulfilments no longer open, last changed before
    `before` (the retention engine's `pickup_code_digests` clock); returns how many."""
    return (
        Fulfilment.objects.exclude(status__in=OPEN_STATUSES)
        .filter(updated_at__lt=before)
        .filter(~Q(pickup_code_digest="") | ~Q(pickup_code_salt=""))
        .update(pickup_code_digest="", pickup_code_salt="")
    )
