"""Storefront forms: the catalogue's filters and the customer's location. All are GET forms:
a bad value becomes a form error on the page and is ignored, never a server error."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import CATALOGUE_SORTS


def euros_to_cents(amount: Decimal | None) -> int | None:
    if amount is None:
        return None
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class CatalogueFilterForm(forms.Form):
    sub = forms.ChoiceField(label=_("Subcategory"), required=False)
    brand = forms.MultipleChoiceField(
        label=_("Brand"), required=False, widget=forms.CheckboxSelectMultiple
    )
    min_price = forms.DecimalField(
        label=_("Minimum price (€)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    max_price = forms.DecimalField(
        label=_("Maximum price (€)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    near = forms.BooleanField(required=False)
    postal_code = forms.CharField(
        label=_("Your postal code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}
        ),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("price", _("Price, lowest first")),
            ("-price", _("Price, highest first")),
        ],
    )

    def __init__(self, *args, subcategories=(), brands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub"].choices = [("", _("All")), *((c.slug, c.name) for c in subcategories)]
        self.fields["brand"].choices = [(brand, brand) for brand in brands]

    def clean_sort(self):
        sort = self.cleaned_data.get("sort") or "name"
        return sort if sort in CATALOGUE_SORTS else "name"

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The maximum price is below the minimum price."))
        return cleaned

    def valid_data(self) -> dict:
        """The values that passed validation: one bad field does not void the others."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
