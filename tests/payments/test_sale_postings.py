"""Every money event is a balanced entry booked with the business change: the capture and its
fee, the sale's split when the goods leave, the transfers to the stores' accounts, a return's
refund reversing the right amounts on the right store, and a cancellation's plain refund."""

from decimal import Decimal

import pytest

from checkout.services import CheckoutLine, CustomerDetails, place_order
from fulfillment.models import Return
from fulfillment.services import (
    LineInspection,
    ReturnRequestLine,
    accept_fulfilment,
    cancel_fulfilment,
    hand_over,
    inspect_return,
    mark_picked,
    mark_ready_for_pickup,
    receive_return,
    refund_return,
    request_return,
)
from orders.models import FulfilmentMethod
from payments import ledger, providers
from payments.models import (
    JournalEntry,
    Payment,
    SaleSplit,
    SplitReversal,
    Transfer,
    TransferReversal,
)
from payments.postings import record_sale, send_transfer
from payments.providers import ProviderUnavailable, dummy_fee

from .commission_helpers import (
    M,
    Piece,
    assert_ledger_balanced,
    complete,
    deliver_money_messages,
    fulfilment_of,
    held_for_customers,
    in_account_of,
    owed_to,
    paid_order,
)

LEA = CustomerDetails(
    email="lea@example.com", first_name="Léa", last_name="Martin", postal_code="69002",
    city="Lyon",
)  # fmt: skip


@pytest.fixture
def three_store_order(plan, lyon_store, paris_store, marseille_store, stocked):
    """Léa (local store: Lyon) buys for click & collect 2 x 15 € in Lyon, 2 x 20 € in Paris and
    1 x 50 € in Marseille, through the real checkout: 120 € paid online."""
    lyon_store.catchment_postal_codes = ["69002"]
    lyon_store.save(update_fields=["catchment_postal_codes"])
    lines = [
        CheckoutLine(stocked(lyon_store, price=1500), 2, M.CLICK_COLLECT, lyon_store),
        CheckoutLine(stocked(paris_store, price=2000), 2, M.CLICK_COLLECT, paris_store),
        CheckoutLine(stocked(marseille_store, price=5000), 1, M.CLICK_COLLECT, marseille_store),
    ]
    order = place_order(customer=LEA, lines=lines, actor="customer", payment_token="tok_visa")
    assert order.attributed_store == lyon_store
    return order


def collect(fulfilment, actor="store:desk"):
    accept_fulfilment(fulfilment=fulfilment, actor=actor)
    mark_picked(fulfilment=fulfilment, actor=actor)
    ready = mark_ready_for_pickup(fulfilment=fulfilment, actor=actor)
    return hand_over(fulfilment=ready.fulfilment, code=ready.pickup_code, actor=actor)


def test_a_captured_payment_is_held_for_the_customer_and_its_fee_is_hqs_expense(three_store_order):
    payment = Payment.objects.get(order=three_store_order)

    assert held_for_customers() == 12_000
    assert ledger.account_balance_cents(ledger.PLATFORM_BALANCE) == 12_000 - dummy_fee(12_000)
    assert ledger.account_balance_cents(ledger.PROVIDER_FEES) == dummy_fee(12_000) == 205
    assert (
        JournalEntry.objects.filter(
            reference__in=[f"capture:payment:{payment.pk}", f"fee:payment:{payment.pk}"],
            journal="BQ",
        ).count()
        == 2
    )
    assert_ledger_balanced()


def test_each_stores_completion_transfers_it_its_net_and_the_catchment_store_its_share(
    three_store_order, lyon_store, paris_store, marseille_store
):
    order = three_store_order
    expected = {  # store: (net, catchment share given to Lyon)
        lyon_store: (3_000 - 360 - 72, 0),
        paris_store: (4_000 - 480 - 96, 120),
        marseille_store: (5_000 - 600 - 120, 150),
    }
    catchment_so_far = 0
    for store, (net, catchment) in expected.items():
        fulfilment = fulfilment_of(order, store)

        collect(fulfilment)
        deliver_money_messages()

        sale = Transfer.objects.get(fulfilment=fulfilment, kind=Transfer.Kind.SALE)
        assert (sale.store, sale.amount_cents, sale.status) == (store, net, Transfer.Status.PAID)
        assert sale.idempotency_key == f"transfer:fulfilment:{fulfilment.pk}"
        catchment_so_far += catchment
        shares = Transfer.objects.filter(fulfilment=fulfilment, kind=Transfer.Kind.CATCHMENT)
        assert [(t.store, t.amount_cents) for t in shares] == (
            [(lyon_store, catchment)] if catchment else []
        )
        assert in_account_of(store) == net + (catchment_so_far if store == lyon_store else 0)
        assert JournalEntry.objects.get(reference=f"sale:fulfilment:{fulfilment.pk}").store == store
        assert_ledger_balanced()

    assert owed_to(lyon_store) == 2_568 + 120 + 150
    assert (owed_to(paris_store), owed_to(marseille_store)) == (3_424, 4_280)
    assert ledger.account_balance_cents(ledger.COMMISSION_REVENUE) == 1_440 - 270
    assert ledger.account_balance_cents(ledger.VAT_COLLECTED) == 288
    assert held_for_customers() == 0


