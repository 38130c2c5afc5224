"""A large catalogue file is checked and written with a bounded number of queries."""

from __future__ import annotations

import pytest

from catalog.models import Product, Variant
from catalog.services import import_catalogue

from .factories import CategoryFactory, ean13

ROWS = 20_000
VARIANTS_PER_PRODUCT = 4


def big_catalogue(rrp: str = "19,90") -> bytes:
    lines = ["product_slug,product_name,category_slug,brand,sku,gtin,option_size,rrp"]
    for n in range(ROWS):
        product = n // VARIANTS_PER_PRODUCT
        lines.append(
            f"produit-{product},Produit {product},outils,Ardoise,SKU-{n:06d},{ean13(n)},"
            f'T{n % VARIANTS_PER_PRODUCT},"{rrp}"'
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.django_db
def test_twenty_thousand_rows_import_with_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    CategoryFactory(slug="outils", name="Outils")
    data = big_catalogue()

    # The dry run: a handful of bulk lookups, whatever the number of rows
    with django_assert_max_num_queries(10):
        report = import_catalogue(data=data, filename="big.csv", actor="test")
    assert report.ok
    assert report.variants_to_create == ROWS

    # Applying: bulk inserts in batches of 1,000
    with django_assert_max_num_queries(60):
        report = import_catalogue(data=data, filename="big.csv", actor="test", apply=True)
    assert report.applied
    assert Variant.objects.count() == ROWS
    assert Product.objects.count() == ROWS // VARIANTS_PER_PRODUCT

    # A new price everywhere: bulk updates
    with django_assert_max_num_queries(60):
        report = import_catalogue(
            data=big_catalogue(rrp="21,50"), filename="big.csv", actor="test", apply=True
        )
    assert report.variants_to_update == ROWS
    assert set(Variant.objects.values_list("rrp_cents", flat=True)) == {2150}

    # The same file again: lookups only, no write
    with django_assert_max_num_queries(15):
        report = import_catalogue(
            data=big_catalogue(rrp="21,50"), filename="big.csv", actor="test", apply=True
        )
    assert report.variants_unchanged == ROWS
    assert not report.has_changes
