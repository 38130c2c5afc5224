"""Withdrawals: a customer's declaration that she withdraws from (part of) a distance contract,
made with the withdrawal button of her order page (Directive 2023/2673) or through the API.
Imported by fulfillment/models.py (the app's models module); made by
fulfillment/services/withdrawals.py, which opens the return that brings the goods back.

A withdrawal is a record, never edited: when it was made, through which channel, which units,
the optional reason, and the date by which the refund is due (14 days later, art. 13 of
Directive 2011/83/EU). Its units can't be withdrawn twice.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

WITHDRAWAL_REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"


def new_withdrawal_reference() -> str:
    body = "".join(secrets.choice(WITHDRAWAL_REFERENCE_ALPHABET) for _ in range(8))
    return f"W-{body}"


class WithdrawalQuerySet(models.QuerySet):
    def for_store(self, store) -> WithdrawalQuerySet:
        """A store sees the withdrawals from what it sold, and those it receives the goods of."""
        return self.filter(Q(lines__seller_store=store) | Q(return_request__store=store)).distinct()


class Withdrawal(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Withdrawal button on the order page")
        API = "api", _("API")

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=new_withdrawal_reference
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="withdrawals",
        verbose_name=_("order"),
    )
    # The return that brings the goods back (any store or by post), opened with the withdrawal.
    return_request = models.OneToOneField(
        "fulfillment.Return",
        on_delete=models.PROTECT,
        related_name="withdrawal",
        verbose_name=_("return"),
    )
    declared_at = models.DateTimeField(_("withdrawn at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    reason = models.CharField(_("reason given"), max_length=500, blank=True)
    refund_due_at = models.DateTimeField(_("refund due by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_label = models.CharField(_("made by"), max_length=200, blank=True)

    objects = WithdrawalQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        indexes = [
            # The late-refund list: withdrawals by refund due date.
            models.Index(fields=["refund_due_at"], name="withdrawal_refund_due_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class WithdrawalLine(models.Model):
    """Units of one fulfilment line the customer withdrew from."""

    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.CASCADE, related_name="lines")
    fulfilment_line = models.ForeignKey(
        "fulfillment.FulfilmentLine", on_delete=models.PROTECT, related_name="withdrawal_lines"
    )
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="+")
    seller_store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("sold by")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    # The last moment of the part's withdrawal period when the customer withdrew (None: the
    # period had not started: the order's last parcel was still on its way).
    period_ends_at = models.DateTimeField(_("withdrawal period ends"), null=True, blank=True)

    class Meta:
        ordering = ["withdrawal", "id"]
        verbose_name = _("withdrawal line")
        verbose_name_plural = _("withdrawal lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="withdrawal_line_qty_positive"
            ),
            models.UniqueConstraint(
                fields=["withdrawal", "fulfilment_line"], name="withdrawal_line_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.order_line.sku}"
