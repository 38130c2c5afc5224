"""The split of a sale adds up to the cent, for any order (payments/commission.py's rounding
rule): customer paid = stores' nets and catchment shares + HQ's commission kept + its VAT +
the provider fee (+ HQ's own sales), and no part that must not be is ever negative."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payments.commission import (
    LineTerms,
    OrderSplitter,
    OrderTerms,
    SellerTerms,
    UnitCounter,
    allocate,
    reverse_in_proportion,
    split_piece,
    unit_slice,
)

rates = st.decimals(min_value=0, max_value=100, places=2)
cents = st.integers(min_value=0, max_value=2_000_000)


@st.composite
def orders(draw):
    """An order of 1-6 lines, each served by 1-3 locations (franchise or HQ's own), with a
    delivery fee, a provider fee, a fixed fee, rates and a catchment share (or none)."""
    lines, pieces = [], []
    for key in range(draw(st.integers(1, 6))):
        quantity = draw(st.integers(1, 12))
        home = draw(st.booleans())
        lines.append(
            LineTerms(
                key=key, quantity=quantity, unit_price_cents=draw(st.integers(1, 300_000)),
                vat_cents=0, home_delivery=home,
            )
        )  # fmt: skip
        left = quantity
        while left:
            units = draw(st.integers(1, left))
            left -= units
            seller = SellerTerms(
                sold_by_hq=draw(st.booleans()), rate_percent=draw(rates),
                catchment_percent=draw(st.sampled_from([Decimal(0), draw(rates)])),
                catchment_rate_percent=draw(rates),
                commission_vat_percent=draw(st.sampled_from([Decimal(20), Decimal("5.5")])),
            )  # fmt: skip
            pieces.append((key, units, seller, home))
    shuffled = draw(st.permutations(pieces))  # fulfilments complete in any order
    lines = [
        LineTerms(key=line.key, quantity=line.quantity, unit_price_cents=line.unit_price_cents,
                  vat_cents=draw(st.integers(0, line.total_cents // 5)),
                  home_delivery=line.home_delivery)
        for line in lines
    ]  # fmt: skip
    terms = OrderTerms(
        lines=lines, shipping_cents=draw(st.integers(0, 2_000)),
        provider_fee_cents=draw(st.integers(0, 50_000)), fixed_fee_cents=draw(st.integers(0, 900)),
    )  # fmt: skip
    return terms, shuffled


def split_everything(terms, pieces):
    splitter = OrderSplitter(terms)
    counter = UnitCounter()
    splits = []
    for key, units, seller, home in pieces:
        before = counter.take(key, units)
        splits.append(splitter.goods(line_key=key, before=before, units=units, seller=seller))
        if home:
            splits.append(splitter.delivery_of(served=[(key, before, units)], seller=seller))
    return splits


@settings(max_examples=400, deadline=None)
@given(orders())
def test_customer_paid_is_stores_nets_plus_commission_plus_vat_plus_fee_to_the_cent(order):
    terms, pieces = order
    paid = sum(line.total_cents for line in terms.lines) + (
        terms.shipping_cents if any(line.home_delivery for line in terms.lines) else 0
    )

    splits = split_everything(terms, pieces)

    assert sum(split.gross_cents for split in splits) == paid
    assert paid == sum(
        split.to_stores_cents + split.hq_keeps_cents + split.vat_cents + split.fee_cents
        for split in splits
    )
    assert sum(split.fee_cents for split in splits) == terms.provider_fee_cents
    for split in splits:
        assert split.gross_cents == split.net_cents + split.commission_cents + (
            split.commission_vat_cents
        )
        assert min(split.net_cents, split.commission_cents, split.commission_vat_cents,
                   split.catchment_cents, split.fee_cents, split.sale_vat_cents) >= 0  # fmt: skip
        if not split.sold_by_hq:
            assert split.catchment_cents <= split.commission_cents
            assert split.sale_vat_cents == 0


@settings(max_examples=300, deadline=None)
@given(orders())
def test_the_fixed_fee_is_charged_at_most_once_per_order(order):
    terms, pieces = order
    no_rate = [(key, units, SellerTerms(commission_vat_percent=Decimal(20)), home)
               for key, units, _seller, home in pieces]  # fmt: skip

    splits = split_everything(terms, no_rate)

    charged = sum(split.commission_cents for split in splits)
    assert charged <= terms.fixed_fee_cents


def test_a_fixed_fee_is_spread_over_the_lines_by_price_and_charged_in_full():
    terms = OrderTerms(
        lines=[LineTerms(key=1, quantity=1, unit_price_cents=1000),
               LineTerms(key=2, quantity=3, unit_price_cents=1000)],
        fixed_fee_cents=99,
    )  # fmt: skip
    seller = SellerTerms(rate_percent=Decimal(0))
    splitter = OrderSplitter(terms)

    first = splitter.goods(line_key=1, before=0, units=1, seller=seller)
    second = [splitter.goods(line_key=2, before=b, units=1, seller=seller) for b in range(3)]

    assert first.commission_cents == 25
    assert [split.commission_cents for split in second] == [25, 24, 25]
    assert first.commission_cents + sum(split.commission_cents for split in second) == 99


@pytest.mark.parametrize(
    ("gross", "rate", "commission", "vat", "net"),
    [
        (10_000, Decimal("12"), 1_200, 240, 8_560),
        (1, Decimal("12"), 0, 0, 1),
        (3, Decimal("50"), 2, 0, 1),
        (10_000, Decimal("100"), 8_333, 1_667, 0),
        (999, Decimal("15.5"), 155, 31, 813),
    ],
    ids=["ordinary", "one-cent", "half-up", "capped-at-the-gross", "odd-rate"],
)
def test_a_piece_is_split_half_up_with_the_remainder_to_the_store(gross, rate, commission, vat,
                                                                  net):  # fmt: skip
    split = split_piece(gross_cents=gross, seller=SellerTerms(rate_percent=rate))

    assert (split.commission_cents, split.commission_vat_cents, split.net_cents) == (
        commission, vat, net,
    )  # fmt: skip


def test_hq_own_sale_pays_no_commission_but_the_catchment_store_gets_its_share():
    seller = SellerTerms(
        sold_by_hq=True, rate_percent=Decimal(0), catchment_percent=Decimal(25),
        catchment_rate_percent=Decimal(12),
    )  # fmt: skip

    split = split_piece(gross_cents=10_000, seller=seller, sale_vat_cents=1_667)

    assert (split.commission_cents, split.net_cents, split.catchment_cents) == (0, 10_000, 300)
    assert split.hq_keeps_cents == 10_000 - 1_667 - 300


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=12))
def test_largest_remainder_spreads_exactly_the_total(total, weights):
    parts = allocate(total, weights)

    assert sum(parts) == (total if sum(weights) else 0)
    assert all(part >= 0 for part in parts)


@given(cents, st.integers(1, 50), st.data())
def test_the_unit_slices_of_a_line_sum_to_its_share(total, quantity, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, quantity), max_size=5)))
    bounds = [0, *cuts, quantity]

    parts = [unit_slice(total, before=a, units=b - a, quantity=quantity)
             for a, b in itertools.pairwise(bounds)]  # fmt: skip

    assert sum(parts) == total
    assert all(part >= 0 for part in parts)


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=5), st.data())
def test_successive_partial_reversals_never_take_back_more_than_each_part(parts, data):
    remaining = list(parts)
    for _step in range(data.draw(st.integers(0, 6))):
        if not sum(remaining):
            break
        amount = data.draw(st.integers(1, sum(remaining)))
        taken = reverse_in_proportion(amount, remaining)
        assert sum(taken) == amount
        assert all(0 <= take <= left for take, left in zip(taken, remaining, strict=True))
        remaining = [left - take for left, take in zip(remaining, taken, strict=True)]
    # The last refund takes back what is left of each part, exactly.
    assert reverse_in_proportion(sum(remaining), remaining) == remaining
