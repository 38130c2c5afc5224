"""A stock feed's errors speak to the person who sent the file: no database limit
("2147483647") and no internal notation ("sequence|source_timestamp")."""

from __future__ import annotations

import pytest
from django.utils import translation

from stores.services.feed_files import check_header
from stores.services.feed_rows import StockFeedRejected, validate_feed_rows
from tests.factories import VariantFactory


@pytest.mark.django_db
def test_a_quantity_past_the_databases_limit_is_too_large_in_words():
    VariantFactory(sku="ARD-SEC-01")

    with translation.override("fr"):
        _rows, _refs, errors = validate_feed_rows(
            [{"sku": "ARD-SEC-01", "on_hand": "3000000000", "sequence": 1}]
        )

    assert [(error.field, error.message) for error in errors] == [
        ("on_hand", "Le nombre est trop grand.")
    ]


def test_a_file_without_sequence_nor_timestamp_names_both_columns():
    with translation.override("fr"), pytest.raises(StockFeedRejected) as rejected:
        check_header(["sku", "on_hand"])

    assert [error.message for error in rejected.value.errors] == [
        "Colonne manquante\xa0: sequence ou source_timestamp (l\u2019une des deux est obligatoire)."
    ]
