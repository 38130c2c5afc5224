"""Paying stores: each store's available balance leaves its connected account for its bank.

`run_payouts` (the hourly beat job; it acts only on HQ's payout days) takes the stores one by
one, each in its own short transaction that locks the store's payment account row: the Payout
row, its ledger entry (BQ: Dr 467100 / Cr 512200, reference `payout:<id>`) and the outbox
message that asks the provider commit together or not at all. The provider call, made by the
outbox worker after commit, carries the payout's idempotency key (`payout:<store>:<period>`).
So a second run, or a run after a worker was killed half-way, finds the stores already paid for
the period and pays only the others; and a partial unique index refuses a second live payout of
a store for one period in the database itself.

Available = what the network owes the store (467100, marketing charges already debited) less
the reserve: the refundable value of the returns of its sales in progress and of its sales
still in their withdrawal period (`fulfillment.selectors.return_exposure`), as HQ's
PayoutPolicy says. A store whose account can't receive payouts is not paid but flagged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fulfillment.selectors import return_exposure
from network_marketplace.audit import Actor, actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import OutboxMessage
from network_marketplace.outbox import enqueue, register_handler
from network_marketplace.transitions import transition
from stores.models import Store

from . import ledger
from .models import (
    LedgerAccount,
    PaymentAccount,
    Payout,
    PayoutEvent,
    PayoutHold,
    PayoutPolicy,
)
from .providers import get_provider
from .states import PAYOUT_LIFECYCLE

logger = logging.getLogger(__name__)

PAYOUT_KIND = "payments.payout"
SYSTEM_ACTOR = "system:payouts"


class PayoutNotAllowed(DomainError):
    """This payout can't be made now."""

    code = "payout_not_allowed"
    http_status = 409


# The schedule


def is_payout_day(policy: PayoutPolicy, day: date) -> bool:
    if policy.frequency == PayoutPolicy.Frequency.DAILY:
        return True
    if policy.frequency == PayoutPolicy.Frequency.WEEKLY:
        return day.weekday() == policy.weekday
    return day.day == policy.day_of_month


def period_key(policy: PayoutPolicy, day: date) -> str:
    """The period a payout on `day` belongs to: each store is paid once per period."""
    if policy.frequency == PayoutPolicy.Frequency.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    if policy.frequency == PayoutPolicy.Frequency.MONTHLY:
        return f"{day:%Y-%m}"
    return day.isoformat()


def next_payout_day(policy: PayoutPolicy, today: date) -> date:
    """The first payout day from `today` on (today included)."""
    day = today
    for _step in range(62):
        if is_payout_day(policy, day):
            return day
        day += timedelta(days=1)
    return day


# What a store may be paid


@dataclass(frozen=True)
class Availability:
    """A store's balance, what is held back and why, and what a payout would send now."""

    balance_cents: int
    reserve_cents: int
    reserve_detail: dict
    minimum_cents: int
    can_receive_payouts: bool
    blocked_reason: str

    @property
    def available_cents(self) -> int:
        return max(self.balance_cents - self.reserve_cents, 0)

    @property
    def payable(self) -> bool:
        return (
            self.can_receive_payouts
            and self.available_cents > 0
            and self.available_cents >= self.minimum_cents
        )


