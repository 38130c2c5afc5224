"""The customer invoices of an order as the pages list them (the order page, the store's order
desk, through `fulfillment.hooks.customer_invoices`), and their downloads: by the customer who
may follow the order, by the selling store in its back-office."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from fulfillment.views import order_if_allowed
from orders.models import Order
from stores.backoffice import backoffice_store
from stores.models import Store

from .customer_invoice_pdf import customer_invoice_pdf
from .models import CustomerInvoice


def document_label(invoice: CustomerInvoice) -> str:
    if invoice.kind == CustomerInvoice.Kind.CREDIT_NOTE:
        return _("Credit note %(number)s (PDF)") % {"number": invoice.number}
    return _("Invoice %(number)s (PDF)") % {"number": invoice.number}


def order_documents(*, order: Order) -> list[dict[str, Any]]:
    """The order's invoices and credit notes, oldest first (one query)."""
    return [
        {
            "number": invoice.number,
            "kind": invoice.kind,
            "label": document_label(invoice),
            "issued_at": invoice.issued_at,
            "total_cents": invoice.total_incl_vat_cents,
            "fulfilment_id": invoice.fulfilment_id,
            "store_id": invoice.store_id,
            "url": reverse("payments:customer-invoice", args=[order.number, invoice.number]),
            "store_url": reverse(
                "backoffice:customer-invoice", args=[invoice.store.slug, invoice.number]
            ),
        }
        for invoice in CustomerInvoice.objects.filter(order=order)
        .select_related("store")
        .order_by("issued_at", "pk")
    ]


def _pdf(invoice: CustomerInvoice) -> HttpResponse:
    response = HttpResponse(customer_invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


def customer_download(request: HttpRequest, number: str, invoice: str) -> HttpResponse:
    """The customer's copy: whoever may follow the order (its account, or the guest who gave
    its e-mail, or the browser of its tracking link); anyone else a 404."""
    order = order_if_allowed(request, number)
    found = get_object_or_404(
        CustomerInvoice.objects.select_related("credited_invoice").prefetch_related("lines"),
        order__pk=order.pk if order is not None else None,
        number=invoice,
    )
    return _pdf(found)


@backoffice_store
def store_download(request: HttpRequest, store: Store, number: str) -> HttpResponse:
    """The selling store's copy, from its back-office (another store's is a 404)."""
    found = get_object_or_404(
        CustomerInvoice.objects.select_related("credited_invoice").prefetch_related("lines"),
        store=store,
        number=number,
    )
    return _pdf(found)
