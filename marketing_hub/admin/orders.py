"""HQ's admin for the marketing hub: orders. The review queue (deadline first, proofs shown,
approve, or reject with a reason), every order with its lines and moves, the suppliers' lines,
suppliers (API key shown once), budgets with what is left, co-funding rules and their usage.
Every action calls the hub's services; orders and lines are never edited by hand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from network_marketplace.admin_base import (
    ModelAdmin,
    ReadOnlyModelAdmin,
    StatusEventInline,
    TabularInline,
)
from network_marketplace.errors import DomainError
from network_marketplace.money import format_rate
from network_marketplace.storage import marketing_storage, private_file_response

from ..models import (
    Budget,
    BudgetMovement,
    CoFundingRule,
    CoFundingUsage,
    MarketingOrder,
    MarketingOrderEvent,
    MarketingOrderLine,
    OrderInReview,
    Proof,
    Supplier,
    SupplierLine,
)
from ..services import approval
from ..services import supplier as supplier_service

MO = MarketingOrder.Status


def euros(cents: int | None) -> str:
    cents = cents or 0
    return f"{cents / 100:,.2f} €".replace(",", "\u202f").replace(".", ",")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the store reads it)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def proof_thumbnail(proof: Proof | None, *, height: int = 90) -> str:
    """The proof's first page preview (a thumbnail, or "PDF") linking to its PDF."""
    if proof is None:
        return "—"
    pdf = reverse("admin:marketing_hub_proof_pdf", args=[proof.pk])
    if not proof.previews:
        return format_html('<a href="{}" target="_blank" rel="noopener">PDF</a>', pdf)
    return format_html(
        '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" '
        'style="max-height:{}px;border:1px solid #ccc;vertical-align:middle"></a>',
        pdf,
        reverse("admin:marketing_hub_proof_preview", args=[proof.pk, 1]),
        _("Proof v%(number)s") % {"number": proof.number},
        height,
    )


def _proof_links(order: MarketingOrder) -> str:
    return format_html_join(
        " ", "{}", ((proof_thumbnail(line.proof),) for line in order.lines.all() if line.proof)
    )


class MarketingLineInline(TabularInline):
    model = MarketingOrderLine
    extra = 0
    can_delete = False
    fields = (
        "item_reference",
        "item_name",
        "quantity",
        "options",
        "price_cents",
        "hq_share_cents",
        "store_share_cents",
        "proof_preview",
        "status",
        "supplier",
        "carrier",
        "tracking_number",
        "invoice",
        "credit_note",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("proof"))
    def proof_preview(self, line: MarketingOrderLine) -> str:
        return proof_thumbnail(line.proof, height=120)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MarketingOrderEventInline(StatusEventInline):
    model = MarketingOrderEvent


