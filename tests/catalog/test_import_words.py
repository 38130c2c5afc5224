"""The message after an applied catalogue import counts the variants in words that agree with
each count: "1 variante créée", "2 mises à jour", never "1 variantes"."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .factories import CategoryFactory, ean13

pytestmark = pytest.mark.django_db
HEADER = "product_slug,product_name,category_slug,sku,gtin,option_size,rrp\n"


@pytest.fixture
def hq_client(client, hq_admin):
    CategoryFactory(name="Outils", slug="outils")
    client.force_login(hq_admin)
    return client


def rows(*sizes: tuple[str, int, str]) -> str:
    """One row per (size, GTIN number, price) of a spade."""
    return HEADER + "".join(
        f'beche,Bêche,outils,BEC-{size},{ean13(number)},{size},"{price}"\n'
        for size, number, price in sizes
    )


def apply_import(client, content: str) -> str:
    """Upload, check and apply a file; the page HQ lands on, with its message."""
    report = client.post(
        reverse("admin:catalog_product_import"),
        {"file": SimpleUploadedFile("catalogue.csv", content.encode(), content_type="text/csv")},
    )
    applied = client.post(
        reverse("admin:catalog_product_import_apply"),
        {"token": report.context["token"]},
        follow=True,
    )
    return applied.content.decode()


def test_one_variant_of_each_kind_is_counted_in_the_singular(hq_client):
    apply_import(hq_client, rows(("S", 1, "29,90"), ("M", 2, "30,90")))

    # S unchanged, M at a new price, L new
    page = apply_import(hq_client, rows(("S", 1, "29,90"), ("M", 2, "31,90"), ("L", 3, "32,50")))

    assert (
        "Catalogue importé depuis catalogue.csv\u00a0: 1 variante créée, 1 mise à jour, "
        "1 inchangée." in page
    )


def test_two_variants_of_each_kind_are_counted_in_the_plural(hq_client):
    apply_import(
        hq_client, rows(("XS", 1, "29,90"), ("S", 2, "29,90"), ("M", 3, "30,90"), ("L", 4, "30,90"))
    )

    page = apply_import(
        hq_client,
        rows(
            ("XS", 1, "29,90"),
            ("S", 2, "29,90"),
            ("M", 3, "31,90"),
            ("L", 4, "31,90"),
            ("XL", 5, "32,50"),
            ("XXL", 6, "32,50"),
        ),
    )

    assert (
        "Catalogue importé depuis catalogue.csv\u00a0: 2 variantes créées, 2 mises à jour, "
        "2 inchangées." in page
    )
