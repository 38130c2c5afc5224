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
    manufacturer_name = "Forgeval SAS"
    manufacturer_address = "4 rue des Forges, 42000 Saint-Étienne, France"
    manufacturer_contact = "contact@forgeval.example"
    eu_responsible_person = "Forgeval SAS (manufacturer established in the EU)"
    product_identifier = factory.LazyAttribute(lambda product: f"Model {product.slug}")
    safety_information = "Lame tranchante : tenir hors de portée des enfants."


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:06d}")
    gtin = factory.Sequence(lambda n: ean13(500_000_000 + n))
    options = factory.LazyFunction(dict)
    rrp_cents = 1990
