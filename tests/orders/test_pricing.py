from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.models import FulfilmentMethod
from orders.pricing import LineRequest, quote, vat_included_in
from tests.factories import ProductFactory, StockLevelFactory, VariantFactory

RATES = [Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1")]


@given(total=st.integers(min_value=0, max_value=10**9), rate=st.sampled_from(RATES))
def test_vat_is_a_part_of_the_price_to_the_cent(total, rate):
    vat = vat_included_in(total, rate)

    assert 0 <= vat <= total
    # The net price times the rate gives back the VAT, within the rounding of one cent.
    assert abs((total - vat) * rate / 100 - vat) <= 1


@pytest.mark.parametrize(
    ("total", "rate", "vat"),
    [(1200, Decimal("20"), 200), (1100, Decimal("10"), 100), (1055, Decimal("5.5"), 55)],
)
def test_vat_of_round_prices(total, rate, vat):
    assert vat_included_in(total, rate) == vat


@pytest.fixture
def plant(db):
    return VariantFactory(product=ProductFactory(vat_rate="intermediate"), rrp_cents=1500)


def test_collect_lines_are_sold_at_the_stores_price_home_delivery_at_hqs(
    lyon_store, paris_store, plant
):
    StockLevelFactory(store=lyon_store, variant=plant, price_cents=1390)

    basket = quote(
        [
            LineRequest(plant, 2, FulfilmentMethod.CLICK_COLLECT, lyon_store),
            LineRequest(plant, 1, FulfilmentMethod.CLICK_COLLECT, paris_store),
            LineRequest(plant, 1, FulfilmentMethod.HOME_DELIVERY),
        ]
    )

    assert [line.unit_price_cents for line in basket.lines] == [1390, 1500, 1500]
    assert basket.subtotal_cents == 2780 + 1500 + 1500
    assert basket.shipping_cents == 490  # 15 € of home-delivery items is under the 50 € threshold
    assert basket.total_cents == basket.subtotal_cents + 490
    assert basket.lines[0].vat_cents == 253  # 10 % VAT included in 27,80 €


def test_home_delivery_is_free_from_the_threshold(plant, db):
    basket = quote([LineRequest(plant, 4, FulfilmentMethod.HOME_DELIVERY)])

    assert (basket.subtotal_cents, basket.shipping_cents) == (6000, 0)


def test_collect_only_baskets_pay_no_delivery(lyon_store, plant):
    assert (
        quote([LineRequest(plant, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)]).shipping_cents
        == 0
    )
