from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Category

from .models import StockMovement
from .services.stock import UNCHANGED

MAX_FEED_FILE_BYTES = 25 * 1024 * 1024


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=100,
        help_text=_("Say what uses it, e.g. “Till system” or “ERP stock sync”."),
    )


class EuroPriceField(forms.CharField):
    """A price typed in euros ("12,90", "12.90", "12,90 €"), cleaned to integer cents.
    Empty cleans to None: the store sells at HQ's recommended retail price."""

    def to_python(self, value):
        text = super().to_python(value).replace("€", "").replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        try:
            amount = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("Type a price such as 12,90."), code="invalid") from None
        if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:
            raise ValidationError(
                _("Type a price above zero with at most 2 decimals."), code="invalid"
            )
        if amount >= 10_000_000:
            raise ValidationError(_("This price is too high."), code="max_value")
        return int(amount * 100)


class StockRowForm(forms.Form):
    """One row of the stock page: the counted quantity on hand and, for owners and managers,
    the store price. The `*_was` fields carry what the page showed, so that a field left as it
    was is not written (a sale made meanwhile is not undone by saving a price)."""

    on_hand = forms.IntegerField(label=_("On hand"), min_value=0, max_value=1_000_000_000)
    on_hand_was = forms.IntegerField(required=False, widget=forms.HiddenInput)
    price = EuroPriceField(label=_("Store price"), required=False)
    price_was = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reduction = forms.BooleanField(label=_("Announce as a reduction"), required=False)
    reduction_was = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reduction_ends = forms.DateField(label=_("Reduction ends after"), required=False)
    reduction_ends_was = forms.DateField(required=False, widget=forms.HiddenInput)

    PRICE_FIELDS = (
        "price",
        "price_was",
        "reduction",
        "reduction_was",
        "reduction_ends",
        "reduction_ends_was",
    )

    def __init__(self, *args, can_set_prices: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_set_prices = can_set_prices
        if not can_set_prices:
            for name in self.PRICE_FIELDS:
                del self.fields[name]

    def changes(self) -> dict:
        """The keyword arguments of stores.services.update_offer for what the user changed."""
        data = self.cleaned_data
        on_hand = data["on_hand"]
        changes = {"on_hand": UNCHANGED, "price_cents": UNCHANGED}
        if data.get("on_hand_was") is None or on_hand != data["on_hand_was"]:
            changes["on_hand"] = on_hand
        if self.can_set_prices and data.get("price") != data.get("price_was"):
            changes["price_cents"] = data.get("price")
        if self.can_set_prices and (
            data.get("reduction") != data.get("reduction_was")
            or (
                data.get("reduction")
                and data.get("reduction_ends") != data.get("reduction_ends_was")
            )
        ):
            changes["reduction"] = data.get("reduction")
            ends = data.get("reduction_ends")
            # The reduction runs through its last day, in the network's time zone.
            changes["reduction_ends_at"] = (
                timezone.make_aware(datetime.combine(ends + timedelta(days=1), time.min))
                if ends and data.get("reduction")
                else None
            )
        return changes


class StockFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("SKU, GTIN or product name")}
        ),
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        required=False,
        choices=[
            ("", _("All")),
            ("available", _("Available online")),
            ("unavailable", _("Unavailable")),
        ],
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.order_by("name"),
        empty_label=_("All categories"),
    )
    per_page = forms.TypedChoiceField(
        label=_("Rows per page"),
        required=False,
        coerce=int,
        empty_value=50,
        initial=50,
        choices=[(25, "25"), (50, "50"), (100, "100")],
    )


class MovementFilterForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), required=False, max_length=64)
    reason = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=[("", _("All reasons")), *StockMovement.Reason.choices],
    )


class FeedUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Stock file (CSV or XLSX)"),
        help_text=_("CSV in UTF-8 (separator ; or ,) or an Excel XLSX workbook, 25 MB at most."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        name = (uploaded.name or "").lower()
        if not name.endswith((".csv", ".txt", ".xlsx")):
            raise ValidationError(_("Send a CSV or an XLSX file."), code="invalid_extension")
        if uploaded.size > MAX_FEED_FILE_BYTES:
            raise ValidationError(_("The file is larger than 25 MB."), code="too_large")
        return uploaded
