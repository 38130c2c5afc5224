from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Fulfilment, FulfilmentEvent, FulfilmentLine


class FulfilmentLineInline(admin.TabularInline):
    model = FulfilmentLine
    extra = 0
    can_delete = False
    fields = ["order_line", "quantity"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class FulfilmentEventInline(admin.TabularInline):
    model = FulfilmentEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor_label", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


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


@admin.register(Fulfilment)
class FulfilmentAdmin(admin.ModelAdmin):
    """Read-only for HQ: stores act on fulfilments in their back-office or through the API."""

    list_display = ["order", "store", "method", "status", "accept_deadline", "updated_at"]
    list_filter = [StuckFilter, "status", "method", "store"]
    search_fields = ["order__number", "order__email", "tracking_number"]
    list_select_related = ["order", "store"]
    inlines = [FulfilmentLineInline, FulfilmentEventInline]
    show_full_result_count = False
    exclude = ["pickup_code_digest"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Fulfilment._meta.fields if f.name != "pickup_code_digest"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
