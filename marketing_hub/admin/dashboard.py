"""HQ's admin for the marketing hub: the marketing dashboard (Marketing hub > Marketing
dashboard): spend and co-funding per store, campaign and month, approval times, and each
campaign's effect on the stores' own sales. Reads only; the figures come from
`marketing_hub.selectors.dashboard`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin_base import ModelAdmin
from stores.models import Store

from ..models import Campaign, MarketingDashboard
from ..selectors.dashboard import (
    DashboardFilters,
    approval_times,
    campaign_impact,
    marketing_spend,
)

MAX_PERIOD_DAYS = 3 * 366


class DashboardFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.order_by("-starts_on", "name"),
        required=False,
        empty_label=_("All campaigns"),
    )
    store = forms.ModelChoiceField(
        label=_("Store"),
        queryset=Store.objects.exclude(kind=Store.Kind.WAREHOUSE).order_by("name"),
        required=False,
        empty_label=_("All stores"),
        to_field_name="slug",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end of the period comes before its start."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of three years at most."))
        return cleaned


def default_period() -> tuple[date, date]:
    """The last twelve months up to today."""
    today = timezone.localdate()
    return today - timedelta(days=364), today


def order_change_url(order_id: int) -> str:
    """The order's admin page, once the orders' admin is registered; else no link."""
    try:
        return reverse("admin:marketing_hub_marketingorder_change", args=[order_id])
    except NoReverseMatch:
        return ""


@admin.register(MarketingDashboard)
class MarketingDashboardAdmin(ModelAdmin):
    """The dashboard is this entry's list page: no rows to add, change or delete."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        start, end = default_period()
        data = request.GET if request.GET else None
        form = DashboardFilterForm(data, initial={"start": start, "end": end})
        filters = DashboardFilters(start=start, end=end)
        if form.is_bound and form.is_valid():
            filters = DashboardFilters(
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                campaign=form.cleaned_data["campaign"],
                store=form.cleaned_data["store"],
            )
        approvals = approval_times(filters)
        overdue = [(order, order_change_url(order.pk)) for order in approvals.overdue]
        return TemplateResponse(
            request,
            "admin/marketing_hub/dashboard.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Marketing dashboard"),
                "form": form,
                "filters": filters,
                "spend": marketing_spend(filters),
                "approvals": approvals,
                "overdue": overdue,
                "impacts": campaign_impact(filters),
            },
            status=400 if form.is_bound and not form.is_valid() else 200,
        )
