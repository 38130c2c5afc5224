"""HQ reads the customers' GDPR records: the export requests with their one-month deadline
(overdue ones highlighted), what the law keeps of closed accounts, and the retention runs."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network_marketplace.admin_base import ReadOnlyModelAdmin, StatusEventInline

from ..models import PersonalDataExport, PersonalDataExportEvent, RetainedPersonalData, RetentionRun
from ..services.gdpr.clocks import CLOCKS

S = PersonalDataExport.Status
ANSWERED = [S.READY, S.EXPIRED]


class ExportEventInline(StatusEventInline):
    model = PersonalDataExportEvent


class ExportDeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("open", _("Not answered yet"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(
                Q(due_at__lt=timezone.now()) & ~Q(status__in=ANSWERED)
                | Q(status__in=ANSWERED, finished_at__gt=F("due_at"))
            )
        if self.value() == "open":
            return queryset.exclude(status__in=ANSWERED)
        return queryset


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(ReadOnlyModelAdmin):
    list_display = [
        "requested_by_label",
        "created_at",
        "due_at",
        "deadline",
        "status",
        "finished_at",
    ]
    list_filter = [ExportDeadlineFilter, "status"]
    search_fields = ["requested_by_label", "user__email"]
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    exclude = ["archive", "user"]
    inlines = [ExportEventInline]

    @admin.display(description=_("deadline (one month)"))
    def deadline(self, export):
        if export.status in ANSWERED and export.finished_at:
            if export.finished_at > export.due_at:
                return format_html('<strong style="color:#b42318">{}</strong>', _("Answered late"))
            return _("Answered in time")
        days = (export.due_at - timezone.now()).days
        if days < 0:
            return format_html(
                '<strong style="color:#b42318" data-overdue="1">{}</strong>', _("Overdue")
            )
        return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}


@admin.register(RetainedPersonalData)
class RetainedPersonalDataAdmin(ReadOnlyModelAdmin):
    """What a legal obligation keeps of closed accounts, apart from the orders: for HQ's legal
    and finance staff only (an auditor's or the tax office's request), never a store."""

    list_display = ["order", "purpose", "retained_at", "delete_after"]
    list_filter = ["purpose"]
    search_fields = ["order__number"]
    readonly_fields = ["order", "purpose", "legal_basis", "kept", "retained_at", "delete_after"]
    fields = readonly_fields

    @admin.display(description=_("personal data kept"))
    def kept(self, row):
        return format_html_join(
            "",
            "<div><strong>{}</strong> {}</div>",
            ((key, value) for key, value in row.data.items()),
        )


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyModelAdmin):
    list_display = ["started_at", "finished_at", "total", "summary", "actor_label"]
    search_fields = ["actor_label"]
    date_hierarchy = "started_at"
    readonly_fields = ["started_at", "finished_at", "total", "per_purpose", "actor_label"]
    fields = readonly_fields

    @admin.display(description=_("removed per purpose"))
    def summary(self, run):
        return ", ".join(f"{key}: {count}" for key, count in run.removed.items() if count) or "—"

    @admin.display(description=_("removed per purpose"))
    def per_purpose(self, run):
        labels = {clock.key: clock.label for clock in CLOCKS}
        labels["inactive_account_warnings"] = _("Warnings sent before closing inactive accounts")
        return format_html(
            "<table>{}</table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td></tr>",
                ((labels.get(key, key), count) for key, count in run.removed.items()),
            ),
        )
