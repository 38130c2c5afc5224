"""Forms of the store's order desk: reject, ship, hand over, the queue's filters and its bulk
steps. (The endless aisle's order form is checkout's: checkout/aisle_views.py.)"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.methods import FulfilmentMethod

from .carriers import KNOWN_CARRIERS, known_carrier, normalised_tracking_number
from .models import Fulfilment
from .selectors import QueueFilters
from .states import OPEN_STATUSES


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can't you serve it?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The order goes to another store when it can; HQ sees your reason."),
        error_messages={"required": _("Say why the fulfilment is rejected.")},
    )
    missing_stock = forms.BooleanField(
        label=_("The goods are not in the store, though our stock said they were"),
        required=False,
        help_text=_("HQ's scorecard counts it against your stock accuracy."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the fulfilment is rejected."))
        return reason


class ShipForm(forms.Form):
    carrier = forms.ChoiceField(
        label=_("Carrier"),
        choices=[("", "—")] + [(each.name, each.name) for each in KNOWN_CARRIERS],
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=40)

    def clean(self):
        cleaned = super().clean()
        carrier, number = cleaned.get("carrier"), cleaned.get("tracking_number")
        if carrier and number:
            number = normalised_tracking_number(number)
            if not known_carrier(carrier).number_pattern.match(number):
                self.add_error(
                    "tracking_number",
                    _("This is not a %(carrier)s tracking number: check it on the label.")
                    % {"carrier": carrier},
                )
            cleaned["tracking_number"] = number
        return cleaned


class ShipTransferForm(ShipForm):
    """Send a transfer to the pickup store: by a carrier (with its number) or, with no
    carrier, by the network's internal shuttle."""

    carrier = forms.ChoiceField(
        label=_("Carrier"),
        required=False,
        choices=[("", _("Internal shuttle"))] + [(each.name, each.name) for each in KNOWN_CARRIERS],
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=40, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("carrier") and not cleaned.get("tracking_number"):
            self.add_error("tracking_number", _("A carrier needs its tracking number."))
        return cleaned


class HandoverForm(forms.Form):
    code = forms.CharField(
        label=_("Pickup code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9 ]*",
                "class": "code-input",
                "autofocus": True,
            }
        ),
        help_text=_("The 6 digits the customer received by e-mail."),
    )

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("A pickup code is 6 digits."))
        return code


class QueueFilterForm(forms.Form):
    """The order queue's filters (GET). A wrong value is a field error and that filter is left
    out; the queue still shows."""

    q = forms.CharField(
        label=_("Order number, customer name or e-mail"), max_length=100, required=False
    )
    day = forms.DateField(
        label=_("Pickup day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period = forms.ChoiceField(
        label=_("Pickup time"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("morning", _("Morning (before 12:00)")),
            ("afternoon", _("Afternoon (12:00 to 17:00)")),
            ("evening", _("Evening (from 17:00)")),
            ("none", _("No pickup slot")),
        ],
    )
    method = forms.ChoiceField(
        label=_("Method"),
        required=False,
        choices=[("", _("All methods")), *FulfilmentMethod.choices],
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses"))] + [
            (value, label) for value, label in Fulfilment.Status.choices if value in OPEN_STATUSES
        ]

    def filters(self) -> QueueFilters:
        """The valid filters (a field with an error is left out)."""
        if not self.is_bound:
            return QueueFilters()
        self.is_valid()
        data = {name: v for name, v in self.cleaned_data.items() if name not in self.errors}
        return QueueFilters(
            query=(data.get("q") or "").strip(),
            slot_day=data.get("day"),
            period=data.get("period") or "",
            method=data.get("method") or "",
            status=data.get("status") or "",
        )

    @property
    def active(self) -> bool:
        filters = self.filters()
        return any(
            (filters.query, filters.slot_day, filters.period, filters.method, filters.status)
        )


class BulkForm(forms.Form):
    """The fulfilments selected in the queue and what to do with them."""

    action = forms.ChoiceField(
        choices=[("accept", _("Accept the selected")), ("pick_list", _("Pick lists"))]
    )
    ids = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": _("Select at least one order.")},
    )

    def __init__(self, *args, fulfilments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(each.pk, each.pk) for each in fulfilments]
