from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiKey, Store, StoreMembership
from .services import issue_api_key, revoke_api_key


class StoreMembershipInline(admin.TabularInline):
    model = StoreMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "city", "postal_code"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "city", "postal_code", "company_name", "registration_number"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StoreMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status"]}),
        (
            _("Location"),
            {"fields": ["address_line", "postal_code", "city", "country", "latitude", "longitude"]},
        ),
        (_("Contact"), {"fields": ["email", "phone"]}),
        (
            _("Trader identity"),
            {"fields": ["company_name", "registration_number", "vat_number", "legal_address"]},
        ),
    ]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """HQ issues store or HQ keys here; the secret appears once, in the confirmation message."""

    list_display = ["name", "store", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "store__name"]
    autocomplete_fields = ["store"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["store", "name"]
        return ["store", "name", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["store", "name", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            return
        issued = issue_api_key(store=obj.store, name=obj.name, actor=request.user)
        obj.pk, obj.prefix = issued.api_key.pk, issued.api_key.prefix
        messages.warning(
            request,
            _("Copy this key now, it will not be shown again: %(secret)s")
            % {"secret": issued.secret},
        )

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for api_key in queryset:
            revoke_api_key(api_key=api_key, actor=request.user)
        messages.success(request, _("%(count)d key(s) revoked.") % {"count": queryset.count()})
