"""The period form of the money pages (store statement, HQ dashboard): the same rules as the
API's (payments.selectors.period_problem), shown as form errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .selectors import period_problem


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        today = timezone.localdate()
        if self.errors:
            return cleaned
        cleaned["start"] = cleaned.get("start") or today.replace(day=1)
        cleaned["end"] = cleaned.get("end") or today
        problem = period_problem(cleaned["start"], cleaned["end"])
        if problem is not None:
            self.add_error(*problem)
        return cleaned
