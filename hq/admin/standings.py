"""The scorecard thresholds (one row, edited in place), the stores' standings (a list with
filters) and each store's scorecard page in HQ's admin, where HQ lifts a warning or a suspension,
or takes a store out of home-delivery routing, with its reason (hq.services.consequences)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from network_marketplace.admin_base import ModelAdmin, SingletonModelAdmin, state_badge
from network_marketplace.errors import DomainError

from ..models import MAX_SUSPENSION_DAYS, ScorecardSettings, StoreStanding
from ..selectors.standings import scorecard_page
from ..services import impose_suspension, lift_standing


@admin.register(ScorecardSettings)
class ScorecardSettingsAdmin(SingletonModelAdmin):
    """HQ's thresholds: one row, edited in place; the model checks the bounds and that each
    suspension level lies beyond its warning level."""

    list_display = ["__str__", "period_days", "timeouts_warning", "suspension_days", "updated_at"]
    fieldsets = [
        (
            gettext_lazy("Period"),
            {"fields": ["period_days", "min_routed", "ship_within_hours"]},
        ),
        (
            gettext_lazy("Warning"),
            {
                "description": gettext_lazy(
                    "A store whose figures cross one of these is warned (e-mail and its "
                    "back-office): nothing else changes."
                ),
                "fields": [
                    "timeouts_warning",
                    "acceptance_rate_warning",
                    "late_rate_warning",
                    "stock_misses_warning",
                ],
            },
        ),
        (
            gettext_lazy("Out of home-delivery routing"),
            {
                "description": gettext_lazy(
                    "A warned store whose figures cross one of these ships no home delivery "
                    "for the set time at least, with a statement of reasons; its click & "
                    "collect, reserve & collect and page stay."
                ),
                "fields": [
                    "timeouts_suspension",
                    "acceptance_rate_suspension",
                    "late_rate_suspension",
                    "stock_misses_suspension",
                    "suspension_days",
                    "recovery",
                ],
            },
        ),
    ]


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy("Sent to the store and kept in its history."),
    )


class ImposeForm(LiftForm):
    days = forms.IntegerField(
        label=gettext_lazy("For (days)"),
        min_value=1,
        max_value=MAX_SUSPENSION_DAYS,
        required=False,
        help_text=gettext_lazy("Empty: HQ's suspension length."),
    )


@admin.register(StoreStanding)
class StoreStandingAdmin(ModelAdmin):
    """The stores by standing; a row opens the store's scorecard (figures, thresholds,
    history) with HQ's overrides."""

    list_display = ["store", "standing", "since_short", "until_short"]
    list_filter = ["status", "store__kind", "store__home_delivery_suspended"]
    search_fields = ["store__name", "store__city", "store__postal_code"]
    list_select_related = ["store"]
    ordering = ["store__name"]
    change_list_template = "admin/hq/storestanding_change_list.html"

    @admin.display(description=gettext_lazy("since"), ordering="since")
    def since_short(self, obj: StoreStanding) -> str:
        return date_format(timezone.localtime(obj.since), "SHORT_DATETIME_FORMAT")

    @admin.display(description=pgettext_lazy("until a date", "until"), ordering="suspended_until")
    def until_short(self, obj: StoreStanding) -> str:
        if obj.suspended_until is None:
            return "—"
        return date_format(timezone.localtime(obj.suspended_until), "SHORT_DATETIME_FORMAT")

    @admin.display(description=gettext_lazy("standing"), ordering="status")
    def standing(self, obj: StoreStanding) -> str:
        return state_badge(obj.status, obj.get_status_display())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "title": _("Stores' scorecards")}
        return super().changelist_view(request, extra_context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The store's scorecard, and HQ's overrides (POST: lift or impose, with a reason)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        standing = get_object_or_404(StoreStanding.objects.select_related("store"), pk=object_id)
        lift_form: forms.Form = LiftForm(prefix="lift")
        impose_form: forms.Form = ImposeForm(prefix="impose")
        status = 200
        if request.method == "POST":
            action = request.POST.get("action")
            form: forms.Form = (
                LiftForm(request.POST, prefix="lift")
                if action == "lift"
                else ImposeForm(request.POST, prefix="impose")
            )
            if action == "lift":
                lift_form = form
            else:
                impose_form = form
            if form.is_valid():
                try:
                    if action == "lift":
                        lift_standing(
                            store=standing.store,
                            reason=form.cleaned_data["reason"],
                            actor=request.user,
                        )
                        messages.success(request, _("The store is back in good standing."))
                    else:
                        impose_suspension(
                            store=standing.store,
                            reason=form.cleaned_data["reason"],
                            actor=request.user,
                            days=form.cleaned_data.get("days"),
                        )
                        messages.success(request, _("The store is out of home-delivery routing."))
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    return HttpResponseRedirect(request.path)
            status = 400
        page = scorecard_page(store=standing.store)
        return TemplateResponse(
            request,
            "admin/hq/scorecard.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Scorecard of %(store)s") % {"store": standing.store.name},
                "page": page,
                "standing": standing,
                "lift_form": lift_form,
                "impose_form": impose_form,
                "store_admin_url": reverse("admin:stores_store_change", args=[standing.store_id]),
                "backoffice_url": reverse("backoffice:scorecard", args=[standing.store.slug]),
            },
            status=status,
        )
