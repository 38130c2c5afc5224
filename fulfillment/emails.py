"""The customer's e-mails about a fulfilment: accepted, ready for pickup, shipped, reservation
about to expire. (Cancellations: orders.services.cancel_order_lines; refunds: payments.)

Each is queued in the step's transaction with a dedupe key per event, so it is sent once after
commit whatever is retried. The context is JSON, rendered later by the worker in the order's
language: dates are formatted here, in that language and the network's time zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import formats, timezone, translation

from network_marketplace.notifications import send_templated_email
from orders.selectors import pickup_slot_label

from .carriers import carrier_name, tracking_url
from .models import Fulfilment
from .withdrawal import withdrawal_days


def _when(value: datetime | None, language: str) -> str:
    if value is None:
        return ""
    with translation.override(language):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _context(fulfilment: Fulfilment) -> dict:
    # Where the customer goes: the pickup store of a transfer, not the store that sent it.
    order, store = fulfilment.order, fulfilment.collect_store
    return {
        "number": order.number,
        "first_name": order.first_name,
        "method": fulfilment.method,
        "store_name": store.name,
        "store_address": f"{store.address_line}, {store.postal_code} {store.city}",
        "store_phone": store.phone,
        "pickup_slot": pickup_slot_label(order, store_id=store.pk, language=order.language),
        "lines": [
            {
                "name": line.order_line.product_name,
                "options": line.order_line.options_label,
                "quantity": line.quantity,
            }
            for line in fulfilment.lines.select_related("order_line").order_by("pk")
        ],
    }


def _send(fulfilment: Fulfilment, template: str, dedupe_key: str, **extra: Any) -> None:
    order = fulfilment.order
    send_templated_email(
        to=order.email,
        template=template,
        language=order.language,
        dedupe_key=dedupe_key,
        context={**_context(fulfilment), **extra.pop("context", {})},
        **extra,
    )


def send_accepted(fulfilment: Fulfilment, *, hold_until: datetime | None = None) -> None:
    """The store confirmed it will serve these items (a reservation: until when it holds)."""
    _send(
        fulfilment,
        "order_accepted",
        f"fulfilment-accepted:{fulfilment.pk}",
        context={"hold_until": _when(hold_until, fulfilment.order.language)},
    )


def send_ready_for_pickup(fulfilment: Fulfilment, *, code: str) -> None:
    """Ready in the store: the pickup code, in text and as an inline QR code.

    One e-mail per code (a reissued code is a new e-mail). The code is in the outbox payload
    only until the e-mail is sent, then blanked (only its digest stays on the fulfilment).
    """
    _send(
        fulfilment,
        "order_ready_for_pickup",
        f"pickup-code:{fulfilment.pk}:{fulfilment.pickup_code_digest[:16]}",
        context={
            "pickup_code": code,
            "collect_before": _when(fulfilment.collect_before, fulfilment.order.language),
        },
        inline_qr={"pickup_qr": "pickup_code"},
        redact_after_send=["pickup_code"],
    )


def send_shipped(fulfilment: Fulfilment) -> None:
    _send(
        fulfilment,
        "order_shipped",
        f"fulfilment-shipped:{fulfilment.pk}",
        context={
            "carrier": carrier_name(fulfilment.carrier),
            "tracking_number": fulfilment.tracking_number,
            "tracking_url": tracking_url(fulfilment.carrier, fulfilment.tracking_number) or "",
        },
    )


def send_reservation_reminder(fulfilment: Fulfilment) -> None:
    """A reserve & collect hold ends soon: come and try the item before it does."""
    _send(
        fulfilment,
        "reservation_expiring",
        f"reservation-expiring:{fulfilment.pk}",
        context={"hold_until": _when(fulfilment.collect_before, fulfilment.order.language)},
    )


def send_received(fulfilment: Fulfilment, *, withdraw_until: datetime | None) -> None:
    """The customer has the goods (handed over, or delivered): until when she may withdraw
    (empty while the order's last parcel is on its way), and where to do it."""
    _send(
        fulfilment,
        "order_received",
        f"fulfilment-received:{fulfilment.pk}",
        context={
            "withdraw_until": _day(withdraw_until, fulfilment.order.language),
            "withdrawal_days": withdrawal_days(),
        },
    )


def _day(value: datetime | None, language: str) -> str:
    if value is None:
        return ""
    with translation.override(language):
        return formats.date_format(timezone.localtime(value), "l j F Y")
