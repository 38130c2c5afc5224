"""Customer invoices: each order part's invoice from the selling store to the customer, and
the credit notes of its refunds. Imported by payments/models.py (the app's models module);
issued by payments/customer_invoices.py. HQ's commission invoices to the stores
(payments/invoice_models.py) are another document, in HQ's own series, untouched by these.

Each store numbers its customer documents in its own gapless series, one per kind and year
(`F0012-2026-00001`, credit notes `A0012-2026-00001`): one locked counter row per series.
An issued document is never edited; the parties' identities are copied onto it at issue.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CustomerInvoiceSeries(models.Model):
    """The counter of one store's series of one kind and year, locked with SELECT ... FOR
    UPDATE by the transaction that issues: numbers follow the order of issue, and a
    rolled-back issue gives its number back."""

    store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    kind = models.CharField(_("kind"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("customer invoice series")
        verbose_name_plural = _("customer invoice series")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "kind", "year"], name="customer_invoice_series_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store_id} · {self.kind} · {self.year} · {self.last_number}"


class CustomerInvoice(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    number = models.CharField(_("number"), max_length=30, unique=True)
    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        related_name="customer_invoices",
        verbose_name=_("sold by"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="customer_invoices",
        verbose_name=_("order"),
    )
    fulfilment = models.ForeignKey(
        "fulfillment.Fulfilment",
        on_delete=models.PROTECT,
        related_name="customer_invoices",
        verbose_name=_("order part"),
    )
    credited_invoice = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("credits invoice"),
    )
    # The refund a credit note gives back (a return, a withdrawal).
    refund = models.ForeignKey(
        "payments.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    currency = models.CharField(max_length=3, default="EUR")
    total_excl_vat_cents = models.BigIntegerField(_("total excl. VAT"))
    vat_cents = models.BigIntegerField(_("VAT"))
    total_incl_vat_cents = models.BigIntegerField(_("total incl. VAT"))
    # [{"rate_bp": 2000, "base_cents": ..., "vat_cents": ...}], one per VAT rate.
    vat_breakdown = models.JSONField(_("VAT breakdown"), default=list)
    seller = models.JSONField(_("seller"), default=dict)
    customer = models.JSONField(_("customer"), default=dict)
    network = models.CharField(_("network"), max_length=100)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("customer invoice")
        verbose_name_plural = _("customer invoices and credit notes")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "kind", "year", "sequence"],
                name="customer_invoice_sequence_unique",
            ),
            # One invoice per order part.
            models.UniqueConstraint(
                fields=["fulfilment"],
                condition=Q(kind="invoice"),
                name="customer_invoice_one_per_part",
            ),
            # One credit note per refund and invoice.
            models.UniqueConstraint(
                fields=["refund", "credited_invoice"],
                condition=Q(kind="credit_note"),
                name="customer_credit_note_once_per_refund",
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credited_invoice__isnull=True)
                | Q(kind="credit_note", credited_invoice__isnull=False),
                name="customer_credit_note_references_invoice",
            ),
        ]
        indexes = [
            models.Index(fields=["order", "kind"], name="customer_invoice_order_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class CustomerInvoiceLine(models.Model):
    """One line: the units of one order line (or the delivery), prices VAT included as the
    customer paid them, and their VAT."""

    invoice = models.ForeignKey(CustomerInvoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    label = models.CharField(_("description"), max_length=300)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    total_incl_vat_cents = models.BigIntegerField(_("total incl. VAT"))
    vat_rate_bp = models.PositiveIntegerField(_("VAT rate"))
    vat_cents = models.BigIntegerField(_("VAT"))

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("customer invoice line")
        verbose_name_plural = _("customer invoice lines")

    def __str__(self) -> str:
        return self.label

    @property
    def total_excl_vat_cents(self) -> int:
        return self.total_incl_vat_cents - self.vat_cents
