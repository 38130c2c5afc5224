"""The control tower's period, chosen by a small GET form: a preset, or two dates."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .selectors.periods import (
    CUSTOM,
    DEFAULT_PRESET,
    MAX_PERIOD_DAYS,
    PRESETS,
    Period,
    preset_period,
)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        preset = cleaned.get("period") or DEFAULT_PRESET
        start, end = cleaned.get("start"), cleaned.get("end")
        if preset != CUSTOM and (start or end) and not self.errors:
            preset = CUSTOM  # dates typed without choosing "dates of my choice"
        cleaned["period"] = preset
        if preset != CUSTOM:
            return cleaned
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Give the first day of the period."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Give the last day of the period."))
        if start and end:
            today = timezone.localdate()
            if end < start:
                self.add_error("end", _("The end is before the start."))
            elif start > today:
                self.add_error("start", _("The period starts after today."))
            elif (end - start) >= timedelta(days=MAX_PERIOD_DAYS):
                self.add_error(
                    "end", _("A period is at most %(days)d days.") % {"days": MAX_PERIOD_DAYS}
                )
        return cleaned

    def chosen_period(self) -> Period:
        """The period asked for; the default preset when the form is not valid (its errors are
        shown with the default's figures)."""
        if not self.is_valid():
            return preset_period(DEFAULT_PRESET)
        preset = self.cleaned_data["period"]
        if preset != CUSTOM:
            return preset_period(preset)
        end = min(self.cleaned_data["end"], timezone.localdate())
        return Period(preset=CUSTOM, first=self.cleaned_data["start"], last=end)
