"""What the customer paid online for an order, and what was given back.

Amounts are integer cents. A Payment is one charge at the provider; its `refunded_cents` is the
sum of its Refunds, kept on the row so that concurrent refunds lock one row and can never give
back more than was charged (a CHECK constraint backs it).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from orders.models import Order


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Declined")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("provider"), max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    refunded_cents = models.BigIntegerField(_("refunded (cents)"), default=0)
    currency = models.CharField(max_length=3, default="EUR")
    # The provider's id of the charge, and the key that makes a retried call charge once.
    reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    failure_message = models.CharField(_("failure"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_cents__gte=0) & Q(refunded_cents__lte=F("amount_cents")),
                name="payment_refunds_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.amount_cents / 100:.2f} {self.currency}"

    @property
    def refundable_cents(self) -> int:
        return self.amount_cents - self.refunded_cents


class Refund(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    # The caller's name for the event ("cancel-line:12"): the same key twice refunds once.
    idempotency_key = models.CharField(max_length=100, unique=True)
    actor_label = models.CharField(_("by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order} · -{self.amount_cents / 100:.2f}"


class PaymentAccount(models.Model):
    """A store's connected account at the provider: where its share of sales is transferred and
    from which its payouts leave. Kept in step with the provider by `account.updated` events."""

    store = models.OneToOneField(
        "stores.Store", on_delete=models.PROTECT, related_name="payment_account"
    )
    provider = models.CharField(_("provider"), max_length=20)
    reference = models.CharField(_("provider account"), max_length=100, unique=True)
    charges_enabled = models.BooleanField(_("charges enabled"), default=False)
    payouts_enabled = models.BooleanField(_("payouts enabled"), default=False)
    details_submitted = models.BooleanField(_("onboarding submitted"), default=False)
    # Requirement names the provider asks for now, and those past their deadline.
    currently_due = models.JSONField(_("requirements due"), default=list, blank=True)
    past_due = models.JSONField(_("requirements past due"), default=list, blank=True)
    disabled_reason = models.CharField(_("disabled because"), max_length=100, blank=True)
    # When the provider said what is copied here (an event's `created`, or a fresh read): an
    # older event arriving late is not applied over a newer state.
    state_as_of = models.DateTimeField(_("state as of"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment accounts")

    def __str__(self) -> str:
        return f"{self.store} · {self.reference}"

    @property
    def can_receive_payouts(self) -> bool:
        """A store whose account has requirements past due is not paid out (and flagged)."""
        return self.payouts_enabled and not self.past_due

    @property
    def is_ready(self) -> bool:
        return self.charges_enabled and self.payouts_enabled and not self.currently_due

    @property
    def onboarding_state(self) -> str:
        """past_due, ready or incomplete: what the back-office and admin show."""
        if self.past_due:
            return "past_due"
        if self.is_ready:
            return "ready"
        return "incomplete"


class ProviderEvent(models.Model):
    """An event the provider sent us (a Stripe webhook), kept once per event id and processed
    after commit by the outbox (`payments.provider_events`)."""

    provider = models.CharField(_("provider"), max_length=20)
    event_id = models.CharField(_("event id"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=100)
    # The connected account the event is about (Connect events), if any.
    account = models.CharField(_("account"), max_length=100, blank=True)
    # When the provider made the event: ordering across late or repeated deliveries.
    created = models.DateTimeField(_("created at the provider"))
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    # What processing made of it: "", "ignored" (no handler), or the handler's note.
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        indexes = [
            # Admin lists and filters events by type, newest first.
            models.Index(fields=["type", "received_at"], name="provider_event_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class LedgerAccount(models.Model):
    """An account of the marketplace's double-entry ledger (French PCG numbers, for the FEC).

    Per-store accounts (what the network owes a store, what sits in its connected account) carry
    the store; the others are HQ's. Balances are sums of journal lines, never stored.
    """

    class Kind(models.TextChoices):
        ASSET = "asset", _("Asset")
        LIABILITY = "liability", _("Liability")
        REVENUE = "revenue", _("Revenue")
        EXPENSE = "expense", _("Expense")

    code = models.CharField(_("account number"), max_length=10)
    store = models.ForeignKey(
        "stores.Store", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["code", "store_id"]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(store__isnull=True), name="ledger_account_hq_unique"
            ),
            models.UniqueConstraint(
                fields=["code", "store"],
                condition=Q(store__isnull=False),
                name="ledger_account_store_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" + (f" · {self.store}" if self.store_id else "")


class JournalEntry(models.Model):
    """One balanced accounting event (a captured payment, a sale's split, a transfer, a refund,
    a payout, a marketing charge). Written once through `payments.ledger.post_entry`, never
    edited: a correction is a new entry."""

    class Journal(models.TextChoices):
        # FEC journal codes: money moving at the provider or the bank; sales and commissions;
        # miscellaneous (reversals, corrections).
        BANK = "BQ", _("Provider and bank")
        SALES = "VT", _("Sales and commissions")
        MISC = "OD", _("Miscellaneous")

    journal = models.CharField(_("journal"), max_length=2, choices=Journal.choices)
    # What caused the entry, e.g. "capture:payment:12": posting the same reference twice
    # returns the first entry, so a retried job never books twice.
    reference = models.CharField(_("reference"), max_length=120, unique=True)
    label = models.CharField(_("label"), max_length=200)
    occurred_at = models.DateTimeField(_("date"))
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="journal_entries"
    )
    store = models.ForeignKey(
        "stores.Store", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [
            # The FEC export and statements read a period of one journal in date order.
            models.Index(fields=["journal", "occurred_at"], name="journal_entry_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.journal} {self.reference}"


class JournalLine(models.Model):
    """A debit or a credit of one account, in integer cents; an entry's lines balance."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="lines")
    debit_cents = models.BigIntegerField(_("debit (cents)"), default=0)
    credit_cents = models.BigIntegerField(_("credit (cents)"), default=0)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit_cents__gt=0) & Q(credit_cents=0))
                | (Q(debit_cents=0) & Q(credit_cents__gt=0)),
                name="journal_line_one_side",
            ),
        ]
        indexes = [
            # A store's balance is the sum of its accounts' lines.
            models.Index(fields=["account", "entry"], name="journal_line_account_idx"),
        ]

    def __str__(self) -> str:
        side = f"D {self.debit_cents}" if self.debit_cents else f"C {self.credit_cents}"
        return f"{self.account.code} {side}"
