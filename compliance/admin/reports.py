"""The transparency report in HQ's admin: generate a year's report from the records, download
it as CSV or XLSX, publish it on the public page; the monthly active recipients kept."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin_base import ModelAdmin, ReadOnlyModelAdmin

from ..models import MonthlyActiveRecipients, TransparencyReport
from ..services.transparency_export import export_csv, export_xlsx
from ..services.transparency_report import (
    SECTIONS,
    generate_transparency_report,
    publish_transparency_report,
    report_rows,
)


class GenerateReportForm(forms.Form):
    year = forms.IntegerField(label=_("Calendar year"), min_value=2020)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("A report covers a past or the current year."))
        return year


@admin.register(TransparencyReport)
class TransparencyReportAdmin(ReadOnlyModelAdmin):
    list_display = ["year", "generated_at", "published_at", "downloads"]
    list_filter = [("published_at", admin.EmptyFieldListFilter)]
    readonly_fields = [
        "year",
        "generated_at",
        "generated_by",
        "published_at",
        "downloads",
        "figures_table",
    ]
    fields = readonly_fields
    actions = ["publish"]
    change_list_template = "admin/compliance/transparencyreport/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("generate/", wrap(self.generate_view), name="compliance_transparency_generate"),
            path(
                "<int:year>/report.<str:fmt>",
                wrap(self.download_view),
                name="compliance_transparency_download",
            ),
            *super().get_urls(),
        ]

    def generate_view(self, request):
        form = GenerateReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            report = generate_transparency_report(
                year=form.cleaned_data["year"], actor=request.user
            )
            self.message_user(request, _("The report is generated."), messages.SUCCESS)
            return HttpResponseRedirect(
                reverse("admin:compliance_transparencyreport_change", args=[report.pk])
            )
        return TemplateResponse(
            request,
            "admin/compliance/transparencyreport/generate.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Generate a transparency report"),
                "form": form,
            },
        )

    def download_view(self, request, year, fmt):
        report = TransparencyReport.objects.filter(year=year).first()
        if report is None or fmt not in {"csv", "xlsx"}:
            return HttpResponse(status=404)
        if fmt == "csv":
            response = HttpResponse(export_csv(report), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                export_xlsx(report),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="dsa-transparency-{year}.{fmt}"'
        return response

    @admin.display(description=_("download"))
    def downloads(self, report):
        return format_html(
            '<a href="{}">CSV</a> · <a href="{}">XLSX</a>',
            reverse("admin:compliance_transparency_download", args=[report.year, "csv"]),
            reverse("admin:compliance_transparency_download", args=[report.year, "xlsx"]),
        )

    @admin.display(description=_("figures"))
    def figures_table(self, report):
        rows = report_rows(report)
        parts = []
        for code, title in SECTIONS.items():
            parts.append(format_html("<h3>{}. {}</h3>", code, title))
            for row in rows:
                if row.section == code:
                    parts.append(
                        format_html(
                            "<div>{} · {}: <strong>{}</strong></div>",
                            row.label,
                            row.breakdown,
                            row.value,
                        )
                    )
        # Each part is escaped by format_html; joined, they are safe.
        return mark_safe("".join(str(part) for part in parts)) if parts else "—"  # noqa: S308

    @admin.action(description=_("Publish the selected reports on the public page"))
    def publish(self, request, queryset):
        for report in queryset:
            publish_transparency_report(report=report, actor=request.user)
        self.message_user(request, _("Published."), messages.SUCCESS)


@admin.register(MonthlyActiveRecipients)
class MonthlyActiveRecipientsAdmin(ModelAdmin):
    list_display = ["month", "recipients", "visitors", "signed_in", "computed_at"]
    date_hierarchy = "month"
    list_filter = ["month"]
    readonly_fields = ["month", "recipients", "visitors", "signed_in", "method", "computed_at"]

    def has_add_permission(self, request):
        return False
