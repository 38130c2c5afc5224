"""HQ's admin for the marketing hub: catalogue.

Suppliers, campaigns, items (price tiers and pictures inline; a new designer PDF uploaded from
the item's page becomes the next artwork version, its problems shown as form errors), the
artwork versions with their fields (each checked against its page) and the stores' proofs,
read-only, with their page previews. Uploads and field changes go through
marketing_hub.services.artwork.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.money import format_cents
from network_marketplace.admin_base import ModelAdmin, StackedInline, TabularInline

from .. import fonts
from ..artwork.pdf import ArtworkRefused
from ..models import (
    Artwork,
    ArtworkField,
    Campaign,
    ItemPicture,
    MarketingItem,
    PriceTier,
    Proof,
    Supplier,
)
from ..services.artwork import (
    artwork_page_png,
    check_field,
    inspect_artwork_pdf,
    page_boxes,
    save_artwork_field,
    upload_artwork,
)
from ..services.proofs import proof_pdf_bytes, proof_preview_bytes

PREVIEW_STYLE = "max-width:18rem;border:1px solid #d5d9d0;margin:0 .5rem .5rem 0;background:#fff"


def _png(data: bytes | None) -> HttpResponse:
    if data is None:
        raise Http404
    return HttpResponse(data, content_type="image/png")


@admin.register(Supplier)
class SupplierAdmin(ModelAdmin):
    list_display = ["name", "email", "contact_name", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "email", "contact_name"]
    filter_horizontal = ["users"]
    readonly_fields = ["api_key_prefix"]
    exclude = ["api_key_hash"]


@admin.register(Campaign)
class CampaignAdmin(ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "starts_on"


class PriceTierInline(TabularInline):
    model = PriceTier
    extra = 1
    verbose_name = _("price tier")


class ItemPictureInline(TabularInline):
    model = ItemPicture
    extra = 0


class MarketingItemForm(forms.ModelForm):
    artwork_pdf = forms.FileField(
        label=_("New artwork (print-ready PDF)"),
        required=False,
        help_text=_(
            "The designer's PDF with bleed (TrimBox and BleedBox set). It becomes the next "
            "version; the proofs and orders made on earlier versions keep theirs."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    keep_fields = forms.BooleanField(
        label=_("Keep the fields of the current version"),
        required=False,
        initial=True,
        help_text=_("Each field is checked on the new pages; one that no longer fits is refused."),
    )

    class Meta:
        model = MarketingItem
        fields = [
            "kind",
            "print_format",
            "reference",
            "name",
            "description",
            "is_active",
            "vat_rate_bp",
            "lead_time_days",
            "supplier",
            "options",
            "for_franchises",
            "for_branches",
            "for_stores",
            "campaign",
            "orderable_from",
            "orderable_until",
            "always_review",
            "review_above_quantity",
            "review_above_amount_cents",
        ]

    def clean_artwork_pdf(self) -> Any:
        upload = self.cleaned_data.get("artwork_pdf")
        if not upload:
            return None
        data = upload.read()
        try:
            inspect_artwork_pdf(data)
        except ArtworkRefused as refused:
            raise forms.ValidationError(refused.message) from refused
        self.artwork_data = data
        return upload


@admin.register(MarketingItem)
class MarketingItemAdmin(ModelAdmin):
    form = MarketingItemForm
    list_display = [
        "reference",
        "name",
        "kind",
        "campaign",
        "supplier",
        "current_artwork",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "campaign", "supplier"]
    search_fields = ["reference", "name"]
    autocomplete_fields = ["supplier", "campaign", "for_stores"]
    inlines = [PriceTierInline, ItemPictureInline]
    readonly_fields = ["artwork_versions"]
    fieldsets = [
        (
            None,
            {"fields": ["kind", "print_format", "reference", "name", "description", "is_active"]},
        ),
        (
            _("Price and supply"),
            {"fields": ["vat_rate_bp", "lead_time_days", "supplier", "options"]},
        ),
        (
            _("Who may order it, and when"),
            {
                "fields": [
                    "for_franchises",
                    "for_branches",
                    "for_stores",
                    "campaign",
                    "orderable_from",
                    "orderable_until",
                ]
            },
        ),
        (
            _("Approval"),
            {"fields": ["always_review", "review_above_quantity", "review_above_amount_cents"]},
        ),
        (_("Artwork"), {"fields": ["artwork_versions", "artwork_pdf", "keep_fields"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MarketingItem]:
        return super().get_queryset(request).select_related("campaign", "supplier")

    @admin.display(description=_("artwork"))
    def current_artwork(self, item: MarketingItem) -> str:
        artwork = item.artworks.filter(is_current=True).first()
        return f"v{artwork.version}" if artwork else "—"

    @admin.display(description=_("versions"))
    def artwork_versions(self, item: MarketingItem) -> SafeString:
        if not item.pk:
            return format_html("—")
        rows = [
            (
                reverse("admin:marketing_hub_artwork_change", args=[artwork.pk]),
                f"v{artwork.version}",
                _("current") if artwork.is_current else "",
                ngettext("%(count)s field", "%(count)s fields", count) % {"count": count},
            )
            for artwork in item.artworks.order_by("-version")
            for count in [artwork.fields.count()]
        ]
        if not rows:
            return format_html("{}", _("No artwork yet: upload the designer's PDF below."))
        return format_html_join("", '<p><a href="{}">{}</a> <strong>{}</strong> · {}</p>', rows)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        data = getattr(form, "artwork_data", None)
        if data is not None:
            upload_artwork(
                item=form.instance,
                data=data,
                filename=form.cleaned_data["artwork_pdf"].name,
                actor=request.user,
                keep_fields=form.cleaned_data.get("keep_fields", False),
            )


class ArtworkFieldForm(forms.ModelForm):
    font = forms.ChoiceField(
        label=capfirst(_("font")),
        required=False,
        choices=[("", _("Default")), *fonts.font_choices()],
    )

    class Meta:
        model = ArtworkField
        fields = [
            "key",
            "label",
            "kind",
            "editable",
            "position",
            "page",
            "x_mm",
            "y_mm",
            "width_mm",
            "height_mm",
            "font",
            "size_min_pt",
            "size_max_pt",
            "colour",
            "align",
            "max_length",
            "default_text",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        artwork_id = self.instance.artwork_id
        if artwork_id is None or self.errors:
            return cleaned
        candidate = ArtworkField(
            artwork_id=artwork_id,
            **{
                name: cleaned.get(name)
                for name in (
                    "key",
                    "label",
                    "kind",
                    "page",
                    "x_mm",
                    "y_mm",
                    "width_mm",
                    "height_mm",
                    "font",
                    "size_min_pt",
                    "size_max_pt",
                    "colour",
                    "max_length",
                    "default_text",
                )
            },
        )
        artwork = Artwork.objects.get(pk=artwork_id)
        for attribute, messages in check_field(candidate, page_boxes(artwork)).items():
            for message in messages:
                self.add_error(attribute if attribute in self.fields else None, message)
        return cleaned


class ArtworkFieldInline(StackedInline):
    model = ArtworkField
    form = ArtworkFieldForm
    extra = 0
    fieldsets = [
        (None, {"fields": [("key", "label", "kind", "editable", "position")]}),
        (
            _("Box (mm from the page's lower-left corner, bleed included)"),
            {
                "fields": [("page", "x_mm", "y_mm", "width_mm", "height_mm")],
            },
        ),
        (
            _("Text"),
            {
                "fields": [
                    ("font", "size_min_pt", "size_max_pt", "colour", "align"),
                    ("max_length", "default_text"),
                ]
            },
        ),
    ]


@admin.register(Artwork)
class ArtworkAdmin(ModelAdmin):
    list_display = ["item", "version", "is_current", "page_count", "uploaded_at"]
    list_filter = ["is_current"]
    search_fields = ["item__reference", "item__name"]
    inlines = [ArtworkFieldInline]
    readonly_fields = [
        "item",
        "version",
        "is_current",
        "page_count",
        "page_sizes",
        "pdf_link",
        "pdf_sha256",
        "uploaded_by",
        "uploaded_at",
        "previews",
    ]
    exclude = ["pdf", "pages"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a version is made by uploading the PDF on the item's page

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/page-<int:page>.png",
                wrap(self.page_view),
                name="marketing_hub_artwork_page",
            ),
            path("<int:pk>/artwork.pdf", wrap(self.pdf_view), name="marketing_hub_artwork_pdf"),
            *super().get_urls(),
        ]

    def page_view(self, request: HttpRequest, pk: int, page: int) -> HttpResponse:
        return _png(artwork_page_png(get_object_or_404(Artwork, pk=pk), page))

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        artwork = get_object_or_404(Artwork, pk=pk)
        with artwork.pdf.open("rb") as file:
            return HttpResponse(file.read(), content_type="application/pdf")

    @admin.display(description=_("pages (mm)"))
    def page_sizes(self, artwork: Artwork) -> SafeString:
        rows = [
            (
                number,
                f"{box.width:g} \u00d7 {box.height:g}",
                " · ".join(f"{value:g}" for value in box.trim),
                " · ".join(f"{value:g}" for value in box.bleed),
            )
            for number, box in enumerate(page_boxes(artwork), start=1)
        ]
        return format_html_join(
            "",
            "<p>{}</p>",
            (
                (
                    _("Page %(page)s: %(size)s mm, TrimBox %(trim)s, BleedBox %(bleed)s")
                    % {"page": page, "size": size, "trim": trim, "bleed": bleed},
                )
                for page, size, trim, bleed in rows
            ),
        )

    @admin.display(description=_("print-ready PDF"))
    def pdf_link(self, artwork: Artwork) -> SafeString:
        url = reverse("admin:marketing_hub_artwork_pdf", args=[artwork.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    @admin.display(description=_("pages"))
    def previews(self, artwork: Artwork) -> SafeString:
        return format_html_join(
            "",
            '<img src="{}" alt="page {}" style="' + PREVIEW_STYLE + '">',
            (
                (reverse("admin:marketing_hub_artwork_page", args=[artwork.pk, page]), page)
                for page in range(1, artwork.page_count + 1)
            ),
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not ArtworkField:
            super().save_formset(request, form, formset, change)
            return
        for field in formset.save(commit=False):
            save_artwork_field(field=field, actor=request.user)
        for field in formset.deleted_objects:
            field.delete()


@admin.register(Proof)
class ProofAdmin(ModelAdmin):
    list_display = ["__str__", "store", "item", "number", "uses_free_text", "created_at"]
    list_filter = ["uses_free_text", "artwork__item"]
    search_fields = ["store__name", "artwork__item__reference", "artwork__item__name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "store",
        "artwork",
        "number",
        "uses_free_text",
        "values",
        "printed",
        "pdf_link",
        "pdf_sha256",
        "created_by",
        "created_at",
        "page_previews",
    ]
    exclude = ["pdf", "rendered", "previews"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Proof]:
        return super().get_queryset(request).select_related("store", "artwork", "artwork__item")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Proof | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Proof | None = None) -> bool:
        return False  # a proof is kept: the approved one is what was printed

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/page-<int:page>.png",
                wrap(self.page_view),
                name="marketing_hub_proof_page",
            ),
            path("<int:pk>/proof.pdf", wrap(self.pdf_view), name="marketing_hub_proof_pdf"),
            *super().get_urls(),
        ]

    def page_view(self, request: HttpRequest, pk: int, page: int) -> HttpResponse:
        return _png(proof_preview_bytes(get_object_or_404(Proof, pk=pk), page))

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponse(
            proof_pdf_bytes(get_object_or_404(Proof, pk=pk)), content_type="application/pdf"
        )

    @admin.display(description=_("item"))
    def item(self, proof: Proof) -> str:
        return str(proof.artwork.item)

    @admin.display(description=_("printed"))
    def printed(self, proof: Proof) -> SafeString:
        rows = []
        for key, value in proof.rendered.items():
            text = value.get("text") or value.get("url") or value.get("image") or ""
            if value.get("reference_cents"):
                text += " — " + str(
                    _("reduced, 30-day lowest price %(price)s")
                    % {"price": format_cents(value["reference_cents"])}
                )
            rows.append((key, text))
        return format_html_join("", "<p><strong>{}</strong> : {}</p>", rows)

    @admin.display(description=_("print PDF"))
    def pdf_link(self, proof: Proof) -> SafeString:
        url = reverse("admin:marketing_hub_proof_pdf", args=[proof.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    @admin.display(description=_("pages"))
    def page_previews(self, proof: Proof) -> SafeString:
        return format_html_join(
            "",
            '<img src="{}" alt="page {}" style="' + PREVIEW_STYLE + '">',
            (
                (reverse("admin:marketing_hub_proof_page", args=[proof.pk, page]), page)
                for page in range(1, len(proof.previews) + 1)
            ),
        )