def test_a_partial_return_reverses_the_right_amounts_on_the_right_store(
    three_store_order, lyon_store, paris_store, marseille_store, lyon_owner
):
    order = three_store_order
    for store in (lyon_store, paris_store, marseille_store):
        collect(fulfilment_of(order, store))
    deliver_money_messages()
    paris_line = fulfilment_of(order, paris_store).lines.get()

    # One of the two Paris items comes back to the Lyon store and is refunded in full.
    made = request_return(
        order=order, lines=[ReturnRequestLine(paris_line, 1)], reason=Return.Reason.CHANGED_MIND,
        method=Return.Method.IN_STORE, store=lyon_store, actor="customer",
    )  # fmt: skip
    receive_return(return_request=made, store=lyon_store, actor=lyon_owner)
    line = made.lines.get()
    inspect_return(return_request=made, store=lyon_store, actor=lyon_owner,
                   inspections=[LineInspection(line, "resalable", True, 2_000)])  # fmt: skip
    refund_return(return_request=made, store=lyon_store, actor=lyon_owner)
    deliver_money_messages()

    reversal = SplitReversal.objects.get()
    assert (reversal.split.seller_store, reversal.gross_cents) == (paris_store, 2_000)
    assert (reversal.net_cents, reversal.commission_cents, reversal.commission_vat_cents,
            reversal.catchment_cents) == (1_712, 240, 48, 60)  # fmt: skip
    reversed_transfers = {
        (r.transfer.store, r.transfer.kind): r.amount_cents
        for r in TransferReversal.objects.select_related("transfer")
    }
    assert reversed_transfers == {
        (paris_store, Transfer.Kind.SALE): 1_712,
        (lyon_store, Transfer.Kind.CATCHMENT): 60,
    }
    assert all(r.status == TransferReversal.Status.DONE for r in TransferReversal.objects.all())
    # Lyon restocked Paris's item: it buys it at the transfer price (60 % of 20,00 €) and Paris
    # pays it the 3,00 € handling fee (docs/settlement.md), on their accounts, not at the provider.
    settled = 1_200 - 300
    assert (owed_to(paris_store), in_account_of(paris_store)) == (1_712 + settled, 1_712)
    assert owed_to(marseille_store) == 4_280
    assert owed_to(lyon_store) == 2_568 + 120 - 60 + 150 - settled
    assert ledger.account_balance_cents(ledger.COMMISSION_REVENUE) == 1_170 - 180
    assert held_for_customers() == 0
    assert ledger.account_balance_cents(ledger.PLATFORM_BALANCE) == (
        12_000 - 205 - 2_000 - (2_568 + 3_424 + 4_280 + 120 + 150) + 1_712 + 60
    )
    assert Transfer.objects.get(store=paris_store).status == Transfer.Status.PARTIALLY_REVERSED
    assert_ledger_balanced()


def test_completing_twice_and_running_the_transfer_twice_books_once(plan, paris_store):
    order = paid_order(Piece(paris_store, quantity=1, unit_price_cents=10_000))
    fulfilment = complete(fulfilment_of(order, paris_store))

    again = record_sale(fulfilment=fulfilment, actor="store:retry")
    deliver_money_messages()
    transfer = Transfer.objects.get()
    send_transfer(type("Message", (), {"payload": {"transfer": transfer.pk}})())

    assert [split.pk for split in again] == list(SaleSplit.objects.values_list("pk", flat=True))
    assert Transfer.objects.count() == 1
    assert JournalEntry.objects.filter(reference__startswith="sale:").count() == 1
    assert JournalEntry.objects.filter(reference__startswith="transfer:").count() == 1
    assert in_account_of(paris_store) == 10_000 - 1_200 - 240


class ProviderDown(providers.DummyProvider):
    name = "down"

    def create_transfer(self, **kwargs):
        raise ProviderUnavailable("timeout")


