"""Invoices: HQ's monthly commission invoice to each store, and the credit notes that correct
them. Imported by payments/models.py (the app's models module); issued by payments/invoices.py,
numbered without gaps by one locked counter row per series. Amounts are integer cents.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stores.models import Store


class InvoiceNumberSeries(models.Model):
    """The counter of one gapless number series ("F2026", "AV2026"): locked with
    SELECT ... FOR UPDATE by the transaction that issues, so numbers follow the order of issue
    and a rolled-back issue gives its number back."""

    prefix = models.CharField(_("series"), max_length=10, unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice number series")
        verbose_name_plural = _("invoice number series")

    def __str__(self) -> str:
        return f"{self.prefix} · {self.last_number}"


class InvoiceQuerySet(models.QuerySet):
    def for_store(self, store: Store) -> InvoiceQuerySet:
        """The tenancy rule for invoices: a store sees the invoices and credit notes it got."""
        return self.filter(store=store)


class Invoice(models.Model):
    """An issued invoice or credit note: never edited. Its parties' identities are copied at
    issue (a store that later changes its VAT number does not change its old invoices); a
    mistake is corrected with a credit note referencing it, then a new invoice."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    number = models.CharField(_("number"), max_length=20, unique=True)
    series = models.CharField(_("series"), max_length=10)
    sequence = models.PositiveIntegerField(_("sequence"))
    store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("store")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    issued_at = models.DateTimeField(_("issued at"))
    due_date = models.DateField(_("due date"))
    currency = models.CharField(max_length=3, default="EUR", verbose_name=_("currency"))
    total_excl_vat_cents = models.BigIntegerField(_("total excl. VAT"))
    vat_cents = models.BigIntegerField(_("VAT"))
    total_incl_vat_cents = models.BigIntegerField(_("total incl. VAT"))
    # [{"rate_bp": 2000, "base_cents": ..., "vat_cents": ...}], one per VAT rate.
    vat_breakdown = models.JSONField(_("VAT breakdown"), default=list)
    seller = models.JSONField(_("seller"), default=dict)
    buyer = models.JSONField(_("buyer"), default=dict)
    payment_terms = models.TextField(_("payment terms"))
    credited_invoice = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("corrects invoice"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    issued_by_label = models.CharField(_("issued by"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices and credit notes")
        constraints = [
            models.UniqueConstraint(fields=["series", "sequence"], name="invoice_series_unique"),
            # One credit note per invoice: it cancels the invoice as a whole.
            models.UniqueConstraint(
                fields=["credited_invoice"],
                condition=Q(credited_invoice__isnull=False),
                name="invoice_credited_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credited_invoice__isnull=True)
                | Q(kind="credit_note", credited_invoice__isnull=False),
                name="invoice_credit_note_references_invoice",
            ),
        ]
        indexes = [
            # A store's invoices, newest first; the monthly job's "already issued?" check.
            models.Index(fields=["store", "period_start"], name="invoice_store_period_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(models.Model):
    """One line of an invoice: the commission on one sale (or its reversal, negative), from
    the ledger entry that booked it."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    position = models.PositiveIntegerField(verbose_name=_("position"))
    entry = models.ForeignKey(
        "payments.JournalEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ledger entry"),
    )
    date = models.DateField(_("date"))
    label = models.CharField(_("label"), max_length=200)
    order_number = models.CharField(_("order"), max_length=40, blank=True)
    amount_excl_vat_cents = models.BigIntegerField(_("amount excl. VAT"))
    vat_rate_bp = models.PositiveIntegerField(_("VAT rate"))
    vat_cents = models.BigIntegerField(_("VAT"))

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return self.label
