"""GTIN codes: the GS1 check digit is verified everywhere a GTIN enters the catalogue."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from catalog.validators import is_valid_gtin, validate_gtin


@pytest.mark.parametrize(
    "gtin",
    ["3017620422003", "4006381333931", "96385074", "036000291452", "10012345678902"],
    ids=["ean13-nutella", "ean13-stabilo", "ean8", "upc-a", "gtin14"],
)
def test_valid_gtins_are_accepted(gtin):
    validate_gtin(gtin)
    assert is_valid_gtin(gtin)


@pytest.mark.parametrize(
    "gtin",
    ["3017620422004", "4006381333930", "96385075"],
    ids=["ean13-last-digit-off", "ean13-zero", "ean8"],
)
def test_gtin_with_a_wrong_check_digit_is_refused(gtin):
    with pytest.raises(ValidationError) as error:
        validate_gtin(gtin)

    assert error.value.code == "gtin_check_digit"
    assert not is_valid_gtin(gtin)


@pytest.mark.parametrize(
    "gtin",
    ["", "301762042200", "30176204220031", "3017620422OO3", "123"],
    ids=["empty", "12-but-wrong", "14-but-wrong", "letters", "too-short"],
)
def test_malformed_gtin_is_refused(gtin):
    assert not is_valid_gtin(gtin)
    with pytest.raises(ValidationError):
        validate_gtin(gtin)
