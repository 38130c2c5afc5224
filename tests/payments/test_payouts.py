"""Payouts: each store is paid its available balance once per period; what may still be
refunded is held back; a store whose account can't be paid is flagged; a failed payout gives
the money back to the balance and is retried as a new attempt."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from fulfillment.models import Return
from fulfillment.services import request_return
from network_marketplace.errors import IllegalTransition
from network_marketplace.models import AuditEvent, OutboxMessage
from network_marketplace.outbox import deliver_due_messages
from payments import ledger, payouts
from payments.models import JournalEntry, Payout, PayoutEvent, PayoutPolicy
from payments.providers import DummyProvider, PayoutResult, ProviderUnavailable
from tests.fulfillment.returns_helpers import Sold, all_of, received_order

from .money_helpers import book_marketing_charge, book_sale, open_account

P = Payout.Status
TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))  # a Tuesday, ISO week 49


class RecordingProvider(DummyProvider):
    """The dummy, remembering every payout asked: one payout per idempotency key, like a
    real provider, however often it is asked."""

    calls: list[dict] = []
    refuse = False
    unavailable = False

    def create_payout(self, *, account_reference, amount_cents, currency, idempotency_key):
        if self.unavailable:
            raise ProviderUnavailable("timeout")
        RecordingProvider.calls.append(
            {"account": account_reference, "amount": amount_cents, "key": idempotency_key}
        )
        if self.refuse:
            return PayoutResult(False, failure_message="Bank account closed.")
        return super().create_payout(
            account_reference=account_reference, amount_cents=amount_cents,
            currency=currency, idempotency_key=idempotency_key,
        )  # fmt: skip


@pytest.fixture
def provider(monkeypatch):
    RecordingProvider.calls = []
    RecordingProvider.refuse = False
    RecordingProvider.unavailable = False
    monkeypatch.setattr("payments.payouts.get_provider", RecordingProvider)
    return RecordingProvider


@pytest.fixture
def paid_accounts(lyon_store, paris_store):
    open_account(lyon_store)
    open_account(paris_store)


def run(**kwargs):
    """The beat job on a payout day, then the outbox worker's delivery to the provider."""
    report = payouts.run_payouts(now=TUESDAY, **kwargs)
    deliver_due_messages(kinds=[payouts.PAYOUT_KIND])
    return report


def test_a_store_is_paid_its_balance_and_the_money_leaves_its_connected_account(
    lyon_store, paid_accounts, provider
):
    # Given a sale of 100 € of which the store is owed 82 €
    book_sale(lyon_store, gross=10_000, commission=1_500)
    assert ledger.store_balance_cents(lyon_store) == 8_200

    # When the payout job runs on the payout day
    report = run()

    # Then the store is paid 82 €, booked BQ Dr 467100 / Cr 512200, and the provider paid it
    payout = Payout.objects.get(store=lyon_store)
    assert report.paid == [payout.pk]
    assert (payout.amount_cents, payout.period_key, payout.status) == (8_200, "2026-W49", P.PAID)
    assert payout.idempotency_key == f"payout:{lyon_store.pk}:2026-W49"
    entry = JournalEntry.objects.get(reference=f"payout:{payout.pk}")
    assert entry.journal == "BQ"
    assert {(ln.account.code, ln.debit_cents, ln.credit_cents) for ln in entry.lines.all()} == {
        (ledger.STORE_PAYABLE, 8_200, 0),
        (ledger.STORE_PROVIDER_BALANCE, 0, 8_200),
    }
    assert ledger.store_balance_cents(lyon_store) == 0
    assert ledger.account_balance_cents(ledger.STORE_PROVIDER_BALANCE, store_id=lyon_store.pk) == 0
    assert provider.calls == [
        {"account": f"dummy_acct_{lyon_store.slug}", "amount": 8_200, "key": payout.idempotency_key}
    ]
    assert list(payout.events.values_list("from_status", "to_status")) == [
        ("", P.PENDING), (P.PENDING, P.PAID),
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="payout.created", store_id=lyon_store.pk).exists()


def test_running_the_payout_job_twice_pays_each_store_once(
    lyon_store, paris_store, paid_accounts, provider
):
    book_sale(lyon_store, gross=10_000)
    book_sale(paris_store, gross=5_000, commission=500)

    first = run()
    book_sale(lyon_store, gross=3_000, commission=300)  # sold after the first run
    second = run()

    assert len(first.paid) == 2
    assert second.paid == []
    assert sorted(second.already_paid) == sorted([lyon_store.pk, paris_store.pk])
    assert Payout.objects.count() == 2
    assert len(provider.calls) == 2
    assert JournalEntry.objects.filter(reference__startswith="payout:").count() == 2
    assert OutboxMessage.objects.filter(kind=payouts.PAYOUT_KIND).count() == 2
    # The later sale waits for next week's payout
    assert ledger.store_balance_cents(lyon_store) == 3_000 - 300 - 60


