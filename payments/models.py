"""What the customer paid online for an order, and what was given back.

Amounts are integer cents. A Payment is one charge at the provider; its `refunded_cents` is the
sum of its Refunds, kept on the row so that concurrent refunds lock one row and can never give
back more than was charged (a CHECK constraint backs it).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network_marketplace.models import SingletonSettings, StatusEvent
from orders.models import Order
from stores.models import Store


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Declined")

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="payments", verbose_name=_("order")
    )
    provider = models.CharField(_("provider"), max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    amount_cents = models.BigIntegerField(_("amount"))
    refunded_cents = models.BigIntegerField(_("refunded"), default=0)
    currency = models.CharField(max_length=3, default="EUR", verbose_name=_("currency"))
    # The provider's id of the charge, and the key that makes a retried call charge once.
    reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(
        max_length=100, unique=True, verbose_name=_("idempotency key")
    )
    failure_message = models.CharField(_("failure"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

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

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("payment")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("order")
    )
    amount_cents = models.BigIntegerField(_("amount"))
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    # The caller's name for the event ("cancel-line:12"): the same key twice refunds once.
    idempotency_key = models.CharField(
        max_length=100, unique=True, verbose_name=_("idempotency key")
    )
    actor_label = models.CharField(_("by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order} · -{self.amount_cents / 100:.2f}"


class PaymentEvent(StatusEvent):
    """A payment's change of status (the provider's answer): who, when, from, to, why."""

    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, related_name="events", verbose_name=_("payment")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")


class RefundEvent(StatusEvent):
    """A refund's change of status: who, when, from, to, why."""

    refund = models.ForeignKey(
        Refund, on_delete=models.CASCADE, related_name="events", verbose_name=_("refund")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("refund event")
        verbose_name_plural = _("refund events")


class PaymentAccount(models.Model):
    """A store's connected account at the provider: where its share of sales is transferred and
    from which its payouts leave. Kept in step with the provider by `account.updated` events."""

    store = models.OneToOneField(
        "stores.Store",
        on_delete=models.PROTECT,
        related_name="payment_account",
        verbose_name=_("store"),
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
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

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
        "stores.Store",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("store"),
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
        Order,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_entries",
        verbose_name=_("order"),
    )
    store = models.ForeignKey(
        "stores.Store",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("store"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

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

    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="lines", verbose_name=_("ledger entry")
    )
    account = models.ForeignKey(
        LedgerAccount, on_delete=models.PROTECT, related_name="lines", verbose_name=_("account")
    )
    debit_cents = models.BigIntegerField(_("debit"), default=0)
    credit_cents = models.BigIntegerField(_("credit"), default=0)
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


# Payouts: what a store is paid from its connected account to its bank.


class PayoutPolicy(SingletonSettings):
    """HQ's payout rules: when stores are paid, from what amount, and what is held back.

    The beat job runs every hour; it pays only on a payout day (Europe/Paris) and each store
    once per period, so the schedule is HQ's to change here without touching the beat.
    """

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, pgettext_lazy("payout weekday", "Monday")
        TUESDAY = 1, pgettext_lazy("payout weekday", "Tuesday")
        WEDNESDAY = 2, pgettext_lazy("payout weekday", "Wednesday")
        THURSDAY = 3, pgettext_lazy("payout weekday", "Thursday")
        FRIDAY = 4, pgettext_lazy("payout weekday", "Friday")
        SATURDAY = 5, pgettext_lazy("payout weekday", "Saturday")
        SUNDAY = 6, pgettext_lazy("payout weekday", "Sunday")

    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("payout day of the week"),
        choices=Weekday.choices,
        default=Weekday.TUESDAY,
        help_text=_("For weekly payouts."),
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("payout day of the month"), default=1, help_text=_("For monthly payouts (1 to 28).")
    )
    minimum_payout_cents = models.BigIntegerField(
        _("minimum payout"),
        default=1000,
        help_text=_("A smaller available balance waits for the next payout day."),
    )
    hold_open_returns = models.BooleanField(
        _("hold back open returns"),
        default=True,
        help_text=_("Keep the refundable value of the returns of the store's sales in progress."),
    )
    hold_withdrawal_period = models.BooleanField(
        _("hold back sales still in their withdrawal period"),
        default=True,
        help_text=_("Keep the value of the store's sales that customers may still return."),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("payout policy")
        verbose_name_plural = _("payout policy")
        constraints = [
            models.CheckConstraint(
                condition=Q(day_of_month__gte=1) & Q(day_of_month__lte=28),
                name="payout_policy_day_of_month_range",
            ),
            models.CheckConstraint(
                condition=Q(minimum_payout_cents__gte=0), name="payout_policy_minimum_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Payout policy"))


class PayoutQuerySet(models.QuerySet):
    def for_store(self, store: Store) -> PayoutQuerySet:
        """The tenancy rule for payouts: a store sees its own."""
        return self.filter(store=store)


class Payout(models.Model):
    """One attempt at sending a store's available balance to its bank, for one period.

    Created with its ledger entry (Dr 467100 / Cr 512200, reference `payout:<id>`) and the
    outbox message that asks the provider, in one transaction; the provider call carries
    `idempotency_key`, derived from the store and the period, so no crash or rerun pays twice.
    A failed payout's money goes back to the balance; HQ retries it as a new attempt.
    Lifecycle in payments/states.py.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("payout status", "Pending")
        PAID = "paid", pgettext_lazy("payout status", "Paid")
        FAILED = "failed", pgettext_lazy("payout status", "Failed")

    store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, related_name="payouts", verbose_name=_("store")
    )
    amount_cents = models.BigIntegerField(_("amount"))
    currency = models.CharField(max_length=3, default="EUR", verbose_name=_("currency"))
    # "2026-W49" (weekly), "2026-12" (monthly), "2026-12-02" (daily or on demand).
    period_key = models.CharField(_("period"), max_length=20)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    idempotency_key = models.CharField(
        max_length=100, unique=True, editable=False, verbose_name=_("idempotency key")
    )
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    # What the amount was computed from, kept to explain it on the store's page.
    balance_cents = models.BigIntegerField(_("balance"), default=0)
    reserve_cents = models.BigIntegerField(_("held back"), default=0)
    reserve_detail = models.JSONField(_("held back for"), default=dict, blank=True)
    failure_message = models.CharField(_("failure"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = PayoutQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payout_amount_positive"),
            models.UniqueConstraint(
                fields=["store", "period_key", "attempt"], name="payout_attempt_unique"
            ),
            # The database itself refuses a second live payout of a store for one period.
            models.UniqueConstraint(
                fields=["store", "period_key"],
                condition=~Q(status="failed"),
                name="payout_one_live_per_period",
            ),
        ]
        indexes = [
            # A store's payouts history, newest first (money page, API).
            models.Index(fields=["store", "-created_at"], name="payout_store_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.store} · {self.period_key} · {self.amount_cents / 100:.2f} {self.currency}"


class PayoutEvent(StatusEvent):
    """A payout's change of status: who, when, from, to, why."""

    payout = models.ForeignKey(
        Payout, on_delete=models.CASCADE, related_name="events", verbose_name=_("payout")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("payout event")
        verbose_name_plural = _("payout events")


class PayoutHoldQuerySet(models.QuerySet):
    def active(self) -> PayoutHoldQuerySet:
        return self.filter(released_at__isnull=True)


class PayoutHold(models.Model):
    """HQ holds a store's payouts (a compliance measure, DSA art. 17): while any hold of the
    store is active, `run_payouts` pays it nothing (the balance stays owed). `reference` names
    who asked (`compliance.measure:<id>`): holding twice for one reference is one hold."""

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="payout_holds", verbose_name=_("store")
    )
    reference = models.CharField(_("reference"), max_length=100, unique=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    objects = PayoutHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("payout hold")
        verbose_name_plural = _("payout holds")
        indexes = [
            # "Is this store's money held?": every payout run asks it, per store.
            models.Index(fields=["store", "released_at"], name="payout_hold_store_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.store} · {self.reference}"


# Commission plans, sale splits and transfers (payments/commission_models.py), invoices
# (payments/invoice_models.py): re-exported, so that the app has one models module.
from .commission_models import (  # noqa: E402, F401
    CommissionPlan,
    CommissionRate,
    SaleSplit,
    SplitReversal,
    Transfer,
    TransferEvent,
    TransferReversal,
)
from .customer_invoice_models import (  # noqa: E402, F401
    CustomerInvoice,
    CustomerInvoiceLine,
    CustomerInvoiceSeries,
)
from .einvoicing_models import EInvoiceTransmission, EInvoiceTransmissionEvent  # noqa: E402, F401
from .invoice_models import Invoice, InvoiceLine, InvoiceNumberSeries  # noqa: E402, F401
from .settlement_models import SettlementPolicy  # noqa: E402, F401
