"""Charging a store for the marketing hub: its share booked on its account (netted from its
payouts), HQ's co-funding booked as HQ's expense, an invoice in HQ's marketing series with its
PDF, a credit note when a charged line is cancelled; all once per reference."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from marketing_hub.services.charging import ChargeRefused, charge_store, credit_charge
from network_marketplace.outbox import deliver_due_messages
from payments import ledger, payouts
from payments.invoices import InvoiceNotAllowed, issue_commission_invoice, issue_credit_note
from payments.models import Invoice, JournalEntry, Payout, PayoutPolicy
from tests.payments.money_helpers import book_sale, open_account, pdf_text

from .test_budgets import run_concurrently

TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
NEXT_TUESDAY = datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))

pytestmark = pytest.mark.django_db


def charge(store, reference="mkline:1", lines=(("Flyers A5 x 250", 10_000, 2000, 4_000),)):
    return charge_store(
        store=store,
        reference=reference,
        label="MK-2026-00001",
        lines=lines,
        actor="hq:test",
        order_number="MK-2026-00001",
    )


def test_a_charge_books_the_store_share_hq_cofunding_and_issues_a_marketing_invoice(lyon_store):
    invoice = charge(lyon_store)

    # The store owes 100 € + 20 € VAT: its balance drops by 120 €
    assert ledger.store_balance_cents(lyon_store) == -12_000
    assert ledger.account_balance_cents(ledger.MARKETING_REVENUE) == 14_000
    assert ledger.account_balance_cents(ledger.MARKETING_COFUNDING) == 4_000
    assert ledger.account_balance_cents(ledger.VAT_COLLECTED) == 2_000
    assert sum(ledger.trial_balance().values()) == 0
    assert ledger.unbalanced_entries() == []
    # An invoice in HQ's marketing series, for the store's share only, with VAT
    assert invoice.number.startswith("FM")
    assert invoice.number.endswith("-000001")
    assert (invoice.total_excl_vat_cents, invoice.vat_cents, invoice.total_incl_vat_cents) == (
        10_000,
        2_000,
        12_000,
    )
    assert invoice.lines.get().order_number == "MK-2026-00001"


def test_charging_twice_under_one_reference_books_and_invoices_once(lyon_store):
    first = charge(lyon_store)
    second = charge(lyon_store)

    assert first == second
    assert Invoice.objects.count() == 1
    assert JournalEntry.objects.filter(reference__startswith="marketing").count() == 2
    assert ledger.store_balance_cents(lyon_store) == -12_000


def test_marketing_invoices_are_numbered_in_their_own_gapless_series(lyon_store, paris_store):
    numbers = [
        charge(lyon_store, reference="mkline:1").number,
        charge(paris_store, reference="mkline:2").number,
        charge(
            lyon_store, reference="subscription:3:2026-12", lines=(("GBP", 4_900, 2000),)
        ).number,
    ]

    assert [n.split("-")[1] for n in numbers] == ["000001", "000002", "000003"]
    assert len({n.split("-")[0] for n in numbers}) == 1
    assert numbers[0].startswith("FM")


def test_a_fully_cofunded_line_books_hq_expense_and_no_invoice(lyon_store):
    invoice = charge(lyon_store, lines=(("Roll-up", 0, 2000, 9_000),))

    assert invoice is None
    assert ledger.store_balance_cents(lyon_store) == 0
    assert ledger.account_balance_cents(ledger.MARKETING_COFUNDING) == 9_000


def test_a_negative_amount_is_refused_and_books_nothing(lyon_store):
    with pytest.raises(ChargeRefused):
        charge(lyon_store, lines=(("Bad", -100, 2000),))
    assert not JournalEntry.objects.exists()


def test_crediting_a_charge_reverses_its_entries_and_issues_one_credit_note(lyon_store):
    invoice = charge(lyon_store)

    note = credit_charge(reference="mkline:1", reason="Cancelled by the store", actor="hq:test")
    again = credit_charge(reference="mkline:1", reason="Cancelled by the store", actor="hq:test")

    assert note == again
    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert note.number.startswith("AVM")
    assert note.credited_invoice == invoice
    assert note.total_incl_vat_cents == 12_000
    assert ledger.store_balance_cents(lyon_store) == 0
    assert ledger.account_balance_cents(ledger.MARKETING_REVENUE) == 0
    assert ledger.account_balance_cents(ledger.MARKETING_COFUNDING) == 0
    assert ledger.account_balance_cents(ledger.VAT_COLLECTED) == 0
    assert ledger.unbalanced_entries() == []


def test_crediting_what_was_never_charged_books_nothing(lyon_store):
    assert credit_charge(reference="mkline:99", reason="x", actor="hq:test") is None
    assert not JournalEntry.objects.exists()


def test_a_marketing_invoice_does_not_stand_in_for_the_commission_invoice(lyon_store):
    book_sale(lyon_store, gross=10_000, commission=1_500)
    charge(lyon_store)

    commission = issue_commission_invoice(
        store=lyon_store, period=lyon_store.created_at.date(), actor="hq:test"
    )

    assert commission is not None
    assert commission.number.startswith("F2")


@pytest.fixture
def payout_day(settings, monkeypatch):
    PayoutPolicy.objects.update_or_create(
        pk=1,
        defaults={
            "frequency": PayoutPolicy.Frequency.WEEKLY,
            "weekday": PayoutPolicy.Weekday.TUESDAY,
            "hold_withdrawal_period": False,
            "minimum_payout_cents": 0,
        },
    )


def run_payouts(now):
    report = payouts.run_payouts(now=now)
    deliver_due_messages(kinds=[payouts.PAYOUT_KIND])
    return report


def test_the_payout_nets_a_charge_exactly_once(lyon_store, payout_day):
    open_account(lyon_store)
    book_sale(lyon_store, gross=20_000, commission=1_500)  # the store is owed 182 €
    charge(lyon_store)  # 120 € incl. VAT

    run_payouts(TUESDAY)
    run_payouts(TUESDAY)
    run_payouts(NEXT_TUESDAY)

    assert list(Payout.objects.values_list("amount_cents", flat=True)) == [6_200]
    assert ledger.store_balance_cents(lyon_store) == 0


def test_a_charge_the_balance_cannot_cover_carries_to_the_next_statement(lyon_store, payout_day):
    open_account(lyon_store)
    book_sale(lyon_store, gross=5_000, commission=1_000)  # owed 38 €
    charge(lyon_store)  # 120 € incl. VAT: the balance goes to -82 €

    run_payouts(TUESDAY)
    assert not Payout.objects.exists()
    assert ledger.store_balance_cents(lyon_store) == -8_200

    book_sale(lyon_store, gross=20_000, commission=1_500)  # owed 182 € more
    run_payouts(NEXT_TUESDAY)

    assert list(Payout.objects.values_list("amount_cents", flat=True)) == [10_000]
    assert ledger.store_balance_cents(lyon_store) == 0


def test_the_statement_shows_the_charge_and_the_invoice_list_its_pdf(
    client, lyon_store, lyon_owner
):
    invoice = charge(lyon_store)
    client.force_login(lyon_owner)

    statement = client.get(reverse("backoffice:money-statement", args=[lyon_store.slug]))
    invoices = client.get(reverse("backoffice:money-invoices", args=[lyon_store.slug]))
    pdf = client.get(reverse("backoffice:money-invoice", args=[lyon_store.slug, invoice.number]))

    assert "MK-2026-00001" in statement.content.decode()
    assert "Flyers A5" in statement.content.decode()
    assert invoice.number in invoices.content.decode()
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert invoice.number in pdf_text(
        b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    )


@pytest.mark.django_db(transaction=True)
def test_two_charges_of_one_reference_at_once_book_and_invoice_once(lyon_store):
    results = run_concurrently(2, lambda _i: charge(lyon_store, reference="subscription:7:2026-12"))

    assert all(isinstance(r, Invoice) for r in results), results
    assert results[0] == results[1]
    assert Invoice.objects.count() == 1
    assert ledger.store_balance_cents(lyon_store) == -12_000
    assert ledger.unbalanced_entries() == []


def test_a_marketing_invoice_is_not_credited_alone_from_the_money_admin(lyon_store):
    invoice = charge(lyon_store)

    with pytest.raises(InvoiceNotAllowed):
        issue_credit_note(invoice=invoice, reason="Erreur", actor="hq:test")
    assert ledger.store_balance_cents(lyon_store) == -12_000
    assert not invoice.credit_notes.exists()
