"""Fair routing in HQ's admin (Head office, Fair routing): how home-delivery orders were spread
over the stores of each area against their capacity and stock, the simulation of other weights
on the last days' orders (nothing written), and "apply", which saves them in the order policy
with HQ's reason (hq.services.apply_routing_weights); the changes applied are listed below."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.admin_base import ModelAdmin
from network_marketplace.errors import DomainError
from orders.models import OrderPolicy

from ..models import MAX_PERIOD_DAYS, FairRouting, RoutingWeightsChange
from ..selectors.routing_spread import (
    AREA_DEPARTMENT,
    AREA_PREFIX3,
    Weights,
    routing_spread,
    simulate_routing,
)
from ..services import apply_routing_weights
from ..services.routing_weights import FIELDS

AREA_CHOICES = [
    (AREA_DEPARTMENT, gettext_lazy("Department")),
    (AREA_PREFIX3, gettext_lazy("Postal code (3 first digits)")),
]
MAX_REPORT_DAYS = 366


class ReportForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    by = forms.ChoiceField(label=gettext_lazy("Areas"), choices=AREA_CHOICES, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("The end of the period comes before its start."))
            if (end - start).days > MAX_REPORT_DAYS:
                raise ValidationError(_("Choose a period of a year at most."))
        return cleaned


class WeightsForm(forms.ModelForm):
    """Candidate weights: the order policy's own fields, so its bounds and rules apply (each
    weight between 0 and 1, not all 0; the window between 1 and 90 days)."""

    days = forms.IntegerField(
        label=gettext_lazy("Replay the orders of the last (days)"),
        min_value=1,
        max_value=MAX_PERIOD_DAYS,
        initial=28,
    )

    class Meta:
        model = OrderPolicy
        fields = list(FIELDS)
        localized_fields = list(FIELDS)

    def weights(self) -> Weights:
        data = self.cleaned_data
        return Weights(**{name: data[name] for name in FIELDS})


class ApplyForm(WeightsForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy("Kept with the change."),
    )


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


@admin.register(FairRouting)
class FairRoutingAdmin(ModelAdmin):
    """The page is this entry's list: the report, the simulation, the changes applied."""

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
        policy = OrderPolicy.current()
        today = timezone.localdate()
        invalid = False

        report_data = request.GET if "start" in request.GET else None
        report_form = ReportForm(
            report_data, initial={"start": today - timedelta(days=27), "end": today}
        )
        start, end, by = today - timedelta(days=27), today, AREA_DEPARTMENT
        if report_form.is_bound:
            if report_form.is_valid():
                start, end = report_form.cleaned_data["start"], report_form.cleaned_data["end"]
                by = report_form.cleaned_data["by"] or AREA_DEPARTMENT
            else:
                invalid = True
        since, until = _bounds(start, end)
        report = routing_spread(start=since, end=until, by=by)

        simulation = None
        apply_form = None
        weights_form = WeightsForm(instance=OrderPolicy(**{n: getattr(policy, n) for n in FIELDS}))
        if request.method == "POST":
            apply_form = ApplyForm(request.POST, instance=OrderPolicy.current())
            if apply_form.is_valid():
                try:
                    apply_routing_weights(
                        weights=apply_form.weights(),
                        reason=apply_form.cleaned_data["reason"],
                        actor=request.user,
                        simulated_days=apply_form.cleaned_data["days"],
                        simulated_orders=int(request.POST.get("simulated_orders") or 0),
                    )
                except DomainError as error:
                    apply_form.add_error(None, error.message)
                except ValidationError as error:
                    apply_form.add_error(None, error)
                else:
                    messages.success(
                        request, _("The new routing weights apply to the next orders.")
                    )
                    return HttpResponseRedirect(request.path)
            invalid = True
            weights_form = apply_form
        elif "simulate" in request.GET:
            weights_form = WeightsForm(request.GET, instance=OrderPolicy())
            if weights_form.is_valid():
                simulation = simulate_routing(
                    days=weights_form.cleaned_data["days"], candidate=weights_form.weights(), by=by
                )
                apply_form = ApplyForm(
                    initial={
                        **{name: weights_form.cleaned_data[name] for name in FIELDS},
                        "days": weights_form.cleaned_data["days"],
                    },
                    instance=OrderPolicy(),
                )
            else:
                invalid = True
        return TemplateResponse(
            request,
            "admin/hq/fair_routing.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Fair routing"),
                "policy": policy,
                "report_form": report_form,
                "report": report,
                "weights_form": weights_form,
                "simulation": simulation,
                "apply_form": apply_form,
                "changes": RoutingWeightsChange.objects.all()[:20],
                "by": by,
                "start_date": start,
                "end_date": end,
            },
            status=400 if invalid else 200,
        )
