"""HQ's admin of withdrawals: every withdrawal of the network, read-only, with the state of its
refund against the 14-day rule (late ones first to see, with a filter and a badge)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin_base import (
    DANGER,
    INFO,
    SUCCESS,
    WARNING,
    ModelAdmin,
    TabularInline,
    badge,
    state_badge,
)

from .models import Return, Withdrawal, WithdrawalLine
from .selectors import GOODS_BACK_STATUSES, is_refund_late, was_refunded_late


class WithdrawalLineInline(TabularInline):
    model = WithdrawalLine
    extra = 0
    fields = ["order_line", "seller_store", "quantity", "period_ends_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RefundStateFilter(admin.SimpleListFilter):
    title = _("refund")
    parameter_name = "refund"

    def lookups(self, request, model_admin):
        return [
            ("late", _("Late (goods back, due date passed)")),
            ("refunded_late", _("Refunded late")),
            ("waiting_goods", _("Waiting for the goods")),
            ("refunded", _("Refunded")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        status = "return_request__status"
        if self.value() == "late":
            return queryset.filter(refund_due_at__lt=now, **{f"{status}__in": GOODS_BACK_STATUSES})
        if self.value() == "refunded_late":
            return queryset.filter(
                Q(**{status: Return.Status.REFUNDED})
                & Q(return_request__refunded_at__gt=F("refund_due_at"))
            )
        if self.value() == "waiting_goods":
            return queryset.filter(**{status: Return.Status.REQUESTED})
        if self.value() == "refunded":
            return queryset.filter(**{status: Return.Status.REFUNDED})
        return queryset


@admin.register(Withdrawal)
class WithdrawalAdmin(ModelAdmin):
    list_display = [
        "reference",
        "order",
        "declared_at",
        "channel",
        "return_request",
        "return_status",
        "refund_due_at",
        "refund_state",
    ]
    list_filter = [RefundStateFilter, "channel"]
    search_fields = ["reference", "order__number", "order__email", "return_request__number"]
    list_select_related = ["order", "return_request"]
    inlines = [WithdrawalLineInline]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Withdrawal._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("return"), ordering="return_request__status")
    def return_status(self, obj):
        return state_badge(obj.return_request.status, obj.return_request.get_status_display())

    @admin.display(description=_("refund"))
    def refund_state(self, obj):
        if is_refund_late(obj):
            return badge(_("Late"), DANGER)
        if was_refunded_late(obj):
            return badge(_("Refunded late"), DANGER)
        if obj.return_request.status == Return.Status.REFUNDED:
            return badge(_("Refunded"), SUCCESS)
        if obj.return_request.status == Return.Status.REQUESTED:
            return badge(_("Waiting for the goods"), WARNING)
        return badge(_("On time"), INFO)
