"""The "Money" section of the back-office, relative to /store/<slug>/ (under money/), and its
entry in the navigation; mounted by config/urls.py (namespace "backoffice")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section

from . import customer_invoice_links, views

urlpatterns = [
    path("money/", views.overview, name="money"),
    path("money/statement/", views.statement, name="money-statement"),
    path("money/invoices/", views.invoice_list, name="money-invoices"),
    path("money/invoices/<str:number>.pdf", views.invoice_download, name="money-invoice"),
    path("money/commissions/", views.commissions, name="money-commissions"),
    # The store's own invoices and credit notes to its customers (payments/customer_invoices.py).
    path(
        "money/customer-invoices/<str:number>.pdf",
        customer_invoice_links.store_download,
        name="customer-invoice",
    ),
]

navigation = [
    Section(
        key="money",
        label=_("Money"),
        url_name="backoffice:money",
        order=80,
        current_on=frozenset(
            {"money-statement", "money-invoices", "money-invoice", "money-commissions"}
        ),
        testid="nav-money",
    ),
]
