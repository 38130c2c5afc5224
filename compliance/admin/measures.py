"""Measures and statements of reasons in admin: read-only records of what services did, a page
to apply a measure on HQ's own initiative, one to lift a measure, the transparency export."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin_base import ReadOnlyModelAdmin, StatusEventInline
from network_marketplace.errors import DomainError

from ..models import Measure, MeasureEvent, MeasureSource, StatementOfReasons
from ..services import apply_measure, lift_measure, resolve_target
from ..transparency_db import export_batch
from .base import decision_page
from .forms import LiftForm, OwnInitiativeMeasureForm


class MeasureEventInline(StatusEventInline):
    model = MeasureEvent


@admin.register(Measure)
class MeasureAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "kind", "status", "store", "started_at", "ends_at", "lift_link"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["store__name", "user__email"]
    list_select_related = ["store", "user"]
    inlines = [MeasureEventInline]

    @admin.display(description="")
    def lift_link(self, measure):
        if not measure.is_active:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:compliance_measure_lift", args=[measure.pk]),
            _("Lift"),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("apply/", wrap(self.apply_view), name="compliance_measure_apply"),
            path("<int:pk>/lift/", wrap(self.lift_view), name="compliance_measure_lift"),
            *super().get_urls(),
        ]

    def apply_view(self, request):
        form = OwnInitiativeMeasureForm(request.POST or None)
        error = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            target = resolve_target(data["target_kind"], data["target_id"])
            if target is None:
                form.add_error("target_id", _("Nothing of that kind has this id."))
            else:
                try:
                    apply_measure(
                        kind=data["kind"],
                        target=target,
                        source=MeasureSource.OWN_INITIATIVE,
                        facts=data["facts"],
                        legal_ground=data["legal_ground"],
                        terms_clause=data["terms_clause"],
                        ends_at=data["ends_at"],
                        territorial_scope=form.scope(),
                        actor=request.user,
                    )
                except DomainError as exc:
                    error = exc
                else:
                    messages.success(request, _("Measure applied; its statement was sent."))
                    return redirect("admin:compliance_measure_changelist")
        return decision_page(
            self,
            request,
            form=form,
            error=error,
            title=_("Apply a measure on HQ's own initiative"),
            submit_label=_("Apply the measure"),
        )

    def lift_view(self, request, pk):
        measure = get_object_or_404(Measure, pk=pk)
        form = LiftForm(request.POST or None)
        error = None
        if request.method == "POST" and form.is_valid():
            try:
                lift_measure(
                    measure=measure, reason=form.cleaned_data["reason"], actor=request.user
                )
            except DomainError as exc:
                error = exc
            else:
                messages.success(request, _("Measure lifted."))
                return redirect("admin:compliance_measure_changelist")
        return decision_page(
            self,
            request,
            form=form,
            error=error,
            title=_("Lift: %(measure)s") % {"measure": measure},
            submit_label=_("Lift the measure"),
        )


@admin.register(StatementOfReasons)
class StatementOfReasonsAdmin(ReadOnlyModelAdmin):
    list_display = ["uuid", "measure", "created_at", "sent_at", "transparency_submitted_at"]
    list_filter = ["measure__kind", "measure__source"]
    search_fields = ["uuid"]
    list_select_related = ["measure"]
    actions = ["export_for_transparency_database"]

    @admin.action(description=_("Export for the transparency database (JSON, no personal data)"))
    def export_for_transparency_database(self, request, queryset):
        body = json.dumps(export_batch(queryset), indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="statements-{stamp}.json"'
        return response
