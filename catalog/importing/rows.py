"""One catalogue row into a product's fields and a variant's fields: a form per row kind.

The limits are the models' (`max_length`, choices), read from `catalog.models`, so a message
states the limit the database enforces and changes with it. Each form is narrowed to the file's
header: an absent column is not a field, so the stored value stays; a blank cell in a present
column clears the value (brand, description, the safety fields, GTIN, a bound, an option),
except VAT rate and
status, where blank keeps it (new products: standard VAT, draft). Cross-row rules (a SKU once, a
product alike on all its rows) are the planner's.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from typing import Any, Self

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.tabular import TableRow, too_many_cells_message

from ..models import SAFETY_FIELDS, VAT_PERCENT, Category, Product, Variant, VatRate
from ..money import AmountError, parse_euros
from ..validators import validate_gtin
from .reading import is_option_column
from .report import ImportReport

KEEP = object()  # the column is absent: the stored value stays as it is
CATEGORY_PATH_SEPARATOR = re.compile("\\s*[>\u203a]\\s*")
# Options are free JSON on the variant; this keeps one value readable on a label.
OPTION_VALUE_MAX_LENGTH = 100


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(
    model: type[models.Model], name: str, *, required: Any = None, too_long: Any
) -> forms.CharField:
    """A text column limited like `model.name`; `required` is the message when it is blank."""
    messages = {"max_length": too_long}
    if required is not None:
        messages["required"] = required
    return forms.CharField(
        required=required is not None,
        max_length=_max_length(model, name),
        error_messages=messages,
    )


class SpelledChoiceField(forms.Field):
    """A choice as people type it (a code, a label, a number), mapped to its code; blank is None.
    `spellings` maps a normalised spelling to the code; `message` names the accepted ones."""

    def __init__(
        self,
        *,
        spellings: Callable[[], dict[str, str]],
        normalise: Callable[[str], str],
        message: Callable[[str], str],
        **kwargs: Any,
    ) -> None:
        super().__init__(required=False, **kwargs)
        self.spellings, self.normalise, self.message = spellings, normalise, message

    def to_python(self, value: Any) -> str | None:
        if value in self.empty_values:
            return None
        found = self.spellings().get(self.normalise(value))
        if found is None:
            raise ValidationError(self.message(value), code="invalid_choice")
        return found


class EurosField(forms.Field):
    """An amount in euros ("12,90", "1 234.50 €") as integer cents; blank is None."""

    default_error_messages = {"required": gettext_lazy("An amount is required.")}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        try:
            return parse_euros(value)
        except AmountError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class GtinField(forms.CharField):
    """A GTIN with its spaces taken out; blank is None (the variant has none)."""

    default_validators = [validate_gtin]

    def to_python(self, value: Any) -> str | None:
        return re.sub(r"[\s\u00a0]", "", super().to_python(value)) or None


@cache
def vat_rate_spellings() -> dict[str, str]:
    """Accepted spellings of a VAT rate: the code ("reduced") or the percent ("5,5", "5.5 %")."""
    spellings = {}
    for rate, percent in VAT_PERCENT.items():
        spellings[rate.value] = rate.value
        exact = format(percent, "f")  # "20.0", "5.5"
        for text in {exact, exact.removesuffix(".0")}:
            spellings[text] = rate.value
            spellings[text.replace(".", ",")] = rate.value
    return spellings


@cache
def status_spellings() -> dict[str, str]:
    """Accepted spellings of a status: the code or its label in any of the site's languages."""
    spellings = {status.value: status.value for status in Product.Status}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for status in Product.Status:
                spellings[str(status.label).casefold()] = status.value
    return spellings


def _unknown_vat_rate(value: str) -> str:
    rates = ", ".join(f"{number_format(percent.normalize())} %" for percent in VAT_PERCENT.values())
    return _("Unknown VAT rate “%(value)s”: use a rate (%(rates)s) or a code (%(codes)s).") % {
        "value": value,
        "rates": rates,
        "codes": ", ".join(VatRate.values),
    }


def _unknown_status(value: str) -> str:
    return _("Unknown status “%(value)s”: use %(choices)s.") % {
        "value": value,
        "choices": ", ".join(Product.Status.values),
    }


