"""Exports for the ERP and the accountants: the FEC of a period, and CSVs of orders,
commissions and payouts. Written to a text stream so that a management command, an admin
download and the API share them.

The FEC (Fichier des écritures comptables, Livre des procédures fiscales art. A47 A-1): one
row per journal line, the 18 columns below in this order, tab-separated, dates YYYYMMDD,
amounts with a decimal comma, named `<SIREN>FEC<closing date YYYYMMDD>.txt`. EcritureNum is
continuous per journal from the start of the fiscal (calendar) year, so the file of a month
and the file of the year give an entry the same number. Per-store accounts (467100, 512200)
carry the store as auxiliary account (CompAuxNum, CompAuxLib).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import TextIO

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from network_marketplace.db_routers import reading_from_replica
from orders.models import Order
from stores.models import Store

from .models import JournalEntry, JournalLine, Payout
from .selectors import Statement, commission_rows, in_period, local_midnight

FEC_COLUMNS = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
]
JOURNAL_LABELS = {
    "BQ": "Banque et prestataire de paiement",
    "VT": "Ventes et commissions",
    "OD": "Opérations diverses",
}


def fec_amount(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    return f"{whole},{rest:02d}"


def fec_date(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y%m%d")


def fec_filename(end: date) -> str:
    return f"{settings.NETWORK_OPERATOR['siren']}FEC{end:%Y%m%d}.txt"


def _clean(text: str) -> str:
    """No tab or line break may appear inside a field."""
    return " ".join(str(text).split())


def fec_rows(*, start: date, end: date) -> Iterator[list[str]]:
    """The FEC's rows for the entries dated `start` to `end` (local days), header first."""
    yield FEC_COLUMNS
    year_start = local_midnight(start.replace(month=1, day=1))
    numbers = defaultdict(int)
    for journal, count in (
        JournalEntry.objects.filter(
            occurred_at__gte=year_start, occurred_at__lt=local_midnight(start)
        )
        .values_list("journal")
        .annotate(count=Count("id"))
    ):
        numbers[journal] = count
    entries = in_period(JournalEntry.objects.all(), start, end).prefetch_related(
        Prefetch(
            "lines",
            queryset=JournalLine.objects.select_related("account__store").order_by("id"),
        )
    )
    for entry in entries.order_by("journal", "occurred_at", "id").iterator(chunk_size=500):
        numbers[entry.journal] += 1
        number = str(numbers[entry.journal])
        day = fec_date(entry.occurred_at)
        for line in entry.lines.all():
            store = line.account.store
            yield [
                entry.journal,
                JOURNAL_LABELS.get(entry.journal, entry.journal),
                number,
                day,
                line.account.code,
                _clean(line.account.name),
                store.slug.upper() if store else "",
                _clean(store.name) if store else "",
                _clean(entry.reference),
                day,
                _clean(line.label or entry.label),
                fec_amount(line.debit_cents),
                fec_amount(line.credit_cents),
                "",
                "",
                fec_date(entry.created_at),
                "",
                "",
            ]


@reading_from_replica("FEC export")
def write_fec(stream: TextIO, *, start: date, end: date) -> None:
    for row in fec_rows(start=start, end=end):
        stream.write("\t".join(row) + "\r\n")


def _cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    whole, rest = divmod(abs(value), 100)
    return f"{sign}{whole}.{rest:02d}"


@reading_from_replica("orders export")
def write_orders_csv(stream: TextIO, *, start: date, end: date) -> None:
    """Orders placed in the period (HQ): number, date, status, totals, attributed store."""
    writer = csv.writer(stream)
    writer.writerow(
        ["number", "placed_at", "status", "total", "paid_online", "currency", "attributed_store"]
    )
    orders = (
        Order.objects.filter(
            placed_at__gte=local_midnight(start),
            placed_at__lt=local_midnight(end + timedelta(days=1)),
        )
        .select_related("attributed_store")
        .order_by("placed_at", "id")
    )
    for order in orders.iterator(chunk_size=500):
        writer.writerow(
            [
                order.number,
                timezone.localtime(order.placed_at).isoformat(),
                order.status,
                _cents(order.total_cents),
                _cents(order.online_payment_cents),
                order.currency,
                order.attributed_store.slug if order.attributed_store else "",
            ]
        )


@reading_from_replica("commissions export")
def write_commissions_csv(
    stream: TextIO, *, stores: Iterable[Store], start: date, end: date
) -> None:
    """HQ's commission on each sale (and reversal) of `stores` in the period."""
    writer = csv.writer(stream)
    writer.writerow(
        [
            "date",
            "store",
            "order",
            "reference",
            "gross",
            "net_to_store",
            "commission_excl_vat",
            "vat",
            "vat_rate",
        ]
    )
    for store in stores:
        for row in commission_rows(store=store, start=start, end=end):
            writer.writerow(
                [
                    row.date.isoformat(),
                    store.slug,
                    row.order_number,
                    row.entry.reference,
                    _cents(row.gross_cents),
                    _cents(row.net_cents),
                    _cents(row.commission_cents),
                    _cents(row.vat_cents),
                    f"{row.vat_rate_bp / 100:.2f}",
                ]
            )


@reading_from_replica("payouts export")
def write_payouts_csv(stream: TextIO, *, payouts: QuerySet[Payout]) -> None:
    writer = csv.writer(stream)
    writer.writerow(
        [
            "id",
            "store",
            "period",
            "attempt",
            "amount",
            "currency",
            "status",
            "held_back",
            "created_at",
            "paid_at",
            "provider_reference",
            "failure",
        ]
    )
    for payout in payouts.select_related("store").order_by("created_at", "id"):
        writer.writerow(
            [
                payout.pk,
                payout.store.slug,
                payout.period_key,
                payout.attempt,
                _cents(payout.amount_cents),
                payout.currency,
                payout.status,
                _cents(payout.reserve_cents),
                timezone.localtime(payout.created_at).isoformat(),
                timezone.localtime(payout.paid_at).isoformat() if payout.paid_at else "",
                payout.provider_reference,
                payout.failure_message,
            ]
        )


def write_statement_csv(stream: TextIO, stmt: Statement) -> None:
    writer = csv.writer(stream)
    writer.writerow(
        ["date", "journal", "reference", "label", "order", "debit", "credit", "balance"]
    )
    writer.writerow(
        [stmt.start.isoformat(), "", "", "opening balance", "", "", "", _cents(stmt.opening_cents)]
    )
    for line in stmt.lines:
        writer.writerow(
            [
                timezone.localtime(line.occurred_at).isoformat(),
                line.journal,
                line.reference,
                line.label,
                line.order_number,
                _cents(line.debit_cents),
                _cents(line.credit_cents),
                _cents(line.balance_cents),
            ]
        )
    writer.writerow(
        [
            stmt.end.isoformat(),
            "",
            "",
            "closing balance",
            "",
            _cents(stmt.debits_cents),
            _cents(stmt.credits_cents),
            _cents(stmt.closing_cents),
        ]
    )
