from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network_marketplace.admin_base import (
    ModelAdmin,
    ReadOnlyModelAdmin,
    SingletonModelAdmin,
    TabularInline,
)
from network_marketplace.errors import DomainError

from .holidays import is_alsace_moselle, upcoming_public_holidays
from .models import (
    ApiKey,
    PostalCode,
    Reservation,
    StockLevel,
    StockMovement,
    StockPolicy,
    Store,
    StoreInvitation,
    StoreMembership,
    StoreProfilePolicy,
    StoreSpecialDay,
)
from .selectors.feeds import feed_late_before, late_feed_q, with_last_feed
from .services import (
    change_store_status,
    issue_api_key,
    missing_trader_fields,
    refresh_safety_stock,
    release_reservation,
    reset_feed_positions,
    revoke_api_key,
)
from .services.profile import close_on_public_holidays


class StoreMembershipInline(TabularInline):
    model = StoreMembership
    extra = 0
    autocomplete_fields = ["user"]


def _status_action(status, description):
    def action(modeladmin, request, queryset):
        done = 0
        for store in queryset:
            try:
                change_store_status(store=store, status=status, actor=request.user)
                done += 1
            except DomainError as error:
                messages.error(request, error.message)
        if done:
            messages.success(
                request,
                ngettext("%(count)d store updated.", "%(count)d stores updated.", done)
                % {"count": done},
            )

    action.__name__ = f"make_{status}"
    return admin.action(description=description)(action)


class StockFeedFilter(admin.SimpleListFilter):
    """Locations whose last stock feed is older than HQ's limit (StockPolicy), or never came:
    the list behind the control tower's feed freshness."""

    title = _("stock feed")
    parameter_name = "feed"

    def lookups(self, request, model_admin):
        return [("late", _("Late or never received")), ("fresh", _("Up to date"))]

    def queryset(self, request, queryset):
        if self.value() not in ("late", "fresh"):
            return queryset
        late = late_feed_q(feed_late_before())
        fed = with_last_feed(queryset)
        return fed.filter(late) if self.value() == "late" else fed.exclude(late)


@admin.register(Store)
class StoreAdmin(ModelAdmin):
    """Status changes only through the actions: they check the lifecycle and the DSA data."""

    list_display = ["name", "kind", "status", "city", "postal_code", "trader_identity"]
    list_filter = [
        "kind",
        "status",
        StockFeedFilter,
        "offers_click_collect",
        "offers_ship_from_store",
    ]
    search_fields = ["name", "city", "postal_code", "company_name", "registration_number"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["status", "feed_positions"]
    inlines = [StoreMembershipInline]
    actions = [
        _status_action(Store.Status.ACTIVE, _("Activate for selling")),
        _status_action(Store.Status.SUSPENDED, _("Suspend")),
        _status_action(Store.Status.CLOSED, _("Close")),
        "reset_stock_feed_positions",
        "close_on_public_holidays",
    ]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status"]}),
        (
            _("Location"),
            {"fields": ["address_line", "postal_code", "city", "country", "latitude", "longitude"]},
        ),
        (_("Contact"), {"fields": ["email", "phone"]}),
        (_("Presentation"), {"fields": ["description", "photo", "logo"]}),
        (
            _("Trader identity"),
            {"fields": ["company_name", "registration_number", "vat_number", "legal_address"]},
        ),
        (
            _("Services and hours"),
            {
                "fields": [
                    "offers_click_collect",
                    "offers_ship_from_store",
                    "offers_reserve_collect",
                    "accepts_returns",
                    "opening_hours",
                    "pickup_slot_minutes",
                ]
            },
        ),
        (
            _("Catchment and capacity"),
            {
                "fields": [
                    "catchment_postal_codes",
                    "catchment_radius_km",
                    "daily_capacity",
                    "accept_within_minutes",
                    "safety_stock_override",
                    "feed_positions",
                ]
            },
        ),
    ]

    @admin.action(description=_("Reset the stock feed's positions (sequences or timestamps)"))
    def reset_stock_feed_positions(self, request, queryset):
        """For a till that switches between sequences and source timestamps."""
        for store in queryset:
            rows = reset_feed_positions(store=store, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "%(store)s: the feed's positions are reset (%(rows)d stock row); its next "
                    "batch sets sequences or source timestamps again.",
                    "%(store)s: the feed's positions are reset (%(rows)d stock rows); its next "
                    "batch sets sequences or source timestamps again.",
                    rows,
                )
                % {"store": store.name, "rows": rows},
            )

    @admin.action(description=_("Close on the public holidays of the coming year"))
    def close_on_public_holidays(self, request, queryset):
        """Each selected store is closed all day on every French public holiday of the next 12
        months that has no special hours yet (the store can reopen one from its profile)."""
        today = timezone.localdate()
        added = 0
        for store in queryset:
            days = [
                holiday.day
                for holiday in upcoming_public_holidays(
                    today=today, alsace_moselle=is_alsace_moselle(store.postal_code)
                )
            ]
            added += len(close_on_public_holidays(store=store, days=days, actor=request.user))
        messages.success(
            request,
            ngettext("%(count)d closed day added.", "%(count)d closed days added.", added)
            % {"count": added},
        )

    @admin.display(description=_("trader identity"), boolean=True)
    def trader_identity(self, store):
        return not missing_trader_fields(store)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "safety_stock_override" in form.changed_data:
            refresh_safety_stock(store=obj)


