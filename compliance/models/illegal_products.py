"""Illegal products (DSA art. 32): HQ's confirmation that a product sold on the marketplace is
illegal, and the record of each buyer of the last 6 months told about it (or who could not be:
no contact), from which the public notice lists the products whose buyers were not all reached.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IllegalProductCase(models.Model):
    """HQ confirmed that `product` is illegal. `buyers_since` is the start of the period whose
    buyers are told (the confirmation minus ILLEGAL_PRODUCT_BUYERS_MONTHS)."""

    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        related_name="illegal_product_cases",
        verbose_name=_("product"),
    )
    product_name = models.CharField(_("product name"), max_length=200)
    illegality = models.TextField(
        _("what is illegal"),
        help_text=_("Told to the buyers: what makes the product illegal and the risk, if any."),
    )
    legal_ground = models.CharField(_("legal ground"), max_length=300)
    buyers_since = models.DateTimeField(_("buyers since"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))
    # The job's last run: when every buyer had been recorded (told, or without contact).
    buyers_recorded_at = models.DateTimeField(_("buyers recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        verbose_name = _("illegal product")
        verbose_name_plural = _("illegal products")

    def __str__(self) -> str:
        return self.product_name


class IllegalProductBuyer(models.Model):
    """One buyer of an illegal product, told once. `buyer_key` is the buyer's e-mail (lower
    case), or "order:<id>" for an order without a usable contact, so that running the job again
    finds the buyer already recorded."""

    class Outcome(models.TextChoices):
        EMAILED = "emailed", _("E-mailed")
        NO_CONTACT = "no_contact", _("No contact")

    case = models.ForeignKey(
        IllegalProductCase, on_delete=models.CASCADE, related_name="buyers", verbose_name=_("case")
    )
    buyer_key = models.CharField(_("buyer"), max_length=254)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    order_numbers = models.JSONField(_("orders"), default=list)
    sellers = models.JSONField(_("sold by"), default=list)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("buyer told")
        verbose_name_plural = _("buyers told")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "buyer_key"], name="illegal_product_buyer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.buyer_key}"
