"""HQ's notice queue (DSA art. 16): trusted flaggers first, then the oldest; age and deadline;
the content as reported; the decision page (a measure through apply_measure, or no action)."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin_base import ModelAdmin, StatusEventInline
from network_marketplace.errors import DomainError

from ..models import Notice, NoticeEvent, TrustedFlagger
from ..selectors import notices_trusted_first
from ..services import decide_notice, start_review
from .base import decision_page
from .forms import NoticeDecisionForm


class NoticeEventInline(StatusEventInline):
    model = NoticeEvent


class TrustedFilter(admin.SimpleListFilter):
    title = _("trusted flagger")
    parameter_name = "trusted"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(trusted_flagger__isnull=False)
        if self.value() == "no":
            return queryset.filter(trusted_flagger__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Past its deadline"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                status__in=[Notice.Status.RECEIVED, Notice.Status.IN_REVIEW],
                deadline_at__lt=timezone.now(),
            )
        return queryset


@admin.register(TrustedFlagger)
class TrustedFlaggerAdmin(ModelAdmin):
    list_display = ["name", "email", "awarded_by", "expertise", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "email"]


@admin.register(Notice)
class NoticeAdmin(ModelAdmin):
    list_display = [
        "reference",
        "category",
        "trusted",
        "received_at",
        "age",
        "deadline_at",
        "status",
        "store",
        "decide_link",
    ]
    list_filter = ["status", TrustedFilter, OverdueFilter, "category", "target_kind"]
    search_fields = ["reference", "notifier_email", "store__name"]
    list_select_related = ["store", "trusted_flagger"]
    inlines = [NoticeEventInline]
    actions = ["take_up"]
    readonly_fields = [
        "reference",
        "status",
        "received_at",
        "deadline_at",
        "notifier_name",
        "notifier_email",
        "trusted_flagger",
        "category",
        "explanation",
        "urls",
        "target_kind",
        "target_id",
        "store",
        "good_faith",
        "snapshot_shown",
        "decided_at",
        "decided_by",
        "decision_text",
    ]
    exclude = ["snapshot", "notifier_user"]

    def get_queryset(self, request):
        return notices_trusted_first(super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description=_("trusted"))
    def trusted(self, notice):
        return notice.trusted_flagger_id is not None

    @admin.display(description=_("age"))
    def age(self, notice):
        return timesince(notice.received_at)

    @admin.display(description=_("content as reported"))
    def snapshot_shown(self, notice):
        return format_html(
            "<pre>{}</pre>", json.dumps(notice.snapshot, indent=2, ensure_ascii=False)
        )

    @admin.display(description="")
    def decide_link(self, notice):
        if not notice.is_open:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:compliance_notice_decide", args=[notice.pk]),
            _("Decide"),
        )

    @admin.action(description=_("Take up the selected notices (in review)"))
    def take_up(self, request, queryset):
        for notice in queryset.filter(status=Notice.Status.RECEIVED):
            start_review(notice=notice, actor=request.user)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", wrap(self.decide_view), name="compliance_notice_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk):
        notice = get_object_or_404(Notice, pk=pk)
        form = NoticeDecisionForm(request.POST or None)
        error = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                decide_notice(
                    notice=notice,
                    actor=request.user,
                    decision_text=data["decision_text"],
                    measure_kind=data["measure_kind"],
                    facts=data["facts"],
                    legal_ground=data["legal_ground"],
                    terms_clause=data["terms_clause"],
                    ends_at=data["ends_at"],
                    territorial_scope=form.scope(),
                )
            except DomainError as exc:
                error = exc
            else:
                messages.success(request, _("Notice %(ref)s decided.") % {"ref": notice.reference})
                return redirect("admin:compliance_notice_changelist")
        return decision_page(
            self,
            request,
            form=form,
            error=error,
            title=_("Decide notice %(ref)s") % {"ref": notice.reference},
            submit_label=_("Record the decision"),
            snapshot=json.dumps(notice.snapshot, indent=2, ensure_ascii=False),
            details=[
                (_("Category"), notice.get_category_display()),
                (_("Why it is illegal"), notice.explanation),
                (_("URLs"), "\n".join(notice.urls)),
                (
                    _("Decide by"),
                    date_format(timezone.localtime(notice.deadline_at), "DATETIME_FORMAT"),
                ),
            ],
        )
