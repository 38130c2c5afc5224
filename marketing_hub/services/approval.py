"""Approval of placed marketing orders, by the rules HQ sets per item.

An order is approved at once when only store fields were stamped (name, address, hours...);
HQ reviews it when a line used free text, is above the item's review quantity or amount, or
its item is marked "always review". HQ has MARKETING_REVIEW_WORKING_DAYS working days; past
that the store is told and HQ reminded, once (`remind_overdue_reviews`, a beat job).

Approving charges each line (`charging.charge_store`, reference `mkline:<id>`: an invoice per
line, so a line cancelled later gets its own credit note) and sends each supplier its lines.
Rejecting needs a reason and gives budget and co-funding back; nothing is booked.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.audit import Actor
from network_marketplace.errors import DomainError
from network_marketplace.notifications import send_templated_email
from network_marketplace.public_urls import public_url
from network_marketplace.transitions import transition
from stores.models import StoreMembership

from ..models import MarketingOrder, MarketingOrderLine
from ..states import MARKETING_LINE_LIFECYCLE, MARKETING_ORDER_LIFECYCLE
from .budgets import give_back
from .charging import ChargeLine, charge_store
from .supplier import notify_suppliers

MO = MarketingOrder.Status
ML = MarketingOrderLine.Status
SYSTEM_ACTOR = "system:marketing-approval"

REVIEW_REASONS = {
    "free_text": gettext_lazy("free text used"),
    "quantity": gettext_lazy("above the item's review quantity"),
    "amount": gettext_lazy("above the item's review amount"),
    "always_review": gettext_lazy("item always reviewed"),
}


class ReviewRefused(DomainError):
    """HQ's review can't be recorded as asked (a rejection without a reason...)."""

    code = "review_refused"


def review_reasons(lines: list[MarketingOrderLine]) -> list[str]:
    """Why HQ must review these lines (codes of REVIEW_REASONS), empty when none applies."""
    reasons: list[str] = []
    for line in lines:
        item = line.item
        found = []
        if line.proof is not None and line.proof.uses_free_text:
            found.append("free_text")
        if item.review_above_quantity is not None and line.quantity > item.review_above_quantity:
            found.append("quantity")
        if (
            item.review_above_amount_cents is not None
            and line.price_cents > item.review_above_amount_cents
        ):
            found.append("amount")
        if item.always_review:
            found.append("always_review")
        reasons += [reason for reason in found if reason not in reasons]
    return reasons


def review_reason_labels(order: MarketingOrder) -> list[str]:
    return [str(REVIEW_REASONS.get(code, code)) for code in order.review_reasons]


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` moved by `days` working days (Monday to Friday), same time of day."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def route_placed_order(*, order: MarketingOrder, actor: Actor) -> MarketingOrder:
    """After placing: into HQ's review queue with its reasons and deadline, or approved now."""
    lines = list(order.lines.select_related("item", "proof").order_by("pk"))
    reasons = review_reasons(lines)
    if not reasons:
        return approve_order(order=order, actor=SYSTEM_ACTOR, reason=_("Only store fields."))
    deadline = add_working_days(
        order.placed_at or timezone.now(), settings.MARKETING_REVIEW_WORKING_DAYS
    )
    return transition(
        MARKETING_ORDER_LIFECYCLE,
        order,
        MO.IN_REVIEW,
        actor=actor,
        reason=", ".join(str(REVIEW_REASONS[r]) for r in reasons),
        changes={"review_reasons": reasons, "review_deadline": deadline},
    ).row


def _reviewer(actor: Actor) -> dict:
    user_model = get_user_model()
    if isinstance(actor, user_model):
        return {"reviewed_by": actor, "reviewed_at": timezone.now()}
    return {}


def approve_order(*, order: MarketingOrder, actor: Actor, reason: str = "") -> MarketingOrder:
    """Approve a placed or reviewed order: lines approved and charged (the store's share on
    its account, HQ's share as its expense, an invoice per line), suppliers sent their lines.
    Approving twice does nothing more."""
    with transaction.atomic():
        moved = transition(
            MARKETING_ORDER_LIFECYCLE,
            order,
            MO.APPROVED,
            actor=actor,
            reason=reason,
            changes=_reviewer(actor),
        )
        order = moved.row
        if not moved.moved:
            return order
        lines = list(order.lines.filter(status=ML.PENDING).order_by("pk"))
        for line in lines:
            transition(MARKETING_LINE_LIFECYCLE, line, ML.APPROVED, actor=actor)
            invoice = charge_store(
                store=order.store,
                reference=f"mkline:{line.pk}",
                label=order.number or "",
                lines=[
                    ChargeLine(
                        label=f"{line.item_reference} {line.item_name} x {line.quantity}",
                        amount_excl_vat_cents=line.store_share_cents,
                        vat_rate_bp=line.vat_rate_bp,
                        hq_share_cents=line.hq_share_cents,
                    )
                ],
                actor=actor,
                order_number=order.number or "",
            )
            if invoice is not None:
                MarketingOrderLine.objects.filter(pk=line.pk).update(invoice=invoice)
        notify_suppliers(order=order)
        if moved.previous == MO.IN_REVIEW:
            _tell_store(order, "marketing_order_approved")
        return order