def store_availability(
    store: Store,
    *,
    policy: PayoutPolicy | None = None,
    now: datetime | None = None,
    account: PaymentAccount | None = None,
) -> Availability:
    """What `store` would be paid now, and why not more (reserve, minimum, account)."""
    policy = policy or PayoutPolicy.current()
    if account is None:
        account = PaymentAccount.objects.filter(store=store).first()
    balance = ledger.store_balance_cents(store)
    exposure = return_exposure(store, now=now)
    open_returns = exposure.open_returns_cents if policy.hold_open_returns else 0
    withdrawal = exposure.withdrawal_cents if policy.hold_withdrawal_period else 0
    reserve = min(open_returns + withdrawal, max(balance, 0))
    hold = PayoutHold.objects.active().filter(store=store).first()
    if hold is not None:
        blocked = _("HQ holds the store's payouts: %(reason)s") % {
            "reason": hold.reason or hold.reference
        }
    elif account is None:
        blocked = _("The store has no account at the payment provider yet.")
    elif not account.can_receive_payouts:
        blocked = _("The payment provider needs information before it pays out: %(items)s.") % {
            "items": ", ".join(account.past_due or account.currently_due) or _("see the provider")
        }
    else:
        blocked = ""
    return Availability(
        balance_cents=balance,
        reserve_cents=reserve,
        reserve_detail={
            "open_returns_cents": open_returns,
            "open_returns_count": exposure.open_returns_count if open_returns else 0,
            "withdrawal_cents": withdrawal,
            "withdrawal_sales_count": exposure.withdrawal_sales_count if withdrawal else 0,
        },
        minimum_cents=policy.minimum_payout_cents,
        can_receive_payouts=not blocked,
        blocked_reason=blocked,
    )


# Holds (compliance measures)


def hold_payouts(*, store: Store, reference: str, reason: str, actor: Actor) -> PayoutHold:
    """Stop paying `store` out until `release_payouts(reference=...)`: its balance stays owed.
    Idempotent per reference (a retried measure makes one hold)."""
    with transaction.atomic():
        hold, created = PayoutHold.objects.get_or_create(
            reference=reference, defaults={"store": store, "reason": reason[:300]}
        )
        if created:
            record_audit_event(
                actor=actor,
                action="payout.held",
                target=hold,
                store_id=store.pk,
                data={"reference": reference, "reason": reason[:300]},
            )
    return hold


def release_payouts(*, reference: str, actor: Actor) -> PayoutHold | None:
    """End the hold made for `reference` (None when there is none); the next payout run pays
    the store what it is owed, unless another hold remains. Idempotent."""
    with transaction.atomic():
        hold = PayoutHold.objects.select_for_update().filter(reference=reference).first()
        if hold is None or hold.released_at is not None:
            return hold
        hold.released_at = timezone.now()
        hold.save(update_fields=["released_at"])
        record_audit_event(
            actor=actor,
            action="payout.released",
            target=hold,
            store_id=hold.store_id,
            data={"reference": reference},
        )
    return hold


# Paying out


@dataclass
class PayoutRunReport:
    period_key: str = ""
    paid: list[int] = field(default_factory=list)  # payout ids made by this run
    already_paid: list[int] = field(default_factory=list)  # store ids paid earlier this period
    flagged: list[int] = field(default_factory=list)  # store ids whose account can't be paid
    below_minimum: list[int] = field(default_factory=list)
    not_a_payout_day: bool = False


def run_payouts(
    *,
    actor: Actor = SYSTEM_ACTOR,
    now: datetime | None = None,
    force: bool = False,
    store_ids: list[int] | None = None,
) -> PayoutRunReport:
    """Pay every store its available balance for the current period, once.

    Does nothing on a day that is not a payout day unless `force` (HQ's "pay out now").
    Each store is handled in its own transaction, in store id order; safe to run twice or at
    once (the payment account row lock and the one-live-payout-per-period index).
    """
    now = now or timezone.now()
    policy = PayoutPolicy.current()
    today = timezone.localdate(now)
    report = PayoutRunReport(period_key=period_key(policy, today))
    if not force and not is_payout_day(policy, today):
        report.not_a_payout_day = True
        return report
    stores = (
        LedgerAccount.objects.filter(code=ledger.STORE_PAYABLE, store__isnull=False)
        .order_by("store_id")
        .values_list("store_id", flat=True)
    )
    if store_ids is not None:
        stores = stores.filter(store_id__in=store_ids)
    for store_id in list(stores):
        store = Store.objects.get(pk=store_id)
        outcome = pay_out_store(
            store=store, period=report.period_key, policy=policy, actor=actor, now=now
        )
        getattr(report, outcome.kind).append(
            outcome.payout.pk if outcome.payout and outcome.kind == "paid" else store_id
        )
    return report