@admin.register(StockPolicy)
class StockPolicyAdmin(SingletonModelAdmin):
    list_display = ["__str__", "default_safety_stock", "feed_max_age_hours", "updated_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = refresh_safety_stock()
        messages.info(
            request,
            ngettext("%(count)d stock row updated.", "%(count)d stock rows updated.", changed)
            % {"count": changed},
        )


@admin.register(StoreProfilePolicy)
class StoreProfilePolicyAdmin(SingletonModelAdmin):
    """HQ's bounds on what a franchisee sets in the back-office's store profile."""

    list_display = [
        "__str__",
        "min_daily_capacity",
        "max_daily_capacity",
        "invitation_valid_days",
        "updated_at",
    ]


@admin.register(StoreSpecialDay)
class StoreSpecialDayAdmin(ModelAdmin):
    list_display = ["store", "day", "closed", "opens", "closes", "note"]
    list_filter = ["closed"]
    search_fields = ["store__name", "note"]
    date_hierarchy = "day"
    autocomplete_fields = ["store"]


@admin.register(StoreInvitation)
class StoreInvitationAdmin(ReadOnlyModelAdmin):
    """Read-only: stores invite from their back-office's team page (stores.services.team)."""

    list_display = ["email", "store", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "store__name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyModelAdmin):
    """Read-only here: stock changes go through feeds, the back-office or the API (movements)."""

    list_display = [
        "store",
        "variant",
        "on_hand",
        "reserved",
        "safety_stock",
        "available",
        "price_cents",
        "updated_at",
    ]
    list_filter = ["store__kind", "store"]
    search_fields = ["variant__sku", "variant__gtin", "variant__product__name", "store__name"]
    list_select_related = ["store", "variant__product"]
    show_full_result_count = False


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyModelAdmin):
    list_display = [
        "created_at",
        "store",
        "variant",
        "delta",
        "on_hand_after",
        "reason",
        "source",
        "reference",
        "actor_label",
    ]
    list_filter = ["reason", "source"]
    search_fields = ["variant__sku", "store__name", "reference"]
    list_select_related = ["store", "variant__product"]
    show_full_result_count = False


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyModelAdmin):
    """Holds on stock, to find a stuck one; they change only through stores.services."""

    list_display = [
        "created_at",
        "kind",
        "status",
        "store",
        "variant",
        "quantity",
        "expires_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["holder", "variant__sku", "store__name"]
    list_select_related = ["store", "variant__product"]
    show_full_result_count = False
    actions = ["release"]

    def has_release_permission(self, request):
        return request.user.has_perm("stores.change_reservation")

    @admin.action(description=_("Release the selected holds"), permissions=["release"])
    def release(self, request, queryset):
        released = 0
        for reservation in queryset.filter(status=Reservation.Status.ACTIVE):
            release_reservation(reservation=reservation, actor=request.user)
            released += 1
        messages.success(
            request,
            ngettext("%(count)d hold released.", "%(count)d holds released.", released)
            % {"count": released},
        )


@admin.register(PostalCode)
class PostalCodeAdmin(ModelAdmin):
    list_display = ["code", "city", "latitude", "longitude"]
    search_fields = ["code", "city"]


@admin.register(ApiKey)
class ApiKeyAdmin(ModelAdmin):
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
        count = queryset.count()
        messages.success(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
        )
