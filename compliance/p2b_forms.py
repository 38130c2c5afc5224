"""Forms of the P2B pages: a store's complaint and its messages, HQ's new version of the terms,
HQ's termination notice. They check the shape; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Art44Ground, StoreComplaint, TermsException


class StoreComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=StoreComplaint.Kind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    occurred_on = forms.DateField(
        label=_("Date of the facts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    message = forms.CharField(
        label=_("What happened, and what you expect from HQ"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )


class ComplaintMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class CloseComplaintForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[choice for choice in StoreComplaint.Outcome.choices if choice[0]],
    )
    outcome_note = forms.CharField(
        label=_("Decision and reasons"), widget=forms.Textarea(attrs={"rows": 4})
    )


class PublishTermsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    effective_on = forms.DateField(
        label=_("Takes effect on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    changes_summary = forms.CharField(
        label=_("What changes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}))
    exception = forms.ChoiceField(
        label=_("Exception to the notice period"),
        choices=TermsException.choices,
        required=False,
    )
    exception_reason = forms.CharField(
        label=_("Why the exception applies"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class TerminationForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons (facts and circumstances)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    terms_clause = forms.CharField(label=_("Clause of the terms"), max_length=200)
    effective_on = forms.DateField(
        label=_("Takes effect on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ground = forms.ChoiceField(
        label=_("Art. 4(4) ground (termination without notice)"),
        choices=Art44Ground.choices,
        required=False,
    )
