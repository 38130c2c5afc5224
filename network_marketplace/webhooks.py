"""Outbound webhooks: the network's events, signed, delivered after commit through the outbox.

A service calls `emit_event()` inside its transaction: one outbox message per subscribed
endpoint, deduplicated by (event id, endpoint). The worker POSTs the JSON event

    {"id": ..., "type": ..., "created_at": ..., "store": <store slug or null>, "data": {...}}

with `X-Network-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the
endpoint's secret>`, `X-Network-Event` and `X-Network-Delivery` (the same on every retry).
A 2xx answer is delivered; anything else is retried with backoff, then dead (HQ can retry).
Receivers check the signature with `verify_signature()`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import Actor, record_audit_event
from .db import insert_unless_taken
from .errors import DomainError
from .models import OutboxMessage, WebhookDelivery, WebhookEndpoint
from .outbox import PermanentFailure, enqueue, register_handler
from .webhook_health import backoff_remaining, record_endpoint_failure

WEBHOOK_KIND = "webhook"
ALL_EVENTS = "*"
PING_EVENT = "webhook.ping"
SIGNATURE_HEADER = "X-Network-Signature"
MAX_ENDPOINTS_PER_STORE = 10
TIMEOUT_SECONDS = 5
# A receiver that does not accept the connection quickly is down: don't wait the full timeout.
CONNECT_TIMEOUT_SECONDS = 2
RESPONSE_SNIPPET_BYTES = 500

# The events an endpoint may subscribe to. Apps that emit a new event type add it here.
EVENT_TYPES: dict[str, Any] = {
    "order.created": gettext_lazy("An order was placed."),
    "order.updated": gettext_lazy(
        "An order changed: a store accepted it, or some of its items were cancelled."
    ),
    "order.completed": gettext_lazy("Every item of an order was handed over, shipped or sold."),
    "order.cancelled": gettext_lazy("An order was cancelled."),
    "order.refunded": gettext_lazy("An order was refunded, in full or in part."),
    "fulfillment.created": gettext_lazy("A fulfilment was routed to a store."),
    "fulfillment.accepted": gettext_lazy("A store accepted a fulfilment."),
    "fulfillment.rejected": gettext_lazy("A store rejected a fulfilment."),
    "fulfillment.picked": gettext_lazy("A fulfilment was picked."),
    "fulfillment.transfer_shipped": gettext_lazy(
        "A store sent a fulfilment's goods to the customer's pickup store (a transfer)."
    ),
    "fulfillment.transfer_received": gettext_lazy(
        "The pickup store received the goods another store sent it (a transfer)."
    ),
    "fulfillment.ready": gettext_lazy("A fulfilment is ready for pickup."),
    "fulfillment.handed_over": gettext_lazy("A fulfilment was handed over to the customer."),
    "fulfillment.shipped": gettext_lazy("A fulfilment was shipped."),
    "fulfillment.delivered": gettext_lazy("A shipped parcel was delivered to the customer."),
    "fulfillment.cancelled": gettext_lazy("A fulfilment was cancelled."),
    "fulfillment.timed_out": gettext_lazy("A store did not accept a fulfilment in time."),
    "fulfillment.uncollected": gettext_lazy("A ready order was not collected in time."),
    "fulfillment.purchased_in_store": gettext_lazy("A reserved item was bought in store."),
    "fulfillment.not_purchased": gettext_lazy("A reserved item was not bought in store."),
    "return.created": gettext_lazy("A customer started a return."),
    "return.received": gettext_lazy("A store received a return."),
    "return.refunded": gettext_lazy("A return was refunded: the seller store's sale is reversed."),
    "payout.paid": gettext_lazy("A store's payout was sent to its bank."),
    "payout.failed": gettext_lazy("A store's payout failed: the amount is back in its balance."),
    "invoice.issued": gettext_lazy("HQ issued an invoice or a credit note to a store."),
    PING_EVENT: gettext_lazy("A test event sent on request."),
}


class InvalidWebhookEndpoint(DomainError):
    """The webhook endpoint is not valid."""

    code = "invalid_webhook_endpoint"


class TooManyWebhookEndpoints(DomainError):
    """This store has reached its number of webhook endpoints."""

    code = "too_many_webhook_endpoints"


class WebhookEndpointPaused(DomainError):
    """This webhook endpoint is paused: resume it first."""

    code = "webhook_endpoint_paused"


class WebhookDeliveryFailed(Exception):
    """The receiver did not answer 2xx: the outbox retries."""


# --- Signatures -----------------------------------------------------------------------------


def generate_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={compute_signature(secret, timestamp, body)}"


def verify_signature(
    secret: str, header: str, body: bytes, tolerance: int = 300, *, now: float | None = None
) -> bool:
    """For receivers: True when `header` (X-Network-Signature) signs `body` (the raw request
    bytes) with `secret`, and its timestamp is within `tolerance` seconds of now (replays of
    an old request are refused). Several `v1=` values are accepted (one must match)."""
    if not header or not secret:
        return False
    timestamp = None
    candidates = []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    now = time.time() if now is None else now
    if tolerance and abs(now - timestamp) > tolerance:
        return False
    expected = compute_signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)


# --- Endpoints ------------------------------------------------------------------------------


def _is_public_address(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_global
    except ValueError:
        return False


def validate_endpoint_url(url: str) -> None:
    """An endpoint URL: http(s); outside the embedded profile HTTPS to a public host only, so
    that a store cannot make the platform call its internal network."""
    URLValidator(schemes=["http", "https"])(url)
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise ValidationError(_("The URL must start with https://."), code="https_required")
    host = (parts.hostname or "").lower()
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise ValidationError(_("The URL must point to a public server."), code="private_host")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return  # A name: its addresses are checked at each delivery.
    if not _is_public_address(host):
        raise ValidationError(_("The URL must point to a public server."), code="private_host")


def subscribable_event_types() -> list[str]:
    """Event types an endpoint may choose (a ping goes to its endpoint whatever it chose)."""
    return [name for name in EVENT_TYPES if name != PING_EVENT]


def validate_event_types(event_types: list[str]) -> None:
    if not isinstance(event_types, list) or not event_types:
        raise ValidationError(_("Choose at least one event."), code="required")
    known = {ALL_EVENTS, *subscribable_event_types()}
    unknown = [name for name in event_types if name not in known]
    if unknown:
        raise ValidationError(
            _("Unknown events: %(names)s.") % {"names": ", ".join(map(str, unknown))},
            code="unknown_event",
        )


def event_type_choices() -> list[tuple[str, str]]:
    """(event type, what it means) pairs, "all events" first."""
    return [(ALL_EVENTS, _("All events"))] + [
        (name, str(EVENT_TYPES[name])) for name in subscribable_event_types()
    ]


def _validated(url: str | None, event_types: list[str] | None) -> list[str] | None:
    """Check what is given (None: unchanged); return the event types as stored."""
    checks: tuple[tuple[str, Callable[[Any], None], Any], ...] = (
        ("url", validate_endpoint_url, url),
        ("event_types", validate_event_types, event_types),
    )
    for field, validate, value in checks:
        if value is None:
            continue
        try:
            validate(value)
        except ValidationError as exc:
            raise InvalidWebhookEndpoint(" ".join(exc.messages), field=field) from exc
    if event_types is None:
        return None
    return [ALL_EVENTS] if ALL_EVENTS in event_types else sorted(set(event_types))


@dataclass(frozen=True)
class CreatedEndpoint:
    endpoint: WebhookEndpoint
    secret: str


def create_endpoint(
    *,
    store: Any,
    url: str,
    event_types: list[str],
    actor: Actor,
    description: str = "",
) -> CreatedEndpoint:
    """Subscribe `url` to `event_types` for `store` (None: HQ, every store's events).

    Returns the signing secret, to show once.
    """
    event_types = _validated(url, event_types) or []
    with transaction.atomic():
        if store is not None:
            # One store's endpoints are created one at a time: the limit holds.
            type(store).objects.select_for_update().filter(pk=store.pk).first()
            if WebhookEndpoint.objects.filter(store=store).count() >= MAX_ENDPOINTS_PER_STORE:
                raise TooManyWebhookEndpoints(
                    _("A store may have at most %(count)d webhook endpoints.")
                    % {"count": MAX_ENDPOINTS_PER_STORE},
                    limit=MAX_ENDPOINTS_PER_STORE,
                )
        secret = generate_secret()
        endpoint = WebhookEndpoint.objects.create(
            store=store,
            url=url,
            description=description,
            event_types=event_types,
            secret=secret,
            created_by=actor if _is_user(actor) else None,
        )
        record_audit_event(
            actor=actor,
            action="webhook_endpoint.created",
            target=endpoint,
            store_id=endpoint.store_id,
            data={"url": url, "event_types": event_types},
        )
    return CreatedEndpoint(endpoint=endpoint, secret=secret)


def update_endpoint(
    *,
    endpoint: WebhookEndpoint,
    actor: Actor,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> WebhookEndpoint:
    """Change what an endpoint receives (None leaves a field as it is). The secret stays."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        new_types = _validated(url, event_types)
        changes: dict[str, Any] = {}
        for name, value in (
            ("url", url),
            ("event_types", new_types),
            ("description", description),
            ("active", active),
        ):
            if value is not None and getattr(endpoint, name) != value:
                changes[name] = value
                setattr(endpoint, name, value)
        if changes.get("active") is True:
            # Resumed: it starts afresh (its failed deliveries can be retried from admin).
            endpoint.consecutive_failures, endpoint.paused_reason = 0, ""
            endpoint.last_failure_at = None
            changes |= {"consecutive_failures": 0, "paused_reason": "", "last_failure_at": None}
        if changes:
            endpoint.save(update_fields=[*changes, "updated_at"])
            record_audit_event(
                actor=actor,
                action="webhook_endpoint.updated",
                target=endpoint,
                store_id=endpoint.store_id,
                data=changes,
            )
    return endpoint


def delete_endpoint(*, endpoint: WebhookEndpoint, actor: Actor) -> None:
    """Remove an endpoint and its log; its undelivered events are dropped with it."""
    with transaction.atomic():
        message_ids = list(
            endpoint.deliveries.filter(message__isnull=False).values_list("message_id", flat=True)
        )
        OutboxMessage.objects.filter(
            pk__in=message_ids,
            status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED],
        ).delete()
        record_audit_event(
            actor=actor,
            action="webhook_endpoint.deleted",
            target=None,
            store_id=endpoint.store_id,
            data={"endpoint_id": endpoint.pk, "url": endpoint.url},
        )
        endpoint.delete()


