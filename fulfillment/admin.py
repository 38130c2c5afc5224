from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network_marketplace.admin_base import ModelAdmin, StatusEventInline, TabularInline
from network_marketplace.errors import DomainError
from orders.selectors import slot_label

from .models import Fulfilment, FulfilmentEvent, FulfilmentLine, Return, ReturnEvent, ReturnLine
from .selectors import (
    late_to_ship_q,
    part_deadlines,
    shipped_late_q,
    shipping_window,
    with_pickup_slot,
)
from .services import cancel_return
from .withdrawal_admin import WithdrawalAdmin  # noqa: F401 (registers the withdrawals' admin)


class FulfilmentLineInline(TabularInline):
    model = FulfilmentLine
    extra = 0
    can_delete = False
    fields = ["order_line", "quantity"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class FulfilmentEventInline(StatusEventInline):
    model = FulfilmentEvent


class StuckFilter(admin.SimpleListFilter):
    """HQ's view of orders that wait too long: open fulfilments past their deadline."""

    title = _("stuck")
    parameter_name = "stuck"

    def lookups(self, request, model_admin):
        return [("yes", _("Past a deadline"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        now = timezone.now()
        return queryset.filter(
            Q(status=Fulfilment.Status.AWAITING_ACCEPTANCE, accept_deadline__lt=now)
            | Q(status=Fulfilment.Status.READY_FOR_PICKUP, collect_before__lt=now)
        )


class LateShipmentFilter(admin.SimpleListFilter):
    """Home deliveries that left, or have still to leave, after the customer's promise allows
    (fulfillment.selectors.shipping): the list behind the control tower's late shipments."""

    title = _("late shipment")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("shipped", _("Shipped late")), ("to_ship", _("Late, not shipped yet"))]

    def queryset(self, request, queryset):
        if self.value() == "shipped":
            return queryset.filter(shipped_late_q(shipping_window()))
        if self.value() == "to_ship":
            return queryset.filter(late_to_ship_q(shipping_window(), now=timezone.now()))
        return queryset


class TransferFilter(admin.SimpleListFilter):
    """Store-to-store transfers: `store` sold and sends, `pickup_store` receives and hands
    over."""

    title = _("transfer")
    parameter_name = "transfer"

    def lookups(self, request, model_admin):
        return [("yes", _("Store-to-store transfers")), ("no", _("Served where collected"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pickup_store__isnull=False)
        if self.value() == "no":
            return queryset.filter(pickup_store__isnull=True)
        return queryset


@admin.register(Fulfilment)
class FulfilmentAdmin(ModelAdmin):
    """Read-only for HQ: stores act on fulfilments in their back-office or through the API."""

    list_display = [
        "order",
        "store",
        "pickup_store",
        "method",
        "status",
        "accept_deadline",
        "pickup_slot",
    ]
    list_filter = [
        StuckFilter,
        LateShipmentFilter,
        TransferFilter,
        "status",
        "method",
        "store__kind",
        "store",
        ("order__placed_at", admin.DateFieldListFilter),
    ]
    search_fields = ["order__number", "order__email", "tracking_number"]
    list_select_related = ["order", "store", "pickup_store"]
    inlines = [FulfilmentLineInline, FulfilmentEventInline]
    show_full_result_count = False
    exclude = ["pickup_code_digest", "pickup_code_salt"]

    def get_queryset(self, request):
        return with_pickup_slot(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [
            *(f.name for f in Fulfilment._meta.fields if not f.name.startswith("pickup_code_")),
            "pickup_slot",
            "withdrawal_period",
        ]

    @admin.display(description=_("withdrawal period"))
    def withdrawal_period(self, obj):
        """The last moment the customer may withdraw (fulfillment/withdrawal.py)."""
        period = part_deadlines([obj])[obj.pk]
        if not period.has_right:
            return _("None: reserve & collect, paid in store")
        if period.waiting_for_other_parcels:
            return _("Starts when the order's last parcel arrives")
        if period.ends_at is None:
            return _("Starts when the customer receives the goods")
        return timezone.localtime(period.ends_at).strftime("%d/%m/%Y %H:%M")

    @admin.display(description=_("pickup slot"), ordering="slot_starts_at")
    def pickup_slot(self, obj):
        """The time the customer chose to collect at this fulfilment's pickup store."""
        return slot_label(obj.slot_starts_at, obj.slot_ends_at, short=True) or "—"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReturnLineInline(TabularInline):
    model = ReturnLine
    extra = 0
    can_delete = False
    fields = [
        "order_line",
        "seller_store",
        "quantity",
        "condition",
        "restocked_quantity",
        "refund_cents",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReturnEventInline(StatusEventInline):
    model = ReturnEvent
    fields = ["created_at", "from_status", "to_status", "store", "actor_label", "reason"]


@admin.register(Return)
class ReturnAdmin(ModelAdmin):
    """HQ sees every return of the network; stores handle them at their returns desk. HQ may
    cancel a return not received yet (e.g. a customer who asked by phone)."""

    list_display = ["number", "order", "store", "method", "status", "refunded_cents", "created_at"]
    list_filter = ["status", "method", "reason", "store", "lines__seller_store"]
    search_fields = ["number", "order__number", "order__email"]
    list_select_related = ["order", "store"]
    inlines = [ReturnLineInline, ReturnEventInline]
    actions = ["cancel_selected"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Return._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected returns (not received yet)"))
    def cancel_selected(self, request, queryset):
        done = 0
        for return_request in queryset.order_by("pk"):
            try:
                cancel_return(
                    return_request=return_request,
                    actor=request.user,
                    reason=str(_("Cancelled by HQ.")),
                )
                done += 1
            except DomainError as error:
                self.message_user(request, f"{return_request}: {error.message}", messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("%(count)d return cancelled.", "%(count)d returns cancelled.", done)
                % {"count": done},
            )
