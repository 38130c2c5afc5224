from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GTIN_LENGTHS = (8, 12, 13, 14)


def gs1_check_digit(digits: str) -> int:
    """The GS1 check digit of `digits` (the GTIN without its last digit)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def is_valid_gtin(value: str) -> bool:
    return (
        value.isdigit()
        and len(value) in GTIN_LENGTHS
        and gs1_check_digit(value[:-1]) == int(value[-1])
    )


def validate_gtin(value: str) -> None:
    """GTIN-8/12/13/14 (EAN-13 in practice) with a correct GS1 check digit."""
    if not value.isdigit() or len(value) not in GTIN_LENGTHS:
        raise ValidationError(
            _("A GTIN has 8, 12, 13 or 14 digits."), code="gtin_format", params={"value": value}
        )
    if gs1_check_digit(value[:-1]) != int(value[-1]):
        raise ValidationError(
            _("The GTIN %(value)s has a wrong check digit (expected %(expected)s)."),
            code="gtin_check_digit",
            params={"value": value, "expected": gs1_check_digit(value[:-1])},
        )