def _is_user(actor: Actor) -> bool:
    return getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) is not None


def endpoints_visible_to(principal: Any, *, stores: Any) -> Any:
    """The endpoints `principal` may see: HQ all of them; anyone else those of `stores` (the
    stores they may see, from stores.selectors.stores_visible_to)."""
    endpoints = WebhookEndpoint.objects.select_related("store")
    if getattr(principal, "is_staff", False):
        return endpoints
    return endpoints.filter(store__in=stores)


def recent_deliveries(*, endpoints: Any, limit: int = 20) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.filter(endpoint__in=endpoints)
        .select_related("endpoint", "message")
        .order_by("-created_at")[:limit]
    )


# --- Events ---------------------------------------------------------------------------------


def _store_slug(store_id: int | None) -> str | None:
    if store_id is None:
        return None
    Store = apps.get_model("stores", "Store")
    return Store.objects.filter(pk=store_id).values_list("slug", flat=True).first()


def _envelope(
    *, event_id: str, event_type: str, store_id: int | None, data: dict, created_at: datetime
) -> dict:
    envelope = {
        "id": event_id,
        "type": event_type,
        "created_at": created_at.isoformat(),
        "store": _store_slug(store_id),
        "data": data,
    }
    # Stored as it will be sent: dates and decimals become strings now, not at each attempt.
    return json.loads(json.dumps(envelope, cls=DjangoJSONEncoder))


