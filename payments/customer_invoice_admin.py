"""HQ's admin of the stores' invoices and credit notes to customers: read-only (a store's
document is never edited), amounts in euros, each with its PDF."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.money import format_cents
from network_marketplace.admin_base import ReadOnlyModelAdmin, TabularInline

from .customer_invoice_pdf import customer_invoice_pdf
from .models import CustomerInvoice, CustomerInvoiceLine


class CustomerInvoiceLineInline(TabularInline):
    model = CustomerInvoiceLine
    extra = 0
    fields = ["position", "label", "sku", "quantity", "total", "vat_rate", "vat"]
    readonly_fields = ["position", "label", "sku", "quantity", "total", "vat_rate", "vat"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("total incl. VAT"))
    def total(self, line):
        return format_cents(line.total_incl_vat_cents)

    @admin.display(description=_("VAT rate"))
    def vat_rate(self, line):
        return f"{line.vat_rate_bp / 100:g} %".replace(".", ",")

    @admin.display(description=_("VAT"))
    def vat(self, line):
        return format_cents(line.vat_cents)


@admin.register(CustomerInvoice)
class CustomerInvoiceAdmin(ReadOnlyModelAdmin):
    list_display = [
        "number",
        "kind",
        "store",
        "order",
        "issued_at",
        "excl_vat",
        "vat",
        "incl_vat",
        "pdf_link",
    ]
    list_filter = ["kind", "store"]
    search_fields = ["number", "order__number", "order__email", "store__name"]
    list_select_related = ["store", "order"]
    date_hierarchy = "issued_at"
    inlines = [CustomerInvoiceLineInline]
    show_full_result_count = False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", wrap(self.pdf_view), name="payments_customerinvoice_pdf"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk: int) -> HttpResponse:
        invoice = get_object_or_404(CustomerInvoice, pk=pk)
        response = HttpResponse(customer_invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
        return response

    @admin.display(description=_("excl. VAT"), ordering="total_excl_vat_cents")
    def excl_vat(self, invoice):
        return format_cents(invoice.total_excl_vat_cents)

    @admin.display(description=_("VAT"), ordering="vat_cents")
    def vat(self, invoice):
        return format_cents(invoice.vat_cents)

    @admin.display(description=_("incl. VAT"), ordering="total_incl_vat_cents")
    def incl_vat(self, invoice):
        return format_cents(invoice.total_incl_vat_cents)

    @admin.display(description="PDF")
    def pdf_link(self, invoice):
        return format_html(
            '<a href="{}">PDF</a>',
            reverse("admin:payments_customerinvoice_pdf", args=[invoice.pk]),
        )
