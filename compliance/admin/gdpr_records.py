"""HQ's GDPR records in admin: the consent ledger (read-only, art. 7), the breach register with
its 72-hour deadline (art. 33), and the records of processing (art. 30), generated."""

from __future__ import annotations

from copy import copy
from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network_marketplace.admin_base import ModelAdmin, ReadOnlyModelAdmin
from network_marketplace.models import AuditEvent

from ..models import Breach, ConsentRecord, RecordsOfProcessing
from ..records import records_context
from ..services.breaches import InvalidBreach, check_breach, deadline_status, save_breach


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyModelAdmin):
    """The ledger as it was written: nothing can be added, changed or deleted here."""

    list_display = [
        "recorded_at",
        "subject",
        "purpose",
        "store",
        "granted",
        "basis",
        "notice_version",
        "channel",
        "recorded_by",
    ]
    list_filter = ["purpose", "granted", "channel", "basis", "notice_version"]
    list_select_related = ["user", "store"]
    search_fields = ["user__email", "email", "visitor_id", "store__name"]
    date_hierarchy = "recorded_at"
    readonly_fields = [
        "recorded_at",
        "user",
        "email",
        "visitor_id",
        "purpose",
        "store",
        "granted",
        "basis",
        "notice_version",
        "channel",
        "recorded_by",
    ]
    fields = readonly_fields

    @admin.display(description=_("subject"))
    def subject(self, row: ConsentRecord) -> str:
        if row.user_id:
            return row.user.email
        if row.email:
            return _("%(email)s (guest)") % {"email": row.email}
        return _("Visitor %(id)s") % {"id": row.visitor_id[:8]}


class BreachForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = [
            "detected_at",
            "occurred_at",
            "nature",
            "data_categories",
            "people_categories",
            "approx_people",
            "approx_records",
            "likely_consequences",
            "measures",
            "notified_to_cnil_at",
            "cnil_reference",
            "late_notification_reason",
            "people_informed_at",
            "not_notified",
            "not_notified_reason",
        ]

    def clean(self):
        """The register's rules (compliance.services.breaches), on the field they concern."""
        cleaned = super().clean()
        probe = copy(self.instance)
        for name, value in cleaned.items():
            setattr(probe, name, value)
        try:
            check_breach(probe)
        except InvalidBreach as error:
            field = error.facts.get("field")
            self.add_error(field if field in self.fields else None, error.message)
        return cleaned

    def _post_clean(self):
        # A rule already said no on its field: the database constraints would only repeat it.
        if not self.errors:
            super()._post_clean()


def deadline_label(breach: Breach) -> str:
    """What the list says of the 72 hours: time left, overdue (red), or settled."""
    state, left = deadline_status(breach)
    if state == "settled":
        if breach.not_notified:
            return format_html('<span class="breach-deadline">{}</span>', _("Not notified"))
        at = timezone.localtime(breach.notified_to_cnil_at)
        late = breach.notified_to_cnil_at > breach.notification_deadline
        return format_html(
            '<span class="breach-deadline"{}>{}</span>',
            ' style="color:#ba2121"' if late else "",
            _("Notified on %(date)s%(late)s")
            % {
                "date": date_format(at, "SHORT_DATETIME_FORMAT"),
                "late": _(", late") if late else "",
            },
        )
    hours = int(abs(left) // timedelta(hours=1))
    minutes = int(abs(left) % timedelta(hours=1) // timedelta(minutes=1))
    span = ngettext("%(hours)d hour", "%(hours)d hours", hours) % {"hours": hours}
    span += " " + ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {
        "minutes": minutes
    }
    if state == "overdue":
        return format_html(
            '<strong class="breach-deadline breach-deadline--overdue" style="color:#ba2121">'
            "{}</strong>",
            _("Overdue by %(span)s") % {"span": span},
        )
    return format_html(
        '<span class="breach-deadline">{}</span>', _("%(span)s left") % {"span": span}
    )


@admin.register(Breach)
class BreachAdmin(ModelAdmin):
    form = BreachForm
    list_display = [
        "detected_at",
        "short_nature",
        "approx_people",
        "notification_deadline_at",
        "deadline",
        "people_informed_at",
    ]
    search_fields = ["nature", "cnil_reference"]
    date_hierarchy = "detected_at"
    readonly_fields = ["deadline", "recorded_by", "created_at", "updated_at", "history"]
    fieldsets = [
        (
            _("The breach"),
            {
                "fields": [
                    "detected_at",
                    "occurred_at",
                    "nature",
                    "data_categories",
                    "people_categories",
                    "approx_people",
                    "approx_records",
                    "likely_consequences",
                    "measures",
                ]
            },
        ),
        (
            _("Notification (72 hours)"),
            {
                "fields": [
                    "deadline",
                    "notified_to_cnil_at",
                    "cnil_reference",
                    "late_notification_reason",
                    "people_informed_at",
                    "not_notified",
                    "not_notified_reason",
                ]
            },
        ),
        (_("Record"), {"fields": ["recorded_by", "created_at", "updated_at", "history"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # The register keeps every breach (art. 33(5)).

    def save_model(self, request, obj, form, change):
        save_breach(breach=obj, actor=request.user)

    @admin.display(description=_("nature"))
    def short_nature(self, breach: Breach) -> str:
        return breach.nature if len(breach.nature) <= 80 else breach.nature[:79] + "…"

    @admin.display(description=_("deadline (72 hours)"), ordering="detected_at")
    def notification_deadline_at(self, breach: Breach) -> str:
        return date_format(
            timezone.localtime(breach.notification_deadline), "SHORT_DATETIME_FORMAT"
        )

    @admin.display(description=_("notification to the CNIL"))
    def deadline(self, breach: Breach) -> str:
        if breach.pk is None:
            return "-"
        return deadline_label(breach)

    @admin.display(description=_("changes"))
    def history(self, breach: Breach) -> str:
        if breach.pk is None:
            return "-"
        events = AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Breach), target_id=str(breach.pk)
        ).order_by("created_at", "id")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} · {}</li>",
                (
                    (
                        date_format(timezone.localtime(event.created_at), "SHORT_DATETIME_FORMAT"),
                        event.actor_label,
                        ", ".join(sorted(event.data.get("changes", {}))),
                    )
                    for event in events
                ),
            ),
        )


@admin.register(RecordsOfProcessing)
class RecordsOfProcessingAdmin(ReadOnlyModelAdmin):
    """Art. 30: one printable page, generated from the settings (compliance.records)."""

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/compliance/records_of_processing.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Records of processing activities (GDPR art. 30)"),
                "generated_at": timezone.now(),
                **records_context(),
            },
        )
