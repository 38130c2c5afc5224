"""A store's marketing cart and orders: lines checked (tiers, options, the store's own proof of
the current artwork), totals with the store's and HQ's shares before placing, placing (number,
copies, budget consumed, rules), cancelling before production, receipt."""

from __future__ import annotations

import pytest

from marketing_hub.models import BudgetMovement, MarketingOrder, MarketingOrderLine
from marketing_hub.services import orders
from marketing_hub.services.budgets import OverBudget
from marketing_hub.services.orders import CartLineRefused, OrderNotAllowed
from marketing_hub.services.supplier import mark_produced, mark_shipped
from network_marketplace.errors import IllegalTransition
from payments import ledger
from payments.models import Invoice

from .order_helpers import (
    make_budget,
    make_goodies,
    make_item,
    make_proof,
    make_rule,
    make_supplier,
    placed_order,
)

pytestmark = pytest.mark.django_db
MO, ML = MarketingOrder.Status, MarketingOrderLine.Status


@pytest.fixture
def flyer(db):
    return make_item(supplier=make_supplier())


def test_a_quantity_outside_the_tiers_is_refused_and_nothing_is_added(
    lyon_store, lyon_owner, flyer
):
    with pytest.raises(CartLineRefused) as refused:
        orders.add_to_cart(
            store=lyon_store,
            item=flyer,
            quantity=300,
            proof=make_proof(lyon_store, flyer),
            actor=lyon_owner,
        )

    assert "300" in refused.value.fields["quantity"][0]
    assert "250, " in refused.value.fields["quantity"][0]
    assert not MarketingOrderLine.objects.exists()


def test_another_stores_proof_is_refused(lyon_store, paris_store, lyon_owner, flyer):
    with pytest.raises(CartLineRefused) as refused:
        orders.add_to_cart(
            store=lyon_store,
            item=flyer,
            quantity=250,
            proof=make_proof(paris_store, flyer),
            actor=lyon_owner,
        )

    assert "proof" in refused.value.fields


def test_an_item_with_artwork_needs_a_proof(lyon_store, lyon_owner, flyer):
    with pytest.raises(CartLineRefused) as refused:
        orders.add_to_cart(store=lyon_store, item=flyer, quantity=250, actor=lyon_owner)

    assert "proof" in refused.value.fields


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({}, "option_size"),
        ({"size": "XXL"}, "option_size"),
        ({"size": "M", "colour": "red"}, "option_colour"),
    ],
    ids=["missing", "not-offered", "unknown-option"],
)
def test_options_are_checked_against_the_item(lyon_store, lyon_owner, options, field):
    shirt = make_goodies()

    with pytest.raises(CartLineRefused) as refused:
        orders.add_to_cart(
            store=lyon_store, item=shirt, quantity=10, options=options, actor=lyon_owner
        )

    assert field in refused.value.fields


def test_the_preview_shows_the_store_and_hq_shares_and_the_budget_left(
    lyon_store, lyon_owner, flyer
):
    make_budget(lyon_store, 50_000)
    make_rule(item=flyer, percent_bp=3000, cap_cents=100_000)
    orders.add_to_cart(
        store=lyon_store,
        item=flyer,
        quantity=1_000,
        proof=make_proof(lyon_store, flyer),
        actor=lyon_owner,
    )

    preview = orders.preview_order(orders.open_cart(store=lyon_store, actor=lyon_owner))

    assert preview.total_excl_vat_cents == 9_900
    assert preview.hq_share_cents == 2_970
    assert preview.store_share_cents == 6_930
    assert preview.vat_cents == 1_386
    assert preview.budget_left_after_cents == 50_000 - 6_930
    assert preview.can_place


def test_placing_numbers_the_order_copies_the_price_and_consumes_the_budget(
    lyon_store, lyon_owner, flyer
):
    budget = make_budget(lyon_store, 50_000)

    order = placed_order(lyon_store, lyon_owner, flyer)
    flyer.tiers.filter(quantity=250).update(price_cents=99_999)  # HQ edits the item later

    assert order.number.startswith("MK-")
    assert order.number.endswith("-00001")
    line = order.lines.get()
    line.refresh_from_db()
    assert (line.item_reference, line.price_cents, line.vat_rate_bp) == ("FLY-A5", 3_900, 2000)
    assert line.artwork == flyer.artworks.get()
    budget.refresh_from_db()
    assert budget.spent_cents == 3_900
    assert BudgetMovement.objects.get().kind == BudgetMovement.Kind.CONSUMED


def test_an_order_over_budget_is_refused_and_changes_nothing(lyon_store, lyon_owner, flyer):
    budget = make_budget(lyon_store, 3_000)

    with pytest.raises(OverBudget):
        placed_order(lyon_store, lyon_owner, flyer)

    budget.refresh_from_db()
    assert budget.spent_cents == 0
    cart = MarketingOrder.objects.get(store=lyon_store)
    assert (cart.status, cart.number) == (MO.CART, None)
    assert orders.preview_order(cart).over_budget


def test_placing_an_empty_cart_is_refused(lyon_store, lyon_owner):
    with pytest.raises(OrderNotAllowed):
        orders.place_order(
            order=orders.open_cart(store=lyon_store, actor=lyon_owner), actor=lyon_owner
        )


def test_cancelling_an_approved_order_gives_the_budget_back_and_credits_the_charge(
    lyon_store, lyon_owner, flyer
):
    budget = make_budget(lyon_store, 50_000)
    order = placed_order(lyon_store, lyon_owner, flyer)
    assert order.status == MO.APPROVED
    assert ledger.store_balance_cents(lyon_store) == -4_680

    order = orders.cancel_order(order=order, actor=lyon_owner)

    assert order.status == MO.CANCELLED
    budget.refresh_from_db()
    assert budget.spent_cents == 0
    line = order.lines.get()
    assert line.status == ML.CANCELLED
    assert line.credit_note.kind == Invoice.Kind.CREDIT_NOTE
    assert line.credit_note.credited_invoice == line.invoice
    assert ledger.store_balance_cents(lyon_store) == 0


def test_an_order_in_production_can_no_longer_be_cancelled(lyon_store, lyon_owner, flyer):
    order = placed_order(lyon_store, lyon_owner, flyer)
    mark_produced(supplier=flyer.supplier, line=order.lines.get(), actor="supplier")

    with pytest.raises(IllegalTransition):
        orders.cancel_order(order=order, actor=lyon_owner)


def test_the_order_follows_its_lines_to_shipped_then_received(lyon_store, lyon_owner, flyer):
    order = placed_order(lyon_store, lyon_owner, flyer)
    line = order.lines.get()

    mark_shipped(
        supplier=flyer.supplier, line=line, carrier="Colissimo", tracking_number="6A123", actor="s"
    )
    order.refresh_from_db()
    assert order.status == MO.SHIPPED

    order = orders.confirm_receipt(order=order, actor=lyon_owner)

    assert order.status == MO.RECEIVED
    assert list(order.events.values_list("to_status", flat=True)) == [
        MO.PLACED, MO.APPROVED, MO.IN_PRODUCTION, MO.SHIPPED, MO.RECEIVED,
    ]  # fmt: skip
