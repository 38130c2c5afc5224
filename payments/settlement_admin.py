"""HQ's rules for money between stores in admin (docs/settlement.md); imported by
payments/admin.py."""

from django.contrib import admin

from network_marketplace.admin_base import SingletonModelAdmin

from .models import SettlementPolicy


@admin.register(SettlementPolicy)
class SettlementPolicyAdmin(SingletonModelAdmin):
    """HQ's rules for money between stores (docs/settlement.md). One row; changes audited."""

    list_display = [
        "__str__",
        "transfer_price_rate_bp",
        "return_handling_fee_cents",
        "transfer_handover_fee_cents",
        "updated_at",
    ]

    audit_action = "settlement_policy.changed"
