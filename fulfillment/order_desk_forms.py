"""Forms of the store's order desk: reject, ship, hand over. (The endless aisle's order form is
checkout's: checkout/aisle_views.py.)"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .carriers import KNOWN_CARRIERS, known_carrier, normalised_tracking_number


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can't you serve it?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The order goes to another store when it can; HQ sees your reason."),
        error_messages={"required": _("Say why the fulfilment is rejected.")},
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