def reject_order(*, order: MarketingOrder, reason: str, actor: Actor) -> MarketingOrder:
    """HQ rejects an order in review, with a reason the store reads: lines rejected, budget
    and co-funding given back, nothing booked. Raises ReviewRefused without a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewRefused(
            _("Say why the order is rejected: the store reads it."),
            fields={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        order = MarketingOrder.objects.select_for_update().get(pk=order.pk)
        if order.status == MO.REJECTED:
            return order
        MARKETING_ORDER_LIFECYCLE.check_move(order, MO.REJECTED)
        lines = list(
            order.lines.filter(status=ML.PENDING).select_related("cofunding_rule", "order")
        )
        for line in lines:
            transition(MARKETING_LINE_LIFECYCLE, line, ML.REJECTED, actor=actor, reason=reason)
        give_back(order=order, lines=lines)
        order = transition(
            MARKETING_ORDER_LIFECYCLE,
            order,
            MO.REJECTED,
            actor=actor,
            reason=reason,
            locked=True,
            changes={"rejection_reason": reason[:500], **_reviewer(actor)},
        ).row
        _tell_store(order, "marketing_order_rejected", reason=reason)
        return order


def _tell_store(order: MarketingOrder, template: str, **context: str) -> None:
    """E-mail the store's owners and managers about HQ's decision (once per order)."""
    recipients = store_recipients(order)
    if not recipients:
        return
    path = reverse("backoffice:marketing-order", args=[order.store.slug, order.pk])
    send_templated_email(
        to=recipients,
        template=template,
        context={
            "number": order.number,
            "store_name": order.store.name,
            "order_url": public_url(path),
            **context,
        },
        dedupe_key=f"{template}:{order.pk}",
    )


def store_recipients(order: MarketingOrder) -> list[str]:
    """Who hears about the store's marketing orders: its owners and managers (the store's
    e-mail when it has none)."""
    emails = list(
        StoreMembership.objects.filter(
            store_id=order.store_id,
            role__in=[StoreMembership.Role.OWNER, StoreMembership.Role.MANAGER],
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    store_email = getattr(order.store, "email", "")
    return emails or ([store_email] if store_email else [])


def remind_overdue_reviews(*, now: datetime | None = None) -> int:
    """Tell the store and remind HQ of each order whose review deadline passed, once (the
    order's `review_reminded_at` is set by a conditional UPDATE: two runs remind once)."""
    now = now or timezone.now()
    overdue = MarketingOrder.objects.filter(
        status=MO.IN_REVIEW, review_deadline__lt=now, review_reminded_at__isnull=True
    ).select_related("store")
    reminded = 0
    for order in overdue.order_by("review_deadline", "pk"):
        with transaction.atomic():
            claimed = MarketingOrder.objects.filter(
                pk=order.pk, status=MO.IN_REVIEW, review_reminded_at__isnull=True
            ).update(review_reminded_at=now)
            if not claimed:
                continue
            context = {
                "number": order.number,
                "store_name": order.store.name,
                "placed_at": timezone.localtime(order.placed_at).strftime("%d/%m/%Y %H:%M")
                if order.placed_at
                else "",
                "deadline": timezone.localtime(order.review_deadline).strftime("%d/%m/%Y %H:%M")
                if order.review_deadline
                else "",
            }
            recipients = store_recipients(order)
            if recipients:
                send_templated_email(
                    to=recipients,
                    template="marketing_order_review_late",
                    context=context,
                    dedupe_key=f"marketing-review-late:{order.pk}",
                )
            send_templated_email(
                to=settings.MARKETING_HQ_EMAIL,
                template="marketing_order_review_reminder",
                context=context,
                dedupe_key=f"marketing-review-reminder:{order.pk}",
            )
            reminded += 1
    return reminded