@dataclass(frozen=True)
class StoreOutcome:
    kind: str  # "paid", "already_paid", "flagged", "below_minimum"
    payout: Payout | None = None


def pay_out_store(
    *,
    store: Store,
    period: str,
    actor: Actor,
    policy: PayoutPolicy | None = None,
    now: datetime | None = None,
    retry_of: Payout | None = None,
) -> StoreOutcome:
    """Pay `store` its available balance for `period`, unless a payout of the period exists.

    One transaction: locks the store's payment account row (a concurrent run for the same
    store waits here, then sees the payout made), writes the payout, its event, its ledger
    entry and its outbox message. `retry_of` (a failed payout of the period) makes a new attempt.
    """
    policy = policy or PayoutPolicy.current()
    with transaction.atomic():
        account = PaymentAccount.objects.select_for_update().filter(store=store).first()
        previous = Payout.objects.filter(store=store, period_key=period)
        live = previous.exclude(status=Payout.Status.FAILED).first()
        if live is not None:
            return StoreOutcome("already_paid", live)
        if retry_of is None and previous.exists():
            # A failed payout of this period waits for HQ's retry: no silent repeat.
            return StoreOutcome("already_paid", previous.first())
        availability = store_availability(store, policy=policy, now=now, account=account)
        if not availability.can_receive_payouts:
            record_audit_event(
                actor=actor,
                action="payout.blocked",
                target=store,
                store_id=store.pk,
                data={
                    "period": period,
                    "reason": availability.blocked_reason,
                    "balance_cents": availability.balance_cents,
                },
            )
            logger.warning("store %s not paid out: %s", store.slug, availability.blocked_reason)
            return StoreOutcome("flagged")
        if not availability.payable:
            return StoreOutcome("below_minimum")
        attempt = (previous.aggregate(last=Max("attempt"))["last"] or 0) + 1
        key = f"payout:{store.pk}:{period}" + (f":{attempt}" if attempt > 1 else "")
        payout = Payout.objects.create(
            store=store,
            amount_cents=availability.available_cents,
            period_key=period,
            attempt=attempt,
            idempotency_key=key,
            balance_cents=availability.balance_cents,
            reserve_cents=availability.reserve_cents,
            reserve_detail=availability.reserve_detail,
        )
        PayoutEvent.objects.create(
            payout=payout,
            to_status=Payout.Status.PENDING,
            actor_label=actor_label(actor),
            reason=_("Retry of payout %(id)s") % {"id": retry_of.pk} if retry_of else "",
        )
        ledger.post_entry(
            journal="BQ",
            reference=f"payout:{payout.pk}",
            store=store,
            label=f"Payout {period} {store.slug}",
            occurred_at=now,
            postings=[
                ledger.debit(ledger.STORE_PAYABLE, payout.amount_cents, store_id=store.pk),
                ledger.credit(
                    ledger.STORE_PROVIDER_BALANCE, payout.amount_cents, store_id=store.pk
                ),
            ],
        )
        enqueue(kind=PAYOUT_KIND, payload={"payout": payout.pk}, dedupe_key=f"payout:{payout.pk}")
        record_audit_event(
            actor=actor,
            action="payout.created",
            target=payout,
            store_id=store.pk,
            data={
                "period": period,
                "amount_cents": payout.amount_cents,
                "attempt": attempt,
                "reserve_cents": payout.reserve_cents,
            },
        )
    return StoreOutcome("paid", payout)


