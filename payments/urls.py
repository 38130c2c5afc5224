from django.urls import path

from . import customer_invoice_links
from . import webhook_views as views

app_name = "payments"
urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
    # The customer's copy of a selling store's invoice or credit note.
    path(
        "orders/<str:number>/invoices/<str:invoice>.pdf",
        customer_invoice_links.customer_download,
        name="customer-invoice",
    ),
]
