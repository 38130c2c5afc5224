"""The stores app's pages in the back-office (dashboard, stock, API keys, webhooks), relative to
/store/<slug>/, and their entries in its navigation; mounted by config/urls.py."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import stock_views, views, webhook_views
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
    Section(key="api-keys", label=_("API keys"), url_name="backoffice:api-keys", order=90),
    Section(key="webhooks", label=_("Webhooks"), url_name="backoffice:webhooks", order=110),
    Section(key="store-page", label=_("Store page"), url_name="stores:detail", order=120),
]
