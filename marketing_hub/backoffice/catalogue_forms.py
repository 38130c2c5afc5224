"""The forms of the catalogue pages: the catalogue's filters, the proof editor (one input per
editable field of the artwork, a product chooser among the store's own offers) and the store's
images."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.money import format_cents

from ..models import Artwork, ArtworkField, MarketingItem
from ..selectors.catalogue import ProductChoice


class CatalogueFilterForm(forms.Form):
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *MarketingItem.Kind.choices],
    )

    def __init__(self, *args: Any, campaigns: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign = cast(forms.ChoiceField, self.fields["campaign"])
        campaign.choices = [
            ("", _("All campaigns")),
            *((str(pk), name) for pk, name in campaigns),
        ]


def reduced_key(field: ArtworkField) -> str:
    return f"{field.key}__reduced"


def product_label(choice: ProductChoice) -> str:
    label = f"{choice.label} · {format_cents(choice.price_cents)}"
    if choice.reduction is not None:
        label += " · " + str(_("reduced (-%(percent)s %%)") % {"percent": choice.reduction.percent})
    return label


class ProofForm(forms.Form):
    """One input per editable field: a text for free text, a choice among the store's offers
    for a product (and whether to announce its reduction)."""

    def __init__(
        self, *args: Any, artwork: Artwork, products: list[ProductChoice], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.artwork = artwork
        self.editable = [field for field in artwork.fields.all() if field.editable]
        for field in self.editable:
            if field.kind == ArtworkField.Kind.FREE_TEXT:
                self.fields[field.key] = forms.CharField(
                    label=field.label,
                    required=False,
                    initial=field.default_text,
                    max_length=field.max_length,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("At most %(max)s characters.") % {"max": field.max_length}
                    if field.max_length
                    else "",
                )
            elif field.kind == ArtworkField.Kind.PRODUCT:
                self.fields[field.key] = forms.ChoiceField(
                    label=field.label,
                    required=True,
                    choices=[
                        ("", _("Choose one of your products")),
                        *((choice.sku, product_label(choice)) for choice in products),
                    ],
                    help_text=_("Your own price is printed, as sold in your store."),
                )
                self.fields[reduced_key(field)] = forms.BooleanField(
                    label=_("Announce a reduced price"),
                    required=False,
                    help_text=_(
                        "The lowest price of the last 30 days is printed beside it; refused when "
                        "your price is not below it. Unticked, a reduction you run is printed all "
                        "the same."
                    ),
                )

    def values(self) -> dict[str, Any]:
        """The editor's input as make_proof takes it."""
        values: dict[str, Any] = {}
        for field in self.editable:
            if field.kind == ArtworkField.Kind.PRODUCT:
                values[field.key] = {
                    "sku": self.cleaned_data.get(field.key, ""),
                    "reduced": True if self.cleaned_data.get(reduced_key(field)) else None,
                }
            elif field.key in self.cleaned_data:
                values[field.key] = self.cleaned_data[field.key]
        return values

    def add_proof_errors(self, errors: dict[str, list[str]]) -> None:
        """The service's refusals, under the input they are about (or the whole form)."""
        for key, messages in errors.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)

    @staticmethod
    def initial_from(values: dict[str, Any], artwork: Artwork) -> dict[str, Any]:
        """A proof's values back as the editor's initial data."""
        initial: dict[str, Any] = {}
        for field in artwork.fields.all():
            value = values.get(field.key)
            if value is None:
                continue
            if field.kind == ArtworkField.Kind.PRODUCT and isinstance(value, dict):
                initial[field.key] = value.get("sku", "")
                initial[reduced_key(field)] = bool(value.get("reduced"))
            else:
                initial[field.key] = value
        return initial


class StoreImagesForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG; a transparent PNG prints best on coloured backgrounds."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    photo = forms.FileField(
        label=_("Photo of the store"),
        required=False,
        help_text=_("PNG or JPEG, landscape."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