def _enqueue_delivery(endpoint: WebhookEndpoint, envelope: dict) -> WebhookDelivery | None:
    delivery = WebhookDelivery(
        endpoint=endpoint, event_id=envelope["id"], event_type=envelope["type"]
    )
    if not insert_unless_taken(delivery):
        return None  # This event was already emitted to this endpoint.
    delivery.message = enqueue(
        kind=WEBHOOK_KIND,
        payload={"delivery_id": str(delivery.pk), "endpoint_id": endpoint.pk, "event": envelope},
        dedupe_key=f"{WEBHOOK_KIND}:{envelope['id']}:{endpoint.pk}",
    )
    delivery.save(update_fields=["message"])
    return delivery


@dataclass(frozen=True)
class WebhookEvent:
    """One event to emit: see `emit_event` for its fields."""

    event_type: str
    store_id: int | None
    data: dict
    event_id: str


def emit_event(
    *, event_type: str, store_id: int | None, data: dict, event_id: str
) -> list[WebhookDelivery]:
    """Send `event_type` to every active endpoint subscribed to it: HQ's endpoints, and the
    endpoints of `store_id` (None: a network event, HQ's endpoints only).

    Call it inside the business transaction: nothing leaves if it rolls back. `event_id` names
    the event for good ("order.created:42"): emitting it again sends nothing new. `data` must
    be JSON-serialisable.
    """
    return emit_events([WebhookEvent(event_type, store_id, data, event_id)])


