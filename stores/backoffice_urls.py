from django.urls import include, path

from . import stock_views, views, webhook_views

app_name = "backoffice"
urlpatterns = [
    path("", views.backoffice_index, name="index"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/api-keys/", views.api_keys, name="api-keys"),
    path("<slug:slug>/api-keys/<int:key_id>/revoke/", views.revoke_key, name="revoke-key"),
    path("<slug:slug>/stock/", stock_views.stock_list, name="stock"),
    path("<slug:slug>/stock/<int:level_id>/", stock_views.stock_update, name="stock-update"),
    path("<slug:slug>/stock/import/", stock_views.stock_import, name="stock-import"),
    path(
        "<slug:slug>/stock/import/example.csv",
        stock_views.stock_import_template,
        name="stock-import-template",
    ),
    path("<slug:slug>/stock/movements/", stock_views.stock_movements, name="stock-movements"),
    path("<slug:slug>/webhooks/", webhook_views.webhooks, name="webhooks"),
    path("<slug:slug>/", include("fulfillment.backoffice_urls")),
    path("<slug:slug>/", include("checkout.backoffice_urls")),
    path("<slug:slug>/", include("payments.account_urls")),
    path(
        "<slug:slug>/webhooks/<int:endpoint_id>/delete/",
        webhook_views.delete_webhook,
        name="webhook-delete",
    ),
    path(
        "<slug:slug>/webhooks/<int:endpoint_id>/toggle/",
        webhook_views.toggle_webhook,
        name="webhook-toggle",
    ),
    path(
        "<slug:slug>/webhooks/<int:endpoint_id>/test/",
        webhook_views.test_webhook,
        name="webhook-test",
    ),
]
