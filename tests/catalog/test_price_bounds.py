"""HQ's bounds on store prices: a variant's own bounds win; otherwise its category's percent
bounds, each end inherited from the nearest ancestor that sets it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import Variant
from catalog.selectors import (
    PriceBounds,
    category_tree,
    price_bounds_for,
    price_bounds_for_variants,
)

from .factories import CategoryFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def garden():
    return CategoryFactory(
        name="Jardin", min_price_percent=Decimal("80"), max_price_percent=Decimal("120")
    )


def test_variant_own_bounds_win_over_its_category(garden):
    variant = VariantFactory(
        product__category=garden, rrp_cents=1000, min_price_cents=700, max_price_cents=1500
    )

    assert price_bounds_for(variant) == PriceBounds(700, 1500)


def test_variant_with_one_own_bound_keeps_the_other_end_open(garden):
    variant = VariantFactory(product__category=garden, rrp_cents=1000, min_price_cents=950)

    assert price_bounds_for(variant) == PriceBounds(950, None)


def test_category_percent_bounds_apply_to_the_rrp(garden):
    variant = VariantFactory(product__category=garden, rrp_cents=2990)

    assert price_bounds_for(variant) == PriceBounds(2392, 3588)


def test_subcategory_inherits_its_parents_bounds(garden):
    tools = CategoryFactory(name="Outils", parent=garden)
    spades = CategoryFactory(name="Bêches", parent=tools)
    variant = VariantFactory(product__category=spades, rrp_cents=1000)

    assert price_bounds_for(variant) == PriceBounds(800, 1200)


def test_each_end_is_inherited_from_the_nearest_ancestor_that_sets_it(garden):
    tools = CategoryFactory(name="Outils", parent=garden, min_price_percent=Decimal("95"))
    variant = VariantFactory(product__category=tools, rrp_cents=1000)

    assert price_bounds_for(variant) == PriceBounds(950, 1200)
    assert category_tree().percent_bounds(tools.pk) == (Decimal("95"), Decimal("120"))


def test_percent_bounds_round_half_up_to_the_cent():
    category = CategoryFactory(min_price_percent=Decimal("92.5"))
    variant = VariantFactory(product__category=category, rrp_cents=999)  # 924.075 cents

    assert price_bounds_for(variant).min_cents == 924


def test_no_bounds_anywhere_means_unbounded():
    variant = VariantFactory(product__category=CategoryFactory(), rrp_cents=1000)

    assert price_bounds_for(variant) == PriceBounds(None, None)
    assert price_bounds_for(variant).allows(1)


def test_bounds_for_many_variants_take_two_queries(garden, django_assert_num_queries):
    for _ in range(10):
        VariantFactory(product__category=garden)

    with django_assert_num_queries(2):
        bounds = price_bounds_for_variants(Variant.objects.select_related("product"))

    assert len(bounds) == 10
