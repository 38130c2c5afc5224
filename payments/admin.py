"""HQ reads payments, refunds, transfers, splits, payouts, invoices and the ledger here (services
write them) and edits the commission plan, its rates and the payout policy."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network_marketplace.admin_base import (
    ModelAdmin,
    ReadOnlyModelAdmin,
    SingletonModelAdmin,
    StatusEventInline,
    TabularInline,
    euros,
)
from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError
from orders.admin import OrderAdmin

from . import accounts, invoices, payouts, selectors
from .einvoicing.transmission import send_again
from .facturx import facturx_pdf
from .forms import PeriodForm
from .models import (
    CommissionPlan,
    CommissionRate,
    Invoice,
    InvoiceLine,
    JournalEntry,
    JournalLine,
    Payment,
    PaymentAccount,
    PaymentEvent,
    Payout,
    PayoutEvent,
    PayoutPolicy,
    ProviderEvent,
    Refund,
    RefundEvent,
    SaleSplit,
    Transfer,
    TransferEvent,
    TransferReversal,
)


class PaymentEventInline(StatusEventInline):
    model = PaymentEvent


class RefundEventInline(StatusEventInline):
    model = RefundEvent


class TransferEventInline(StatusEventInline):
    model = TransferEvent


@admin.register(Payment)
class PaymentAdmin(ReadOnlyModelAdmin):
    list_display = ["order", "provider", "status", "amount_cents", "refunded_cents", "created_at"]
    list_filter = ["status", "provider"]
    search_fields = ["order__number", "reference"]
    list_select_related = ["order"]
    inlines = [PaymentEventInline]


@admin.register(Refund)
class RefundAdmin(ReadOnlyModelAdmin):
    list_display = ["order", "amount_cents", "status", "reason", "actor_label", "created_at"]
    list_filter = ["status"]
    search_fields = ["order__number", "reference", "idempotency_key"]
    list_select_related = ["order"]
    inlines = [RefundEventInline]


# Payouts, invoices and the ledger (read-only: services write them).


@admin.register(PayoutPolicy)
class PayoutPolicyAdmin(SingletonModelAdmin):
    """HQ's payout schedule, minimum and reserve. One row; changes are audited."""

    list_display = [
        "__str__",
        "frequency",
        "minimum_payout_cents",
        "hold_open_returns",
        "updated_at",
    ]

    audit_action = "payout_policy.changed"


class PayoutEventInline(StatusEventInline):
    model = PayoutEvent


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
            messages.success(
                request,
                ngettext("%(count)d payout retried.", "%(count)d payouts retried.", done)
                % {"count": done},
            )

    @admin.action(description=_("Pay out the stores of the selected payouts now"))
    def pay_out_now(self, request, queryset):
        store_ids = sorted(set(queryset.values_list("store_id", flat=True)))
        report = payouts.run_payouts(actor=request.user, force=True, store_ids=store_ids)
        messages.info(
            request,
            _(
                "Payouts paid: %(paid)d; already paid this period: %(already)d; "
                "on hold: %(flagged)d."
            )
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
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
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
                "without_account": list(selectors.stores_without_payment_account()[:20]),
                "without_account_count": selectors.stores_without_payment_account().count(),
                "policy": PayoutPolicy.current(),
                "readiness": accounts.payout_readiness(),
                "form": form,
            },
            status=400 if form.is_bound and not form.is_valid() else 200,
        )


class InvoiceLineInline(TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = (
        "position",
        "date",
        "label",
        "order_number",
        "amount_excl_vat_cents",
        "vat_rate_bp",
        "vat_cents",
    )
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
        "einvoice_status",
    ]
    list_filter = ["kind", "period_start", "einvoice__status"]
    search_fields = ["number", "store__name", "store__slug"]
    list_select_related = ["store", "einvoice"]
    date_hierarchy = "issued_at"
    inlines = [InvoiceLineInline]
    actions = ["credit", "issue_last_month", "send_einvoices_again"]

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
        response = HttpResponse(facturx_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
        return response

    @admin.action(description=_("Issue last month's commission invoices to every store"))
    def issue_last_month(self, request, queryset):
        issued = invoices.issue_commission_invoices(
            period=invoices.previous_month(), actor=request.user
        )
        messages.success(
            request,
            ngettext("%(count)d invoice issued.", "%(count)d invoices issued.", len(issued))
            % {"count": len(issued)},
        )

    @admin.display(description=_("e-invoicing platform"))
    def einvoice_status(self, invoice):
        transmission = getattr(invoice, "einvoice", None)
        if transmission is None:
            return "—"
        text = transmission.get_status_display()
        return f"{text} · {transmission.message}" if transmission.message else text

    @admin.action(description=_("Send the selected rejected e-invoices to the platform again"))
    def send_einvoices_again(self, request, queryset):
        sent = 0
        for invoice in queryset.select_related("einvoice"):
            transmission = getattr(invoice, "einvoice", None)
            if transmission is not None and transmission.status == "rejected":
                send_again(transmission=transmission, actor=request.user)
                sent += 1
        messages.success(
            request,
            ngettext("%(count)d e-invoice sent again.", "%(count)d e-invoices sent again.", sent)
            % {"count": sent},
        )

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
                messages.success(
                    request,
                    ngettext(
                        "%(count)d credit note issued.", "%(count)d credit notes issued.", done
                    )
                    % {"count": done},
                )
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
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


class JournalLineInline(TabularInline):
    model = JournalLine
    extra = 0
    can_delete = False
    readonly_fields = ("account", "debit_cents", "credit_cents", "label")
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


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("Why the invoice is cancelled"), max_length=300)


