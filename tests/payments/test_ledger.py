"""The ledger's contract: balanced entries only, booked once per reference, balances as sums."""

import threading

import pytest
from django.db import connection

from payments import ledger
from payments.ledger import UnbalancedEntry, credit, debit, post_entry
from payments.models import JournalEntry, JournalLine, LedgerAccount


def book_sale(store, *, reference="sale:1", gross=10_000, commission=1_500):
    return post_entry(
        journal="VT", reference=reference, label="Sale", store=store,
        postings=[
            debit(ledger.CUSTOMER_PREPAYMENTS, gross),
            credit(ledger.STORE_PAYABLE, gross - commission, store_id=store.pk),
            credit(ledger.COMMISSION_REVENUE, commission),
        ],
    )  # fmt: skip


def test_an_unbalanced_entry_is_refused_and_books_nothing(lyon_store):
    with pytest.raises(UnbalancedEntry):
        post_entry(
            journal="VT",
            reference="bad",
            label="Bad",
            postings=[
                debit(ledger.CUSTOMER_PREPAYMENTS, 100),
                credit(ledger.COMMISSION_REVENUE, 99),
            ],
        )

    assert not JournalEntry.objects.exists()
    assert not JournalLine.objects.exists()


def test_a_negative_posting_is_refused(lyon_store):
    with pytest.raises(UnbalancedEntry):
        post_entry(
            journal="VT",
            reference="neg",
            label="Neg",
            postings=[
                debit(ledger.CUSTOMER_PREPAYMENTS, -5),
                credit(ledger.COMMISSION_REVENUE, -5),
            ],
        )


def test_the_same_reference_books_once(lyon_store):
    first = book_sale(lyon_store)
    again = book_sale(lyon_store)

    assert again.pk == first.pk
    assert ledger.store_balance_cents(lyon_store) == 8_500


def test_a_store_balance_is_the_sum_of_its_own_lines_only(lyon_store, paris_store):
    book_sale(lyon_store, reference="sale:lyon")
    book_sale(paris_store, reference="sale:paris", gross=4_000, commission=600)
    post_entry(
        journal="BQ", reference="payout:lyon", label="Payout", store=lyon_store,
        postings=[
            debit(ledger.STORE_PAYABLE, 8_000, store_id=lyon_store.pk),
            credit(ledger.STORE_PROVIDER_BALANCE, 8_000, store_id=lyon_store.pk),
        ],
    )  # fmt: skip

    assert ledger.store_balance_cents(lyon_store) == 500
    assert ledger.store_balance_cents(paris_store) == 3_400
    assert ledger.account_balance_cents(ledger.COMMISSION_REVENUE) == 2_100
    assert sum(ledger.trial_balance().values()) == 0
    assert ledger.unbalanced_entries() == []


def test_a_per_store_account_needs_its_store(lyon_store):
    with pytest.raises(ValueError, match="per store"):
        ledger.ledger_account(ledger.STORE_PAYABLE)
    with pytest.raises(ValueError, match="HQ-wide"):
        ledger.ledger_account(ledger.COMMISSION_REVENUE, store_id=lyon_store.pk)


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_use_of_an_account_makes_one(lyon_store):
    barrier = threading.Barrier(4)
    errors = []

    def use():
        try:
            barrier.wait()
            ledger.ledger_account(ledger.STORE_PAYABLE, store_id=lyon_store.pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert LedgerAccount.objects.filter(code=ledger.STORE_PAYABLE).count() == 1


def test_a_store_gets_one_payment_account(lyon_store):
    from payments.accounts import payment_account_for

    first = payment_account_for(lyon_store)
    again = payment_account_for(lyon_store)

    assert again.pk == first.pk
    assert first.reference == f"dummy_acct_{lyon_store.slug}"
    assert first.can_receive_payouts


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_reference_book_it_once(lyon_store):
    # Given four processes booking the same sale at the same moment (a webhook and a retry)
    barrier = threading.Barrier(4)
    booked, errors = [], []

    def book():
        try:
            barrier.wait()
            booked.append(book_sale(lyon_store, reference="sale:twice").pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then one entry, its three lines, and every caller got it back
    assert errors == []
    assert len(set(booked)) == 1
    assert JournalLine.objects.filter(entry_id=booked[0]).count() == 3
    assert ledger.store_balance_cents(lyon_store) == 8_500
    assert ledger.unbalanced_entries() == []


def test_an_entrys_lines_keep_the_order_of_its_postings(lyon_store):
    entry = book_sale(lyon_store)

    lines = list(entry.lines.order_by("id").values_list("account__code", "debit_cents"))

    assert lines == [
        (ledger.CUSTOMER_PREPAYMENTS, 10_000),
        (ledger.STORE_PAYABLE, 0),
        (ledger.COMMISSION_REVENUE, 0),
    ]


def test_booking_once_the_chart_exists_is_one_statement(lyon_store, django_assert_num_queries):
    book_sale(lyon_store, reference="sale:first")  # the accounts' first use makes them

    with django_assert_num_queries(1):
        book_sale(lyon_store, reference="sale:second")
