"""The forms of the notice and complaint pages. The rules (what a notice needs, the URLs of this
site, the complaint window) are the services' (compliance.services); a form only collects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import IllegalityCategory


class NoticeForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of illegal content is it?"),
        choices=[("", "—"), *IllegalityCategory.choices],
        required=False,
    )
    urls = forms.CharField(
        label=_("Exact addresses of the content"),
        help_text=_("One address (URL) of this site per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    store = forms.ChoiceField(
        label=_("Which store's offer? (if it concerns one store)"), required=False, choices=()
    )
    explanation = forms.CharField(
        label=_("Why is it illegal?"),
        help_text=_("Explain precisely why you consider this content illegal."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    notifier_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    notifier_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Optional only for a notice of child sexual abuse material."),
        required=False,
    )
    good_faith = forms.BooleanField(
        label=_(
            "I confirm in good faith that the information and allegations in this notice are "
            "accurate and complete."
        ),
        required=False,
    )

    def __init__(self, *args, store_choices: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if store_choices:
            self.fields["store"].choices = [("", _("All stores / not one store")), *store_choices]
        else:
            del self.fields["store"]

    def urls_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("urls", "").splitlines()]


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=_("Why do you think the decision is wrong?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    contact_email = forms.EmailField(label=_("Your e-mail address for the outcome"), required=False)
