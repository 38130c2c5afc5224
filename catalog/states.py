"""A product's lifecycle: the allowed moves between statuses, in one place.

HQ may move a product between any two statuses (the admin's actions publish and archive; a
catalogue file may also send a product back to draft), but a product is published only with an
active variant and its product-safety information (GPSR art. 19, DSA art. 31: manufacturer, EU
responsible person, identifier, warnings), whoever asks. Each move leaves an audit row
`product.<status>`; the audit row is the product's event (no event table)."""

from __future__ import annotations

from typing import cast

from django.db.models import Field
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.transitions import Lifecycle

from .errors import ProductNotPublishable, ProductSafetyIncomplete
from .models import Product

S = Product.Status

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.PUBLISHED, S.ARCHIVED},
    S.PUBLISHED: {S.DRAFT, S.ARCHIVED},
    S.ARCHIVED: {S.DRAFT, S.PUBLISHED},
}


def safety_fields_message(missing: list[str]) -> str:
    """“Product-safety information is missing: manufacturer, …” with the fields' own labels."""
    labels = ", ".join(
        str(cast(Field, Product._meta.get_field(name)).verbose_name) for name in missing
    )
    return _("Product-safety information is missing: %(fields)s.") % {"fields": labels}


def _check_product_move(product: Product, target: str) -> None:
    if target != S.PUBLISHED:
        return
    if not product.variants.filter(is_active=True).exists():
        raise ProductNotPublishable(product=product.slug)
    missing = product.missing_safety_fields()
    if missing:
        raise ProductSafetyIncomplete(
            safety_fields_message(missing), product=product.slug, missing=missing
        )


PRODUCT_LIFECYCLE = Lifecycle(
    name="product",
    model=Product,
    moves=TRANSITIONS,
    check=_check_product_move,
    illegal_message=gettext_lazy("A product can't go from “%(current)s” to “%(target)s”."),
)