def test_a_repeated_delivery_of_the_outbox_message_asks_the_provider_with_the_same_key(
    lyon_store, paid_accounts, provider
):
    # Given a payout whose first delivery reached the provider but the worker died after
    book_sale(lyon_store)
    provider.unavailable = True
    run()
    payout = Payout.objects.get()
    assert payout.status == P.PENDING  # the provider did not answer: the outbox retries

    # When the outbox delivers it again (twice, as after a lost lease)
    provider.unavailable = False
    message = OutboxMessage.objects.get(kind=payouts.PAYOUT_KIND)
    payouts.send_payout_to_provider(message)
    payouts.send_payout_to_provider(message)

    # Then the provider was asked once, with the payout's key, and the payout is paid
    assert [call["key"] for call in provider.calls] == [payout.idempotency_key]
    assert Payout.objects.get().status == P.PAID


def test_marketing_charges_already_reduce_what_a_store_is_paid(lyon_store, paid_accounts, provider):
    book_sale(lyon_store, gross=10_000, commission=1_500)  # owed 8 200
    book_marketing_charge(lyon_store, amount_excl=2_000)  # 2 400 incl. VAT

    run()

    assert Payout.objects.get().amount_cents == 8_200 - 2_400


def test_the_refundable_value_of_open_returns_and_of_sales_in_their_withdrawal_period_is_held(
    lyon_store, paid_accounts, provider, time_machine
):
    # The sales' days are counted back from the payout run's Tuesday, not from today: from
    # today, from 7 December on, the sale of 20 days ago was still in its period that Tuesday.
    time_machine.move_to(TUESDAY, tick=False)
    # Given a store owed 200 €, a sale of 30 € received 2 days ago (still returnable), a
    # sale of 50 € received 20 days ago (period over) and a return in progress of 40 €
    book_sale(lyon_store, gross=20_000, commission=0)
    received_order(Sold(lyon_store, unit_price_cents=3_000), received_days_ago=2)
    received_order(Sold(lyon_store, unit_price_cents=5_000), received_days_ago=20)
    returned = received_order(Sold(lyon_store, unit_price_cents=4_000), received_days_ago=1)
    request_return(
        order=returned, lines=all_of(returned), reason=Return.Reason.CHANGED_MIND,
        method=Return.Method.IN_STORE, store=lyon_store, actor="customer",
    )  # fmt: skip

    # When the payout job runs (now)
    run(force=True)

    # Then 70 € is held back, with the reason, and 130 € paid
    payout = Payout.objects.get()
    assert payout.reserve_cents == 3_000 + 4_000
    assert payout.reserve_detail == {
        "open_returns_cents": 4_000, "open_returns_count": 1,
        "withdrawal_cents": 3_000, "withdrawal_sales_count": 1,
    }  # fmt: skip
    assert payout.amount_cents == 20_000 - 7_000


def test_hq_may_pay_out_without_holding_back_withdrawal_periods(
    lyon_store, paid_accounts, provider
):
    PayoutPolicy.objects.update_or_create(pk=1, defaults={"hold_withdrawal_period": False})
    book_sale(lyon_store, gross=20_000, commission=0)
    received_order(Sold(lyon_store, unit_price_cents=3_000), received_days_ago=2)

    run(force=True)

    assert Payout.objects.get().amount_cents == 20_000


def test_a_store_whose_account_has_requirements_past_due_is_flagged_and_not_paid(
    lyon_store, paris_store, provider
):
    open_account(lyon_store, past_due=["external_account"])
    open_account(paris_store)
    book_sale(lyon_store)
    book_sale(paris_store)

    report = run()

    assert report.flagged == [lyon_store.pk]
    assert list(Payout.objects.values_list("store_id", flat=True)) == [paris_store.pk]
    flag = AuditEvent.objects.get(action="payout.blocked")
    assert flag.store_id == lyon_store.pk
    assert "external_account" in flag.data["reason"]


def test_a_balance_below_the_minimum_waits_for_a_later_payout(lyon_store, paid_accounts, provider):
    PayoutPolicy.objects.update_or_create(pk=1, defaults={"minimum_payout_cents": 5_000})
    book_sale(lyon_store, gross=4_000, commission=0)

    report = run()

    assert report.below_minimum == [lyon_store.pk]
    assert not Payout.objects.exists()