def emit_events(events: list[WebhookEvent]) -> list[WebhookDelivery]:
    """`emit_event` for several events at once (an order placed: its own and each
    fulfilment's): the endpoints are read once for all of them."""
    for event in events:
        if event.event_type not in EVENT_TYPES:
            raise ValueError(
                f"Unknown webhook event type {event.event_type!r}: add it to EVENT_TYPES."
            )
    if not events:
        return []
    store_ids = sorted({event.store_id for event in events if event.store_id is not None})
    # Written by hand: every order placed reads them, and the ORM took about 0.9 ms of CPU to
    # build this statement, three times what it costs so (issue 16).
    stores_sql = ", ".join(["%s"] * len(store_ids)) or "NULL"
    endpoints = list(
        WebhookEndpoint.objects.raw(
            f"SELECT * FROM {WebhookEndpoint._meta.db_table}"  # noqa: S608 - placeholders only
            f" WHERE active AND (store_id IS NULL OR store_id IN ({stores_sql})) ORDER BY id",
            store_ids,
        )
    )
    deliveries = []
    for event in events:
        subscribed = [
            endpoint
            for endpoint in endpoints
            if endpoint.store_id in (None, event.store_id)
            and endpoint.subscribes_to(event.event_type)
        ]
        if not subscribed:
            continue
        envelope = _envelope(
            event_id=event.event_id,
            event_type=event.event_type,
            store_id=event.store_id,
            data=event.data,
            created_at=timezone.now(),
        )
        deliveries += [_enqueue_delivery(endpoint, envelope) for endpoint in subscribed]
    return [delivery for delivery in deliveries if delivery is not None]


def send_test_event(*, endpoint: WebhookEndpoint, actor: Actor) -> WebhookDelivery | None:
    """A `webhook.ping` to this endpoint only, whatever it subscribes to: checks the setup."""
    if not endpoint.active:
        raise WebhookEndpointPaused(_("The endpoint is paused."))
    with transaction.atomic():
        envelope = _envelope(
            event_id=f"evt_ping_{uuid.uuid4().hex}",
            event_type=PING_EVENT,
            store_id=endpoint.store_id,
            data={"endpoint_id": endpoint.pk, "message": "ping"},
            created_at=timezone.now(),
        )
        delivery = _enqueue_delivery(endpoint, envelope)
        record_audit_event(
            actor=actor,
            action="webhook_endpoint.pinged",
            target=endpoint,
            store_id=endpoint.store_id,
            data={"event_id": envelope["id"]},
        )
    return delivery


# --- Delivery (the outbox handler) ----------------------------------------------------------


def _check_resolves_to_public(url: str) -> None:
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise WebhookDeliveryFailed(f"DNS: {exc}") from exc
    if not infos or not all(_is_public_address(str(info[4][0])) for info in infos):
        raise PermanentFailure(f"{parts.hostname} resolves to a private address.")


def deliver_webhook(message: OutboxMessage) -> None:
    payload = message.payload
    delivery = (
        WebhookDelivery.objects.select_related("endpoint").filter(pk=payload["delivery_id"]).first()
    )
    if delivery is None:
        raise PermanentFailure("The webhook endpoint was deleted.")
    if delivery.delivered:
        return
    endpoint = delivery.endpoint
    if not endpoint.active:
        raise PermanentFailure("The webhook endpoint is disabled.")
    if (wait := backoff_remaining(endpoint, timezone.now())) > 0:
        raise WebhookDeliveryFailed(f"The endpoint backs off for {wait:.0f} s after failures.")
    try:
        _check_resolves_to_public(endpoint.url)
    except WebhookDeliveryFailed:
        record_endpoint_failure(endpoint)
        raise

    body = json.dumps(payload["event"], separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "NetworkMarketplace-Webhooks/1.0",
        SIGNATURE_HEADER: signature_header(endpoint.secret, body),
        "X-Network-Event": delivery.event_type,
        "X-Network-Delivery": str(delivery.pk),
    }
    started = time.monotonic()
    status_code, snippet, error = None, "", ""
    try:
        with requests.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=(CONNECT_TIMEOUT_SECONDS, TIMEOUT_SECONDS),
            allow_redirects=False,
            stream=True,
        ) as response:
            status_code = response.status_code
            snippet = response.raw.read(RESPONSE_SNIPPET_BYTES, decode_content=True)
            snippet = snippet.decode(response.encoding or "utf-8", errors="replace")
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    duration_ms = round((time.monotonic() - started) * 1000)
    now = timezone.now()
    delivered = status_code is not None and 200 <= status_code < 300
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1,
        status_code=status_code,
        response_snippet=snippet[:RESPONSE_SNIPPET_BYTES],
        error=error,
        duration_ms=duration_ms,
        last_attempt_at=now,
        delivered_at=now if delivered else None,
    )
    if not delivered:
        record_endpoint_failure(endpoint)
        raise WebhookDeliveryFailed(error or f"HTTP {status_code}")
    if endpoint.consecutive_failures:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)


# A receiver may be down for a night: with the 1-hour cap, 30 attempts span 12 to 24 hours.
register_handler(WEBHOOK_KIND, deliver_webhook, max_attempts=30)
