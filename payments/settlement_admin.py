"""HQ's rules for money between stores in admin (docs/settlement.md); imported by
payments/admin.py."""

from django.contrib import admin

from network_marketplace.audit import record_audit_event

from .models import SettlementPolicy


@admin.register(SettlementPolicy)
class SettlementPolicyAdmin(admin.ModelAdmin):
    """HQ's rules for money between stores (docs/settlement.md). One row; changes audited."""

    list_display = [
        "__str__",
        "transfer_price_rate_bp",
        "return_handling_fee_cents",
        "transfer_handover_fee_cents",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return not SettlementPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_audit_event(
            actor=request.user,
            action="settlement_policy.changed",
            target=obj,
            data={name: str(form.cleaned_data[name]) for name in form.changed_data},
        )
