from django.contrib import admin

from .models import Order, OrderEvent, OrderLine, OrderPolicy


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = [
        "sku", "product_name", "options_label", "quantity", "unit_price_cents", "vat_percent",
        "total_cents", "method", "chosen_store", "cancelled_quantity",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor_label", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only: orders change through their services (checkout, fulfilment steps, returns)."""

    list_display = [
        "number", "status", "channel", "email", "attributed_store", "total_cents", "placed_at",
    ]  # fmt: skip
    list_filter = ["status", "channel", "attributed_store"]
    search_fields = ["number", "email", "last_name", "lines__sku"]
    date_hierarchy = "created_at"
    list_select_related = ["attributed_store"]
    inlines = [OrderLineInline, OrderEventInline]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Order._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrderPolicy)
class OrderPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__", "accept_within_minutes", "collect_within_days", "reserve_hold_hours",
        "checkout_hold_minutes", "max_parcels",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return not OrderPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
