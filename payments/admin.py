"""HQ reads payments, refunds, transfers and splits here (they change only through the
services) and edits the commission plan and its rates."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin import ReadOnlyModelAdmin
from network_marketplace.audit import record_audit_event
from orders.admin import OrderAdmin

from .models import (
    CommissionPlan,
    CommissionRate,
    Payment,
    Refund,
    SaleSplit,
    Transfer,
    TransferReversal,
)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyModelAdmin):
    list_display = ["order", "provider", "status", "amount_cents", "refunded_cents", "created_at"]
    list_filter = ["status", "provider"]
    search_fields = ["order__number", "reference"]
    list_select_related = ["order"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyModelAdmin):
    list_display = ["order", "amount_cents", "status", "reason", "actor_label", "created_at"]
    list_filter = ["status"]
    search_fields = ["order__number", "reference", "idempotency_key"]
    list_select_related = ["order"]


# Commission plans (HQ edits them), and what was split and transferred (read-only) ----------


@admin.register(CommissionPlan)
class CommissionPlanAdmin(admin.ModelAdmin):
    """The network's plan: one row, edited in place. Rates by category and store are below."""

    list_display = [
        "__str__", "default_rate_percent", "fixed_fee_cents", "catchment_share_percent",
        "commission_vat_percent", "updated_at",
    ]  # fmt: skip

    def changelist_view(self, request, extra_context=None):
        plan = CommissionPlan.current()
        return redirect(reverse("admin:payments_commissionplan_change", args=[plan.pk]))

    def has_add_permission(self, request):
        return not CommissionPlan.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_audit_event(
            actor=request.user, action="payments.commission_plan_changed", target=obj,
            data={name: str(form.cleaned_data[name]) for name in form.changed_data},
        )  # fmt: skip


@admin.register(CommissionRate)
class CommissionRateAdmin(admin.ModelAdmin):
    """Rates by category (inherited down the tree) and store, per period; two rates of one
    store and category may not overlap (CommissionRate.clean)."""

    list_display = ["store", "category", "rate_percent", "valid_from", "valid_until", "note"]
    list_filter = ["store", "category"]
    search_fields = ["store__name", "category__name", "note"]
    list_select_related = ["store", "category"]
    fields = ["store", "category", "rate_percent", "valid_from", "valid_until", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_audit_event(
            actor=request.user, action="payments.commission_rate_saved", target=obj,
            store_id=obj.store_id,
            data={"category": obj.category_id, "rate_percent": str(obj.rate_percent),
                  "valid_from": str(obj.valid_from), "valid_until": str(obj.valid_until)},
        )  # fmt: skip

    def delete_model(self, request, obj):
        record_audit_event(
            actor=request.user, action="payments.commission_rate_deleted", target=obj,
            store_id=obj.store_id, data={"rate_percent": str(obj.rate_percent)},
        )  # fmt: skip
        super().delete_model(request, obj)


@admin.register(Transfer)
class TransferAdmin(ReadOnlyModelAdmin):
    list_display = [
        "order", "store", "kind", "amount_cents", "reversed_cents", "status", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "kind"]
    search_fields = ["order__number", "store__name", "reference", "idempotency_key"]
    list_select_related = ["order", "store"]


@admin.register(TransferReversal)
class TransferReversalAdmin(ReadOnlyModelAdmin):
    list_display = ["transfer", "refund", "amount_cents", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["reference", "idempotency_key"]


class SaleSplitInline(admin.TabularInline):
    """Each line's split as booked when its goods left (the order admin shows it)."""

    model = SaleSplit
    fk_name = "order"
    extra = 0
    can_delete = False
    verbose_name_plural = _("commission split per line")
    fields = [
        "fulfilment", "order_line", "kind", "seller_store", "quantity", "rate_percent",
        "gross_cents", "commission_cents", "commission_vat_cents", "catchment_cents",
        "attributed_store", "fee_cents", "net_cents", "reversed",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("seller_store", "attributed_store", "order_line", "fulfilment")
            .prefetch_related("reversals")
        )

    @admin.display(description=_("refunded (cents)"))
    def reversed(self, obj):
        return sum(reversal.gross_cents for reversal in obj.reversals.all())


OrderAdmin.inlines = [*OrderAdmin.inlines, SaleSplitInline]
