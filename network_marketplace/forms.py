"""Forms of the core app: a webhook endpoint, shared by the store back-office and HQ's admin."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WebhookEndpoint
from .webhooks import (
    ALL_EVENTS,
    MAX_ENDPOINTS_PER_STORE,
    event_type_choices,
    validate_endpoint_url,
)


class EventTypesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Events"))
        kwargs.setdefault("help_text", _("“All events” includes the event types added later."))
        super().__init__(choices=event_type_choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return [ALL_EVENTS] if ALL_EVENTS in value else value


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        validators=[validate_endpoint_url],
        help_text=_("Your server's address that receives the events (HTTPS)."),
        widget=forms.URLInput(attrs={"placeholder": "https://erp.example.com/webhooks/network"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = EventTypesField()


def _named_event_type_choices():
    return [
        (name, label if name == ALL_EVENTS else f"{name} · {label}")
        for name, label in event_type_choices()
    ]


class WebhookEndpointAdminForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    event_types = EventTypesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = _named_event_type_choices  # type: ignore[attr-defined]

    class Meta:
        model = WebhookEndpoint
        fields = ["store", "url", "description", "event_types", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        validate_endpoint_url(url)
        return url

    def clean(self):
        cleaned = super().clean() or {}
        store = cleaned.get("store")
        is_new = self.instance.pk is None
        if is_new and store is not None and self._store_is_full(store):
            raise forms.ValidationError(
                _("A store may have at most %(count)d webhook endpoints.")
                % {"count": MAX_ENDPOINTS_PER_STORE}
            )
        return cleaned

    @staticmethod
    def _store_is_full(store) -> bool:
        return WebhookEndpoint.objects.filter(store=store).count() >= MAX_ENDPOINTS_PER_STORE