class RowForm(forms.Form):
    """A form over one row's cells, narrowed to the columns of the file.

    Build it once per file (`RowForm(columns=header)`), then `bind(cells)` per row: a bound copy
    that shares the narrowed fields, for a form's usual deep copy of its fields costs more than
    cleaning the row (a file has up to 100,000 rows). Fields are not changed by cleaning."""

    def __init__(self, data: dict[str, str] | None = None, *, columns: Collection[str]) -> None:
        super().__init__(data)
        for name in [name for name in self.fields if name not in columns]:
            del self.fields[name]

    def bind(self, data: dict[str, str]) -> Self:
        bound = copy.copy(self)
        bound.data, bound.is_bound = data, True
        bound._errors, bound._bound_fields_cache = None, {}
        bound.__dict__.pop("cleaned_data", None)
        return bound

    def _clean_fields(self) -> None:
        """Django's field cleaning without the bound fields (widgets, initial values, disabled
        fields), which a row has none of and which cost four times the cleaning itself."""
        for name, field in self.fields.items():
            try:
                self.cleaned_data[name] = field.clean(self.data.get(name))
                clean_field = getattr(self, f"clean_{name}", None)
                if clean_field is not None:
                    self.cleaned_data[name] = clean_field()
            except ValidationError as error:
                self.add_error(name, error)

    def row_errors(self) -> list[tuple[str, str]]:
        """(column, message) for each problem, in the order of the columns."""
        return [
            (column, message)
            for column, messages in self.errors.items()
            for message in messages
            if column != NON_FIELD_ERRORS
        ]


class ProductRowForm(RowForm):
    """The product's fields on a row (each of the product's rows repeats them)."""

    product_slug = forms.SlugField(
        max_length=_max_length(Product, "slug"),
        error_messages={
            "required": gettext_lazy("A product slug is required."),
            "invalid": gettext_lazy(
                "“%(value)s” is not a valid slug (letters, digits, - and _ only)."
            ),
            "max_length": gettext_lazy("A product slug has at most %(limit_value)d characters."),
        },
    )
    product_name = _text(
        Product,
        "name",
        required=gettext_lazy("A product name is required."),
        too_long=gettext_lazy("A product name has at most %(limit_value)d characters."),
    )
    category_slug = forms.CharField(required=False)
    category_path = forms.CharField(required=False)
    brand = _text(
        Product, "brand", too_long=gettext_lazy("A brand has at most %(limit_value)d characters.")
    )
    description = forms.CharField(required=False)
    manufacturer_name = _text(
        Product,
        "manufacturer_name",
        too_long=gettext_lazy("A manufacturer's name has at most %(limit_value)d characters."),
    )
    manufacturer_address = _text(
        Product,
        "manufacturer_address",
        too_long=gettext_lazy("An address has at most %(limit_value)d characters."),
    )
    manufacturer_contact = _text(
        Product,
        "manufacturer_contact",
        too_long=gettext_lazy("A contact has at most %(limit_value)d characters."),
    )
    eu_responsible_person = _text(
        Product,
        "eu_responsible_person",
        too_long=gettext_lazy("The EU responsible person has at most %(limit_value)d characters."),
    )
    product_identifier = _text(
        Product,
        "product_identifier",
        too_long=gettext_lazy("An identifier has at most %(limit_value)d characters."),
    )
    safety_information = forms.CharField(required=False)
    vat_rate = SpelledChoiceField(
        spellings=vat_rate_spellings,
        normalise=lambda text: text.replace("%", "").replace(" ", "").casefold(),
        message=_unknown_vat_rate,
    )
    status = SpelledChoiceField(
        spellings=status_spellings, normalise=str.casefold, message=_unknown_status
    )

    category: tuple[str, Any] | None = None  # ("slug", slug) or ("path", names), even on error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.category = None
        slug = cleaned.get("category_slug", "")
        path_text = cleaned.get("category_path", "")
        if slug:
            self.category = ("slug", slug)
        elif path_text:
            names = tuple(part for part in CATEGORY_PATH_SEPARATOR.split(path_text) if part)
            self.category = ("path", names)
            if not names:
                self.add_error("category_path", _("The category path is empty."))
            limit = _max_length(Category, "name")
            for name in names:
                if len(name) > limit:
                    self.add_error(
                        "category_path",
                        _("A category name has at most %(max)d characters.") % {"max": limit},
                    )
        else:
            column = "category_slug" if "category_slug" in self.fields else "category_path"
            self.add_error(column, _("A category is required."))
        return cleaned

    def product_fields(self) -> dict[str, Any]:
        """The product's values the row sets: name and category always, the other columns when
        present (VAT rate and status only when not blank)."""
        cleaned = self.cleaned_data
        fields: dict[str, Any] = {"name": cleaned["product_name"], "category": self.category}
        for name in ("brand", "description", *SAFETY_FIELDS):
            if name in self.fields:
                fields[name] = cleaned[name]
        for name in ("vat_rate", "status"):
            if cleaned.get(name):
                fields[name] = cleaned[name]
        return fields


