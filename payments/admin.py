"""HQ reads payments and refunds here; they change only through payments.services."""

from django.contrib import admin

from network_marketplace.admin import ReadOnlyModelAdmin

from .models import Payment, Refund


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
