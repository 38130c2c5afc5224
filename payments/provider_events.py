"""Events the payment provider sends us (Stripe webhooks): verified, kept once, processed after
commit.

`receive_stripe_event` checks the signature with the SDK, stores the event under its id (a
repeat is recognised and changes nothing) and enqueues its processing in the same transaction;
the outbox worker then calls the handler registered for its type. Handlers must be safe to run
twice and must not let an older event undo a newer state: they compare the event's `created`
with what our row holds, or re-read the object at the provider.

Other parts add handlers with `register_event_handler("payout.paid", handler)`; a handler takes
the ProviderEvent and returns a short note (kept as the event's outcome) or None.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.errors import DomainError
from network_marketplace.models import OutboxMessage
from network_marketplace.outbox import enqueue, register_handler

from .models import Payment, PaymentAccount, ProviderEvent

logger = logging.getLogger(__name__)

EVENT_KIND = "payments.provider_event"
EventHandler = Callable[[ProviderEvent], str | None]
_handlers: dict[str, EventHandler] = {}


class InvalidSignature(DomainError):
    """The event's signature does not match: it was not sent by the provider."""

    code = "invalid_signature"
    http_status = 400


class InvalidEvent(DomainError):
    """A signed body that is not an event: nothing is stored, the provider is told why."""

    code = "invalid_event"
    http_status = 400


EVENT_ID_MAX_LENGTH = 100  # ProviderEvent.event_id
# Event times between 2000 and 2100: anything else is not a Stripe event's `created`.
EARLIEST_CREATED, LATEST_CREATED = 946_684_800, 4_102_444_800


def _event_from(payload: bytes) -> dict:
    """The event of a verified body, checked for the fields we keep (id, type, created)."""
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError):
        raise InvalidEvent(_("The body is not JSON.")) from None
    if not isinstance(event, dict):
        raise InvalidEvent(_("The body is not an event object."))
    event_id, event_type, created = event.get("id"), event.get("type", ""), event.get("created")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= EVENT_ID_MAX_LENGTH:
        raise InvalidEvent(_("The event has no usable id."))
    if not isinstance(event_type, str) or len(event_type) > 100:
        raise InvalidEvent(_("The event's type is not valid."))
    if (
        isinstance(created, bool)
        or not isinstance(created, int)
        or not EARLIEST_CREATED <= created <= LATEST_CREATED
    ):
        raise InvalidEvent(_("The event's creation time is not valid."))
    if b"\\u0000" in payload:  # PostgreSQL's jsonb refuses NUL in text
        raise InvalidEvent(_("The event contains a NUL character."))
    account = event.get("account")
    if account is not None and (not isinstance(account, str) or len(account) > 100):
        raise InvalidEvent(_("The event's account is not valid."))
    return event


def register_event_handler(event_type: str, handler: EventHandler) -> None:
    """Process provider events of `event_type` (e.g. "payout.paid") with `handler(event)`.
    Register at import time (an app's `ready()`); one handler per type, the last one wins."""
    _handlers[event_type] = handler


def receive_stripe_event(*, payload: bytes, signature: str) -> tuple[ProviderEvent, bool]:
    """Verify and store a Stripe webhook; (event, created). Raises InvalidSignature, or
    InvalidEvent for a signed body that is not an event we can keep. A repeat of an event
    already received returns it with created=False and enqueues nothing."""
    verified = False
    # Stripe signs the platform's events and its connected accounts' (a Connect endpoint) with
    # one secret per endpoint: STRIPE_WEBHOOK_SECRET may list both, comma-separated.
    secrets = [part.strip() for part in settings.STRIPE_WEBHOOK_SECRET.split(",") if part.strip()]
    if not secrets:
        logger.error("a Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not set")
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(
                payload, signature, secret, stripe.Webhook.DEFAULT_TOLERANCE
            )
        except (stripe.SignatureVerificationError, ValueError):
            continue
        verified = True
        break
    if not verified:
        # The same words whatever failed: an unauthenticated caller learns nothing of our set-up.
        raise InvalidSignature(_("The Stripe-Signature header does not match this request."))
    event = _event_from(payload)
    existing = ProviderEvent.objects.filter(event_id=event["id"]).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            stored = ProviderEvent.objects.create(
                provider="stripe_connect",
                event_id=event["id"],
                type=event.get("type", ""),
                account=event.get("account") or "",
                created=datetime.fromtimestamp(event["created"], tz=UTC),
                payload=event,
            )
            enqueue(
                kind=EVENT_KIND,
                payload={"event": stored.pk},
                dedupe_key=f"provider-event:{stored.pk}",
            )
    except IntegrityError:  # the same event, delivered twice at once
        return ProviderEvent.objects.get(event_id=event["id"]), False
    return stored, True


def process_event(message: OutboxMessage) -> None:
    """The outbox handler: run the event's handler once. A handler that raises is retried by
    the outbox with backoff (the provider down, a row not there yet)."""
    event = ProviderEvent.objects.get(pk=message.payload["event"])
    if event.processed_at is not None:
        return
    handler = _handlers.get(event.type)
    outcome = "ignored" if handler is None else (handler(event) or "processed")
    ProviderEvent.objects.filter(pk=event.pk, processed_at__isnull=True).update(
        processed_at=timezone.now(), outcome=outcome[:200]
    )


register_handler(EVENT_KIND, process_event)


# The handlers of this part ---------------------------------------------------------------------


def _data_object(event: ProviderEvent) -> dict:
    return (event.payload.get("data") or {}).get("object") or {}


def on_account_updated(event: ProviderEvent) -> str:
    """Keep the store's payout and KYC state; an older event than our state is skipped."""
    from .accounts import apply_account_state
    from .stripe_connect import account_state

    data = _data_object(event)
    account = PaymentAccount.objects.filter(reference=data.get("id", "")).first()
    if account is None:
        return "unknown account"
    before = account.state_as_of
    account = apply_account_state(
        account=account, state=account_state(data), as_of=event.created, actor="Stripe"
    )
    return "applied" if account.state_as_of == event.created else f"older than {before}"


def on_payment_intent(event: ProviderEvent) -> str:
    """A pending payment was decided: settle its order. The provider is asked for the charge's
    current state (and its fee), so events arriving late or twice settle the same way."""
    from .services import settle_pending_payment

    data = _data_object(event)
    payment = Payment.objects.filter(reference=data.get("id", "")).first()
    key = (data.get("metadata") or {}).get("idempotency_key")
    if payment is None and key:
        payment = Payment.objects.filter(idempotency_key=key).first()
        if payment is not None and not payment.reference:
            Payment.objects.filter(pk=payment.pk).update(reference=data["id"])
            payment.reference = data["id"]
    if payment is None:
        return "unknown payment"
    payment = settle_pending_payment(payment=payment, actor="Stripe")
    return f"payment {payment.status}"


def on_payout(event: ProviderEvent) -> str:
    """The bank took or returned a payout (Stripe's `payout.paid` / `payout.failed`)."""
    from .payouts import handle_payout_event

    data = _data_object(event)
    payout = handle_payout_event(
        event_type=event.type,
        provider_reference=data.get("id", ""),
        failure_message=data.get("failure_message") or "",
    )
    return "unknown payout" if payout is None else f"payout {payout.status}"


register_event_handler("account.updated", on_account_updated)
register_event_handler("payout.paid", on_payout)
register_event_handler("payout.failed", on_payout)
register_event_handler("payment_intent.succeeded", on_payment_intent)
register_event_handler("payment_intent.payment_failed", on_payment_intent)
