"""Money between stores: a return taken back by another location and a store-to-store transfer
settle what one store owes the other, by HQ's rules, on both stores' accounts, their
statements and the FEC; money is conserved to the cent (payments/settlement.py)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkout.services import CheckoutLine, CustomerDetails, place_order
from fulfillment.models import Fulfilment, Return
from fulfillment.services import (
    LineInspection,
    ReturnRequestLine,
    accept_fulfilment,
    hand_over,
    inspect_return,
    mark_picked,
    mark_ready_for_pickup,
    mark_uncollected,
    receive_return,
    request_return,
)
from fulfillment.transfers import receive_transfer, ship_transfer
from orders.models import FulfilmentMethod
from payments import ledger
from payments.exports import write_fec
from payments.models import JournalEntry, SettlementPolicy
from payments.selectors import statement
from payments.settlement import (
    HQ,
    SettledLine,
    SettlementRules,
    net_by_party,
    return_settlements,
    transfer_price_cents,
    transfer_settlements,
)
from stores.models import StockLevel
from stores.services import update_offer
from tests.factories import StoreFactory, VariantFactory

from .commission_helpers import Piece, complete, paid_order

RULES = SettlementRules(
    transfer_price_rate_bp=6000, return_handling_fee_cents=300, transfer_handover_fee_cents=150
)
LEA = CustomerDetails(email="lea@example.com", first_name="Léa", last_name="Martin")


# The rules, as pure functions


def test_the_worked_example_of_the_docs():
    # Two drills at 89,90 € sold by Paris, brought back at Lyon, which restocks one.
    settlements = return_settlements(RULES, seller=2, handler=1, restocked=[SettledLine(8990, 1)])
    assert [(s.reason, s.payer, s.payee, s.amount_cents) for s in settlements] == [
        ("handling_fee", 2, 1, 300),
        ("buy_back", 1, 2, 5394),  # 60 % of 89,90 € = 53,94 €
    ]
    assert net_by_party(settlements) == {1: 300 - 5394, 2: 5394 - 300}


def test_a_store_that_takes_back_its_own_return_settles_nothing():
    assert return_settlements(RULES, seller=1, handler=1, restocked=[SettledLine(999, 3)]) == []
    assert return_settlements(RULES, seller=HQ, handler=HQ, restocked=[SettledLine(999, 3)]) == []


def test_the_transfer_price_is_rounded_half_up_per_line():
    rules = SettlementRules(6667, 0, 0)
    # 0,01 € x 3 x 66,67 % = 2.0001 cents -> 2; 1,05 € x 66,67 % = 70.0035 -> 70
    assert transfer_price_cents(rules, [SettledLine(1, 3), SettledLine(105, 1)]) == 72
    assert transfer_price_cents(SettlementRules(5000, 0, 0), [SettledLine(1, 1)]) == 1  # 0.5 up


parties = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
lines = st.lists(
    st.builds(SettledLine, st.integers(min_value=1, max_value=500_000), st.integers(1, 20)),
    max_size=5,
)
rules = st.builds(
    SettlementRules,
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=5_000),
    st.integers(min_value=0, max_value=5_000),
)


@settings(suppress_health_check=[HealthCheck.too_slow])  # nested lists, on a busy machine
@given(rules, st.lists(st.tuples(parties, parties, lines, st.booleans()), max_size=12))
def test_settlements_move_money_between_parties_and_create_none(rules, events):
    everything = []
    for first, second, units, is_return in events:
        if is_return:
            made = return_settlements(rules, seller=first, handler=second, restocked=units)
        else:
            made = transfer_settlements(
                rules, source=first, pickup=second,
                handed_over_for_source=not units, kept_at_pickup=units,
            )  # fmt: skip
        paid_by_customers = sum(unit.unit_price_cents * unit.quantity for unit in units)
        for settlement in made:
            assert settlement.amount_cents > 0
            assert settlement.payer != settlement.payee
            if settlement.reason == "buy_back":
                # Never more than the customer paid for the units.
                assert settlement.amount_cents <= paid_by_customers
        everything += made
    assert sum(net_by_party(everything).values()) == 0


# Booked on the stores' accounts


@pytest.fixture
def rules_of_hq(db):
    policy = SettlementPolicy.current()
    policy.transfer_price_rate_bp, policy.return_handling_fee_cents = 6000, 300
    policy.transfer_handover_fee_cents = 150
    policy.save()
    return policy


def sold_and_brought_back(seller, receiver, actor, *, quantity=2, restock=1, price=8990):
    order = paid_order(Piece(seller, quantity=quantity, unit_price_cents=price))
    fulfilment = order.fulfilments.get()
    complete(fulfilment)
    line = fulfilment.lines.get()
    method = Return.Method.POST if receiver is None else Return.Method.IN_STORE
    made = request_return(
        order=order, lines=[ReturnRequestLine(line, quantity)], reason=Return.Reason.CHANGED_MIND,
        method=method, store=receiver, actor="customer",
    )  # fmt: skip
    receive_return(return_request=made, store=made.store, actor=actor)
    returned = made.lines.get()
    # Restocking is per line: restock all units (`restock` > 0) or none.
    inspect_return(
        return_request=made, store=made.store, actor=actor,
        inspections=[
            LineInspection(returned, "resalable", bool(restock), returned.max_refund_cents)
        ],
    )  # fmt: skip
    return made


def settled(store) -> int:
    from payments.postings.settlements import settled_cents

    return settled_cents(store)


def test_a_return_restocked_by_another_store_is_bought_back_and_its_work_paid(
    plan, rules_of_hq, lyon_store, paris_store, lyon_owner
):
    made = sold_and_brought_back(paris_store, lyon_store, lyon_owner, quantity=2)

    # Lyon restocked both drills: it buys them from Paris at 60 % of 89,90 € each, and Paris
    # pays Lyon 3 € for the work.
    assert settled(lyon_store) == 300 - 2 * 5394
    assert settled(paris_store) == 2 * 5394 - 300
    entry = JournalEntry.objects.get(reference=f"settlement:return:{made.pk}")
    assert entry.journal == "OD"
    assert ledger.unbalanced_entries() == []


def test_a_damaged_return_taken_back_elsewhere_pays_only_the_work(
    plan, rules_of_hq, lyon_store, paris_store, lyon_owner
):
    sold_and_brought_back(paris_store, lyon_store, lyon_owner, restock=0)
    assert settled(lyon_store) == 300
    assert settled(paris_store) == -300


def test_a_store_taking_back_its_own_return_books_no_settlement(
    plan, rules_of_hq, lyon_store, lyon_owner
):
    made = sold_and_brought_back(lyon_store, lyon_store, lyon_owner)
    assert not JournalEntry.objects.filter(reference=f"settlement:return:{made.pk}").exists()


def test_a_return_by_post_goes_back_into_the_networks_stock_at_hqs_cost(
    plan, rules_of_hq, paris_store, warehouse, lyon_owner
):
    sold_and_brought_back(paris_store, None, "hq:warehouse", quantity=1)
    # HQ credits Paris the goods at the transfer price and charges it the handling fee.
    assert settled(paris_store) == 5394 - 300
    assert ledger.account_balance_cents(ledger.NETWORK_STOCK) == 5394
    assert ledger.account_balance_cents(ledger.HANDLING_FEES_EARNED) == 300


def test_settling_twice_books_once(plan, rules_of_hq, lyon_store, paris_store, lyon_owner):
    from payments.postings import settle_return

    made = sold_and_brought_back(paris_store, lyon_store, lyon_owner, quantity=1)
    assert settle_return(return_request=made, actor="test") == []
    assert JournalEntry.objects.filter(reference__startswith="settlement:").count() == 1
    assert settled(lyon_store) == 300 - 5394


def test_the_settlement_lines_are_on_both_statements_and_in_the_fec(
    plan, rules_of_hq, lyon_store, paris_store, lyon_owner
):
    made = sold_and_brought_back(paris_store, lyon_store, lyon_owner, quantity=1)
    today = timezone.localdate()

    lyon = statement(store=lyon_store, start=today, end=today)
    words = [line.label for line in lyon.lines]
    assert any(w.startswith("Articles d\u2019un autre magasin que vous gardez") for w in words)
    assert f"retour {made.number}" in " ".join(words)
    assert lyon.closing_cents == ledger.store_balance_cents(lyon_store) == 300 - 5394
    paris = statement(store=paris_store, start=today, end=today)
    assert paris.closing_cents == ledger.store_balance_cents(paris_store)
    assert sum(line.credit_cents - line.debit_cents for line in paris.lines) == (
        paris.closing_cents - paris.opening_cents
    )

    fec = io.StringIO()
    write_fec(fec, start=today, end=today)
    settlement_rows = [row for row in fec.getvalue().splitlines() if "settlement:return" in row]
    assert len(settlement_rows) == 4  # two settlements, two lines each


# Store-to-store transfers


@pytest.fixture
def transfer_network(db, plan, rules_of_hq, lyon_store):
    villeurbanne = StoreFactory(
        name="Ardoise Villeurbanne Gratte-Ciel", slug="villeurbanne-gc",
        latitude=Decimal("45.771900"), longitude=Decimal("4.890200"),
    )  # fmt: skip
    secateur = VariantFactory(sku="ARD-SEC-01", rrp_cents=2990)
    for store, units in ((lyon_store, 0), (villeurbanne, 5)):
        update_offer(store=store, variant=secateur, on_hand=units, source="system", actor="hq")
        StockLevel.objects.filter(store=store, variant=secateur).update(safety_stock=0)
    return lyon_store, villeurbanne, secateur


def arrived_transfer(network) -> tuple[Fulfilment, object]:
    lyon, villeurbanne, secateur = network
    order = place_order(
        customer=LEA, actor="test", payment_token="tok_visa",
        lines=[CheckoutLine(variant=secateur, quantity=1, method=FulfilmentMethod.CLICK_COLLECT,
                            store=lyon)],
    )  # fmt: skip
    fulfilment = Fulfilment.objects.get(order=order)
    assert (fulfilment.store, fulfilment.pickup_store) == (villeurbanne, lyon)
    accept_fulfilment(fulfilment=fulfilment, actor="test", at_store=villeurbanne)
    mark_picked(fulfilment=fulfilment, actor="test", at_store=villeurbanne)
    ship_transfer(fulfilment=fulfilment, actor="test", at_store=villeurbanne)
    receive_transfer(fulfilment=fulfilment, actor="test", at_store=lyon)
    return fulfilment, mark_ready_for_pickup(fulfilment=fulfilment, actor="test", at_store=lyon)


def test_a_transfer_handed_over_pays_the_pickup_store_its_handover(transfer_network):
    lyon, villeurbanne, _secateur = transfer_network
    _fulfilment, ready = arrived_transfer(transfer_network)
    hand_over(fulfilment=ready.fulfilment, code=ready.pickup_code, actor="test", at_store=lyon)

    assert settled(lyon) == 150
    assert settled(villeurbanne) == -150


def test_a_transfer_not_collected_leaves_the_units_bought_by_the_pickup_store(transfer_network):
    lyon, villeurbanne, _secateur = transfer_network
    fulfilment, ready = arrived_transfer(transfer_network)
    mark_uncollected(fulfilment=ready.fulfilment, now=timezone.now() + timedelta(days=30))

    fulfilment.refresh_from_db()
    assert fulfilment.status == Fulfilment.Status.UNCOLLECTED
    # The secateur (29,90 €) stays on sale at Lyon: Lyon pays Villeurbanne 60 % of it.
    assert settled(lyon) == -1794
    assert settled(villeurbanne) == 1794
    assert ledger.unbalanced_entries() == []


# Random sequences (acceptance 3)

stores_st = st.sampled_from(["lyon", "paris", "marseille", "branch", "warehouse"])


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.tuples(stores_st, stores_st, st.integers(1, 3), st.integers(1, 20_000), st.booleans()),
        min_size=1,
        max_size=4,
    )
)
def test_random_sales_and_returns_elsewhere_keep_the_books_balanced(
    django_db_setup, django_db_blocker, events
):
    """For random sales and returns taken back anywhere (restocked or not), the ledger balances
    and each store's balance is the sum of its lines on its statement."""
    from django.db import transaction

    from stores.models import Store

    with django_db_blocker.unblock(), transaction.atomic():
        plan_rate = Decimal("12.00")
        from payments.models import CommissionPlan

        CommissionPlan.objects.update_or_create(pk=1, defaults={"default_rate_percent": plan_rate})
        locations = {
            "lyon": StoreFactory(slug="seq-lyon"),
            "paris": StoreFactory(slug="seq-paris"),
            "marseille": StoreFactory(slug="seq-marseille"),
            "branch": StoreFactory(slug="seq-branch", kind=Store.Kind.BRANCH),
            "warehouse": StoreFactory(slug="seq-warehouse", kind=Store.Kind.WAREHOUSE),
        }
        for seller, receiver, quantity, price, restock in events:
            sold_and_brought_back(
                locations[seller], locations[receiver], "test",
                quantity=quantity, price=price, restock=int(restock),
            )  # fmt: skip
        assert ledger.unbalanced_entries() == []
        assert sum(ledger.trial_balance().values()) == 0
        today = timezone.localdate()
        for store in locations.values():
            stmt = statement(store=store, start=today, end=today)
            assert stmt.opening_cents == 0
            assert stmt.closing_cents == ledger.store_balance_cents(store)
            assert sum(line.credit_cents - line.debit_cents for line in stmt.lines) == (
                stmt.closing_cents
            )
        # Settlements alone move money between parties without making or losing any.
        from payments.models import JournalLine

        settlement_lines = JournalLine.objects.filter(entry__reference__startswith="settlement:")
        assert sum(line.debit_cents - line.credit_cents for line in settlement_lines) == 0
        transaction.set_rollback(True)


def test_the_rules_are_hqs_to_set(rules_of_hq, lyon_store, paris_store, lyon_owner, plan):
    rules_of_hq.transfer_price_rate_bp, rules_of_hq.return_handling_fee_cents = 10_000, 0
    rules_of_hq.save()
    sold_and_brought_back(paris_store, lyon_store, lyon_owner, quantity=1, price=1000)
    assert settled(lyon_store) == -1000
    assert settled(paris_store) == 1000
