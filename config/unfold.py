"""HQ's admin theme (django-unfold): the sidebar grouped by job, the colours, the home page.

Imported by `config/settings.py` (`UNFOLD`). The sidebar is HQ's map of the admin: network,
catalogue, orders, money, marketing, compliance, and "settings" last, where the singleton policies
and every technical model (sites, periodic jobs, outbox, webhooks, accounts) live, so that nothing
technical shows on the home page. A model added to the admin gets its line here (a test walks the
admin's registry and fails on a model the sidebar does not reach: `tests/network_marketplace/
test_admin_theme.py`). Titles come from the models' own (translated) names; the few pages that
are not a model's list (the money dashboard, the reports) carry their own words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _


def _plural_name(label: str) -> str:
    return capfirst(apps.get_model(label)._meta.verbose_name_plural)


_lazy_plural_name = lazy(_plural_name, str)


def _can_view(label: str) -> Callable[[Any], bool]:
    app_label, model_name = label.lower().split(".")

    def check(request) -> bool:
        user = request.user
        return user.has_perm(f"{app_label}.view_{model_name}") or user.has_perm(
            f"{app_label}.change_{model_name}"
        )

    return check


def model(label: str, icon: str, *, title: Any = None, query: str = "") -> dict[str, Any]:
    """A sidebar line for the admin list of `label` ("app.Model"), optionally filtered."""
    app_label, model_name = label.lower().split(".")
    link: Any = reverse_lazy(f"admin:{app_label}_{model_name}_changelist")
    if query:
        link = format_lazy("{}?{}", link, query)
    return {
        "title": _lazy_plural_name(label) if title is None else title,
        "icon": icon,
        "link": link,
        "permission": _can_view(label),
        "model": label,
    }


def page(title: Any, url_name: str, icon: str, *, permission_of: str) -> dict[str, Any]:
    """A sidebar line for one of HQ's own admin pages (a dashboard, a report)."""
    return {
        "title": title,
        "icon": icon,
        "link": reverse_lazy(url_name),
        "permission": _can_view(permission_of),
    }


