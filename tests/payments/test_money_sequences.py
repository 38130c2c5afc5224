"""Random sequences over place -> complete -> partial returns: the ledger balances after every
operation, it agrees with our records (reconciliation), no refund takes back more than was
split or transferred, and at the end the customer's money is exactly accounted for."""

import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from fulfillment.models import Return
from fulfillment.services import (
    LineInspection,
    ReturnRequestLine,
    inspect_return,
    receive_return,
    refund_return,
    request_return,
)
from fulfillment.states import COMPLETED_STATUSES
from payments import ledger
from payments.models import CommissionPlan, CommissionRate, Payment, Refund, SaleSplit, Transfer
from payments.reconciliation import reconcile_payments

from .commission_helpers import M, Piece, complete, deliver_money_messages, paid_order


def check_books():
    deliver_money_messages()
    report = reconcile_payments()
    assert report.differences == []
    for split in SaleSplit.objects.annotate(back=Sum("reversals__gross_cents")):
        assert (split.back or 0) <= split.gross_cents
    for transfer in Transfer.objects.all():
        assert 0 <= transfer.reversed_cents <= transfer.amount_cents


@pytest.mark.parametrize("seed", range(6))
def test_the_ledger_balances_after_every_step_of_a_random_order(
    seed, lyon_store, paris_store, marseille_store, villeurbanne_branch, warehouse, lyon_owner
):
    rng = random.Random(seed)  # noqa: S311 (a reproducible test sequence, not a secret)
    plan = CommissionPlan.current()
    plan.default_rate_percent = Decimal(rng.randint(0, 3000)) / 100
    plan.catchment_share_percent = Decimal(rng.choice([0, 10, 25, 50]))
    plan.fixed_fee_cents = rng.choice([0, 50, 99])
    plan.save()
    stores = [lyon_store, paris_store, marseille_store, villeurbanne_branch, warehouse]
    CommissionRate.objects.create(store=rng.choice(stores[:3]), rate_percent=rng.randint(0, 40))
    pieces = [
        Piece(rng.choice(stores), quantity=rng.randint(1, 3),
              unit_price_cents=rng.randint(1, 20_000),
              method=rng.choice([M.CLICK_COLLECT, M.HOME_DELIVERY]))
        for _ in range(rng.randint(1, 5))
    ]  # fmt: skip
    shipping = rng.choice([0, 490]) if any(p.method == M.HOME_DELIVERY for p in pieces) else 0
    order = paid_order(*pieces, attributed=rng.choice([None, *stores]), shipping_cents=shipping)
    paid = Payment.objects.get(order=order).amount_cents
    check_books()

    fulfilments = list(order.fulfilments.all())
    rng.shuffle(fulfilments)
    for fulfilment in fulfilments:
        complete(fulfilment)
        check_books()
    assert ledger.account_balance_cents(ledger.CUSTOMER_PREPAYMENTS) == 0
    assert sum(split.gross_cents for split in SaleSplit.objects.all()) == paid

    for _step in range(rng.randint(1, 3)):
        returnable = [
            (line, line.quantity - sum(r.quantity for r in line.return_lines.all()))
            for fulfilment in order.fulfilments.filter(status__in=COMPLETED_STATUSES)
            for line in fulfilment.lines.select_related("order_line")
        ]
        returnable = [(line, left) for line, left in returnable if left > 0]
        if not returnable:
            break
        line, left = rng.choice(returnable)
        made = request_return(
            order=order, lines=[ReturnRequestLine(line, rng.randint(1, left))],
            reason=Return.Reason.CHANGED_MIND, method=Return.Method.IN_STORE, store=lyon_store,
            actor="customer",
        )  # fmt: skip
        receive_return(return_request=made, store=lyon_store, actor=lyon_owner)
        returned = made.lines.get()
        inspect_return(
            return_request=made, store=lyon_store, actor=lyon_owner,
            inspections=[LineInspection(returned, "resalable", True,
                                        rng.randint(0, returned.max_refund_cents))],
        )  # fmt: skip
        refund_return(return_request=made, store=lyon_store, actor=lyon_owner)
        check_books()

    refunded = Refund.objects.filter(order=order).aggregate(total=Sum("amount_cents"))["total"]
    fee = ledger.account_balance_cents(ledger.PROVIDER_FEES)
    at_provider = ledger.account_balance_cents(ledger.PLATFORM_BALANCE) + sum(
        ledger.account_balance_cents(ledger.STORE_PROVIDER_BALANCE, store_id=store.pk)
        for store in stores
    )
    assert at_provider == paid - fee - (refunded or 0)