class VariantRowForm(RowForm):
    """The variant's fields on a row, with its option_* columns."""

    sku = _text(
        Variant,
        "sku",
        required=gettext_lazy("A SKU is required."),
        too_long=gettext_lazy("A SKU has at most %(limit_value)d characters."),
    )
    gtin = GtinField(required=False)
    rrp = EurosField()
    min_price = EurosField(required=False)
    max_price = EurosField(required=False)

    def __init__(self, data: dict[str, str] | None = None, *, columns: Collection[str]) -> None:
        super().__init__(data, columns=columns)
        self.option_columns = [name for name in columns if is_option_column(name)]
        for name in self.option_columns:
            self.fields[name] = forms.CharField(
                required=False,
                max_length=OPTION_VALUE_MAX_LENGTH,
                error_messages={
                    "max_length": gettext_lazy(
                        "An option value has at most %(limit_value)d characters."
                    )
                },
            )

    def clean_rrp(self) -> int:
        rrp = self.cleaned_data["rrp"]
        if rrp == 0:
            raise ValidationError(_("The recommended retail price must be above zero."))
        return rrp

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        rrp, low, high = (cleaned.get(name) for name in ("rrp", "min_price", "max_price"))
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The highest price is below the lowest price."))
        if rrp:
            if low is not None and low > rrp:
                self.add_error(
                    "min_price", _("The lowest price is above the recommended retail price.")
                )
            if high is not None and high < rrp:
                self.add_error(
                    "max_price", _("The highest price is below the recommended retail price.")
                )
        return cleaned

    def options(self) -> dict[str, str] | None:
        """{option: value, or "" to remove it}; None when the file has no option_* column."""
        if not self.option_columns:
            return None
        return {
            column.removeprefix("option_"): self.cleaned_data[column]
            for column in self.option_columns
        }

    def kept(self, name: str) -> Any:
        """The cleaned value of `name`, or KEEP when its column is not in the file."""
        return self.cleaned_data[name] if name in self.fields else KEEP


@dataclass
class ParsedRow:
    number: int
    product_slug: str
    product: dict  # product fields present in the file: name, category, brand, …
    sku: str
    gtin: object  # str | None | KEEP
    options: dict | None  # {name: value or "" to remove}; None when no option_* column
    rrp_cents: int
    min_price_cents: object  # int | None | KEEP
    max_price_cents: object  # int | None | KEEP


class RowParser:
    """Parses the rows of one file, adding each problem to the report with its row and column."""

    def __init__(self, header: list[str], report: ImportReport) -> None:
        self.width = len(header)
        self.report = report
        self.columns = {name: index for index, name in enumerate(header) if name}
        self.product_form = ProductRowForm(columns=self.columns)
        self.variant_form = VariantRowForm(columns=self.columns)
        # Rows refused for other reasons whose category slug is still checked, so that the
        # report lists every error of the file at once.
        self.rejected_category_slugs: list[tuple[int, str]] = []

    def parse(self, row: TableRow) -> ParsedRow | None:
        cells = row.cells
        if len(cells) > self.width and any(cells[self.width :]):
            self.report.add_error(row.line, "", too_many_cells_message())
            return None
        data = {name: cells[index] for name, index in self.columns.items() if index < len(cells)}
        product = self.product_form.bind(data)
        variant = self.variant_form.bind(data)
        errors = [*product.row_errors(), *variant.row_errors()]
        if errors:
            for column, message in errors:
                self.report.add_error(row.line, column, message)
            if product.category is not None and product.category[0] == "slug":
                self.rejected_category_slugs.append((row.line, product.category[1]))
            return None
        return ParsedRow(
            number=row.line,
            product_slug=product.cleaned_data["product_slug"],
            product=product.product_fields(),
            sku=variant.cleaned_data["sku"],
            gtin=variant.kept("gtin"),
            options=variant.options(),
            rrp_cents=variant.cleaned_data["rrp"],
            min_price_cents=variant.kept("min_price"),
            max_price_cents=variant.kept("max_price"),
        )