NAVIGATION: list[dict[str, Any]] = [
    {
        # HQ's own desk: the control tower (the admin home), the stores' scorecards and their
        # thresholds, fair routing (report, simulation, apply).
        "title": _("Head office"),
        "collapsible": True,
        "items": [
            page(
                _("Control tower"),
                "admin:index",
                "monitoring",
                permission_of="orders.Order",
            ),
            model("hq.StoreStanding", "leaderboard"),
            model("hq.ScorecardSettings", "rule_settings"),
            model("hq.FairRouting", "balance"),
        ],
    },
    {
        "title": _("Network"),
        "collapsible": True,
        "items": [
            model("stores.Store", "storefront"),
            model("stores.StockLevel", "inventory_2"),
            model("stores.StockMovement", "swap_vert"),
            model("stores.Reservation", "lock_clock"),
            model("stores.StoreSpecialDay", "event_busy"),
            model("stores.StoreInvitation", "person_add"),
            model("stores.ApiKey", "key"),
            model("stores.PostalCode", "pin_drop"),
            model("accounts.CustomerProfile", "person"),
            model("accounts.Address", "home"),
        ],
    },
    {
        "title": _("Catalogue"),
        "collapsible": True,
        "items": [
            model("catalog.Category", "account_tree"),
            model("catalog.Product", "sell"),
            model("catalog.Variant", "style"),
            page(
                _("Import a catalogue file"),
                "admin:catalog_product_import",
                "upload_file",
                permission_of="catalog.Product",
            ),
        ],
    },
    {
        "title": _("Orders"),
        "collapsible": True,
        "items": [
            model("orders.Order", "shopping_bag"),
            model("fulfillment.Fulfilment", "local_shipping"),
            model(
                "fulfillment.Fulfilment",
                "sync_alt",
                title=_("Store-to-store transfers"),
                query="transfer=yes",
            ),
            model("fulfillment.Return", "assignment_return"),
            model("fulfillment.Withdrawal", "undo"),
        ],
    },
    {
        "title": _("Money"),
        "collapsible": True,
        "items": [
            page(
                _("Money dashboard"),
                "admin:payments_money_dashboard",
                "monitoring",
                permission_of="payments.Payout",
            ),
            model("payments.Payment", "credit_card"),
            model("payments.Refund", "undo"),
            model("payments.Transfer", "call_split"),
            model("payments.TransferReversal", "call_merge"),
            model("payments.Payout", "payments"),
            model("payments.PaymentAccount", "account_balance"),
            model("payments.Invoice", "receipt_long"),
            model("payments.CustomerInvoice", "receipt"),
            model(
                "payments.JournalEntry",
                "sync_alt",
                title=_("Settlements between stores"),
                query="reference__startswith=settlement%3A",
            ),
            model("payments.JournalEntry", "menu_book"),
            model("payments.JournalLine", "format_list_bulleted"),
            model("payments.CommissionRate", "percent"),
        ],
    },
    {
        "title": _("Marketing"),
        "collapsible": True,
        "items": [
            model("marketing_hub.MarketingDashboard", "insights"),
            model("marketing_hub.OrderInReview", "rule"),
            model("marketing_hub.MarketingOrder", "shopping_cart"),
            model("marketing_hub.SupplierLine", "precision_manufacturing"),
            model("marketing_hub.MarketingItem", "campaign"),
            model("marketing_hub.Campaign", "flag"),
            model("marketing_hub.Artwork", "palette"),
            model("marketing_hub.Proof", "draft"),
            model("marketing_hub.Supplier", "factory"),
            model("marketing_hub.Budget", "savings"),
            model("marketing_hub.CoFundingRule", "handshake"),
            model("marketing_hub.CoFundingUsage", "pie_chart"),
            model("marketing_hub.SubscriptionPlan", "workspace_premium"),
            model("marketing_hub.Subscription", "autorenew"),
            model("marketing_hub.SubscriptionCharge", "request_quote"),
            model("marketing_hub.Deliverable", "inventory"),
            model("marketing_hub.SocialPostTemplate", "share"),
        ],
    },
    {
        "title": _("Compliance"),
        "collapsible": True,
        "items": [
            model("compliance.Notice", "report"),
            model("compliance.Measure", "gavel"),
            model("compliance.StatementOfReasons", "description"),
            model("compliance.Complaint", "feedback"),
            model("compliance.IllegalProductCase", "dangerous"),
            model("compliance.MisuseRecord", "block"),
            model("compliance.NotifierSuspension", "voice_over_off"),
            model("compliance.TrustedFlagger", "verified"),
            model("compliance.OutOfCourtBody", "balance"),
            model("compliance.DisputeRecord", "forum"),
            model("compliance.TraderEvidence", "badge"),
            model("compliance.TraderCertification", "task_alt"),
            model("compliance.TermsVersion", "contract"),
            model("compliance.TermsStanding", "fact_check"),
            model("compliance.TermsDecision", "approval"),
            model("compliance.StoreTermination", "cancel"),
            model("compliance.Mediator", "diversity_3"),
            model("compliance.StoreComplaint", "support_agent"),
            page(
                _("Store complaints report"),
                "admin:compliance_storecomplaint_report",
                "summarize",
                permission_of="compliance.StoreComplaint",
            ),
            model("compliance.StoreDataExport", "download"),
            model("compliance.TransparencyReport", "query_stats"),
            model("compliance.MonthlyActiveRecipients", "groups"),
            model("compliance.PersonalDataExport", "folder_zip"),
            model("compliance.RetainedPersonalData", "lock"),
            model("compliance.RetentionRun", "auto_delete"),
            model("compliance.ConsentRecord", "how_to_reg"),
            model("compliance.Breach", "crisis_alert"),
            model("compliance.RecordsOfProcessing", "list_alt"),
            model("compliance.Dac7Declaration", "account_balance_wallet"),
            model("compliance.Dac7SellerData", "badge"),
            model("compliance.Dac7Notice", "mail"),
        ],
    },
    {
        "title": _("Settings"),
        "collapsible": True,
        # Policies and the technical models: in the sidebar only, never on the home page.
        "home": False,
        "items": [
            model("orders.OrderPolicy", "tune"),
            model("stores.StockPolicy", "inventory"),
            model("catalog.StorefrontPolicy", "cached"),
            model("payments.PayoutPolicy", "schedule"),
            model("payments.CommissionPlan", "percent"),
            model("payments.SettlementPolicy", "handshake"),
            model("stores.StoreProfilePolicy", "store"),
            model("network_marketplace.User", "manage_accounts"),
            model("auth.Group", "group"),
            model("account.EmailAddress", "alternate_email"),
            model("mfa.Authenticator", "phonelink_lock"),
            model("usersessions.UserSession", "devices"),
            model("network_marketplace.AuditEvent", "history"),
            model("network_marketplace.WebhookEndpoint", "webhook"),
            model("network_marketplace.WebhookDelivery", "outbox"),
            model("network_marketplace.OutboxMessage", "forward_to_inbox"),
            model("payments.ProviderEvent", "bolt"),
            model("sites.Site", "language"),
            model("django_celery_beat.PeriodicTask", "timer"),
            model("django_celery_beat.CrontabSchedule", "calendar_month"),
            model("django_celery_beat.IntervalSchedule", "av_timer"),
            model("django_celery_beat.SolarSchedule", "wb_twilight"),
            model("django_celery_beat.ClockedSchedule", "alarm"),
        ],
    },
]

# The network's green (the storefront's): unfold's primary scale, 50 (lightest) to 950.
_PRIMARY = {
    "50": "#f1f7f5",
    "100": "#dcebe6",
    "200": "#bad7cd",
    "300": "#8fbcad",
    "400": "#5f9a88",
    "500": "#3f7d6b",
    "600": "#2f5d50",
    "700": "#284f44",
    "800": "#22443a",
    "900": "#1c3830",
    "950": "#0f201b",
}

UNFOLD: dict[str, Any] = {
    "SITE_TITLE": _("Network Marketplace HQ"),
    "SITE_HEADER": _("Head office"),
    "SITE_SYMBOL": "hub",
    "SITE_URL": "/",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": True,
    "COLORS": {"primary": _PRIMARY},
    # Helper B's control tower fills the home page (templates/admin/index.html).
    "DASHBOARD_CALLBACK": "hq.dashboard.dashboard_callback",
    "STYLES": [lambda request: static("admin/hq.css")],
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": NAVIGATION,
    },
}
