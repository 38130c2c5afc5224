"""The stores app's pages in the back-office (dashboard, stock, the store's profile and team,
API keys, webhooks), relative to /store/<slug>/, and their entries in its navigation; mounted by
config/urls.py."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import profile_views, stock_views, team_views, views, webhook_views
from .backoffice import Section

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("api-keys/", views.api_keys, name="api-keys"),
    path("api-keys/<int:key_id>/revoke/", views.revoke_key, name="revoke-key"),
    path("stock/", stock_views.stock_list, name="stock"),
    path("stock/<int:level_id>/", stock_views.stock_update, name="stock-update"),
    path("stock/import/", stock_views.stock_import, name="stock-import"),
    path(
        "stock/import/example.csv",
        stock_views.stock_import_template,
        name="stock-import-template",
    ),
    path("stock/movements/", stock_views.stock_movements, name="stock-movements"),
    path("webhooks/", webhook_views.webhooks, name="webhooks"),
    path(
        "webhooks/<int:endpoint_id>/delete/",
        webhook_views.delete_webhook,
        name="webhook-delete",
    ),
    path(
        "webhooks/<int:endpoint_id>/toggle/",
        webhook_views.toggle_webhook,
        name="webhook-toggle",
    ),
    path("webhooks/<int:endpoint_id>/test/", webhook_views.test_webhook, name="webhook-test"),
    path("profile/", profile_views.store_profile, name="store-profile"),
    path("profile/hours/", profile_views.opening_hours, name="store-profile-hours"),
    path("profile/special-days/", profile_views.special_days, name="store-profile-special-days"),
    path("profile/services/", profile_views.services, name="store-profile-services"),
    path("profile/presentation/", profile_views.presentation, name="store-profile-presentation"),
    path("team/", team_views.team, name="store-team"),
    path("team/invite/", team_views.invite, name="store-team-invite"),
    path("team/<int:membership_id>/role/", team_views.change_role, name="store-team-role"),
    path("team/<int:membership_id>/remove/", team_views.remove, name="store-team-remove"),
    path(
        "team/invitations/<int:invitation_id>/withdraw/",
        team_views.revoke,
        name="store-team-revoke",
    ),
]

navigation = [
    Section(key="dashboard", label=_("Dashboard"), url_name="backoffice:dashboard", order=10),
    Section(
        key="stock",
        label=_("Stock & prices"),
        url_name="backoffice:stock",
        order=40,
        current_on=frozenset({"stock-update"}),
    ),
    Section(
        key="stock-import",
        label=_("Stock import"),
        url_name="backoffice:stock-import",
        order=50,
    ),
    Section(
        key="stock-movements",
        label=_("Stock movements"),
        url_name="backoffice:stock-movements",
        order=60,
    ),
    Section(
        key="store-profile",
        label=_("Store profile"),
        url_name="backoffice:store-profile",
        order=84,
        testid="nav-store-profile",
    ),
    Section(key="store-team", label=_("Team"), url_name="backoffice:store-team", order=86),
    Section(key="api-keys", label=_("API keys"), url_name="backoffice:api-keys", order=90),
    Section(key="webhooks", label=_("Webhooks"), url_name="backoffice:webhooks", order=110),
    Section(key="store-page", label=_("Store page"), url_name="stores:detail", order=120),
]
