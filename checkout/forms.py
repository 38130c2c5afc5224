"""The storefront's cart and checkout forms. Bad input becomes form errors, never a 500."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from orders.models import MAX_LINE_QUANTITY, FulfilmentMethod
from stores.opening_hours import STORE_TIME_ZONE
from stores.selectors import POSTAL_CODE_RE, postal_code_centroid

QUANTITY_WIDGET = forms.NumberInput(
    attrs={"min": 1, "max": MAX_LINE_QUANTITY, "class": "input--qty"}
)


class AddToCartForm(forms.Form):
    variant = forms.CharField(max_length=64)
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        initial=1,
        widget=QUANTITY_WIDGET,
    )
    method = forms.ChoiceField(label=_("How to get it"), choices=FulfilmentMethod.choices)
    store = forms.CharField(required=False, max_length=80)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") in {
            FulfilmentMethod.CLICK_COLLECT,
            FulfilmentMethod.RESERVE_COLLECT,
        } and not cleaned.get("store"):
            self.add_error("store", _("Choose the store where you will collect it."))
        return cleaned


class CartLineForm(forms.Form):
    """Quantity, and how the line is served: "home_delivery" or "<method>:<store slug>"."""

    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_LINE_QUANTITY, widget=QUANTITY_WIDGET
    )
    serve = forms.CharField(required=False, max_length=120)

    def clean_serve(self):
        value = self.cleaned_data.get("serve") or ""
        if not value:
            return None
        if value == FulfilmentMethod.HOME_DELIVERY:
            return (FulfilmentMethod.HOME_DELIVERY, None)
        method, _sep, slug = value.partition(":")
        if method not in {FulfilmentMethod.CLICK_COLLECT, FulfilmentMethod.RESERVE_COLLECT}:
            raise forms.ValidationError(_("Unknown choice."))
        if not slug:
            raise forms.ValidationError(_("Choose the store where you will collect it."))
        return (method, slug)


def luhn_valid(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


class CheckoutForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
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
        help_text=_("Only to reach you about this order."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    address_line = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": 6}
        ),
    )
    city = forms.CharField(
        label=_("Town"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "cc-number",
                "inputmode": "numeric",
                "placeholder": "4242 4242 4242 4242",
            }
        ),
    )
    card_expiry = forms.CharField(
        label=_("Expiry (MM/YY)"),
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "placeholder": "12/30", "size": 6}),
    )
    card_cvc = forms.CharField(
        label=_("Security code"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric", "size": 4}),
    )
    accept_terms = forms.BooleanField(label=_("I have read and accept the terms of sale."))
    # Marketing (docs/consents.md): the selling store's offers under the soft opt-in, which
    # she may refuse here (unticked: no objection); the network's offers only if she ticks.
    refuse_store_offers = forms.BooleanField(
        label=_("I don't want to receive the offers of the stores selling this order."),
        required=False,
    )
    network_offers = forms.BooleanField(
        label=_("I'd like to receive the network's newsletter and offers."),
        required=False,
    )

    def __init__(self, *args, home_delivery=False, pay_online=False, slot_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.home_delivery = home_delivery
        self.pay_online = pay_online
        self.slot_groups = list(slot_groups)  # [(store, [(start, end)])]
        for name in ("address_line", "postal_code", "city"):
            self.fields[name].required = home_delivery
        for name in ("card_number", "card_expiry", "card_cvc"):
            self.fields[name].required = pay_online
        for store, slots in self.slot_groups:
            self.fields[self.slot_field(store)] = forms.ChoiceField(
                label=_("Pickup time at %(store)s") % {"store": store.name},
                choices=slot_choices(slots),
            )

    @staticmethod
    def slot_field(store) -> str:
        return f"slot_{store.pk}"

    def slot_bound_fields(self):
        return [(store, self[self.slot_field(store)]) for store, _slots in self.slot_groups]

    def clean_postal_code(self):
        code = (self.cleaned_data.get("postal_code") or "").replace(" ", "")
        if not self.home_delivery:
            return code
        if not POSTAL_CODE_RE.match(code):
            raise forms.ValidationError(_("A French postal code has 5 digits."))
        if postal_code_centroid(code) is None:
            raise forms.ValidationError(_("We don't know this postal code."))
        return code

    def clean_card_number(self):
        number = re.sub(r"[\s-]", "", self.cleaned_data.get("card_number") or "")
        if not self.pay_online:
            return ""
        if not number.isdigit() or not 13 <= len(number) <= 19 or not luhn_valid(number):
            raise forms.ValidationError(_("This card number is not valid."))
        return number

    def clean_card_expiry(self):
        value = (self.cleaned_data.get("card_expiry") or "").replace(" ", "")
        if not self.pay_online:
            return ""
        match = re.match(r"^(0[1-9]|1[0-2])/(\d{2}|\d{4})$", value)
        if not match:
            raise forms.ValidationError(_("Write the expiry as MM/YY."))
        month, year = int(match.group(1)), int(match.group(2)[-2:]) + 2000
        today = timezone.localdate()
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired."))
        return value

    def clean_card_cvc(self):
        value = (self.cleaned_data.get("card_cvc") or "").strip()
        if self.pay_online and not re.match(r"^\d{3,4}$", value):
            raise forms.ValidationError(_("3 or 4 digits, on the back of the card."))
        return value

    def chosen_slots(self) -> dict[int, tuple]:
        """{store_id: (start, end)} of the slots chosen (after is_valid)."""
        chosen = {}
        for store, slots in self.slot_groups:
            value = self.cleaned_data.get(self.slot_field(store))
            for start, end in slots:
                if slot_value(start) == value:
                    chosen[store.pk] = (start, end)
        return chosen


def slot_value(start) -> str:
    return timezone.localtime(start, STORE_TIME_ZONE).strftime("%Y-%m-%dT%H:%M")


def slot_choices(slots) -> list:
    """Slots grouped by day for a <select> with <optgroup>s."""
    days: dict[str, list] = {}
    for start, end in slots:
        local = timezone.localtime(start, STORE_TIME_ZONE)
        day = date_format(local, "l j F").capitalize()
        local_end = timezone.localtime(end, STORE_TIME_ZONE)
        days.setdefault(day, []).append(
            (slot_value(start), f"{local:%H:%M} \u2013 {local_end:%H:%M}")
        )
    return [("", _("Choose a time")), *days.items()]
