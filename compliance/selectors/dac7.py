"""DAC7 figures of a store, read from the LEDGER (never from orders): per quarter of the
reporting year, the consideration (what the store was credited for its sales, net of the
refunds' reversals), the number of sales ("activities") and the fees HQ withheld (its
commission and the commission's VAT, net of reversals).

They are read from the seller's own sales entries (journal VT, entry store = the seller, with
a line on 419100, customers' prepayments): a sale's entry debits 419100 with what the customer
paid and credits the store's account 467100 with its net and HQ's 706000 and 445710 with the
commission and its VAT (payments/ledger.py); a refund's reversal books them back (419100
credited). A marketing charge, a payout or a transfer never touches 419100: it is not a sale.
A sale with no commission (a 0 % rate) is a sale all the same. A quarter is the entry's date
in Paris time. A catchment share a store receives on another store's sale is
not consideration for its own sales (it is paid by HQ out of its commission): it is left out.

Exclusion (Directive 2021/514, annex V, section I.A.4(d)): a seller with fewer than 30 sales
of goods AND a consideration of at most 2,000 EUR over the year is not reported.
HQ's own locations (branches, warehouses) are HQ itself, not sellers: never reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import ngettext

from payments import ledger
from payments.models import JournalEntry, JournalLine
from payments.pdf import euros
from payments.selectors import in_period
from stores.models import Store

EXCLUSION_MAX_ACTIVITIES = 30  # excluded when fewer than this many sales…
EXCLUSION_MAX_CONSIDERATION_CENTS = 200_000  # …and at most this much (2,000 EUR)


@dataclass
class QuarterFigures:
    quarter: int
    consideration_cents: int = 0
    activities: int = 0
    fees_cents: int = 0

    def as_dict(self) -> dict:
        return {
            "quarter": self.quarter,
            "consideration_cents": self.consideration_cents,
            "activities": self.activities,
            "fees_cents": self.fees_cents,
        }


@dataclass
class SellerYear:
    store: Store
    year: int
    quarters: list[QuarterFigures] = field(default_factory=list)

    @property
    def consideration_cents(self) -> int:
        return sum(q.consideration_cents for q in self.quarters)

    @property
    def activities(self) -> int:
        return sum(q.activities for q in self.quarters)

    @property
    def fees_cents(self) -> int:
        return sum(q.fees_cents for q in self.quarters)

    @property
    def excluded(self) -> bool:
        """Under both thresholds (the rule exactly as DAC7 states it)."""
        return (
            self.activities < EXCLUSION_MAX_ACTIVITIES
            and self.consideration_cents <= EXCLUSION_MAX_CONSIDERATION_CENTS
        )

    def exclusion_reason(self) -> str:
        return ngettext(
            "%(activities)d sale (fewer than %(max)d) and %(amount)s of consideration (at most "
            "2 000,00 €) in %(year)d: under the DAC7 thresholds.",
            "%(activities)d sales (fewer than %(max)d) and %(amount)s of consideration (at most "
            "2 000,00 €) in %(year)d: under the DAC7 thresholds.",
            self.activities,
        ) % {
            "activities": self.activities,
            "max": EXCLUSION_MAX_ACTIVITIES,
            "amount": euros(self.consideration_cents),
            "year": self.year,
        }


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


SALE_ACCOUNTS = [
    ledger.CUSTOMER_PREPAYMENTS,
    ledger.STORE_PAYABLE,
    ledger.COMMISSION_REVENUE,
    ledger.VAT_COLLECTED,
]


def seller_year(store: Store, year: int) -> SellerYear:
    """`store`'s DAC7 figures for `year`, quarter by quarter, from its ledger entries (one
    query)."""
    lines = (
        in_period(JournalLine.objects.all(), date(year, 1, 1), date(year, 12, 31), prefix="entry__")
        .filter(
            entry__journal=JournalEntry.Journal.SALES,
            entry__store=store,
            account__code__in=SALE_ACCOUNTS,
        )
        .values(
            "entry_id",
            "entry__occurred_at",
            "account__code",
            "account__store_id",
            "debit_cents",
            "credit_cents",
        )
    )
    by_entry: dict[int, list[dict]] = defaultdict(list)
    for line in lines:
        by_entry[line["entry_id"]].append(line)
    quarters = [QuarterFigures(quarter=q) for q in (1, 2, 3, 4)]
    for entry_lines in by_entry.values():
        paid = sum(
            ln["debit_cents"] - ln["credit_cents"]
            for ln in entry_lines
            if ln["account__code"] == ledger.CUSTOMER_PREPAYMENTS
        )
        if not paid:
            continue  # not a sale nor its reversal
        sale = paid > 0
        day = timezone.localtime(entry_lines[0]["entry__occurred_at"]).date()
        figures = quarters[quarter_of(day) - 1]
        for ln in entry_lines:
            code = ln["account__code"]
            if code == ledger.STORE_PAYABLE and ln["account__store_id"] == store.pk:
                figures.consideration_cents += ln["credit_cents"] - ln["debit_cents"]
            elif code in (ledger.COMMISSION_REVENUE, ledger.VAT_COLLECTED):
                # HQ's commission and its VAT on this sale (the catchment share it pays out of
                # it is booked the other way, and is not a fee the seller paid)
                figures.fees_cents += ln["credit_cents"] if sale else -ln["debit_cents"]
        if sale:
            figures.activities += 1
    return SellerYear(store=store, year=year, quarters=quarters)


def is_reportable_seller(store: Store) -> bool:
    """A franchise store sells on HQ's marketplace; HQ's own locations do not report."""
    return store.kind == Store.Kind.FRANCHISE


def candidate_sellers(year: int) -> list[Store]:
    """The franchise stores that may be reported for `year`: every one that was open to sell
    (closed ones too: they may have sold before they left)."""
    del year  # every franchise store is a candidate; the figures decide
    return list(Store.objects.filter(kind=Store.Kind.FRANCHISE).order_by("name", "pk"))
