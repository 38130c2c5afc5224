"""HQ's rules for money between stores (payments/settlement.py says what they settle).
Imported by payments/models.py, the app's one models module."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import SingletonSettings

from .settlement import SettlementRules


class SettlementPolicy(SingletonSettings):
    """What a store pays another when goods or work cross between them: the transfer price of
    goods one store keeps of another's, and the fees for work done on another's sale."""

    transfer_price_rate_bp = models.PositiveIntegerField(
        _("transfer price (share of the price paid)"),
        default=6000,
        validators=[MaxValueValidator(10_000)],
        help_text=_(
            "Goods a store keeps of another's (a return it restocks, a transfer not collected) "
            "are bought back at this share of the price the customer paid, VAT included, in "
            "per cent."
        ),
    )
    return_handling_fee_cents = models.PositiveIntegerField(
        _("return handling fee"),
        default=300,
        help_text=_("Paid by the selling store to the store that takes back its return."),
    )
    transfer_handover_fee_cents = models.PositiveIntegerField(
        _("transfer handover fee"),
        default=150,
        help_text=_("Paid by the source store to the pickup store that hands over its sale."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rules between stores")
        verbose_name_plural = _("rules between stores")

    def __str__(self) -> str:
        return str(_("Rules between stores"))

    def rules(self) -> SettlementRules:
        return SettlementRules(
            transfer_price_rate_bp=self.transfer_price_rate_bp,
            return_handling_fee_cents=self.return_handling_fee_cents,
            transfer_handover_fee_cents=self.transfer_handover_fee_cents,
        )
