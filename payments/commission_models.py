"""Commission plans, the split of each sale, and the transfers to stores' connected accounts.

Imported by payments/models.py (the app's models module). Amounts are integer cents.

- `CommissionPlan` (one row): the network's default rate, the fixed fee per order, the share
  of the commission credited to the order's catchment store, the VAT rate of the commission.
- `CommissionRate`: a rate for a category (inherited down the tree) and/or a store, valid over
  a period; payments/selectors.py resolves which one applies.
- `SaleSplit`: how one fulfilment line's sale (or one fulfilment's delivery fee) was split, as
  booked in the ledger when the goods left; `SplitReversal` what a refund took back of it.
- `Transfer` / `TransferReversal`: the money moved to (and back from) a store's connected
  account at the provider, sent through the outbox; `TransferEvent` a transfer's moves.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import SingletonSettings, StatusEvent

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class CommissionPlan(SingletonSettings):
    """HQ's commission plan for the network (a single row). Rates by category and store are
    `CommissionRate` rows; this row holds what applies when none does, and the order-level terms."""

    default_rate_percent = models.DecimalField(
        _("network default rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("12.00"),
        validators=PERCENT,
        help_text=_(
            "Of the price paid (VAT included), for the categories and stores that have "
            "no rate of their own."
        ),
    )
    fixed_fee_cents = models.PositiveIntegerField(
        _("fixed fee per order excl. VAT"),
        default=0,
        help_text=_(
            "Charged once per order, spread over its items by price; each store pays "
            "the part of the items it sells."
        ),
    )
    catchment_share_percent = models.DecimalField(
        _("catchment store's share of the commission (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=PERCENT,
        help_text=_(
            "Credited to the customer's local store when another location served the order."
        ),
    )
    commission_vat_percent = models.DecimalField(
        _("VAT on the commission (%)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("20.0"),
        validators=PERCENT,
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("commission plan")
        verbose_name_plural = _("commission plan")
        constraints = [
            models.CheckConstraint(
                condition=Q(default_rate_percent__gte=0)
                & Q(default_rate_percent__lte=100)
                & Q(catchment_share_percent__gte=0)
                & Q(catchment_share_percent__lte=100)
                & Q(commission_vat_percent__gte=0)
                & Q(commission_vat_percent__lte=100),
                name="commission_plan_percents_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Commission plan"))


class CommissionRate(models.Model):
    """A commission rate for a category (and its sub-categories) and/or one store, valid from
    `valid_from` (included) until `valid_until` (excluded); empty dates are open-ended. Two rates
    of the same store and category never overlap (checked by `clean`)."""

    category = models.ForeignKey(
        "catalog.Category",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Empty: every category (for a store: the store's own default rate)."),
    )
    store = models.ForeignKey(
        "stores.Store",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("store"),
        help_text=_("Empty: every store of the network."),
    )
    rate_percent = models.DecimalField(
        _("rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until (excluded)"),
        null=True,
        blank=True,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["store_id", "category_id", "valid_from"]
        verbose_name = _("commission rate")
        verbose_name_plural = _("commission rates")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_percent__gte=0) & Q(rate_percent__lte=100),
                name="commission_rate_percent_valid",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="commission_rate_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=False) | Q(store__isnull=False),
                name="commission_rate_has_scope",
            ),
        ]
        indexes = [
            # The resolver reads the rates of a few stores (and the network's) at once.
            models.Index(fields=["store", "category"], name="commission_rate_scope_idx"),
        ]

    def __str__(self) -> str:
        scope = " · ".join(str(part) for part in (self.store, self.category) if part)
        return f"{scope}: {self.rate_percent} %"

    def overlaps(self, other: CommissionRate) -> bool:
        return (
            self.valid_until is None
            or other.valid_from is None
            or other.valid_from < self.valid_until
        ) and (
            other.valid_until is None
            or self.valid_from is None
            or self.valid_from < other.valid_until
        )

    def clean(self) -> None:
        super().clean()
        if self.category_id is None and self.store_id is None:
            raise ValidationError(
                _("Give a category, a store or both (the network default is in the plan).")
            )
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": _("The end must be after the start.")})
        same_scope = CommissionRate.objects.filter(
            store_id=self.store_id,  # type: ignore[misc]  # None: every store
            category_id=self.category_id,
        ).exclude(pk=self.pk)
        clash = next((rate for rate in same_scope if rate.overlaps(self)), None)
        if clash is not None:
            raise ValidationError(
                _("This period overlaps another rate of the same store and category (%(rate)s).")
                % {"rate": clash}
            )


class SaleSplit(models.Model):
    """How one sale was split when its goods left the location: one row per fulfilment line
    (`kind` goods) and one per home-delivery fulfilment for its share of the delivery fee.

    gross = net + commission + commission_vat, always. `commission` (excl. VAT) includes the
    `catchment` share credited to the attributed store; for a sale of HQ's own locations
    (branches, warehouse) commission is 0, `net` is HQ's sale (of which `sale_vat`) and the
    catchment share is HQ's expense. `fee` is the provider fee's share, borne by HQ (reporting).
    """

    class Kind(models.TextChoices):
        GOODS = "goods", _("Goods")
        DELIVERY = "delivery", _("Delivery fee")

    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="sale_splits",
        verbose_name=_("order"),
    )
    fulfilment = models.ForeignKey(
        "fulfillment.Fulfilment",
        on_delete=models.PROTECT,
        related_name="sale_splits",
        verbose_name=_("fulfilment"),
    )
    fulfilment_line = models.OneToOneField(
        "fulfillment.FulfilmentLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sale_split",
        verbose_name=_("fulfilment line"),
    )
    order_line = models.ForeignKey(
        "orders.OrderLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("order line"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GOODS)
    seller_store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("sold by")
    )
    sold_by_hq = models.BooleanField(_("HQ's own sale"), default=False)
    attributed_store = models.ForeignKey(
        "stores.Store",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("catchment store"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    rate_percent = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2, default=0)
    gross_cents = models.BigIntegerField(_("paid"))
    commission_cents = models.BigIntegerField(_("commission excl. VAT"), default=0)
    commission_vat_cents = models.BigIntegerField(_("VAT on commission"), default=0)
    catchment_cents = models.BigIntegerField(_("catchment share"), default=0)
    fee_cents = models.BigIntegerField(_("provider fee share"), default=0)
    net_cents = models.BigIntegerField(_("store net"))
    sale_vat_cents = models.BigIntegerField(_("VAT on HQ's sale"), default=0)
    currency = models.CharField(max_length=3, default="EUR", verbose_name=_("currency"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["order_id", "fulfilment_id", "id"]
        verbose_name = _("sale split")
        verbose_name_plural = _("sale splits")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    gross_cents=F("net_cents") + F("commission_cents") + F("commission_vat_cents")
                ),
                name="sale_split_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(gross_cents__gte=0)
                & Q(net_cents__gte=0)
                & Q(commission_cents__gte=0)
                & Q(commission_vat_cents__gte=0)
                & Q(catchment_cents__gte=0)
                & Q(fee_cents__gte=0)
                & Q(sale_vat_cents__gte=0),
                name="sale_split_parts_non_negative",
            ),
            models.UniqueConstraint(
                fields=["fulfilment"],
                condition=Q(kind="delivery"),
                name="sale_split_one_delivery_per_fulfilment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} · {self.seller_store_id} · {self.gross_cents}"


class SplitReversal(models.Model):
    """What one refund took back of a sale split (each part in proportion, to the cent)."""

    split = models.ForeignKey(
        SaleSplit, on_delete=models.PROTECT, related_name="reversals", verbose_name=_("split")
    )
    refund = models.ForeignKey(
        "payments.Refund", on_delete=models.PROTECT, related_name="+", verbose_name=_("refund")
    )
    gross_cents = models.BigIntegerField(_("refunded"))
    net_cents = models.BigIntegerField(_("store net"), default=0)
    commission_cents = models.BigIntegerField(_("commission excl. VAT"), default=0)
    commission_vat_cents = models.BigIntegerField(_("VAT on commission"), default=0)
    catchment_cents = models.BigIntegerField(_("catchment share"), default=0)
    sale_vat_cents = models.BigIntegerField(_("VAT on HQ's sale"), default=0)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["split_id", "id"]
        verbose_name = _("split reversal")
        verbose_name_plural = _("split reversals")
        constraints = [
            models.UniqueConstraint(fields=["split", "refund"], name="split_reversal_once"),
            models.CheckConstraint(
                condition=Q(
                    gross_cents=F("net_cents") + F("commission_cents") + F("commission_vat_cents")
                ),
                name="split_reversal_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.split_id} · -{self.gross_cents}"


class Transfer(models.Model):
    """A store's share of a sale moved to its connected account at the provider (its net for
    the fulfilment it served, or its catchment share), sent by the outbox after commit."""

    class Kind(models.TextChoices):
        SALE = "sale", _("Sale")
        CATCHMENT = "catchment", _("Catchment share")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Transferred")
        FAILED = "failed", _("Refused")
        PARTIALLY_REVERSED = "partially_reversed", _("Partly reversed")
        REVERSED = "reversed", _("Reversed")

    store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, related_name="transfers", verbose_name=_("store")
    )
    fulfilment = models.ForeignKey(
        "fulfillment.Fulfilment",
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("fulfilment"),
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="transfers", verbose_name=_("order")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SALE)
    amount_cents = models.BigIntegerField(_("amount"))
    # What refunds took back (decided; each reversal reaches the provider through the outbox).
    reversed_cents = models.BigIntegerField(_("reversed"), default=0)
    currency = models.CharField(max_length=3, default="EUR", verbose_name=_("currency"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(
        max_length=100, unique=True, verbose_name=_("idempotency key")
    )
    failure_message = models.CharField(_("failure"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    paid_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="transfer_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(reversed_cents__gte=0) & Q(reversed_cents__lte=F("amount_cents")),
                name="transfer_reversals_within_amount",
            ),
        ]
        indexes = [
            # A store's transfers, newest first (statements, payouts).
            models.Index(fields=["store", "-created_at"], name="transfer_store_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.store} · {self.amount_cents / 100:.2f} {self.currency}"


class TransferEvent(StatusEvent):
    """A transfer's change of status (sent, refused, reversed): who, when, from, to, why."""

    transfer = models.ForeignKey(
        Transfer, on_delete=models.CASCADE, related_name="events", verbose_name=_("transfer")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("transfer event")
        verbose_name_plural = _("transfer events")


class TransferReversal(models.Model):
    """Part of a transfer taken back from the store's connected account after a refund."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Reversed")

    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, related_name="reversals", verbose_name=_("transfer")
    )
    refund = models.ForeignKey(
        "payments.Refund", on_delete=models.PROTECT, related_name="+", verbose_name=_("refund")
    )
    amount_cents = models.BigIntegerField(_("amount"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(
        max_length=120, unique=True, verbose_name=_("idempotency key")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))

    class Meta:
        ordering = ["transfer_id", "id"]
        verbose_name = _("transfer reversal")
        verbose_name_plural = _("transfer reversals")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="transfer_reversal_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id} · -{self.amount_cents}"
