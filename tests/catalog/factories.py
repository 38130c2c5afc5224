"""Catalogue factories: categories, products and variants with valid EAN-13 codes."""

from __future__ import annotations

import factory

from catalog.models import Category, Product, Variant
from catalog.validators import gs1_check_digit


def ean13(n: int) -> str:
    """A valid EAN-13 (French prefix 376) built from `n`."""
    body = f"376{n:09d}"
    return f"{body}{gs1_check_digit(body)}"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    category = factory.SubFactory(CategoryFactory)
    brand = "Ardoise"
    status = Product.Status.PUBLISHED


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:06d}")
    gtin = factory.Sequence(lambda n: ean13(500_000_000 + n))
    options = factory.LazyFunction(dict)
    rrp_cents = 1990
