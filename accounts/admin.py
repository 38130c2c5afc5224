"""HQ's view of customer accounts, for support: a customer's phone, favourite store and address
book, found by her e-mail. Read-only: it is the customer's own data, which she changes on her
account page (and erases through the GDPR work), never support on her behalf."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin_base import ReadOnlyModelAdmin

from .models import Address, CustomerProfile

CUSTOMER_SEARCH = ["user__email", "user__first_name", "user__last_name"]


class CustomerDataAdmin(ReadOnlyModelAdmin):
    """Found by the customer's e-mail (or name); each row links to her other records."""

    search_fields = CUSTOMER_SEARCH
    search_help_text = _("Search by the customer's e-mail address or name.")
    list_select_related = ["user"]

    @admin.display(description=_("customer"), ordering="user__email")
    def customer(self, obj) -> str:
        return obj.user.email

    @admin.display(description=_("last updated"), ordering="updated_at")
    def last_updated(self, obj):
        return obj.updated_at


@admin.register(CustomerProfile)
class CustomerProfileAdmin(CustomerDataAdmin):
    list_display = ["customer", "phone", "favourite_store", "addresses", "last_updated"]
    list_select_related = ["user", "favourite_store"]
    fields = ["customer", "phone", "favourite_store", "addresses", "last_updated"]
    readonly_fields = fields

    @admin.display(description=_("address book"))
    def addresses(self, obj) -> str:
        url = reverse("admin:accounts_address_changelist")
        query = urlencode({"q": obj.user.email})
        return format_html('<a href="{}?{}">{}</a>', url, query, _("See her addresses"))


@admin.register(Address)
class AddressAdmin(CustomerDataAdmin):
    list_display = ["customer", "label", "address_line", "postal_code", "city", "default"]
    list_filter = ["is_default"]
    fields = [
        "customer",
        "label",
        "address_line",
        "postal_code",
        "city",
        "is_default",
        "created",
        "last_updated",
    ]
    readonly_fields = fields

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description=_("default"), boolean=True, ordering="is_default")
    def default(self, obj) -> bool:
        return obj.is_default
