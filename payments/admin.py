"""HQ reads payments and refunds here; they change only through payments.services."""

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin import ReadOnlyModelAdmin

from .models import Payment, PaymentAccount, ProviderEvent, Refund


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


class PayoutStateFilter(admin.SimpleListFilter):
    """HQ's flag: stores whose account has requirements past due receive no payouts."""

    title = _("payout state")
    parameter_name = "payout_state"

    def lookups(self, request, model_admin):
        return [
            ("past_due", _("Requirements past due")),
            ("incomplete", _("Onboarding incomplete")),
            ("ready", _("Ready")),
        ]

    def queryset(self, request, queryset):
        past_due = Q(past_due=[])
        ready = Q(charges_enabled=True, payouts_enabled=True, currently_due=[])
        if self.value() == "past_due":
            return queryset.exclude(past_due)
        if self.value() == "ready":
            return queryset.filter(past_due & ready)
        if self.value() == "incomplete":
            return queryset.filter(past_due).exclude(ready)
        return queryset


@admin.register(PaymentAccount)
class PaymentAccountAdmin(ReadOnlyModelAdmin):
    list_display = [
        "store", "reference", "payout_state", "can_receive_payouts_column", "charges_enabled",
        "past_due", "state_as_of",
    ]  # fmt: skip
    list_filter = [PayoutStateFilter, "provider", "payouts_enabled"]
    search_fields = ["store__name", "store__slug", "reference"]
    list_select_related = ["store"]

    @admin.display(description=_("payout state"))
    def payout_state(self, account: PaymentAccount):
        labels = {"past_due": (_("Requirements past due"), "#b42318"),
                  "incomplete": (_("Onboarding incomplete"), "#8a5a00"),
                  "ready": (_("Ready"), "#1e6b34")}  # fmt: skip
        label, colour = labels[account.onboarding_state]
        return format_html('<strong style="color: {}">{}</strong>', colour, label)

    @admin.display(boolean=True, description=_("can receive payouts"))
    def can_receive_payouts_column(self, account: PaymentAccount) -> bool:
        return account.can_receive_payouts


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyModelAdmin):
    list_display = ["event_id", "type", "account", "created", "received_at", "processed_at",
                    "outcome"]  # fmt: skip
    list_filter = ["type", ("processed_at", admin.EmptyFieldListFilter)]
    search_fields = ["event_id", "account", "type"]
    date_hierarchy = "received_at"
