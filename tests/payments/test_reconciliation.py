"""Reconciliation: the ledger against the provider's records and against itself. The dummy
provider keeps no records, so it is never reconciled against: the report says so."""

import pytest
from django.core.management import CommandError, call_command

from fulfillment.models import Return
from fulfillment.services import (
    LineInspection,
    ReturnRequestLine,
    inspect_return,
    receive_return,
    refund_return,
    request_return,
)
from payments import providers
from payments.models import JournalLine, Transfer
from payments.providers import ChargeResult, RefundResult, TransferResult
from payments.reconciliation import reconcile_payments

from .commission_helpers import Piece, complete, deliver_money_messages, fulfilment_of, paid_order


class RecordingProvider(providers.DummyProvider):
    """The dummy, keeping what it did so that it can be read back like a real provider's."""

    name = "recording"
    keeps_records = True
    charges: dict = {}
    refunds: dict = {}
    transfers: dict = {}

    def charge(self, **kwargs):
        result = super().charge(**kwargs)
        if result.succeeded:
            self.charges[result.reference] = {
                "amount": kwargs["amount_cents"], "refunded": 0, "fee": result.fee_cents,
            }  # fmt: skip
        return result

    def retrieve_charge(self, *, charge_reference):
        held = self.charges.get(charge_reference)
        if held is None:
            return ChargeResult(False, reference=charge_reference, failure_message="Unknown.")
        return ChargeResult(True, reference=charge_reference, amount_cents=held["amount"],
                            refunded_cents=held["refunded"], fee_cents=held["fee"])  # fmt: skip

    def refund(self, *, charge_reference, amount_cents, idempotency_key):
        result = super().refund(charge_reference=charge_reference, amount_cents=amount_cents,
                                idempotency_key=idempotency_key)  # fmt: skip
        if result.reference not in self.refunds:
            self.refunds[result.reference] = amount_cents
            self.charges[charge_reference]["refunded"] += amount_cents
        return result

    def retrieve_refund(self, *, refund_reference):
        amount = self.refunds.get(refund_reference)
        if amount is None:
            return RefundResult(False, reference=refund_reference, failure_message="Unknown.")
        return RefundResult(True, reference=refund_reference, amount_cents=amount)

    def create_transfer(self, **kwargs):
        result = super().create_transfer(**kwargs)
        self.transfers.setdefault(result.reference, {"amount": kwargs["amount_cents"],
                                                     "reversed": 0, "keys": set()})  # fmt: skip
        return result

    def reverse_transfer(self, *, transfer_reference, amount_cents, idempotency_key):
        held = self.transfers[transfer_reference]
        if idempotency_key not in held["keys"]:
            held["keys"].add(idempotency_key)
            held["reversed"] += amount_cents
        return super().reverse_transfer(transfer_reference=transfer_reference,
                                        amount_cents=amount_cents,
                                        idempotency_key=idempotency_key)  # fmt: skip

    def retrieve_transfer(self, *, transfer_reference):
        held = self.transfers.get(transfer_reference)
        if held is None:
            return TransferResult(False, reference=transfer_reference, failure_message="Unknown.")
        return TransferResult(True, reference=transfer_reference, amount_cents=held["amount"],
                              reversed_cents=held["reversed"])  # fmt: skip


class DisagreeingProvider(RecordingProvider):
    """Says every transfer was one cent more than we asked."""

    name = "disagreeing"

    def retrieve_transfer(self, *, transfer_reference):
        theirs = super().retrieve_transfer(transfer_reference=transfer_reference)
        return TransferResult(True, reference=transfer_reference,
                              amount_cents=theirs.amount_cents + 1,
                              reversed_cents=theirs.reversed_cents)  # fmt: skip


@pytest.fixture
def recording(settings, monkeypatch):
    for name, provider in (("recording", RecordingProvider),
                           ("disagreeing", DisagreeingProvider)):  # fmt: skip
        monkeypatch.setitem(providers.PROVIDERS, name, provider)
    RecordingProvider.charges, RecordingProvider.refunds = {}, {}
    RecordingProvider.transfers = {}
    settings.PAYMENT_PROVIDER = "recording"


@pytest.fixture
def sold_and_partly_returned(plan, lyon_store, paris_store, lyon_owner):
    """Paris sold 2 x 20 € to a customer of Lyon; one item came back to Lyon, refunded."""
    order = paid_order(Piece(paris_store, quantity=2, unit_price_cents=2_000),
                       attributed=lyon_store)  # fmt: skip
    fulfilment = complete(fulfilment_of(order, paris_store))
    deliver_money_messages()
    made = request_return(
        order=order, lines=[ReturnRequestLine(fulfilment.lines.get(), 1)],
        reason=Return.Reason.CHANGED_MIND, method=Return.Method.IN_STORE, store=lyon_store,
        actor="customer",
    )  # fmt: skip
    receive_return(return_request=made, store=lyon_store, actor=lyon_owner)
    inspection = LineInspection(made.lines.get(), "resalable", True, 2_000)
    inspect_return(return_request=made, store=lyon_store, actor=lyon_owner,
                   inspections=[inspection])  # fmt: skip
    refund_return(return_request=made, store=lyon_store, actor=lyon_owner)
    deliver_money_messages()
    return order


def test_the_dummy_provider_is_not_reconciled_against_and_the_report_says_so(
    sold_and_partly_returned, capsys
):
    report = reconcile_payments()

    assert not report.provider_checked
    assert report.ok
    call_command("reconcile_payments")
    assert "Cannot reconcile against the dummy provider" in capsys.readouterr().out


def test_a_provider_that_agrees_leaves_no_difference(recording, sold_and_partly_returned):
    report = reconcile_payments()

    assert report.provider_checked
    assert report.checked == {"charges": 1, "refunds": 1, "transfers": 2}
    assert report.differences == []


def test_a_provider_that_disagrees_is_reported_and_the_command_fails(
    recording, sold_and_partly_returned, settings, capsys
):
    settings.PAYMENT_PROVIDER = "disagreeing"

    report = reconcile_payments()

    transfer_ids = sorted(Transfer.objects.values_list("pk", flat=True))
    assert [d.subject.split(" (")[0] for d in report.differences] == [
        f"transfer {pk}" for pk in transfer_ids
    ]
    assert "amount at the provider" in report.differences[0].detail
    with pytest.raises(CommandError, match="2 difference"):
        call_command("reconcile_payments", "--since", "2000-01-01")
    assert "2 difference(s):" in capsys.readouterr().out


def test_a_ledger_line_changed_by_hand_is_reported(sold_and_partly_returned):
    line = JournalLine.objects.filter(entry__reference__startswith="sale:").first()
    JournalLine.objects.filter(pk=line.pk).update(
        debit_cents=line.debit_cents + 100 if line.debit_cents else 0,
        credit_cents=line.credit_cents + 100 if line.credit_cents else 0,
    )

    report = reconcile_payments()

    details = " | ".join(str(d) for d in report.differences)
    assert "unbalanced entries" in details
    assert "trial balance is off" in details