def test_a_transfer_the_provider_cannot_take_now_is_retried_and_booked_once_made(
    plan, paris_store, settings, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from network_marketplace.outbox import deliver_due_messages

    monkeypatch.setitem(providers.PROVIDERS, "down", ProviderDown)
    order = paid_order(Piece(paris_store, unit_price_cents=10_000))
    settings.PAYMENT_PROVIDER = "down"
    complete(fulfilment_of(order, paris_store))

    deliver_money_messages()
    assert Transfer.objects.get().status == Transfer.Status.PENDING
    assert in_account_of(paris_store) == 0

    settings.PAYMENT_PROVIDER = "dummy"
    deliver_due_messages(now=timezone.now() + timedelta(hours=2))
    assert Transfer.objects.get().status == Transfer.Status.PAID
    assert in_account_of(paris_store) == 8_560


def test_hqs_own_warehouse_sale_is_booked_as_hqs_with_the_catchment_share_as_its_expense(
    plan, warehouse, lyon_store
):
    order = paid_order(
        Piece(warehouse, quantity=2, unit_price_cents=6_000, method=M.HOME_DELIVERY),
        attributed=lyon_store, shipping_cents=490,
    )  # fmt: skip
    fulfilment = complete(fulfilment_of(order, warehouse, M.HOME_DELIVERY))
    deliver_money_messages()

    goods_vat, delivery_vat = 2_000, 82
    assert ledger.account_balance_cents(ledger.HQ_GOODS_SALES) == 12_000 - goods_vat
    assert ledger.account_balance_cents(ledger.HQ_DELIVERY_SALES) == 490 - delivery_vat
    assert ledger.account_balance_cents(ledger.VAT_COLLECTED) == goods_vat + delivery_vat
    assert ledger.account_balance_cents(ledger.COMMISSION_REVENUE) == 0
    # Lyon would have paid 12 % on 120 €: a quarter of it is its share, HQ's expense.
    assert ledger.account_balance_cents(ledger.CATCHMENT_EXPENSE) == 360
    assert [(t.store, t.kind, t.amount_cents) for t in Transfer.objects.all()] == [
        (lyon_store, Transfer.Kind.CATCHMENT, 360)
    ]
    assert owed_to(warehouse) == 0
    assert SaleSplit.objects.filter(fulfilment=fulfilment, kind="delivery").get().gross_cents == 490
    assert_ledger_balanced()


def test_a_line_cancelled_before_the_goods_left_is_only_refunded(plan, paris_store):
    order = paid_order(Piece(paris_store, quantity=3, unit_price_cents=1_000))

    cancel_fulfilment(fulfilment=fulfilment_of(order, paris_store), actor="hq", reason="damaged")
    deliver_money_messages()

    assert not SaleSplit.objects.exists()
    assert not Transfer.objects.exists()
    assert held_for_customers() == 0
    assert ledger.account_balance_cents(ledger.PLATFORM_BALANCE) == -dummy_fee(3_000)
    assert_ledger_balanced()


def test_reserve_and_collect_is_paid_in_store_and_books_nothing(plan, paris_store):
    order = paid_order(Piece(paris_store, method=M.RESERVE_COLLECT))

    complete(fulfilment_of(order, paris_store, FulfilmentMethod.RESERVE_COLLECT))

    assert not JournalEntry.objects.exists()
    assert not Transfer.objects.exists()


def test_a_store_that_serves_its_own_catchment_keeps_no_share_apart(plan, lyon_store):
    order = paid_order(Piece(lyon_store, unit_price_cents=10_000), attributed=lyon_store)

    complete(fulfilment_of(order, lyon_store))

    split = SaleSplit.objects.get()
    assert (split.catchment_cents, split.commission_cents, split.rate_percent) == (
        0, 1_200, Decimal("12.00"),
    )  # fmt: skip


def test_a_reversal_waits_for_its_transfer_to_be_made(plan, paris_store, lyon_store, lyon_owner,
                                                      settings, monkeypatch):  # fmt: skip
    from datetime import timedelta

    from django.utils import timezone

    from network_marketplace.outbox import deliver_due_messages

    monkeypatch.setitem(providers.PROVIDERS, "down", ProviderDown)
    order = paid_order(Piece(paris_store, quantity=2, unit_price_cents=5_000))
    settings.PAYMENT_PROVIDER = "down"
    fulfilment = complete(fulfilment_of(order, paris_store))
    made = request_return(
        order=order, lines=[ReturnRequestLine(fulfilment.lines.get(), 1)],
        reason=Return.Reason.CHANGED_MIND, method=Return.Method.IN_STORE, store=lyon_store,
        actor="customer",
    )  # fmt: skip
    receive_return(return_request=made, store=lyon_store, actor=lyon_owner)
    inspection = LineInspection(made.lines.get(), "resalable", True, 5_000)
    inspect_return(return_request=made, store=lyon_store, actor=lyon_owner,
                   inspections=[inspection])  # fmt: skip
    refund_return(return_request=made, store=lyon_store, actor=lyon_owner)
    deliver_money_messages()
    assert TransferReversal.objects.get().status == TransferReversal.Status.PENDING

    settings.PAYMENT_PROVIDER = "dummy"
    for hours in (2, 6, 12):
        deliver_due_messages(now=timezone.now() + timedelta(hours=hours))

    assert TransferReversal.objects.get().status == TransferReversal.Status.DONE
    kept = (10_000 - 1_200 - 240) // 2
    assert in_account_of(paris_store) == kept
    # Lyon restocked the unit: it buys it from Paris at 60 % of 50,00 €, less the 3,00 € fee
    # Paris pays for the work (docs/settlement.md), on the accounts, not at the provider.
    assert owed_to(paris_store) == kept + 3_000 - 300
    assert_ledger_balanced()
