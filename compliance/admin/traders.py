"""HQ checks the stores' trader data (DSA art. 30): the evidence references with accept /
reject actions, the certifications (read-only: a certification is never changed)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network_marketplace.admin_base import ModelAdmin, ReadOnlyModelAdmin
from network_marketplace.errors import DomainError
from stores.models import Store

from ..models import Measure, TraderCertification, TraderEvidence
from ..services.traders import missing_trader_data, review_trader_evidence


class RejectionForm(forms.Form):
    note = forms.CharField(
        label=_("Why the evidence is rejected (the store reads it)"), max_length=300
    )


@admin.register(TraderEvidence)
class TraderEvidenceAdmin(ModelAdmin):
    list_display = [
        "store",
        "legal_representative",
        "hq_check",
        "checked_at",
        "what_is_missing",
    ]
    list_filter = ["hq_check", "store__status"]
    list_select_related = ["store"]
    search_fields = ["store__name", "store__company_name", "legal_representative"]
    readonly_fields = [
        "store",
        "legal_representative",
        "id_document_reference",
        "bank_account_holder",
        "bank_evidence_reference",
        "hq_check",
        "hq_check_note",
        "checked_by",
        "checked_at",
        "anonymised_at",
        "what_is_missing",
    ]
    actions = ["accept_evidence", "reject_evidence"]
    change_list_template = "admin/compliance/traderevidence/change_list.html"

    def get_urls(self):
        return [
            path(
                "overview/",
                self.admin_site.admin_view(self.overview_view),
                name="compliance_trader_overview",
            ),
            *super().get_urls(),
        ]

    def overview_view(self, request):
        """Every franchise store still in the network, with what it lacks to sell (HQ's list
        of stores to chase; the suspended ones first)."""
        suspended = set(
            Measure.objects.filter(source="trader_data", status=Measure.Status.ACTIVE).values_list(
                "store_id", flat=True
            )
        )
        rows = [
            {
                "store": store,
                "missing": missing_trader_data(store),
                "suspended": store.pk in suspended,
            }
            for store in Store.objects.filter(kind=Store.Kind.FRANCHISE)
            .exclude(status=Store.Status.CLOSED)
            .order_by("name")
        ]
        rows.sort(key=lambda row: (not row["suspended"], not row["missing"], row["store"].name))
        return TemplateResponse(
            request,
            "admin/compliance/traderevidence/overview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Trader data of the franchise stores"),
                "rows": rows,
            },
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("missing for the store to sell"))
    def what_is_missing(self, evidence):
        return "; ".join(missing_trader_data(evidence.store)) or "—"

    def _review(self, request, queryset, *, accepted, note=""):
        done = 0
        for evidence in queryset:
            try:
                review_trader_evidence(
                    evidence=evidence, accepted=accepted, note=note, actor=request.user
                )
            except DomainError as exc:
                self.message_user(request, f"{evidence.store}: {exc.message}", messages.ERROR)
                continue
            done += 1
        return done

    @admin.action(description=_("Accept the selected stores' evidence"))
    def accept_evidence(self, request, queryset):
        done = self._review(request, queryset, accepted=True)
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d store's evidence accepted.",
                    "%(count)d stores' evidence accepted.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Reject the selected stores' evidence (suspends their selling)"))
    def reject_evidence(self, request, queryset):
        form = RejectionForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = self._review(request, queryset, accepted=False, note=form.cleaned_data["note"])
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d store's evidence rejected.",
                        "%(count)d stores' evidence rejected.",
                        done,
                    )
                    % {"count": done},
                    messages.WARNING,
                )
            return None
        return TemplateResponse(
            request,
            "admin/compliance/confirm_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Reject the evidence"),
                "queryset": queryset,
                "form": form,
                "action": "reject_evidence",
                "warning": _(
                    "Each store is suspended from selling, with a statement of reasons, until "
                    "it gives new evidence."
                ),
            },
        )


@admin.register(TraderCertification)
class TraderCertificationAdmin(ReadOnlyModelAdmin):
    list_display = ["store", "version", "text_version", "certified_by_label", "certified_at"]
    list_filter = ["text_version"]
    list_select_related = ["store"]
    search_fields = ["store__name", "certified_by_label"]
    readonly_fields = [
        "store",
        "version",
        "text_version",
        "text",
        "certified_by",
        "certified_by_label",
        "certified_at",
    ]
