"""HQ reads payments and refunds here; they change only through payments.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin import ReadOnlyModelAdmin
from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError

from . import invoices, payouts, selectors
from .models import (
    Invoice,
    InvoiceLine,
    JournalEntry,
    JournalLine,
    Payment,
    Payout,
    PayoutEvent,
    PayoutPolicy,
    Refund,
)
from .pdf import invoice_pdf


@admin.register(Payment)
class PaymentAdmin(ReadOnlyModelAdmin):
    list_display = ["order", "provider", "status", "amount_cents", "refunded_cents", "created_at"]
    list_filter = ["status", "provider"]
    search_fields = ["order__number", "reference"]
    list_select_related = ["order"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyModelAdmin):
    list_display = ["order", "amount_cents", "status", "reason", "actor_label", "created_at"]
    list_filter = ["status"]
    search_fields = ["order__number", "reference", "idempotency_key"]
    list_select_related = ["order"]


# Payouts, invoices and the ledger (read-only: services write them).


@admin.register(PayoutPolicy)
class PayoutPolicyAdmin(admin.ModelAdmin):
    """HQ's payout schedule, minimum and reserve. One row; changes are audited."""

    list_display = [
        "__str__",
        "frequency",
        "weekday",
        "day_of_month",
        "minimum_payout_cents",
        "hold_open_returns",
        "hold_withdrawal_period",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return not PayoutPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_audit_event(
            actor=request.user,
            action="payout_policy.changed",
            target=obj,
            data={name: str(form.cleaned_data[name]) for name in form.changed_data},
        )


class PayoutEventInline(admin.TabularInline):
    model = PayoutEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "from_status", "to_status", "actor_label", "reason"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payout)
class PayoutAdmin(ReadOnlyModelAdmin):
    list_display = [
        "id",
        "store",
        "period_key",
        "attempt",
        "amount_cents",
        "reserve_cents",
        "status",
        "created_at",
        "paid_at",
    ]
    list_filter = ["status", "period_key"]
    search_fields = ["store__name", "store__slug", "provider_reference", "idempotency_key"]
    list_select_related = ["store"]
    date_hierarchy = "created_at"
    inlines = [PayoutEventInline]
    actions = ["retry", "pay_out_now"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="payments_money_dashboard"),
            *super().get_urls(),
        ]

    @admin.action(description=_("Retry the selected failed payouts (a new attempt)"))
    def retry(self, request, queryset):
        done = 0
        for payout in queryset.select_related("store"):
            try:
                payouts.retry_payout(payout=payout, actor=request.user)
                done += 1
            except DomainError as exc:
                messages.warning(request, f"{payout}: {exc.message}")
        if done:
            messages.success(request, _("%(count)d payout(s) retried.") % {"count": done})

    @admin.action(description=_("Pay out the stores of the selected payouts now"))
    def pay_out_now(self, request, queryset):
        store_ids = sorted(set(queryset.values_list("store_id", flat=True)))
        report = payouts.run_payouts(actor=request.user, force=True, store_ids=store_ids)
        messages.info(
            request,
            _("%(paid)d paid, %(already)d already paid this period, %(flagged)d on hold.")
            % {
                "paid": len(report.paid),
                "already": len(report.already_paid),
                "flagged": len(report.flagged),
            },
        )

    def dashboard_view(self, request):
        """HQ's money dashboard: GMV, commission, refunds and payouts by store for a period,
        the stores whose payouts are on hold, and the exports for the ERP."""
        if not request.user.is_staff:
            raise PermissionDenied
        today = timezone.localdate()
        form = PeriodForm(request.GET or None)
        start, end = today.replace(day=1), today
        if form.is_valid():
            start = form.cleaned_data.get("start") or start
            end = max(form.cleaned_data.get("end") or end, start)
        rows, total = selectors.network_money(start=start, end=end)
        return TemplateResponse(
            request,
            "admin/payments/money_dashboard.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Money dashboard"),
                "rows": rows,
                "total": total,
                "start": start,
                "end": end,
                "on_hold": selectors.stores_not_payable(),
                "policy": PayoutPolicy.current(),
            },
        )


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = [
        "position",
        "date",
        "label",
        "order_number",
        "amount_excl_vat_cents",
        "vat_rate_bp",
        "vat_cents",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyModelAdmin):
    """Issued invoices and credit notes: never edited. Correct one with a credit note."""

    list_display = [
        "number",
        "kind",
        "store",
        "period_start",
        "issued_at",
        "total_excl_vat_cents",
        "vat_cents",
        "total_incl_vat_cents",
        "pdf_link",
    ]
    list_filter = ["kind", "period_start"]
    search_fields = ["number", "store__name", "store__slug"]
    list_select_related = ["store"]
    date_hierarchy = "issued_at"
    inlines = [InvoiceLineInline]
    actions = ["credit", "issue_last_month"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", wrap(self.pdf_view), name="payments_invoice_pdf"),
            *super().get_urls(),
        ]

    @admin.display(description="PDF")
    def pdf_link(self, invoice):
        return format_html(
            '<a href="{}">PDF</a>', reverse("admin:payments_invoice_pdf", args=[invoice.pk])
        )

    def pdf_view(self, request, pk):
        invoice = get_object_or_404(Invoice.objects.prefetch_related("lines"), pk=pk)
        response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
        return response

    @admin.action(description=_("Issue last month's commission invoices to every store"))
    def issue_last_month(self, request, queryset):
        issued = invoices.issue_commission_invoices(
            period=invoices.previous_month(), actor=request.user
        )
        messages.success(request, _("%(count)d invoice(s) issued.") % {"count": len(issued)})

    @admin.action(description=_("Cancel the selected invoices with a credit note"))
    def credit(self, request, queryset):
        form = CreditNoteForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for invoice in queryset:
                try:
                    invoices.issue_credit_note(
                        invoice=invoice, reason=form.cleaned_data["reason"], actor=request.user
                    )
                    done += 1
                except DomainError as exc:
                    messages.warning(request, f"{invoice}: {exc.message}")
            if done:
                messages.success(request, _("%(count)d credit note(s) issued.") % {"count": done})
            return None
        return TemplateResponse(
            request,
            "admin/payments/credit_note_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "form": form,
                "invoices": queryset,
                "title": _("Cancel invoices with a credit note"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class JournalLineInline(admin.TabularInline):
    model = JournalLine
    extra = 0
    can_delete = False
    readonly_fields = ["account", "debit_cents", "credit_cents", "label"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyModelAdmin):
    """The ledger, read-only: entries are booked by services, corrected by new entries."""

    list_display = ["occurred_at", "journal", "reference", "label", "store", "order"]
    list_filter = ["journal"]
    search_fields = ["reference", "label", "store__name", "order__number"]
    list_select_related = ["store", "order"]
    date_hierarchy = "occurred_at"
    inlines = [JournalLineInline]


@admin.register(JournalLine)
class JournalLineAdmin(ReadOnlyModelAdmin):
    list_display = ["entry", "account", "debit_cents", "credit_cents", "label"]
    list_filter = ["account__code"]
    search_fields = ["entry__reference", "label"]
    list_select_related = ["entry", "account__store"]


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("Why the invoice is cancelled"), max_length=300)