@pytest.mark.parametrize(
    ("frequency", "day", "pays", "key"),
    [
        ("weekly", date(2026, 12, 1), True, "2026-W49"),
        ("weekly", date(2026, 12, 2), False, "2026-W49"),
        ("monthly", date(2026, 12, 1), True, "2026-12"),
        ("monthly", date(2026, 12, 8), False, "2026-12"),
        ("daily", date(2026, 12, 2), True, "2026-12-02"),
    ],
    ids=["weekly-on-tuesday", "weekly-wednesday", "monthly-on-the-1st", "monthly-other-day",
         "daily"],
)  # fmt: skip
def test_the_payout_days_and_periods_follow_hq_policy(db, frequency, day, pays, key):
    policy = PayoutPolicy(frequency=frequency, weekday=PayoutPolicy.Weekday.TUESDAY)

    assert payouts.is_payout_day(policy, day) is pays
    assert payouts.period_key(policy, day) == key


def test_no_store_is_paid_on_a_day_that_is_not_a_payout_day(lyon_store, paid_accounts, provider):
    book_sale(lyon_store)

    report = payouts.run_payouts(now=TUESDAY + timedelta(days=1))

    assert report.not_a_payout_day
    assert not Payout.objects.exists()


def test_a_refused_payout_gives_the_money_back_and_hq_retries_it_as_a_new_attempt(
    lyon_store, paid_accounts, provider, hq_admin
):
    # Given a payout the provider refuses
    book_sale(lyon_store, gross=10_000, commission=1_500)
    provider.refuse = True
    run()
    failed = Payout.objects.get()

    # Then it is failed and its amount is owed to the store again
    assert failed.status == P.FAILED
    assert failed.failure_message == "Bank account closed."
    assert ledger.store_balance_cents(lyon_store) == 8_200
    assert JournalEntry.objects.filter(reference=f"payout:{failed.pk}:failed").exists()
    # And the next run of the period does not repeat it on its own
    assert run().paid == []

    # When HQ retries it once the bank account is fixed
    provider.refuse = False
    retry = payouts.retry_payout(payout=failed, actor=hq_admin)
    deliver_due_messages(kinds=[payouts.PAYOUT_KIND])
    retry.refresh_from_db()

    # Then a second attempt with its own key pays the store once
    assert (retry.attempt, retry.status, retry.amount_cents) == (2, P.PAID, 8_200)
    assert retry.idempotency_key == f"{failed.idempotency_key}:2"
    assert ledger.store_balance_cents(lyon_store) == 0
    with pytest.raises(payouts.PayoutNotAllowed):
        payouts.retry_payout(payout=failed, actor=hq_admin)


def test_the_provider_s_events_confirm_or_fail_a_payout_once(lyon_store, paid_accounts, provider):
    book_sale(lyon_store)
    run()
    payout = Payout.objects.get()

    payouts.handle_payout_event(
        event_type="payout.paid", provider_reference=payout.provider_reference
    )
    payouts.handle_payout_event(
        event_type="payout.failed", provider_reference=payout.provider_reference,
        failure_message="account_closed",
    )  # fmt: skip
    payouts.handle_payout_event(
        event_type="payout.failed", provider_reference=payout.provider_reference
    )

    payout.refresh_from_db()
    assert payout.status == P.FAILED
    assert PayoutEvent.objects.filter(payout=payout, to_status=P.FAILED).count() == 1
    assert ledger.store_balance_cents(lyon_store) == payout.amount_cents
    assert payouts.handle_payout_event(event_type="payout.paid", provider_reference="po_x") is None


def test_a_failed_payout_can_not_become_paid(lyon_store, paid_accounts, provider):
    book_sale(lyon_store)
    provider.refuse = True
    run()

    with pytest.raises(IllegalTransition):
        payouts.mark_payout_paid(payout=Payout.objects.get(), provider_reference="x", actor="t")


def test_a_payout_the_provider_could_not_take_is_sent_again_by_the_outbox(
    lyon_store, paid_accounts, provider
):
    book_sale(lyon_store)
    provider.unavailable = True
    run()
    provider.unavailable = False
    OutboxMessage.objects.update(next_attempt_at=timezone.now())

    deliver_due_messages(kinds=[payouts.PAYOUT_KIND])

    assert Payout.objects.get().status == P.PAID
    assert len(provider.calls) == 1
