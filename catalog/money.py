"""Euros as people type them ("12,90", "1 234.50 €") to integer cents, and back for display."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# At most 13 digits of euros: a price fits a bigint of cents with room to spare.
_AMOUNT = re.compile(r"^\d{1,13}(\.\d{1,2})?$")
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
