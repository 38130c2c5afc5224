"""Exports for the ERP: the FEC has the standard's 18 columns in order and balances per journal;
the CSVs of commissions and payouts add up to the ledger."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone

from payments import exports, payouts
from payments.models import Payout

from .money_helpers import book_marketing_charge, book_reversal, book_sale, open_account

PARIS = ZoneInfo("Europe/Paris")
STANDARD_COLUMNS = [
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
]  # fmt: skip


def on(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=PARIS)


def fec(start=date(2026, 11, 1), end=date(2026, 11, 30)) -> list[list[str]]:
    stream = io.StringIO()
    exports.write_fec(stream, start=start, end=end)
    return [line.split("\t") for line in stream.getvalue().split("\r\n") if line]


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def a_month_of_money(lyon_store, paris_store):
    open_account(lyon_store)
    book_sale(lyon_store, gross=10_000, commission=1_500, occurred_at=on(3),
              catchment_store=paris_store, catchment_share=300)  # fmt: skip
    book_sale(paris_store, gross=4_990, commission=499, occurred_at=on(4))
    book_reversal(lyon_store, gross=10_000, commission=1_500, occurred_at=on(9))
    book_sale(lyon_store, gross=2_500, commission=250, occurred_at=on(10))
    book_marketing_charge(paris_store, occurred_at=on(11))
    book_sale(lyon_store, gross=1_000, commission=100, occurred_at=on(2, month=12))  # later


def test_the_fec_has_the_18_standard_columns_in_order_and_balances_per_journal(
    lyon_store, paris_store
):
    # Given a month of sales, a refund, transfers, a marketing charge and a payout
    a_month_of_money(lyon_store, paris_store)
    payouts.run_payouts(now=on(10), force=True)

    # When HQ exports November's FEC
    rows = fec()

    # Then the header is the standard's 18 columns, every row has 18 fields
    assert rows[0] == STANDARD_COLUMNS
    assert {len(row) for row in rows} == {18}
    body = [dict(zip(STANDARD_COLUMNS, row, strict=True)) for row in rows[1:]]
    # And debits equal credits in each journal (and in each entry)
    per_journal, per_entry = defaultdict(Decimal), defaultdict(Decimal)
    for row in body:
        delta = amount(row["Debit"]) - amount(row["Credit"])
        per_journal[row["JournalCode"]] += delta
        per_entry[(row["JournalCode"], row["EcritureNum"])] += delta
    assert set(per_journal) == {"VT", "BQ"}
    assert set(per_journal.values()) == {Decimal(0)}
    assert set(per_entry.values()) == {Decimal(0)}
    # And the December sale is not in it; dates are YYYYMMDD, amounts with a decimal comma
    assert {row["EcritureDate"][:6] for row in body} == {"202611"}
    assert all("," in row["Debit"] and "." not in row["Debit"] for row in body)


def test_fec_entries_are_numbered_continuously_per_journal_from_the_start_of_the_year(
    lyon_store, paris_store
):
    book_sale(lyon_store, occurred_at=on(20, month=10))  # October: VT 1, BQ 1
    a_month_of_money(lyon_store, paris_store)

    rows = [dict(zip(STANDARD_COLUMNS, row, strict=True)) for row in fec()[1:]]

    numbers = defaultdict(list)
    for row in rows:
        if int(row["EcritureNum"]) not in numbers[row["JournalCode"]]:
            numbers[row["JournalCode"]].append(int(row["EcritureNum"]))
    assert numbers["VT"] == [2, 3, 4, 5, 6]
    assert numbers["BQ"] == [2, 3, 4]


def test_per_store_accounts_carry_the_store_as_auxiliary_account(lyon_store, paris_store):
    a_month_of_money(lyon_store, paris_store)

    rows = [dict(zip(STANDARD_COLUMNS, row, strict=True)) for row in fec()[1:]]

    store_rows = [row for row in rows if row["CompteNum"] in {"467100", "512200"}]
    assert store_rows
    assert {row["CompAuxNum"] for row in store_rows} == {"LYON-PRESQUILE", "PARIS-BASTILLE"}
    assert {row["CompAuxLib"] for row in store_rows} == {lyon_store.name, paris_store.name}
    assert {row["CompAuxNum"] for row in rows if row["CompteNum"] == "706000"} == {""}


def test_the_management_command_writes_the_fec_under_its_standard_name(
    lyon_store, paris_store, tmp_path
):
    a_month_of_money(lyon_store, paris_store)

    call_command("export_money", "fec", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--output", str(tmp_path))  # fmt: skip

    path = tmp_path / "912345678FEC20261130.txt"
    assert path.read_bytes().decode().split("\r\n")[0].split("\t") == STANDARD_COLUMNS


def test_the_commissions_csv_lists_each_sale_and_reversal_with_its_order(lyon_store, paris_store):
    a_month_of_money(lyon_store, paris_store)
    stream = io.StringIO()

    exports.write_commissions_csv(
        stream, stores=[lyon_store], start=date(2026, 11, 1), end=date(2026, 11, 30)
    )

    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert [row["commission_excl_vat"] for row in rows] == ["15.00", "-15.00", "2.50"]
    assert [row["vat"] for row in rows] == ["3.00", "-3.00", "0.50"]


def test_the_payouts_csv_command_lists_a_store_s_payouts(lyon_store, paris_store):
    a_month_of_money(lyon_store, paris_store)
    payouts.run_payouts(now=on(10), force=True)
    out = io.StringIO()

    today = timezone.localdate().isoformat()
    call_command("export_money", "payouts", "--from", "2026-11-01", "--to", today,
                 "--store", lyon_store.slug, stdout=out)  # fmt: skip

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    payout = Payout.objects.get(store=lyon_store)
    assert [(row["id"], row["store"], row["amount"]) for row in rows] == [
        (str(payout.pk), lyon_store.slug, f"{payout.amount_cents / 100:.2f}")
    ]
