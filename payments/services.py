"""Taking the customer's money for an order, and giving it back.

The provider is a network call: `take_payment` runs outside any database transaction (the order
and its checkout holds are committed first, so a slow or dead provider call holds no row locks),
and a refund is an outbox message written with the business change that causes it, so it is
sent after commit, retried, and never sent twice (idempotency keys toward the provider).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import Actor, actor_label, record_audit_event
from network_marketplace.db import atomic_once, insert_unless_taken
from network_marketplace.errors import DomainError
from network_marketplace.models import OutboxMessage
from network_marketplace.notifications import send_templated_email
from network_marketplace.outbox import enqueue, register_handler
from network_marketplace.transitions import transition
from network_marketplace.webhooks import emit_event
from orders.models import Order

from . import hooks
from .models import Payment, PaymentEvent, Refund, RefundEvent
from .postings import book_capture, book_refund_sent
from .providers import ChargeResult, ProviderUnavailable, get_provider
from .states import PAYMENT_LIFECYCLE, REFUND_LIFECYCLE

REFUND_KIND = "payment.refund"
# Who moves a payment or a refund when no person does: the provider's answer, the checkout.
PROVIDER = "provider"
CHECKOUT = "system:checkout"
# How long a charge may stay pending (3-D Secure never completed, a bank that never answers)
# before the sweeper cancels its order; a charge that succeeds later is refunded at once.
PENDING_CHARGE_PATIENCE = timedelta(hours=1)


class PaymentDeclined(DomainError):
    """The payment was declined: nothing was ordered."""

    code = "payment_declined"
    http_status = 402


class PaymentUnavailable(DomainError):
    """The payment service did not answer: nothing was ordered."""

    code = "payment_unavailable"
    http_status = 503


def open_payment(*, order: Order) -> Payment | None:
    """The order's online payment, pending, with its first event; the one already written for
    the order if there is one. None when nothing is paid online. Call it in the transaction
    that writes the order (the checkout's): the charge then needs no transaction of its own
    before it."""
    if order.online_payment_cents <= 0:
        return None
    payment = Payment(
        order=order,
        provider=get_provider().name,
        amount_cents=order.online_payment_cents,
        currency=order.currency,
        idempotency_key=f"order:{order.pk}:charge",
    )
    with atomic_once():  # the payment and its first event commit together, once
        if not insert_unless_taken(payment):
            return Payment.objects.get(idempotency_key=payment.idempotency_key)
        PaymentEvent.objects.create(
            payment=payment, to_status=payment.status, actor_label=actor_label(CHECKOUT)
        )
    return payment


def take_payment(
    *, order: Order, payment_token: str, payment: Payment | None = None
) -> Payment | None:
    """Charge what the order costs online (`online_payment_cents`; reserve & collect lines are
    paid in store). Returns the payment, which may be PENDING (3-D Secure, a slow bank: the
    order waits, settled by the provider's webhook or the sweeper). Raises PaymentDeclined, or
    PaymentUnavailable when the provider did not answer. Safe to call again for the same
    order: a charge that went through is not repeated. `payment` is the one `open_payment`
    wrote with the order, when the caller did (else it is written here)."""
    if order.online_payment_cents <= 0:
        return None
    provider = get_provider()
    payment = payment or open_payment(order=order)
    if payment is None:
        return None
    if payment.status == Payment.Status.SUCCEEDED:
        return payment
    try:
        result = provider.charge(
            amount_cents=payment.amount_cents,
            currency=payment.currency,
            token=payment_token,
            idempotency_key=payment.idempotency_key,
            description=f"Order {order.number}",
            transfer_group=order.number or "",
        )
    except ProviderUnavailable as error:
        # Most likely nothing was charged; if something was, its webhook refunds it.
        record_charge_result(
            payment=payment, result=ChargeResult(False, failure_message=f"Unavailable: {error}")
        )
        raise PaymentUnavailable(
            _("The payment service did not answer: nothing was ordered. Try again in a moment.")
        ) from error
    payment = record_charge_result(payment=payment, result=result)
    if payment.status == Payment.Status.FAILED:
        raise PaymentDeclined(
            _("The payment was declined: nothing was ordered. Try another card."),
            reason=result.failure_message,
        )
    return payment


def record_charge_result(
    *, payment: Payment, result: ChargeResult, actor: Actor = PROVIDER
) -> Payment:
    """Write the provider's answer on the payment: the one place where a payment becomes paid,
    pending or declined (checkout, webhook, sweeper). A payment that went through stays so;
    a success overrides an earlier failure (money taken is a fact: its order refunds it)."""
    order_in_hand = payment.order if Payment.order.is_cached(payment) else None
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if order_in_hand is not None:
            payment.order = order_in_hand  # the booking reads its number: not read again
        if payment.status == Payment.Status.SUCCEEDED:
            return payment
        if result.succeeded:
            status = Payment.Status.SUCCEEDED
        elif result.pending:
            status = Payment.Status.PENDING
        else:
            status = Payment.Status.FAILED
        answer = {
            "reference": result.reference or payment.reference,
            "failure_message": result.failure_message[:300],
        }
        moved = transition(
            PAYMENT_LIFECYCLE,
            payment,
            status,
            actor=actor,
            reason=answer["failure_message"],
            changes=answer,
            locked=True,
        )
        payment = moved.row
        if not moved.moved:
            # Still pending (3-D Secure) or declined again: keep the provider's latest word.
            for name, value in answer.items():
                setattr(payment, name, value)
            payment.save(update_fields=[*answer, "updated_at"])
        if moved.moved and status == Payment.Status.SUCCEEDED:
            book_capture(payment=payment, fee_cents=result.fee_cents)
    return payment


def settle_pending_payment(*, payment: Payment, actor: Actor) -> Payment:
    """Ask the provider how a payment ended and finish its order: paid, the order is placed
    (or, its stock gone or the order cancelled meanwhile, refunded); declined, the order is
    cancelled; still pending, nothing changes. Raises ProviderUnavailable. Idempotent."""
    if payment.reference and payment.status != Payment.Status.SUCCEEDED:
        result = get_provider().retrieve_charge(charge_reference=payment.reference)
        payment = record_charge_result(payment=payment, result=result, actor=actor)
    hooks.order_payment_settled(payment=payment, actor=actor)
    return payment


def check_order_payment(*, order: Order, actor: Actor) -> Payment | None:
    """Settle the order's payment still pending, if the provider has decided it (the customer's
    "check again"). A provider that does not answer changes nothing."""
    payment = order.payments.filter(status=Payment.Status.PENDING).exclude(reference="").first()
    if payment is None:
        return None
    try:
        return settle_pending_payment(payment=payment, actor=actor)
    except ProviderUnavailable:
        return payment


def paid_online_cents(order: Order) -> int:
    """What the customer paid online for `order` and has not been given back."""
    return sum(
        payment.refundable_cents
        for payment in order.payments.filter(status=Payment.Status.SUCCEEDED)
    )


def refund_payment(
    *, order: Order, amount_cents: int, reason: str, idempotency_key: str, actor: Actor
) -> Refund | None:
    """Give back up to `amount_cents` of what the customer paid online for `order`.

    Call it inside the transaction of the change that causes it (a cancelled line, a received
    return): the refund is recorded with it and sent to the provider after commit. The same
    `idempotency_key` twice refunds once. Returns None when nothing is left to refund (a
    reserve & collect order, or everything already refunded). The customer gets an e-mail.
    """
    if amount_cents <= 0:
        return None
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(order=order, status=Payment.Status.SUCCEEDED)
            .order_by("created_at", "id")
            .first()
        )
        existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        if payment is None or payment.refundable_cents <= 0:
            return None
        amount = min(amount_cents, payment.refundable_cents)
        refund = Refund.objects.create(
            payment=payment,
            order=order,
            amount_cents=amount,
            reason=reason[:300],
            idempotency_key=idempotency_key,
            actor_label=actor_label(actor),
        )
        RefundEvent.objects.create(
            refund=refund, to_status=refund.status, actor_label=refund.actor_label
        )
        Payment.objects.filter(pk=payment.pk).update(
            refunded_cents=F("refunded_cents") + amount, updated_at=timezone.now()
        )
        enqueue(kind=REFUND_KIND, payload={"refund": refund.pk}, dedupe_key=f"refund:{refund.pk}")
        record_audit_event(
            actor=actor,
            action="payment.refunded",
            target=order,
            store_id=order.attributed_store_id,
            data={"refund": refund.pk, "amount_cents": amount, "reason": refund.reason},
        )
        emit_event(
            event_type="order.refunded",
            store_id=order.attributed_store_id,
            event_id=f"order.refunded:{refund.pk}",
            data={
                "order": order.number,
                "refund": refund.pk,
                "amount_cents": amount,
                "reason": refund.reason,
            },
        )
        send_templated_email(
            to=order.email,
            template="order_refund",
            language=order.language,
            dedupe_key=f"refund:{refund.pk}",
            context={
                "number": order.number,
                "first_name": order.first_name,
                "amount_cents": amount,
                "reason": refund.reason,
            },
        )
    return refund


def send_refund_to_provider(message: OutboxMessage) -> None:
    """The outbox handler: ask the provider to refund. Repeating it is safe (idempotency key)."""
    refund = Refund.objects.select_related("payment").get(pk=message.payload["refund"])
    if refund.status == Refund.Status.SUCCEEDED:
        return
    result = get_provider().refund(
        charge_reference=refund.payment.reference,
        amount_cents=refund.amount_cents,
        idempotency_key=f"refund:{refund.idempotency_key}",
    )
    if not result.succeeded:
        # Raising makes the outbox retry with backoff; HQ sees the message in the outbox admin.
        raise RuntimeError(f"Refund {refund.pk} refused by the provider: {result.failure_message}")
    with transaction.atomic():
        moved = transition(
            REFUND_LIFECYCLE,
            refund,
            Refund.Status.SUCCEEDED,
            actor=PROVIDER,
            changes={"reference": result.reference, "completed_at": timezone.now()},
        )
        if moved.moved:
            book_refund_sent(refund=moved.row)


register_handler(REFUND_KIND, send_refund_to_provider)
