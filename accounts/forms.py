"""The account pages' forms. Bad input becomes a form error and changes nothing."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from stores.selectors import POSTAL_CODE_RE, postal_code_centroid, selling_stores

# A French number (0X XX XX XX XX, or +33 X XX XX XX XX) or another country's, with its +prefix.
PHONE_RE = re.compile(r"^(0[1-9]\d{8}|\+33[1-9]\d{8}|\+(?!33)\d{7,14})$")


class ProfileForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("Only to reach you about your orders, e.g. 06 12 34 56 78."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not PHONE_RE.match(re.sub(r"[\s.\-()]", "", phone)):
            raise forms.ValidationError(
                _("Write a phone number such as 06 12 34 56 78 or +33 6 12 34 56 78.")
            )
        return phone


class AddressForm(forms.Form):
    label = forms.CharField(
        label=_("Name of the address"),
        max_length=60,
        required=False,
        help_text=_("e.g. Home, Work"),
    )
    address_line = forms.CharField(
        label=_("Address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": 6}
        ),
    )
    city = forms.CharField(
        label=_("Town"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    make_default = forms.BooleanField(
        label=_("Use this address by default at checkout"), required=False
    )

    def clean_postal_code(self):
        code = self.cleaned_data.get("postal_code", "").replace(" ", "")
        if not POSTAL_CODE_RE.match(code):
            raise forms.ValidationError(_("A French postal code has 5 digits."))
        if postal_code_centroid(code) is None:
            raise forms.ValidationError(_("We don't know this postal code."))
        return code


class StoreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.city} · {obj.name}"


class FavouriteStoreForm(forms.Form):
    store = StoreChoiceField(
        label=_("Your store"),
        queryset=selling_stores().order_by("city", "name"),
        required=False,
        empty_label=_("No favourite store"),
        to_field_name="slug",
        help_text=_(
            "The storefront shows what this store has first, and offers it first for click "
            "& collect."
        ),
    )
