"""HQ's admin for the marketing hub: digital packs. Plans and post templates are edited here;
subscriptions, their events and charges, and the deliverables are read (services write them),
with an action to run the monthly billing for a month and downloads of the files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network_marketplace.admin_base import (
    ModelAdmin,
    ReadOnlyModelAdmin,
    StatusEventInline,
    TabularInline,
)
from network_marketplace.storage import private_file_response

from ..models import (
    Deliverable,
    SocialPostTemplate,
    Subscription,
    SubscriptionCharge,
    SubscriptionEvent,
    SubscriptionPlan,
)
from ..services import billing
from ..services.deliverables import content_type_of


@admin.register(SubscriptionPlan)
class SubscriptionPlanAdmin(ModelAdmin):
    list_display = [
        "name",
        "code",
        "pack",
        "price_cents",
        "minimum_commitment_months",
        "notice_days",
        "is_active",
    ]
    list_filter = ["pack", "is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class SubscriptionEventInline(StatusEventInline):
    model = SubscriptionEvent


class SubscriptionChargeInline(TabularInline):
    model = SubscriptionCharge
    extra = 0
    can_delete = False
    fields = [
        "kind",
        "period_start",
        "period_end",
        "amount_excl_vat_cents",
        "vat_rate_bp",
        "reference",
        "invoice",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BillMonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month to bill"),
        help_text=_("Any day of the month, e.g. 2027-01-01."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyModelAdmin):
    list_display = [
        "store",
        "plan",
        "status",
        "started_on",
        "commitment_ends_on",
        "ends_on",
        "next_plan",
    ]
    list_filter = ["status", "plan__pack", "plan"]
    search_fields = ["store__name", "store__slug", "plan__name"]
    list_select_related = ["store", "plan", "next_plan"]
    date_hierarchy = "started_on"
    exclude = ["feed_token"]
    inlines = [SubscriptionChargeInline, SubscriptionEventInline]
    actions = ["bill_month"]

    @admin.action(description=_("Run the monthly billing for a month…"))
    def bill_month(
        self, request: HttpRequest, queryset: QuerySet[Subscription]
    ) -> HttpResponse | None:
        form = BillMonthForm(
            request.POST if "apply" in request.POST else None,
            initial={"month": timezone.localdate().replace(day=1)},
        )
        if form.is_valid():
            report = billing.run_billing(period=form.cleaned_data["month"], actor=request.user)
            billed, failed = len(report.billed), len(report.failed)
            messages.success(
                request,
                _("%(month)s: %(billed)s, %(failed)s.")
                % {
                    "month": report.period.strftime("%m/%Y"),
                    "billed": ngettext(
                        "%(count)d subscription billed", "%(count)d subscriptions billed", billed
                    )
                    % {"count": billed},
                    "failed": ngettext("%(count)d failed", "%(count)d failed", failed)
                    % {"count": failed},
                },
            )
            for subscription_id, error in report.failed.items():
                messages.warning(request, f"#{subscription_id}: {error}")
            return None
        return TemplateResponse(
            request,
            "admin/marketing_hub/subscription_bill_month.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "form": form,
                "subscriptions": queryset,
                "title": _("Run the monthly billing"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(SubscriptionCharge)
class SubscriptionChargeAdmin(ReadOnlyModelAdmin):
    list_display = [
        "reference",
        "subscription",
        "kind",
        "period_start",
        "amount_excl_vat_cents",
        "invoice",
    ]
    list_filter = ["kind", "period_start"]
    search_fields = ["reference", "subscription__store__name"]
    list_select_related = ["subscription__store", "subscription__plan", "invoice"]


@admin.register(SocialPostTemplate)
class SocialPostTemplateAdmin(ModelAdmin):
    list_display = ["month", "day", "title"]
    list_filter = ["month"]
    search_fields = ["title", "text"]
    fieldsets = [
        (None, {"fields": ["month", "day", "title", "image"]}),
        (
            None,
            {
                "fields": ["text"],
                "description": _(
                    "Placeholders filled for each store: {store}, {city}, {product}, {price}, "
                    "{offer}, {network}."
                ),
            },
        ),
    ]


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyModelAdmin):
    list_display = ["store", "kind", "period_start", "generated_at", "download_link"]
    list_filter = ["kind", "period_start"]
    search_fields = ["store__name", "store__slug"]
    list_select_related = ["store"]
    exclude = ["file", "extra_file"]
    readonly_fields = ["download_link"]

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/download/<str:which>/",
                wrap(self.download_view),
                name="marketing_hub_deliverable_download",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("Download"))
    def download_link(self, deliverable: Deliverable) -> str:
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:marketing_hub_deliverable_download", args=[deliverable.pk, which]),
                label,
            )
            for which, label, field in (
                ("file", _("File"), deliverable.file),
                ("csv", "CSV", deliverable.extra_file),
            )
            if field
        ]
        return format_html(" · ".join(["{}"] * len(links)), *links) if links else "—"

    def download_view(self, request: HttpRequest, pk: int, which: str) -> HttpResponseBase:
        deliverable = get_object_or_404(Deliverable, pk=pk)
        field = deliverable.extra_file if which == "csv" else deliverable.file
        if not field or not field.name:
            raise Http404
        name = field.name.rsplit("/", 1)[-1]
        return private_file_response(
            field.storage, field.name, filename=name, content_type=content_type_of(name)
        )
