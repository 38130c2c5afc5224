"""The demo catalogue: categories, products, variants and their illustrations, expanded from
the product families of demo/data/products.yaml and the categories of categories.yaml.

The expansion is the same on every run (no randomness), so the loader can upsert it by slug and
SKU. Prices are integer cents, VAT included.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product as cartesian
from xml.sax.saxutils import escape

from django.utils.text import slugify

from catalog.models import VatRate
from catalog.validators import gs1_check_digit

from .files import read_yaml


@dataclass(frozen=True)
class DemoCategory:
    slug: str
    name: str
    parent: str | None
    position: int
    description: str = ""
    min_percent: Decimal | None = None
    max_percent: Decimal | None = None
    code: str = ""  # three letters, the SKU's family part (top categories)
    colour: str = ""  # the illustrations' tint (top categories)
    emblem: str = ""  # the illustrations' SVG shapes (top categories)


@dataclass(frozen=True)
class DemoVariant:
    sku: str
    gtin: str
    options: dict
    rrp_cents: int
    min_price_cents: int | None
    max_price_cents: int | None
    position: int


@dataclass(frozen=True)
class DemoProduct:
    slug: str
    name: str
    category: str
    brand: str
    description: str
    attributes: dict
    vat_rate: str
    status: str
    variants: tuple[DemoVariant, ...] = field(default_factory=tuple)
    safety: dict = field(default_factory=dict)  # the product-safety fields (product_safety.yaml)


@dataclass(frozen=True)
class Family:
    """Products sharing a name, a description and attributes: one per model, each with the
    cartesian product of the axes as variants (at most 6). Models and axis values are "label"
    or "label*price factor"."""

    category: str
    name: str
    brands: tuple[str, ...]
    rrp_euros: float
    models: tuple[str, ...]
    axes: tuple[tuple[str, tuple[str, ...]], ...]
    description: str
    attributes: dict
    vat_rate: str
    safety: str = ""  # its own warnings, else its top category's


@dataclass(frozen=True)
class CatalogueRules:
    gtin_prefix: str
    big_ticket_cents: int  # from this RRP on, HQ frames store prices per variant
    big_ticket_bounds: tuple[Decimal, Decimal]  # percent of RRP
    draft_every: int  # every n-th product is still a draft in the PIM


@functools.cache
def categories() -> tuple[DemoCategory, ...]:
    made = []
    for row in read_yaml("categories.yaml")["categories"]:
        low, high = row.get("price_bounds") or (None, None)
        made.append(
            DemoCategory(
                slug=row["slug"],
                name=row["name"],
                parent=row.get("parent"),
                position=row["position"],
                description=row.get("description", ""),
                min_percent=Decimal(low) if low is not None else None,
                max_percent=Decimal(high) if high is not None else None,
                code=row.get("code", ""),
                colour=row.get("colour", ""),
                emblem=row.get("emblem", ""),
            )
        )
    return tuple(made)


@functools.cache
def rules() -> CatalogueRules:
    data = read_yaml("products.yaml")
    low, high = data["big_ticket_bounds"]
    return CatalogueRules(
        gtin_prefix=str(data["gtin_prefix"]),
        big_ticket_cents=data["big_ticket_cents"],
        big_ticket_bounds=(Decimal(low), Decimal(high)),
        draft_every=data["draft_every"],
    )


@functools.cache
def families() -> tuple[Family, ...]:
    return tuple(
        Family(
            category=row["category"],
            name=row["name"],
            brands=tuple(row["brands"]),
            rrp_euros=float(row["rrp"]),
            models=tuple(row["models"]),
            axes=tuple((label, tuple(values)) for label, values in row.get("axes", {}).items()),
            description=row["description"],
            attributes=row["attributes"],
            vat_rate=row.get("vat_rate", VatRate.STANDARD),
            safety=row.get("safety", ""),
        )
        for row in read_yaml("products.yaml")["families"]
    )


def _factor(spec: str) -> tuple[str, float]:
    label, _, factor = spec.partition("*")
    return label, float(factor) if factor else 1.0


def shelf_price(cents: float) -> int:
    """A believable shelf price in cents: 4.49, 24.99, 149.00."""
    cents = round(cents)
    if cents < 1_000:
        return max(99, (cents + 5) // 10 * 10 - 1)
    if cents < 10_000:
        return (cents + 50) // 100 * 100 - 1
    return (cents + 500) // 1_000 * 1_000 - 100


def gtin_for(item: int) -> str:
    body = f"{rules().gtin_prefix}{item:06d}"
    return body + str(gs1_check_digit(body))


def _percent(cents: int, percent: Decimal) -> int:
    return int((Decimal(cents) * percent / 100).to_integral_value())


def product_safety(*, brand: str, top_code: str, reference: str, warnings: str = "") -> dict:
    """The product-safety fields of a demo product, from demo/data/product_safety.yaml."""
    data = read_yaml("product_safety.yaml")
    brands = sorted({brand for family in families() for brand in family.brands})
    addresses = data["manufacturer_addresses"]
    manufacturer = f"{brand} {data['manufacturer_suffix']}"
    address = addresses[brands.index(brand) % len(addresses)]
    return {
        "manufacturer_name": manufacturer,
        "manufacturer_address": address,
        "manufacturer_contact": f"service-consommateurs@{slugify(brand)}.example",
        "eu_responsible_person": data["eu_responsible_person"].format(
            manufacturer=manufacturer, address=address
        ),
        "product_identifier": f"Modèle {reference}",
        "safety_information": warnings or data["warnings"][top_code],
    }


def demo_products() -> list[DemoProduct]:
    """Expand the families into products and variants, numbered in a stable order."""
    tops = {c.slug: c for c in categories() if c.parent is None}
    parents = {c.slug: c.parent for c in categories()}
    frame = rules()
    products, slugs, variant_number = [], set(), 0
    for family in families():
        top = tops[parents[family.category]]
        for index, model in enumerate(family.models):
            qualifier, model_factor = _factor(model)
            number = len(products) + 1
            name = f"{family.name} {qualifier}".strip()
            brand = family.brands[index % len(family.brands)]
            slug = slugify(name)
            if slug in slugs:
                slug = slugify(f"{name} {brand}")
            slugs.add(slug)
            variants = []
            labels = [axis[0] for axis in family.axes]
            for position, combination in enumerate(cartesian(*(axis[1] for axis in family.axes))):
                variant_number += 1
                factor = model_factor
                options = {}
                for label, spec in zip(labels, combination, strict=True):
                    value, value_factor = _factor(spec)
                    options[label] = value
                    factor *= value_factor
                rrp = shelf_price(family.rrp_euros * 100 * factor)
                low = high = None
                if rrp >= frame.big_ticket_cents:
                    low, high = (_percent(rrp, percent) for percent in frame.big_ticket_bounds)
                variants.append(
                    DemoVariant(
                        sku=f"ARD-{top.code}-{number:04d}-{position + 1}",
                        gtin=gtin_for(variant_number),
                        options=options,
                        rrp_cents=rrp,
                        min_price_cents=low,
                        max_price_cents=high,
                        position=position,
                    )
                )
            products.append(
                DemoProduct(
                    slug=slug,
                    name=name,
                    category=family.category,
                    brand=brand,
                    description=family.description.format(name=name, brand=brand),
                    attributes=dict(family.attributes),
                    vat_rate=family.vat_rate,
                    status="draft" if number % frame.draft_every == 0 else "published",
                    variants=tuple(variants),
                    safety=product_safety(
                        brand=brand,
                        top_code=top.code,
                        reference=f"ARD-{top.code}-{number:04d}",
                        warnings=family.safety,
                    ),
                )
            )
    return products


# Illustrations: a drawing of the product's kind (illustrations.yaml) in its department's colour.


@dataclass(frozen=True)
class Drawing:
    match: tuple[str, ...]
    categories: tuple[str, ...]
    alt: str
    svg: str

    def matches_name(self, name: str) -> bool:
        lowered = name.lower()
        return any(re.search(r"(^|[\s'-])" + re.escape(word), lowered) for word in self.match)


@functools.cache
def drawings() -> tuple[Drawing, ...]:
    return tuple(
        Drawing(
            match=tuple(row.get("match", ())),
            categories=tuple(row.get("categories", ())),
            alt=row["alt"],
            svg=row["svg"],
        )
        for row in read_yaml("illustrations.yaml")["drawings"]
    )


def drawing_for(product: DemoProduct) -> Drawing | None:
    """The first drawing whose words start a word of the product's name, else the first one
    drawn for its category, else None (the department's emblem stands in)."""
    for drawing in drawings():
        if drawing.matches_name(product.name):
            return drawing
    for drawing in drawings():
        if product.category in drawing.categories:
            return drawing
    return None


def image_alt(product: DemoProduct) -> str:
    """The picture's alternative text: what the drawing shows, then the product and brand."""
    drawing = drawing_for(product)
    shown = drawing.alt if drawing else "Illustration"
    return f"{shown}\u00a0: {product.name}, {product.brand}"[:200]


def product_svg(product: DemoProduct, top: DemoCategory) -> str:
    """A 400 x 400 SVG: a light tile in the department's colour, the drawing of the product's
    kind (or the department's emblem), and the brand."""
    drawing = drawing_for(product)
    art = drawing.svg if drawing else top.emblem
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" role="img" '
        f'aria-label="{escape(image_alt(product))}" color="{top.colour}">'
        f'<rect width="400" height="400" fill="{top.colour}" opacity=".12"/>'
        f'<g fill="{top.colour}" stroke-linecap="round" stroke-linejoin="round">{art}</g>'
        f'<text x="200" y="386" text-anchor="middle" fill="{top.colour}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="20" letter-spacing="3">'
        f"{escape(product.brand.upper())}</text></svg>"
    )
