"""DAC7 in HQ's admin: prepare a year's declaration (year picker; the XML is validated against
the DGFiP's XSD before it is stored), download it, see each store's copy; the stores' tax data
(read-only: the store gives it on its back-office page, where it is checked) and the notices
they were sent."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin_base import ModelAdmin, ReadOnlyModelAdmin, TabularInline, euros

from ..models import Dac7Declaration, Dac7Notice, Dac7SellerData, Dac7SellerReport
from ..services.dac7 import Dac7NotReady, prepare_declaration


class PrepareDeclarationForm(forms.Form):
    year = forms.IntegerField(label=_("Reporting year"), min_value=2023)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year >= timezone.localdate().year:
            raise forms.ValidationError(_("A declaration covers a past year."))
        return year


class Dac7SellerReportInline(TabularInline):
    model = Dac7SellerReport
    extra = 0
    can_delete = False
    fields = ["store", "reported", "consideration", "sales", "fees", "excluded_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Consideration"))
    def consideration(self, report):
        return euros(report.consideration_cents)

    @admin.display(description=_("Sales"))
    def sales(self, report):
        return report.activities

    @admin.display(description=_("Fees and commissions withheld"))
    def fees(self, report):
        return euros(report.fees_cents)


@admin.register(Dac7Declaration)
class Dac7DeclarationAdmin(ReadOnlyModelAdmin):
    list_display = [
        "year",
        "declaration_id",
        "filename",
        "reported_count",
        "excluded_count",
        "created_at",
        "download",
    ]
    readonly_fields = [
        "year",
        "declaration_id",
        "filename",
        "message_ref_id",
        "reported_count",
        "excluded_count",
        "created_by_label",
        "created_at",
        "download",
    ]
    fields = readonly_fields
    list_filter = ["year"]
    search_fields = ["declaration_id", "filename"]
    inlines = [Dac7SellerReportInline]
    change_list_template = "admin/compliance/dac7declaration/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("prepare/", wrap(self.prepare_view), name="compliance_dac7_prepare"),
            path("<int:pk>/xml/", wrap(self.xml_view), name="compliance_dac7_xml"),
            *super().get_urls(),
        ]

    def prepare_view(self, request):
        form = PrepareDeclarationForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    declaration = prepare_declaration(
                        year=form.cleaned_data["year"], actor=request.user
                    )
                except Dac7NotReady as exc:
                    form.add_error(None, exc.message)
                else:
                    self.message_user(
                        request, _("The declaration is prepared and valid."), messages.SUCCESS
                    )
                    return HttpResponseRedirect(
                        reverse("admin:compliance_dac7declaration_change", args=[declaration.pk])
                    )
            status = 400
        return TemplateResponse(
            request,
            "admin/compliance/dac7declaration/prepare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Prepare a DAC7 declaration"),
                "form": form,
            },
            status=status,
        )

    def xml_view(self, request, pk):
        declaration = get_object_or_404(Dac7Declaration, pk=pk)
        response = HttpResponse(declaration.xml, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{declaration.filename}"'
        return response

    @admin.display(description=_("file"))
    def download(self, declaration):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:compliance_dac7_xml", args=[declaration.pk]),
            _("Download the XML"),
        )


@admin.register(Dac7SellerData)
class Dac7SellerDataAdmin(ModelAdmin):
    list_display = ["store", "seller_kind", "tin", "tin_country", "updated_at", "updated_by_label"]
    list_filter = ["seller_kind", "tin_country"]
    search_fields = ["store__name", "store__slug", "tin"]
    readonly_fields = [
        "store",
        "seller_kind",
        "tin",
        "tin_country",
        "iban",
        "bic",
        "account_holder",
        "first_name",
        "last_name",
        "birth_date",
        "birth_city",
        "birth_country",
        "updated_by_label",
        "updated_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Dac7Notice)
class Dac7NoticeAdmin(ReadOnlyModelAdmin):
    list_display = ["store", "year", "kind", "sent_at"]
    list_filter = ["kind", "year"]
    search_fields = ["store__name", "store__slug"]
    readonly_fields = ["store", "year", "kind", "text", "missing", "sent_at"]
    fields = readonly_fields