def retry_payout(*, payout: Payout, actor: Actor) -> Payout:
    """Make a new attempt for a failed payout's period (the failed money is back in the
    balance). Raises PayoutNotAllowed when it did not fail or the period is paid since."""
    if payout.status != Payout.Status.FAILED:
        raise PayoutNotAllowed(_("Only a failed payout can be retried."), payout=payout.pk)
    outcome = pay_out_store(
        store=payout.store, period=payout.period_key, actor=actor, retry_of=payout
    )
    if outcome.kind != "paid" or outcome.payout is None:
        raise PayoutNotAllowed(
            {
                "already_paid": _("This period is already paid out."),
                "flagged": _("The store's account can't receive payouts now."),
                "below_minimum": _("The available balance is below the minimum payout."),
            }[outcome.kind],
            payout=payout.pk,
        )
    return outcome.payout


def _move(payout: Payout, target: str, *, actor: Actor, reason: str = "", **changes: Any) -> Payout:
    """Move `payout` to `target` through the one transition helper (idempotent); a payout that
    failed gives its money back to the store's balance in the same transaction."""
    with transaction.atomic():
        moved = transition(
            PAYOUT_LIFECYCLE, payout, target, actor=actor, reason=reason, changes=changes
        )
        payout = moved.row
        if moved.moved and target == Payout.Status.FAILED:
            # The money did not leave: it is back in the connected account, owed to the store.
            ledger.post_entry(
                journal="BQ",
                reference=f"payout:{payout.pk}:failed",
                store=payout.store,
                label=f"Payout {payout.pk} failed",
                postings=[
                    ledger.debit(
                        ledger.STORE_PROVIDER_BALANCE, payout.amount_cents, store_id=payout.store_id
                    ),
                    ledger.credit(
                        ledger.STORE_PAYABLE, payout.amount_cents, store_id=payout.store_id
                    ),
                ],
            )
    return payout


def mark_payout_paid(*, payout: Payout, provider_reference: str, actor: Actor) -> Payout:
    return _move(
        payout,
        Payout.Status.PAID,
        actor=actor,
        provider_reference=provider_reference[:100],
        paid_at=timezone.now(),
    )


def mark_payout_failed(*, payout: Payout, reason: str, actor: Actor) -> Payout:
    return _move(
        payout,
        Payout.Status.FAILED,
        actor=actor,
        reason=reason,
        failure_message=reason[:300],
        failed_at=timezone.now(),
    )


def send_payout_to_provider(message: OutboxMessage) -> None:
    """The outbox handler: ask the provider to pay out. Repeating it is safe: the payout's
    idempotency key makes the provider answer the first call's payout again."""
    payout = Payout.objects.select_related("store__payment_account").get(
        pk=message.payload["payout"]
    )
    if payout.status != Payout.Status.PENDING:
        return
    result = get_provider().create_payout(
        account_reference=payout.store.payment_account.reference,
        amount_cents=payout.amount_cents,
        currency=payout.currency,
        idempotency_key=payout.idempotency_key,
    )  # ProviderUnavailable propagates: the outbox retries with backoff.
    if result.succeeded:
        mark_payout_paid(payout=payout, provider_reference=result.reference, actor="provider")
    else:
        mark_payout_failed(
            payout=payout,
            reason=result.failure_message or _("Refused by the provider."),
            actor="provider",
        )


def handle_payout_event(
    *, event_type: str, provider_reference: str, failure_message: str = ""
) -> Payout | None:
    """For the provider's webhooks (`payout.paid`, `payout.failed`): move our payout. Unknown
    references (a payout made outside the marketplace) are ignored; repeats change nothing."""
    payout = Payout.objects.filter(provider_reference=provider_reference).first()
    if payout is None:
        return None
    if event_type == "payout.paid":
        return mark_payout_paid(
            payout=payout, provider_reference=provider_reference, actor="provider"
        )
    if event_type == "payout.failed":
        return mark_payout_failed(
            payout=payout, reason=failure_message or _("Returned by the bank."), actor="provider"
        )
    return payout


register_handler(PAYOUT_KIND, send_payout_to_provider)
