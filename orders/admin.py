from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network_marketplace.admin_base import (
    ModelAdmin,
    SingletonModelAdmin,
    StatusEventInline,
    TabularInline,
)

from .models import Order, OrderEvent, OrderLine, OrderPolicy, PickupSlot
from .selectors import routing_log_rows, slot_label, slots_label


class OrderLineInline(TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = [
        "sku",
        "product_name",
        "quantity",
        "unit_price_cents",
        "total_cents",
        "method",
        "chosen_store",
        "cancelled_quantity",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(StatusEventInline):
    model = OrderEvent


class PickupSlotInline(TabularInline):
    """The pickup time the customer chose at each store that offers slots."""

    model = PickupSlot
    extra = 0
    can_delete = False
    fields = ["pickup_store", "slot"]
    readonly_fields = fields

    @admin.display(description=_("pickup store"))
    def pickup_store(self, obj):
        return obj.store

    @admin.display(description=_("pickup slot"))
    def slot(self, obj):
        return slot_label(obj.starts_at, obj.ends_at)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ModelAdmin):
    """Read-only: orders change through their services (checkout, fulfilment steps, returns)."""

    list_display = [
        "number",
        "status",
        "customer_label",
        "attributed_store",
        "total_cents",
        "placed_at",
        "pickup",
    ]
    list_filter = ["status", "channel", "lines__method", "attributed_store"]
    search_fields = ["number", "email", "last_name", "lines__sku"]
    date_hierarchy = "created_at"
    list_select_related = ["attributed_store"]
    inlines = [OrderLineInline, PickupSlotInline, OrderEventInline]
    show_full_result_count = False
    # What the apps above orders show with an order (payments' sale splits), added at start-up
    # through add_inline: orders' admin knows none of them.
    extra_inlines: list[type[admin.options.InlineModelAdmin]] = []

    @classmethod
    def add_inline(cls, inline: type[admin.options.InlineModelAdmin]) -> None:
        if inline not in cls.extra_inlines:
            cls.extra_inlines.append(inline)

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *self.extra_inlines]

    def get_readonly_fields(self, request, obj=None):
        return [
            "customer_label",
            *(f.name for f in Order._meta.fields if f.name != "routing_log"),
            "routing",
        ]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("pickup_slots")

    @admin.display(description=_("customer"), ordering="email")
    def customer_label(self, obj):
        """Her e-mail address; "Deleted customer" once she closed her account."""
        return obj.customer_name if obj.customer_erased_at else obj.email

    @admin.display(description=_("pickup slot"))
    def pickup(self, obj):
        """The time the customer chose to collect (one per pickup store)."""
        return slots_label(list(obj.pickup_slots.all())) or "—"

    @admin.display(description=_("routing"))
    def routing(self, obj):
        """Each routing decision as a table: per line, the candidates, their scores and why
        the chosen one won (Order.routing_log, kept by checkout and re-routing)."""
        return render_to_string(
            "admin/orders/_routing_log.html", {"records": routing_log_rows(obj)}
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrderPolicy)
class OrderPolicyAdmin(SingletonModelAdmin):
    """HQ's order rules, the routing rules among them: one row, edited in place."""

    list_display = [
        "__str__",
        "accept_within_minutes",
        "max_parcels",
        "updated_at",
    ]
    fieldsets = [
        (
            _("Stores' deadlines"),
            {
                "fields": [
                    "accept_within_minutes",
                    "collect_within_days",
                    "reserve_hold_hours",
                    "pickup_code_attempts",
                ]
            },
        ),
        (
            pgettext_lazy("order policy section", "Checkout"),
            {
                "fields": [
                    "checkout_hold_minutes",
                    "home_delivery_fee_cents",
                    "free_delivery_from_cents",
                ]
            },
        ),
        (
            _("Routing: which store ships a home delivery"),
            {
                "description": _(
                    "The warehouse ships first when it has every line (if “warehouse first” is "
                    "on). Otherwise each store that has the items is scored: every component is "
                    "between 0 and 1, the total is the weighted sum, the highest total ships. "
                    "Each weight is between 0 and 1 and only their ratios matter "
                    "(0.4/0.2/0.25/0.15 is the same as 0.8/0.4/0.5/0.3). Each routing decision "
                    "is kept with the order (see an order's “routing”). Try new weights on the "
                    "last days' orders first: Head office, “Fair routing”."
                ),
                "fields": [
                    "warehouse_first",
                    "distance_weight",
                    "stock_depth_weight",
                    "load_weight",
                    "fairness_weight",
                    "fairness_window_days",
                ],
            },
        ),
        (
            _("Routing limits"),
            {
                "fields": [
                    "max_parcels",
                    "max_distance_km",
                    "default_daily_capacity",
                    "transfer_for_collect",
                ],
            },
        ),
        (
            _("Delays told to the customer (days)"),
            {
                "fields": [
                    "collect_delay_days",
                    "transfer_delay_days",
                    "warehouse_delivery_days",
                    "store_delivery_days",
                ]
            },
        ),
    ]