class _OrderAdminBase(ReadOnlyModelAdmin):
    inlines = [MarketingLineInline, MarketingOrderEventInline]
    list_select_related = ["store"]
    search_fields = ["number", "store__name", "store__slug"]
    readonly_fields = [
        "number",
        "store",
        "status",
        "placed_at",
        "review_reasons",
        "review_deadline",
        "reviewed_by",
        "reviewed_at",
        "rejection_reason",
        "total_excl_vat_cents",
        "hq_share_cents",
        "store_share_cents",
        "vat_cents",
        "budget",
        "note",
    ]
    fields = tuple(readonly_fields)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<int:pk>/approve/", wrap(self.approve_view), name="{}_{}_approve".format(*info)),
            path("<int:pk>/reject/", wrap(self.reject_view), name="{}_{}_reject".format(*info)),
            *super().get_urls(),
        ]

    def _changelist(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def approve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        order = get_object_or_404(MarketingOrder, pk=pk)
        if request.method != "POST":
            return self._decide_page(request, order, approve=True)
        try:
            approval.approve_order(order=order, actor=request.user)
            messages.success(request, _("Order %(number)s approved.") % {"number": order.number})
        except DomainError as exc:
            messages.error(request, f"{order.number}: {exc.message}")
        return HttpResponseRedirect(self._changelist())

    def reject_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        order = get_object_or_404(MarketingOrder, pk=pk)
        form = RejectForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                approval.reject_order(
                    order=order, reason=form.cleaned_data["reason"], actor=request.user
                )
                messages.success(
                    request, _("Order %(number)s rejected.") % {"number": order.number}
                )
                return HttpResponseRedirect(self._changelist())
            except DomainError as exc:
                form.add_error(None, exc.message)
        return self._decide_page(request, order, form=form)

    def _decide_page(
        self,
        request: HttpRequest,
        order: MarketingOrder,
        *,
        approve: bool = False,
        form: RejectForm | None = None,
    ) -> HttpResponse:
        """One order's decision page: its lines with their proofs, then approve or reject."""
        return TemplateResponse(
            request,
            "admin/marketing_hub/order_decide.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "order": order,
                "lines": order.lines.select_related("proof").order_by("pk"),
                "reasons": approval.review_reason_labels(order),
                "approve": approve,
                "form": form,
                "title": (
                    _("Approve order %(number)s") if approve else _("Reject order %(number)s")
                )
                % {"number": order.number},
            },
            status=400 if form is not None and form.is_bound else 200,
        )

    def _reject_page(
        self, request: HttpRequest, form: RejectForm, orders: list[MarketingOrder]
    ) -> HttpResponse:
        return TemplateResponse(
            request,
            "admin/marketing_hub/order_reject.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "form": form,
                "orders": orders,
                "title": _("Reject marketing orders"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
            status=400 if form.is_bound else 200,
        )

    @admin.action(description=gettext_lazy("Approve the selected orders (lines charged)"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[MarketingOrder]) -> None:
        done = 0
        for order in queryset.order_by("pk"):
            try:
                approval.approve_order(order=order, actor=request.user)
                done += 1
            except DomainError as exc:
                messages.warning(request, f"{order.number}: {exc.message}")
        if done:
            messages.success(
                request,
                ngettext("%(count)d order approved.", "%(count)d orders approved.", done)
                % {"count": done},
            )

    @admin.action(description=gettext_lazy("Reject the selected orders, with a reason"))
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[MarketingOrder]
    ) -> HttpResponse | None:
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for order in queryset.order_by("pk"):
                try:
                    approval.reject_order(
                        order=order, reason=form.cleaned_data["reason"], actor=request.user
                    )
                    done += 1
                except DomainError as exc:
                    messages.warning(request, f"{order.number}: {exc.message}")
            if done:
                messages.success(
                    request,
                    ngettext("%(count)d order rejected.", "%(count)d orders rejected.", done)
                    % {"count": done},
                )
            return None
        return self._reject_page(request, form, list(queryset))

    @admin.display(description=gettext_lazy("decide"))
    def decide(self, order: MarketingOrder) -> str:
        if order.status not in (MO.PLACED, MO.IN_REVIEW):
            return "—"
        info = self.opts.app_label, self.opts.model_name
        return format_html(
            '<a class="button" href="{}" data-testid="approve-{}">{}</a> '
            '<a class="button" href="{}" data-testid="reject-{}">{}</a>',
            reverse("admin:{}_{}_approve".format(*info), args=[order.pk]),
            order.pk,
            _("Approve"),
            reverse("admin:{}_{}_reject".format(*info), args=[order.pk]),
            order.pk,
            _("Reject"),
        )

    @admin.display(description=gettext_lazy("store's share"), ordering="store_share_cents")
    def store_share(self, order: MarketingOrder) -> str:
        return euros(order.store_share_cents)

    @admin.display(description=gettext_lazy("HQ's share"), ordering="hq_share_cents")
    def hq_share(self, order: MarketingOrder) -> str:
        return euros(order.hq_share_cents)

    @admin.display(description=gettext_lazy("store"), ordering="store__name")
    def store_name(self, order: MarketingOrder) -> str:
        return order.store.name

    @admin.display(description=gettext_lazy("store's share / HQ's share"))
    def shares(self, order: MarketingOrder) -> str:
        return format_html(
            "{}<br><small>{}</small>", euros(order.store_share_cents), euros(order.hq_share_cents)
        )

    @admin.display(description=gettext_lazy("proofs"))
    def proofs(self, order: MarketingOrder) -> str:
        return _proof_links(order)


@admin.register(OrderInReview)
class ReviewQueueAdmin(_OrderAdminBase):
    """The orders waiting for HQ, the most urgent first; a late one is flagged."""

    list_display = ["number", "store_name", "deadline", "reasons", "shares", "proofs", "decide"]
    list_display_links = ["number"]
    actions = ["approve_selected", "reject_selected"]
    list_filter = ()

    def get_urls(self) -> list[URLPattern]:
        # The proofs' private files, for HQ only (admin views): the PDF and the page previews.
        wrap = self.admin_site.admin_view
        return [
            path("proof/<int:pk>/pdf/", wrap(self.proof_pdf_view), name="marketing_hub_proof_pdf"),
            path(
                "proof/<int:pk>/preview/<int:page>.png",
                wrap(self.proof_preview_view),
                name="marketing_hub_proof_preview",
            ),
            *super().get_urls(),
        ]

    def proof_pdf_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        proof = get_object_or_404(Proof, pk=pk)
        return private_file_response(
            proof.pdf.storage,
            str(proof.pdf.name),
            filename=f"proof-{proof.pk}.pdf",
            content_type="application/pdf",
            attachment=False,
        )

    def proof_preview_view(self, request: HttpRequest, pk: int, page: int) -> HttpResponse:
        proof = get_object_or_404(Proof, pk=pk)
        previews = list(proof.previews or [])
        if not 1 <= page <= len(previews):
            raise Http404
        with marketing_storage().open(previews[page - 1], "rb") as handle:
            return HttpResponse(handle.read(), content_type="image/png")

    def get_queryset(self, request: HttpRequest) -> QuerySet[MarketingOrder]:
        return (
            super()
            .get_queryset(request)
            .filter(status=MO.IN_REVIEW)
            .prefetch_related("lines__proof")
            .order_by(F("review_deadline").asc(nulls_last=True), "placed_at", "pk")
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        title = _("Review queue: the orders waiting for HQ, the most urgent first")
        return super().changelist_view(request, {**(extra_context or {}), "title": title})

    @admin.display(description=gettext_lazy("review by"), ordering="review_deadline")
    def deadline(self, order: MarketingOrder) -> str:
        if order.review_deadline is None:
            return "—"
        text = timezone.localtime(order.review_deadline).strftime("%d/%m/%Y %H:%M")
        if order.review_deadline < timezone.now():
            return format_html('<strong style="color:#b00020">{} · {}</strong>', text, _("late"))
        return text

    @admin.display(description=gettext_lazy("why"))
    def reasons(self, order: MarketingOrder) -> str:
        return ", ".join(approval.review_reason_labels(order))


@admin.register(MarketingOrder)
class MarketingOrderAdmin(_OrderAdminBase):
    list_display = [
        "number",
        "store_name",
        "status",
        "placed_at",
        "total",
        "store_share",
        "hq_share",
        "decide",
    ]
    list_filter = ["status", "placed_at"]
    date_hierarchy = "placed_at"
    actions = ["approve_selected", "reject_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MarketingOrder]:
        return super().get_queryset(request).exclude(status=MO.CART)

    @admin.display(description=gettext_lazy("total excl. VAT"), ordering="total_excl_vat_cents")
    def total(self, order: MarketingOrder) -> str:
        return euros(order.total_excl_vat_cents)


@admin.register(SupplierLine)
class SupplierLineAdmin(ReadOnlyModelAdmin):
    list_display = [
        "order_number",
        "store",
        "item_name",
        "quantity",
        "supplier",
        "status",
        "tracking_number",
        "shipped_at",
    ]
    list_filter = ["status", "supplier", "order__placed_at"]
    search_fields = ["order__number", "item_reference", "tracking_number", "order__store__name"]
    list_select_related = ["order__store", "supplier"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MarketingOrderLine]:
        return (
            super()
            .get_queryset(request)
            .filter(status__in=supplier_service.SUPPLIER_VISIBLE)
            .order_by("-order__placed_at", "-pk")
        )

    @admin.display(description=gettext_lazy("order"), ordering="order__number")
    def order_number(self, line: MarketingOrderLine) -> str:
        return line.order.number or ""

    @admin.display(description=gettext_lazy("store"))
    def store(self, line: MarketingOrderLine) -> str:
        return str(line.order.store)


# Suppliers: the catalogue's admin (part M1) registers them; this adds the API key. Its class is
# extended (whatever the catalogue declares), so the two never register Supplier twice.
_CatalogueSupplierAdmin: Any = (
    type(admin.site._registry[Supplier]) if Supplier in admin.site._registry else ModelAdmin
)
if Supplier in admin.site._registry:
    admin.site.unregister(Supplier)


@admin.register(Supplier)
class SupplierAdmin(_CatalogueSupplierAdmin):
    list_display = [
        *(
            _CatalogueSupplierAdmin.list_display
            if _CatalogueSupplierAdmin is not ModelAdmin
            else ["name", "email", "contact_name", "phone", "is_active"]
        ),
        "has_api_key",
    ]
    search_fields = ["name", "email"]
    filter_horizontal = ["users"]
    exclude = ["api_key_hash"]
    readonly_fields = ["api_key_prefix"]
    actions = [*(_CatalogueSupplierAdmin.actions or []), "generate_api_key"]

    @admin.display(description=gettext_lazy("API key"), boolean=True)
    def has_api_key(self, supplier: Supplier) -> bool:
        return bool(supplier.api_key_hash)

    @admin.action(description=gettext_lazy("Generate a new API key (shown once)"))
    def generate_api_key(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> None:
        for supplier in queryset.order_by("pk"):
            secret = supplier_service.issue_supplier_api_key(supplier=supplier, actor=request.user)
            messages.warning(
                request,
                _("API key of %(supplier)s (copy it now, it is not shown again): %(key)s")
                % {"supplier": supplier.name, "key": secret},
            )


class BudgetMovementInline(TabularInline):
    model = BudgetMovement
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "amount_cents", "order")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Budget)
class BudgetAdmin(ModelAdmin):
    list_display = ["store", "period", "starts_on", "ends_on", "amount", "spent", "left"]
    list_filter = ["period", "starts_on"]
    search_fields = ["store__name", "store__slug"]
    list_select_related = ["store"]
    readonly_fields = ["spent_cents"]
    inlines = [BudgetMovementInline]

    @admin.display(description=gettext_lazy("budget"), ordering="amount_cents")
    def amount(self, budget: Budget) -> str:
        return euros(budget.amount_cents)

    @admin.display(description=gettext_lazy("spent"), ordering="spent_cents")
    def spent(self, budget: Budget) -> str:
        return euros(budget.spent_cents)

    @admin.display(description=gettext_lazy("left"))
    def left(self, budget: Budget) -> str:
        return euros(budget.left_cents)


@admin.register(CoFundingRule)
class CoFundingRuleAdmin(ModelAdmin):
    list_display = [
        "name",
        "percent",
        "item",
        "campaign",
        "cap",
        "ends_on",
        "is_active",
    ]
    list_filter = ["is_active", "item_kind", "campaign"]
    search_fields = ["name"]

    @admin.display(description=gettext_lazy("HQ pays"), ordering="percent_bp")
    def percent(self, rule: CoFundingRule) -> str:
        return format_rate(rule.percent_bp)

    @admin.display(description=gettext_lazy("cap per store"), ordering="cap_per_store_cents")
    def cap(self, rule: CoFundingRule) -> str:
        return euros(rule.cap_per_store_cents)


@admin.register(CoFundingUsage)
class CoFundingUsageAdmin(ReadOnlyModelAdmin):
    list_display = ["rule", "store", "period_start", "used", "cap", "left"]
    list_filter = ["rule"]
    search_fields = ["store__name", "rule__name"]
    list_select_related = ["rule", "store"]

    @admin.display(description=gettext_lazy("used"))
    def used(self, usage: CoFundingUsage) -> str:
        return euros(usage.used_cents)

    @admin.display(description=gettext_lazy("cap"))
    def cap(self, usage: CoFundingUsage) -> str:
        return euros(usage.cap_cents)

    @admin.display(description=gettext_lazy("left"))
    def left(self, usage: CoFundingUsage) -> str:
        return euros(usage.cap_cents - usage.used_cents)
