"""A store's marketing order and its lines. Each line keeps its own copy of what was ordered
(price, VAT, artwork version, proof), its shares (store and HQ co-funding) and its own supplier
progress; the order's status follows `marketing_hub/states.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import StatusEvent

from .catalogue import Artwork, MarketingItem, Proof, Supplier


class MarketingOrder(models.Model):
    class Status(models.TextChoices):
        CART = "cart", _("Cart")
        PLACED = "placed", _("Placed")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        IN_PRODUCTION = "in_production", _("In production")
        SHIPPED = "shipped", _("Shipped")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        related_name="marketing_orders",
        verbose_name=_("store"),
    )
    number = models.CharField(_("number"), max_length=30, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CART
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True)
    # Why HQ must review it (free text used, above a quantity or amount, always review).
    review_reasons = models.JSONField(_("review reasons"), default=list, blank=True)
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    review_reminded_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("review reminded at")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=500, blank=True)
    total_excl_vat_cents = models.BigIntegerField(_("total excl. VAT"), default=0)
    vat_cents = models.BigIntegerField(_("VAT"), default=0)
    store_share_cents = models.BigIntegerField(_("store's share excl. VAT"), default=0)
    hq_share_cents = models.BigIntegerField(_("HQ co-funding excl. VAT"), default=0)
    budget = models.ForeignKey(
        "marketing_hub.Budget",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("budget"),
    )
    # The back-office cart (one per store) or an order drafted in one go through the API (any
    # number at once: each is placed on its own).
    is_cart = models.BooleanField(_("back-office cart"), default=True)
    # The API client's Idempotency-Key and its request's fingerprint: a retried create
    # answers with the order it made instead of making another.
    idempotency_key = models.CharField(
        max_length=100, blank=True, verbose_name=_("idempotency key")
    )
    request_fingerprint = models.CharField(
        max_length=64, blank=True, verbose_name=_("request fingerprint")
    )
    delivery_address = models.JSONField(_("delivery address"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("marketing order")
        verbose_name_plural = _("marketing orders")
        constraints = [
            # One open cart per store.
            models.UniqueConstraint(
                fields=["store"],
                condition=Q(status="cart", is_cart=True),
                name="marketing_one_cart_per_store",
            ),
            models.CheckConstraint(
                condition=Q(store_share_cents__gte=0, hq_share_cents__gte=0),
                name="marketing_order_shares_positive",
            ),
            models.UniqueConstraint(
                fields=["store", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="marketing_order_idempotency_key",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "status"], name="mkorder_store_status_idx"),
            models.Index(fields=["status", "review_deadline"], name="mkorder_review_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"cart #{self.pk}"


class MarketingOrderLine(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        IN_PRODUCTION = "in_production", _("In production")
        SHIPPED = "shipped", _("Shipped")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    order = models.ForeignKey(
        MarketingOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    item = models.ForeignKey(
        MarketingItem, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("item")
    )
    # Copies taken when the line is placed: editing the item later changes none of them.
    item_reference = models.CharField(_("reference"), max_length=40)
    item_name = models.CharField(_("item"), max_length=200)
    artwork = models.ForeignKey(
        Artwork,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("artwork"),
    )
    proof = models.ForeignKey(
        Proof,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("proof"),
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    price_cents = models.PositiveIntegerField(_("price excl. VAT"))
    vat_rate_bp = models.PositiveIntegerField(_("VAT rate"))
    hq_share_cents = models.PositiveIntegerField(_("HQ co-funding excl. VAT"), default=0)
    store_share_cents = models.PositiveIntegerField(_("store's share excl. VAT"), default=0)
    cofunding_rule = models.ForeignKey(
        "marketing_hub.CoFundingRule",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("cofunding rule"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    supplier = models.ForeignKey(
        Supplier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("supplier"),
    )
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)
    produced_at = models.DateTimeField(_("produced at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # The store's invoice for its share and, when cancelled after the charge, its credit note.
    invoice = models.ForeignKey(
        "payments.Invoice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invoice"),
    )
    credit_note = models.ForeignKey(
        "payments.Invoice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("credit note"),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("marketing order line")
        verbose_name_plural = _("marketing order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(hq_share_cents__lte=models.F("price_cents"))
                & Q(store_share_cents__lte=models.F("price_cents")),
                name="marketing_line_shares_within_price",
            ),
        ]
        indexes = [models.Index(fields=["supplier", "status"], name="mkline_supplier_status_idx")]

    def __str__(self) -> str:
        return f"{self.item_reference} x {self.quantity}"


class MarketingOrderEvent(StatusEvent):
    order = models.ForeignKey(
        MarketingOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("marketing order event")
        verbose_name_plural = _("marketing order events")


class MarketingOrderNumberSeries(models.Model):
    """The counter behind the orders' numbers ("MK-2027-00042"), one row per year: placing an
    order increments it with one UPDATE, so numbers are unique and follow the order of placing."""

    year = models.PositiveIntegerField(unique=True, verbose_name=_("year"))
    last_number = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("marketing order number series")
        verbose_name_plural = _("marketing order number series")

    def __str__(self) -> str:
        return f"MK-{self.year} · {self.last_number}"


class OrderInReview(MarketingOrder):
    """HQ's review queue in the admin: the orders waiting for HQ, deadline first."""

    class Meta:
        proxy = True
        verbose_name = _("order to review")
        verbose_name_plural = _("review queue")


class SupplierLine(MarketingOrderLine):
    """The suppliers' lines in the admin: approved lines and their production and shipping."""

    class Meta:
        proxy = True
        verbose_name = _("supplier line")
        verbose_name_plural = _("supplier lines")