# Commission plans (HQ edits them), and what was split and transferred (read-only) ----------


@admin.register(CommissionPlan)
class CommissionPlanAdmin(SingletonModelAdmin):
    """The network's plan: one row, edited in place. Rates by category and store are below."""

    list_display = [
        "__str__",
        "default_rate_percent",
        "fixed_fee_cents",
        "catchment_share_percent",
        "commission_vat_percent",
        "updated_at",
    ]

    def changelist_view(self, request, extra_context=None):
        plan = CommissionPlan.current()
        return redirect(reverse("admin:payments_commissionplan_change", args=[plan.pk]))

    audit_action = "payments.commission_plan_changed"


@admin.register(CommissionRate)
class CommissionRateAdmin(ModelAdmin):
    """Rates by category (inherited down the tree) and store, per period; two rates of one
    store and category may not overlap (CommissionRate.clean)."""

    list_display = ["store", "category", "rate_percent", "valid_from", "valid_until", "note"]
    list_filter = ["store", "category"]
    search_fields = ["store__name", "category__name", "note"]
    list_select_related = ["store", "category"]
    fields = ["store", "category", "rate_percent", "valid_from", "valid_until", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_audit_event(
            actor=request.user,
            action="payments.commission_rate_saved",
            target=obj,
            store_id=obj.store_id,
            data={
                "category": obj.category_id,
                "rate_percent": str(obj.rate_percent),
                "valid_from": str(obj.valid_from),
                "valid_until": str(obj.valid_until),
            },
        )

    def delete_model(self, request, obj):
        record_audit_event(
            actor=request.user,
            action="payments.commission_rate_deleted",
            target=obj,
            store_id=obj.store_id,
            data={"rate_percent": str(obj.rate_percent)},
        )
        super().delete_model(request, obj)


@admin.register(Transfer)
class TransferAdmin(ReadOnlyModelAdmin):
    list_display = [
        "order",
        "store",
        "kind",
        "amount_cents",
        "reversed_cents",
        "status",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["order__number", "store__name", "reference", "idempotency_key"]
    list_select_related = ["order", "store"]
    inlines = [TransferEventInline]


@admin.register(TransferReversal)
class TransferReversalAdmin(ReadOnlyModelAdmin):
    list_display = ["transfer", "refund", "amount_cents", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["reference", "idempotency_key"]


class SaleSplitInline(TabularInline):
    """Each line's split as booked when its goods left (the order admin shows it)."""

    model = SaleSplit
    fk_name = "order"
    extra = 0
    can_delete = False
    verbose_name_plural = _("commission split per line")
    fields = (
        "order_line",
        "seller_store",
        "quantity",
        "rate_percent",
        "gross_cents",
        "commission_cents",
        "commission_vat_cents",
        "catchment_cents",
        "fee_cents",
        "net_cents",
        "reversed",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("seller_store", "attributed_store", "order_line", "fulfilment")
            .prefetch_related("reversals")
        )

    @admin.display(description=_("refunded"))
    def reversed(self, obj):
        return euros(sum(reversal.gross_cents for reversal in obj.reversals.all()))


OrderAdmin.add_inline(SaleSplitInline)


class PayoutStateFilter(admin.SimpleListFilter):
    """HQ's flag: stores whose account has requirements past due receive no payouts."""

    title = _("payout state")
    parameter_name = "payout_state"

    def lookups(self, request, model_admin):
        return [
            ("past_due", _("Requirements past due")),
            ("incomplete", _("Onboarding incomplete")),
            ("ready", _("Ready")),
        ]

    def queryset(self, request, queryset):
        past_due = Q(past_due=[])
        ready = Q(charges_enabled=True, payouts_enabled=True, currently_due=[])
        if self.value() == "past_due":
            return queryset.exclude(past_due)
        if self.value() == "ready":
            return queryset.filter(past_due & ready)
        if self.value() == "incomplete":
            return queryset.filter(past_due).exclude(ready)
        return queryset


@admin.register(PaymentAccount)
class PaymentAccountAdmin(ReadOnlyModelAdmin):
    list_display = [
        "store",
        "reference",
        "payout_state",
        "can_receive_payouts_column",
        "past_due",
        "state_as_of",
    ]
    list_filter = [PayoutStateFilter, "provider", "payouts_enabled"]
    search_fields = ["store__name", "store__slug", "reference"]
    list_select_related = ["store"]

    @admin.display(description=_("payout state"))
    def payout_state(self, account: PaymentAccount):
        labels = {
            "past_due": (_("Requirements past due"), "#b42318"),
            "incomplete": (_("Onboarding incomplete"), "#8a5a00"),
            "ready": (_("Ready"), "#1e6b34"),
        }
        label, colour = labels[account.onboarding_state]
        return format_html('<strong style="color: {}">{}</strong>', colour, label)

    @admin.display(boolean=True, description=_("can receive payouts"))
    def can_receive_payouts_column(self, account: PaymentAccount) -> bool:
        return account.can_receive_payouts


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyModelAdmin):
    list_display = [
        "event_id",
        "type",
        "account",
        "created",
        "received_at",
        "processed_at",
        "outcome",
    ]
    list_filter = ["type", ("processed_at", admin.EmptyFieldListFilter)]
    search_fields = ["event_id", "account", "type"]
    date_hierarchy = "received_at"


# The stores' invoices to customers (payments/customer_invoice_admin.py) register themselves.
# HQ's rules between stores, in a module of their own (docs/settlement.md).
from . import settlement_admin  # noqa: E402, F401
from .customer_invoice_admin import CustomerInvoiceAdmin  # noqa: E402, F401
