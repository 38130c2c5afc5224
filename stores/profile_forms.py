"""The back-office forms of the store's profile and team: they read the fields; the rules
(ranges, bounds, roles) are the services' (stores.services.profile and team), whose errors by
field come back onto these forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.dates import WEEKDAYS
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Store, StoreMembership, StoreSpecialDay
from .opening_hours import DAY_KEYS
from .services.profile import MAX_DESCRIPTION_CHARS, RANGES_PER_DAY, ProfileRefused, range_field


def add_refusal(form: forms.Form, refused: ProfileRefused) -> None:
    """Put a service's errors on the form's fields (on the form when it has no such field)."""
    for field, messages in refused.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class OpeningHoursForm(forms.Form):
    """Monday to Sunday, two ranges a day: `mon_1_opens`, `mon_1_closes`, `mon_2_opens`..."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for weekday, day in enumerate(DAY_KEYS):
            for index in range(1, RANGES_PER_DAY + 1):
                for end, label in (("opens", _("opens")), ("closes", _("closes"))):
                    self.fields[range_field(day, index, end)] = forms.TimeField(
                        label=f"{str(WEEKDAYS[weekday]).capitalize()} · {label} ({index})",
                        required=False,
                        widget=_time_input(),
                    )

    def hours(self) -> dict[str, list[tuple[Any, Any]]]:
        data = self.cleaned_data
        return {
            day: [
                (
                    data.get(range_field(day, index, "opens")),
                    data.get(range_field(day, index, "closes")),
                )
                for index in range(1, RANGES_PER_DAY + 1)
            ]
            for day in DAY_KEYS
        }

    def days(self) -> list[dict[str, Any]]:
        """The fields by day, for the template: [{"name", "ranges": [(opens, closes)...]}]."""
        return [
            {
                "name": WEEKDAYS[weekday],
                "key": day,
                "ranges": [
                    (
                        self[range_field(day, index, "opens")],
                        self[range_field(day, index, "closes")],
                    )
                    for index in range(1, RANGES_PER_DAY + 1)
                ],
            }
            for weekday, day in enumerate(DAY_KEYS)
        ]

    @classmethod
    def initial_for(cls, ranges: dict[str, list[tuple[Any, Any]]]) -> dict[str, Any]:
        initial = {}
        for day, items in ranges.items():
            for index, (opens, closes) in enumerate(items[:RANGES_PER_DAY], start=1):
                initial[range_field(day, index, "opens")] = opens
                initial[range_field(day, index, "closes")] = closes
        return initial


class SpecialDayForm(forms.Form):
    day = forms.DateField(
        label=capfirst(StoreSpecialDay._meta.get_field("day").verbose_name),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    closed = forms.BooleanField(
        label=capfirst(StoreSpecialDay._meta.get_field("closed").verbose_name), required=False
    )
    opens = forms.TimeField(
        label=capfirst(StoreSpecialDay._meta.get_field("opens").verbose_name),
        required=False,
        widget=_time_input(),
    )
    closes = forms.TimeField(
        label=capfirst(StoreSpecialDay._meta.get_field("closes").verbose_name),
        required=False,
        widget=_time_input(),
    )
    note = forms.CharField(
        label=capfirst(StoreSpecialDay._meta.get_field("note").verbose_name),
        required=False,
        max_length=100,
        help_text=_("e.g. “Inventory”, “Christmas Eve”"),
    )


class ServicesForm(forms.Form):
    offers_click_collect = forms.BooleanField(
        label=_("Click & collect"),
        required=False,
        help_text=_("Customers order online and collect here."),
    )
    offers_ship_from_store = forms.BooleanField(
        label=_("Ship from store"),
        required=False,
        help_text=_("Home deliveries sent from the store's stock."),
    )
    offers_reserve_collect = forms.BooleanField(
        label=_("Reserve & collect"),
        required=False,
        help_text=_("Customers have an item held, try it here and pay in store."),
    )
    accepts_returns = forms.BooleanField(
        label=_("Returns"),
        required=False,
        help_text=_("Online orders bought anywhere in the network can be returned here."),
    )
    daily_capacity = forms.IntegerField(
        label=capfirst(Store._meta.get_field("daily_capacity").verbose_name),
        required=False,
        min_value=0,
        max_value=1_000_000,
    )

    def __init__(self, *args: Any, bounds: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = bounds
        self.fields["daily_capacity"].help_text = _(
            "Open orders the store can handle a day, between %(low)s and %(high)s (HQ's "
            "bounds); empty: the network's default."
        ) % {"low": low, "high": high}
        self.fields["daily_capacity"].widget.attrs.update({"min": low, "max": high})


class PresentationForm(forms.Form):
    description = forms.CharField(
        label=capfirst(Store._meta.get_field("description").verbose_name),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_DESCRIPTION_CHARS}),
        help_text=_("A few words on the store page: your team, your specialities, parking."),
    )
    photo = forms.FileField(
        label=capfirst(Store._meta.get_field("photo").verbose_name),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    clear_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _("PNG or JPEG, %(size)s MB at most.") % {
            "size": number_format(settings.MARKETING_IMAGE_MAX_BYTES / 1_000_000, 1)
        }


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(StoreMembership.Role.choices)
        field = cast(forms.ChoiceField, self.fields["role"])
        field.choices = [(role, labels[role]) for role in roles]
        if roles:
            field.initial = roles[-1]
