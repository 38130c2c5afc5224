"""HQ publishes the stores' terms (a new version through `publish_terms`, never an edit), sees
each store's decision and which stores have not accepted a version, gives a store notice of
termination (art. 4) and keeps the list of mediators named in the terms."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin_base import ModelAdmin, ReadOnlyModelAdmin, StatusEventInline
from network_marketplace.errors import DomainError

from ..models import (
    Mediator,
    StoreTermination,
    StoreTerminationEvent,
    TermsDecision,
    TermsStanding,
    TermsVersion,
)
from ..selectors.terms import stores_bound_by_terms, stores_without_acceptance
from ..services import p2b_measures, terms


class TermsVersionForm(forms.ModelForm):
    class Meta:
        model = TermsVersion
        fields = [
            "title",
            "effective_on",
            "changes_summary",
            "body",
            "exception",
            "exception_reason",
        ]

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            terms.check_new_terms(
                title=data.get("title", ""),
                body=data.get("body", ""),
                effective_on=data["effective_on"],
                exception=data.get("exception", ""),
                exception_reason=data.get("exception_reason", ""),
            )
        except DomainError as error:
            field = error.facts.get("field") or NON_FIELD_ERRORS
            raise ValidationError({field: error.message}) from error
        return data


@admin.register(TermsVersion)
class TermsVersionAdmin(ModelAdmin):
    """A version is published once (add) and never edited: a change is a new version."""

    form = TermsVersionForm
    list_display = [
        "version",
        "title",
        "published_at",
        "effective_on",
        "exception",
        "not_accepted",
        "pdf_link",
    ]
    readonly_fields = ["version", "published_at", "published_by_label", "pdf_sha256", "pdf_link"]
    search_fields = ["title", "body"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return TermsVersionForm.Meta.fields
        return [*self.readonly_fields, *TermsVersionForm.Meta.fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.readonly_fields, *TermsVersionForm.Meta.fields]

    def save_model(self, request, obj, form, change):
        version = terms.publish_terms(actor=request.user, **form.cleaned_data)
        obj.pk = version.pk
        obj.version = version.version

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", wrap(self.pdf_view), name="compliance_termsversion_pdf"),
            *super().get_urls(),
        ]

    @admin.display(description="PDF")
    def pdf_link(self, version):
        if version.pk is None:
            return "—"
        url = reverse("admin:compliance_termsversion_pdf", args=[version.pk])
        return format_html('<a href="{}">PDF</a>', url)

    @admin.display(description=_("stores that have not accepted"))
    def not_accepted(self, version):
        count = stores_without_acceptance(version).count()
        url = reverse("admin:compliance_termsstanding_changelist")
        return format_html('<a href="{}?not_accepted={}">{}</a>', url, version.pk, count)

    def pdf_view(self, request, pk):
        version = get_object_or_404(TermsVersion, pk=pk)
        response = HttpResponse(bytes(version.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{terms.terms_filename(version)}"'
        return response


class NotAcceptedFilter(admin.SimpleListFilter):
    """The stores that have not accepted a version (none yet, or terminated): by default the
    latest version's."""

    title = _("has not accepted the terms")
    parameter_name = "not_accepted"

    def lookups(self, request, model_admin):
        return [
            (str(version.pk), _("Version %(number)s") % {"number": version.version})
            for version in TermsVersion.objects.only("pk", "version").order_by("-version")
        ]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        accepted = TermsDecision.objects.filter(
            version_id=int(self.value() or 0),
            store=OuterRef("pk"),
            decision=TermsDecision.Decision.ACCEPTED,
        )
        return queryset.filter(~Exists(accepted))


@admin.register(TermsStanding)
class TermsStandingAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "city", "status", "latest_decision", "latest_effective_on"]
    list_filter = [NotAcceptedFilter, "status"]
    search_fields = ["name", "city"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def get_queryset(self, request):
        """The stores bound by the terms, each with the latest version's effective date and
        its decision on it (one query for the list, whatever its length)."""
        latest = TermsVersion.objects.order_by("-version")
        decision = TermsDecision.objects.filter(
            store=OuterRef("pk"), version=Subquery(latest.values("pk")[:1])
        ).values("decision")[:1]
        return (
            stores_bound_by_terms()
            .annotate(
                latest_effective_on=Subquery(latest.values("effective_on")[:1]),
                latest_decision=Subquery(decision),
            )
            .order_by("name")
        )

    @admin.display(description=_("decision on the latest version"))
    def latest_decision(self, store):
        if store.latest_effective_on is None:
            return "—"
        if not store.latest_decision:
            return _("Not decided")
        return TermsDecision.Decision(store.latest_decision).label

    @admin.display(description=_("latest version takes effect on"))
    def latest_effective_on(self, store):
        return store.latest_effective_on or "—"


@admin.register(TermsDecision)
class TermsDecisionAdmin(ReadOnlyModelAdmin):
    list_display = ["store", "version", "decision", "decided_by_label", "decided_at"]
    list_filter = ["version", "decision"]
    search_fields = ["store__name"]


@admin.register(Mediator)
class MediatorAdmin(ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "website", "email", "languages", "is_active", "position"]
    list_editable = ["is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["name", "email"]


class TerminationForm(forms.ModelForm):
    """HQ gives a store notice of termination (art. 4): the rules are the service's."""

    class Meta:
        model = StoreTermination
        fields = ["store", "reasons", "terms_clause", "effective_on", "ground"]

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            p2b_measures.check_termination(
                reasons=data.get("reasons", ""),
                terms_clause=data.get("terms_clause", ""),
                effective_on=data["effective_on"],
                ground=data.get("ground", ""),
            )
        except DomainError as error:
            field = error.facts.get("field") or NON_FIELD_ERRORS
            raise ValidationError({field: error.message}) from error
        return data


class TerminationEventInline(StatusEventInline):
    model = StoreTerminationEvent


@admin.register(StoreTermination)
class StoreTerminationAdmin(ModelAdmin):
    """Notice is given once (add), with its statement of reasons; then HQ may withdraw it
    before it takes effect. The store is closed on the day by the beat job."""

    form = TerminationForm
    list_display = ["store", "status", "notice_given_at", "effective_on", "ground", "measure"]
    list_filter = ["status", "ground"]
    search_fields = ["store__name"]
    inlines = [TerminationEventInline]
    actions = ["withdraw"]
    autocomplete_fields = ["store"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        termination = p2b_measures.give_termination_notice(actor=request.user, **form.cleaned_data)
        obj.pk = termination.pk

    def save_related(self, request, form, formsets, change):
        """Nothing else to save: the service wrote the notice and its statement."""

    @admin.action(description=_("Withdraw the selected notices (the stores stay)"))
    def withdraw(self, request, queryset):
        for termination in queryset.filter(status=StoreTermination.Status.SCHEDULED):
            p2b_measures.withdraw_termination(
                termination=termination, reason=_("Withdrawn by HQ"), actor=request.user
            )
        messages.success(request, _("Notices withdrawn."))
