"""Euros as people type them ("12,90", "1 234.50 €") to integer cents, and back for display; the
form field that does both (prices in the catalogue, every amount HQ edits in the admin). Rates
the same way: typed and read in per cent ("5,5 %"), kept as integer basis points (550).

Money is stored as integer cents (`*_cents` fields), rates as basis points (`*_bp` fields);
people read and type euros and per cent."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# At most 13 digits of euros: a price fits a bigint of cents with room to spare.
_AMOUNT = re.compile(r"^\d{1,13}(\.\d{1,2})?$")
# A rate in per cent, at most two decimals (a whole number of basis points); a number too
# large (basis points typed by habit) is refused by the maximum, which says what is allowed.
_RATE = re.compile(r"^\d{1,5}([.,]\d{1,2})?$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


class AmountError(ValueError):
    """The text is not an amount in euros; the message says why, for the person who typed it."""


def parse_euros(value: str | int | float) -> int:
    """`value` (text such as "12,90", "12.90", "1 234,50 €", or a number from a spreadsheet
    cell) as integer cents. Comma or dot is the decimal separator; at most two decimals; the
    amount may not be negative. Raises AmountError."""
    if isinstance(value, bool):
        raise AmountError(_("“%(value)s” is not an amount in euros.") % {"value": value})
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        # A spreadsheet's number: its shortest repr is what the person typed (12.9, not 12.8999…).
        text = repr(value)
    else:
        text = str(value)
    cleaned = _SPACES.sub("", text.replace("€", "").replace("EUR", "").replace("eur", ""))
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    if cleaned.startswith("-"):
        raise AmountError(_("An amount cannot be negative."))
    if not _AMOUNT.match(cleaned):
        if re.match(r"^\d{1,13}\.\d{3,}$", cleaned):
            raise AmountError(_("“%(value)s” has more than two decimals.") % {"value": text})
        if re.match(r"^\d{14,}(\.\d*)?$", cleaned):
            raise AmountError(_("The amount is too large."))
        raise AmountError(
            _("“%(value)s” is not an amount in euros (write it like 12,90).") % {"value": text}
        )
    try:
        return int(Decimal(cleaned) * 100)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above already rules it out
        raise AmountError(_("“%(value)s” is not an amount in euros.") % {"value": text}) from exc


def format_cents(cents: int | None) -> str:
    """Like "12,90 €", in the active language's number format with a no-break space before
    the euro sign; "" for None."""
    if cents is None:
        return ""
    return f"{number_format(Decimal(cents) / 100, 2)}\u00a0€"


def format_rate(basis_points: int | None) -> str:
    """Like "20 %" or "5,5 %", in the active language's number format with a no-break space
    before the sign; "" for None."""
    if basis_points is None:
        return ""
    return f"{number_format(Decimal(basis_points) / 100)}\u00a0%"


class _TypedAsText(forms.CharField):
    """A number people type as text: changed when what it means changed, not its spelling."""

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True


class RateField(_TypedAsText):
    """A rate typed in per cent ("20", "5,5", "60 %") kept as integer basis points (2000, 550,
    6000); shown back in per cent. `max_bp`: the highest rate accepted (100 % by default)."""

    def __init__(self, *, max_bp: int = 10_000, **kwargs: Any) -> None:
        self.max_bp = max_bp
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 7}))
        kwargs.setdefault("help_text", gettext_lazy("In per cent, e.g. 5,5."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return number_format(Decimal(value) / 100)
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = _SPACES.sub("", str(value)).removesuffix("%")
        if not _RATE.match(text):
            raise forms.ValidationError(
                _("“%(value)s” is not a rate in per cent (write it like 5,5).") % {"value": value},
                code="invalid",
            )
        basis_points = int(Decimal(text.replace(",", ".")) * 100)
        if basis_points > self.max_bp:
            raise forms.ValidationError(
                _("The rate must be at most %(maximum)s.") % {"maximum": format_rate(self.max_bp)},
                code="max_value",
            )
        return basis_points


class CentsField(_TypedAsText):
    """An amount typed in euros ("12,90" or "12.90") kept as integer cents; shown back in euros.

    `min_cents`: the lowest amount accepted (0 by default); `allow_negative` lets a signed
    amount (an adjustment) be typed with a leading minus sign, and then `min_cents` is not
    checked."""

    def __init__(self, *, min_cents: int = 0, allow_negative: bool = False, **kwargs: Any) -> None:
        self.min_cents = min_cents
        self.allow_negative = allow_negative
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 9}))
        kwargs.setdefault("help_text", gettext_lazy("In euros, e.g. 12,90."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return number_format(Decimal(value) / 100, 2)
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = str(value).strip()
        negative = self.allow_negative and text.startswith("-")
        try:
            cents = parse_euros(text[1:] if negative else text)
        except AmountError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        if negative:
            return -cents
        if cents < self.min_cents:
            if self.min_cents == 1:
                raise forms.ValidationError(_("The amount must be above zero."), code="min_value")
            raise forms.ValidationError(
                _("The amount must be at least %(minimum)s.")
                % {"minimum": format_cents(self.min_cents)},
                code="min_value",
            )
        return cents
