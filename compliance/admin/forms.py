"""HQ's decision forms in admin: they collect; the services (compliance.services) decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import MeasureKind, TargetKind


class MeasureFieldsForm(forms.Form):
    facts = forms.CharField(
        label=_("Facts and circumstances"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    legal_ground = forms.CharField(
        label=_("Legal ground (illegal content)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    terms_clause = forms.CharField(
        label=_("Terms clause (incompatible with the terms)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    ends_at = forms.DateTimeField(label=_("Ends at (optional)"), required=False)
    territorial_scope = forms.CharField(
        label=_("Territorial scope (country codes, comma-separated; empty: the default)"),
        required=False,
    )

    def scope(self) -> list[str] | None:
        codes = [
            c.strip().upper() for c in self.cleaned_data.get("territorial_scope", "").split(",")
        ]
        return [code for code in codes if code] or None


class NoticeDecisionForm(MeasureFieldsForm):
    measure_kind = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("No action")), *MeasureKind.choices],
        required=False,
    )
    decision_text = forms.CharField(
        label=_("Decision, as the notifier will read it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    field_order = ["measure_kind", "decision_text"]


class OwnInitiativeMeasureForm(MeasureFieldsForm):
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    target_kind = forms.ChoiceField(label=_("Applies to"), choices=TargetKind.choices)
    target_id = forms.IntegerField(label=_("Id of the offer, product, store or account"))
    field_order = ["kind", "target_kind", "target_id"]


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Why the measure is lifted"), max_length=300)


class ComplaintDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("upheld", _("Upheld: reverse the decision")), ("rejected", _("Rejected"))],
        widget=forms.RadioSelect,
    )
    decision_text = forms.CharField(
        label=_("Reasons of the outcome"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
