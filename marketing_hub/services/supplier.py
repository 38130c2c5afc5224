"""The suppliers' side of marketing orders: the e-mail with their approved lines and a signed,
expiring link to each print-ready PDF, their portal login or API key, and the lines' progress
(produced, shipped with carrier and tracking). A supplier sees and moves only its own lines.

A print link carries the line and the proof's sha256, signed (TimestampSigner) and valid
MARKETING_SUPPLIER_LINK_DAYS days: the file served is the approved proof, byte for byte, and is
refused if its bytes no longer match the hash taken when it was made.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import Actor, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.notifications import send_templated_email
from network_marketplace.public_urls import public_url
from network_marketplace.transitions import transition

from ..models import MarketingOrder, MarketingOrderLine, Supplier
from ..states import MARKETING_LINE_LIFECYCLE
from .progress import roll_up

ML = MarketingOrderLine.Status
PRINT_LINK_SALT = "marketing_hub.print_file"
API_KEY_SCHEME = "nmsup"
SUPPLIER_VISIBLE = (ML.APPROVED, ML.IN_PRODUCTION, ML.SHIPPED, ML.RECEIVED)


class PrintLinkInvalid(DomainError):
    """The print link is not valid (altered, expired, or its file changed)."""

    code = "print_link_invalid"
    http_status = 404


class ShipmentRefused(DomainError):
    """A shipment needs a carrier and a tracking number."""

    code = "invalid_shipment"

    @property
    def fields(self) -> dict[str, list[str]]:
        return dict(self.facts.get("fields") or {})


# Print files


def print_file_token(line: MarketingOrderLine) -> str:
    sha256 = line.proof.pdf_sha256 if line.proof else ""
    return signing.TimestampSigner(salt=PRINT_LINK_SALT).sign(f"{line.pk}:{sha256}")


def print_file_url(line: MarketingOrderLine) -> str:
    path = reverse("marketing_supplier:print-file", args=[print_file_token(line)])
    return public_url(path)


def line_for_print_token(token: str) -> MarketingOrderLine:
    """The line a print link names, if the link is intact and not expired."""
    try:
        value = signing.TimestampSigner(salt=PRINT_LINK_SALT).unsign(
            token, max_age=settings.MARKETING_SUPPLIER_LINK_DAYS * 86400
        )
        line_id, sha256 = value.split(":", 1)
        line = MarketingOrderLine.objects.select_related("proof", "order").get(
            pk=int(line_id), status__in=SUPPLIER_VISIBLE, proof__pdf_sha256=sha256
        )
    except (signing.BadSignature, ValueError, MarketingOrderLine.DoesNotExist) as exc:
        raise PrintLinkInvalid(_("This link is not valid or has expired.")) from exc
    return line


def print_file_bytes(line: MarketingOrderLine) -> bytes:
    """The approved proof's bytes, checked against the sha256 taken when it was made."""
    proof = line.proof
    if proof is None:
        raise PrintLinkInvalid(_("This line has no print file."))
    with proof.pdf.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != proof.pdf_sha256:
        raise PrintLinkInvalid(_("The print file changed since it was approved: ask HQ."))
    return data


def print_file_name(line: MarketingOrderLine) -> str:
    return f"{line.order.number}-{line.item_reference}-{line.pk}.pdf"


def notify_suppliers(*, order: MarketingOrder) -> None:
    """E-mail each supplier its approved lines of `order`, with their print links (once per
    order and supplier: the outbox's dedupe key)."""
    by_supplier: dict[int, list[MarketingOrderLine]] = defaultdict(list)
    lines = order.lines.filter(status=ML.APPROVED, supplier__isnull=False).select_related(
        "proof", "supplier"
    )
    for line in lines.order_by("pk"):
        by_supplier[line.supplier_id].append(line)  # type: ignore[index]
    address = order.delivery_address or {
        "name": order.store.name,
        "address": f"{order.store.address_line}, {order.store.postal_code} {order.store.city}",
    }
    for supplier_lines in by_supplier.values():
        supplier = supplier_lines[0].supplier
        if supplier is None:
            continue
        send_templated_email(
            to=supplier.email,
            template="marketing_supplier_lines",
            context={
                "supplier_name": supplier.name,
                "number": order.number,
                "store_name": order.store.name,
                "delivery": address,
                "portal_url": public_url(reverse("marketing_supplier:lines")),
                "link_days": settings.MARKETING_SUPPLIER_LINK_DAYS,
                "lines": [
                    {
                        "reference": line.item_reference,
                        "name": line.item_name,
                        "quantity": line.quantity,
                        "options": ", ".join(f"{k}: {v}" for k, v in line.options.items()),
                        "print_url": print_file_url(line) if line.proof_id else "",
                    }
                    for line in supplier_lines
                ],
            },
            dedupe_key=f"marketing-supplier-lines:{order.pk}:{supplier.pk}",
        )


