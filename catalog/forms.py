"""HQ's catalogue forms: prices typed in euros, bounds checked, the import file upload."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from network_marketplace.money import CentsField

from .models import SAFETY_FIELDS, Category, Product, Variant
from .selectors import category_descendant_ids

MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024
IMPORT_SUFFIXES = (".csv", ".xlsx")
VAT_INCLUDED_HELP = _("In euros, VAT included, e.g. 12,90.")


class CategoryAdminForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "name",
            "slug",
            "parent",
            "position",
            "description",
            "min_price_percent",
            "max_price_percent",
        ]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if (
            parent is not None
            and self.instance.pk is not None
            and parent.pk in category_descendant_ids(self.instance)
        ):
            raise forms.ValidationError(
                _("A category cannot be placed under itself or one of its subcategories."),
                code="cycle",
            )
        return parent

    def clean(self):
        cleaned = super().clean()
        low = cleaned.get("min_price_percent")
        high = cleaned.get("max_price_percent")
        for name, value in (("min_price_percent", low), ("max_price_percent", high)):
            if value is not None and value <= 0:
                self.add_error(name, _("A percentage must be above zero."))
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_price_percent",
                _("The highest percentage must not be below the lowest one."),
            )
        return cleaned


class ProductAdminForm(forms.ModelForm):
    """A published product keeps its product-safety information: blanking one is refused here,
    as publishing without it is refused by the product lifecycle."""

    class Meta:
        model = Product
        fields = [
            "name",
            "slug",
            "category",
            "brand",
            "vat_rate",
            "description",
            "attributes",
            *SAFETY_FIELDS,
            "withdrawal_exempt",
            "withdrawal_exemption",
        ]
        widgets = {
            "eu_responsible_person": forms.Textarea(attrs={"rows": 2}),
            "safety_information": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.status == Product.Status.PUBLISHED:
            for name in SAFETY_FIELDS:
                if name in self.fields and not str(cleaned.get(name) or "").strip():
                    self.add_error(
                        name, _("A published product must keep its product-safety information.")
                    )
        return cleaned


class VariantAdminForm(forms.ModelForm):
    rrp_cents = CentsField(
        label=_("Recommended retail price (€)"), min_cents=1, help_text=VAT_INCLUDED_HELP
    )
    min_price_cents = CentsField(
        label=_("Lowest store price (€)"),
        required=False,
        min_cents=1,
        help_text=VAT_INCLUDED_HELP,
    )
    max_price_cents = CentsField(
        label=_("Highest store price (€)"),
        required=False,
        min_cents=1,
        help_text=VAT_INCLUDED_HELP,
    )

    class Meta:
        model = Variant
        fields = [
            "product",
            "sku",
            "gtin",
            "options",
            "rrp_cents",
            "min_price_cents",
            "max_price_cents",
            "position",
            "is_active",
            "promotion_started_at",
            "promotion_ends_at",
        ]
        widgets = {
            "sku": forms.TextInput(attrs={"size": 12}),
            "gtin": forms.TextInput(attrs={"size": 14, "inputmode": "numeric"}),
            "options": forms.Textarea(attrs={"rows": 2, "cols": 20}),
            "position": forms.NumberInput(attrs={"style": "width:4em"}),
        }

    def clean_gtin(self):
        gtin = self.cleaned_data.get("gtin")
        return gtin.replace(" ", "") or None if gtin else None

    def clean_options(self):
        options = self.cleaned_data.get("options")
        if options in (None, ""):
            return {}
        if not isinstance(options, dict):
            raise forms.ValidationError(
                _('Options are a JSON object, e.g. {"size": "M", "colour": "green"}.'),
                code="invalid",
            )
        return options

    def clean(self):
        cleaned = super().clean()
        rrp = cleaned.get("rrp_cents")
        low = cleaned.get("min_price_cents")
        high = cleaned.get("max_price_cents")
        if low is not None and high is not None and low > high:
            self.add_error("max_price_cents", _("The highest price is below the lowest price."))
        elif rrp is not None:
            if low is not None and low > rrp:
                self.add_error(
                    "min_price_cents",
                    _("The lowest price is above the recommended retail price."),
                )
            if high is not None and high < rrp:
                self.add_error(
                    "max_price_cents",
                    _("The highest price is below the recommended retail price."),
                )
        return cleaned


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file"),
        help_text=_("CSV (UTF-8) or Excel workbook (.xlsx), one row per variant, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in IMPORT_SUFFIXES:
            raise forms.ValidationError(
                _("Only CSV and XLSX files can be imported (this file is “%(suffix)s”).")
                % {"suffix": suffix or "?"},
                code="suffix",
            )
        if upload.size > MAX_IMPORT_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB: split it into smaller files."), code="size"
            )
        return upload