# Who the supplier is


def suppliers_of_user(user: Any) -> QuerySet[Supplier]:
    if not getattr(user, "is_authenticated", False):
        return Supplier.objects.none()
    return Supplier.objects.filter(users=user, is_active=True)


def lines_for_supplier(supplier: Supplier) -> QuerySet[MarketingOrderLine]:
    """The tenancy rule for suppliers: their approved lines and what followed, newest first."""
    return (
        MarketingOrderLine.objects.filter(supplier=supplier, status__in=SUPPLIER_VISIBLE)
        .select_related("order__store", "proof")
        .order_by("-order__placed_at", "-pk")
    )


def issue_supplier_api_key(*, supplier: Supplier, actor: Actor) -> str:
    """A new API key for `supplier` (replacing its previous one); the secret is returned once,
    only its prefix and hash are kept."""
    prefix = secrets.token_hex(6)
    secret = f"{API_KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    Supplier.objects.filter(pk=supplier.pk).update(
        api_key_prefix=prefix, api_key_hash=hashlib.sha256(secret.encode()).hexdigest()
    )
    record_audit_event(
        actor=actor, action="marketing_supplier.api_key_issued", target=supplier, data={}
    )
    return secret


def supplier_for_api_key(secret: str) -> Supplier | None:
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != API_KEY_SCHEME:
        return None
    supplier = Supplier.objects.filter(api_key_prefix=parts[1], is_active=True).first()
    if supplier is None or not supplier.api_key_hash:
        return None
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return supplier if secrets.compare_digest(digest, supplier.api_key_hash) else None


# Progress


def _own_line(supplier: Supplier, line: MarketingOrderLine) -> MarketingOrderLine:
    if line.supplier_id != supplier.pk:
        raise MarketingOrderLine.DoesNotExist
    return line


def _lock_order(line: MarketingOrderLine) -> MarketingOrderLine:
    """Lock the line's order first (the order every writer of an order and its lines takes:
    cancelling, approving, rolling up), then return the line as it is now."""
    MarketingOrder.objects.select_for_update().filter(pk=line.order_id).first()
    return MarketingOrderLine.objects.select_related("order").get(pk=line.pk)


def mark_produced(
    *, supplier: Supplier, line: MarketingOrderLine, actor: Actor
) -> MarketingOrderLine:
    """The supplier started producing the line (approved -> in production)."""
    line = _own_line(supplier, line)
    with transaction.atomic():
        _lock_order(line)
        moved = transition(
            MARKETING_LINE_LIFECYCLE,
            line,
            ML.IN_PRODUCTION,
            actor=actor,
            changes={"produced_at": timezone.now()},
        )
        roll_up(order=line.order, actor=actor)
        return moved.row


def mark_shipped(
    *,
    supplier: Supplier,
    line: MarketingOrderLine,
    carrier: str,
    tracking_number: str,
    actor: Actor,
) -> MarketingOrderLine:
    """The supplier shipped the line with `carrier` and `tracking_number` (an approved line is
    put in production first). Raises ShipmentRefused without them."""
    line = _own_line(supplier, line)
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    errors = {}
    if not carrier:
        errors["carrier"] = [_("This field is required.")]
    if not tracking_number:
        errors["tracking_number"] = [_("This field is required.")]
    if errors:
        raise ShipmentRefused(_("Give the carrier and the tracking number."), fields=errors)
    with transaction.atomic():
        line = _lock_order(line)
        now = timezone.now()
        if line.status == ML.APPROVED:
            line = transition(
                MARKETING_LINE_LIFECYCLE,
                line,
                ML.IN_PRODUCTION,
                actor=actor,
                changes={"produced_at": now},
            ).row
        moved = transition(
            MARKETING_LINE_LIFECYCLE,
            line,
            ML.SHIPPED,
            actor=actor,
            changes={
                "shipped_at": now,
                "carrier": carrier[:60],
                "tracking_number": tracking_number[:80],
            },
        )
        roll_up(order=line.order, actor=actor)
        return moved.row
