"""The marketplace's double-entry ledger: one way to book money, and balances as sums.

Every movement of money the marketplace knows of (a captured payment, a sale's split between the
store and HQ's commission, the provider's fee, a transfer to a store's connected account, a
refund and its reversals, a payout, a marketing-hub charge) is one balanced `JournalEntry` posted
with `post_entry`. Nothing stores a running total: a store's balance is the sum of its lines, so
it cannot drift from the entries that explain it.

The chart (French PCG numbers, so that the FEC export needs no mapping):

- 512100 the platform's balance at the provider (HQ's account, where customers pay) — asset
- 512200 a store's connected account at the provider (per store) — asset: the money transferred
  to the store and not yet paid out to its bank
- 419100 customers' payments for goods not yet handed over — liability
- 467100 what the network owes a store (per store): its share of its sales, less commission,
  marketing charges and payouts — liability
- 706000 HQ's commission on store sales — revenue
- 706100 HQ's marketing-hub sales to stores — revenue
- 445710 VAT collected by HQ (on commission and marketing) — liability
- 627000 the provider's fees — expense
- 707000 sales of goods by HQ's own locations (branches, warehouse), excl. VAT — revenue
- 708500 delivery fees of HQ's own shipments, excl. VAT — revenue
- 622200 catchment shares HQ pays on its own locations' sales — expense
- 623100 HQ's co-funding of the stores' marketing orders — expense
- 607100 goods bought back into (or sold out of) the network's stock by settlement — expense
- 622800 handling fees HQ pays stores for work on its own locations' sales — expense
- 708800 handling fees stores pay HQ's own locations for work on their sales — revenue

Debit increases assets and expenses; credit increases liabilities and revenue.

Booking conventions (payments/postings.py books them; payouts, invoices, the FEC export and
the money pages read them; `<id>` is our row's primary key):

- payment captured: BQ `capture:payment:<id>`: Dr 512100 / Cr 419100 the amount;
- provider fee (HQ bears it): BQ `fee:payment:<id>`: Dr 627000 / Cr 512100 the fee;
- fulfilment completed (the goods left): VT `sale:fulfilment:<id>`, entry store = the seller:
  Dr 419100 gross (its lines and its delivery fee share); Cr 467100[seller] net; Cr 706000
  commission excl. VAT; Cr 445710 the commission's VAT; the catchment share Dr 706000 /
  Cr 467100[attributed store];
- the same for HQ's own location (branch, warehouse): Dr 419100 gross; Cr 707000 goods and
  708500 delivery, excl. VAT; Cr 445710 their VAT; the catchment share Dr 622200 /
  Cr 467100[attributed store];
- transfer made: BQ `transfer:<transfer id>`, store: Dr 512200[store] / Cr 512100;
- refund of a sold line: VT `sale-reversal:refund:<refund id>:fulfilment:<id>`, the seller:
  the sale's lines the other way, in proportion of what is refunded, Cr 419100;
- transfer reversed: BQ `transfer-reversal:<reversal id>`, store: Dr 512100 / Cr 512200[store];
- refund sent to the customer: BQ `refund:<refund id>`: Dr 419100 / Cr 512100 the amount;
- marketing-hub charge: VT `marketing:<hub reference>`, the store: Dr 467100[store] its share
  incl. VAT / Cr 706100 excl. VAT / Cr 445710 VAT; HQ's co-funded share: OD
  `marketing-cofunding:<hub reference>`: Dr 623100 / Cr 706100; a credit of either:
  `marketing-credit:...` / `marketing-cofunding-credit:...`, the original's lines the other way.
- money between stores (payments/settlement.py's rules): OD `settlement:return:<return id>`
  when a return is inspected at another location than the seller's, OD
  `settlement:transfer:<fulfilment id>` when a store-to-store transfer ends: per settlement,
  Dr the payer (467100[store], or HQ's 607100 for a buy-back, 622800 for a fee) / Cr the
  payee (467100[store], or HQ's 607100 for a buy-back, 708800 for a fee).

So 419100 holds what customers paid for goods not handed over (nor refunded), 467100[store]
what the network owes the store (payouts take it down), 512200[store] what sits in its
connected account. Reserve & collect is paid in the store's till: nothing is booked for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from network_marketplace.db import atomic_once
from network_marketplace.errors import DomainError
from orders.models import Order
from stores.models import Store

from .models import JournalEntry, JournalLine, LedgerAccount

PLATFORM_BALANCE = "512100"
STORE_PROVIDER_BALANCE = "512200"
CUSTOMER_PREPAYMENTS = "419100"
STORE_PAYABLE = "467100"
COMMISSION_REVENUE = "706000"
MARKETING_REVENUE = "706100"
VAT_COLLECTED = "445710"
PROVIDER_FEES = "627000"
HQ_GOODS_SALES = "707000"
HQ_DELIVERY_SALES = "708500"
CATCHMENT_EXPENSE = "622200"
MARKETING_COFUNDING = "623100"
NETWORK_STOCK = "607100"
HANDLING_FEES_PAID = "622800"
HANDLING_FEES_EARNED = "708800"

K = LedgerAccount.Kind
CHART: dict[str, tuple[str, str, bool]] = {
    # code: (name, kind, per store)
    PLATFORM_BALANCE: ("Platform balance at the payment provider", K.ASSET, False),
    STORE_PROVIDER_BALANCE: ("Store's connected account at the payment provider", K.ASSET, True),
    CUSTOMER_PREPAYMENTS: ("Customer payments for goods not yet handed over", K.LIABILITY, False),
    STORE_PAYABLE: ("Due to the store", K.LIABILITY, True),
    COMMISSION_REVENUE: ("Commission on store sales", K.REVENUE, False),
    MARKETING_REVENUE: ("Marketing hub sales to stores", K.REVENUE, False),
    VAT_COLLECTED: ("VAT collected", K.LIABILITY, False),
    PROVIDER_FEES: ("Payment provider fees", K.EXPENSE, False),
    HQ_GOODS_SALES: ("Sales of goods by HQ's own locations", K.REVENUE, False),
    HQ_DELIVERY_SALES: ("Delivery fees of HQ's own shipments", K.REVENUE, False),
    CATCHMENT_EXPENSE: ("Catchment shares paid on HQ's own sales", K.EXPENSE, False),
    MARKETING_COFUNDING: ("HQ's co-funding of stores' marketing", K.EXPENSE, False),
    NETWORK_STOCK: ("Goods settled into or out of the network's stock", K.EXPENSE, False),
    HANDLING_FEES_PAID: ("Handling fees paid to stores", K.EXPENSE, False),
    HANDLING_FEES_EARNED: ("Handling fees from stores", K.REVENUE, False),
}
# Accounts whose balance is read as credit - debit (what is owed or earned).
CREDIT_NORMAL = {K.LIABILITY, K.REVENUE}


class UnbalancedEntry(DomainError):
    """An entry's debits and credits differ: nothing was booked."""

    code = "unbalanced_entry"


@dataclass(frozen=True)
class Posting:
    """One line of an entry: a positive amount debited or credited to an account."""

    account: str
    debit_cents: int = 0
    credit_cents: int = 0
    store_id: int | None = None
    label: str = ""


def debit(account: str, cents: int, *, store_id: int | None = None, label: str = "") -> Posting:
    return Posting(account=account, debit_cents=cents, store_id=store_id, label=label)


def credit(account: str, cents: int, *, store_id: int | None = None, label: str = "") -> Posting:
    return Posting(account=account, credit_cents=cents, store_id=store_id, label=label)


def ledger_account(code: str, *, store_id: int | None = None) -> LedgerAccount:
    """Account `code` of the chart (`store_id`'s for a per-store account), made on first use."""
    name, kind, per_store = CHART[code]
    if per_store != (store_id is not None):
        raise ValueError(f"Account {code} is {'per store' if per_store else 'HQ-wide'}.")
    try:
        with transaction.atomic():
            account, _ = LedgerAccount.objects.get_or_create(
                code=code,
                store_id=store_id,  # type: ignore[misc]  # None: an HQ account
                defaults={"name": name, "kind": kind},
            )
    except IntegrityError:  # a concurrent first use made it
        account = LedgerAccount.objects.get(code=code, store_id=store_id)  # type: ignore[misc]
    return account


def post_entry(
    *,
    journal: str,
    reference: str,
    label: str,
    postings: Iterable[Posting],
    order: Order | None = None,
    store: Store | None = None,
    occurred_at: datetime | None = None,
) -> JournalEntry:
    """Book one balanced entry, or return the entry already booked under `reference`.

    Zero-amount postings are dropped (a split may leave a part at 0); negative ones are refused.
    Raises UnbalancedEntry when debits and credits differ. Call it inside the transaction of the
    business change it records, so the two commit together. One statement in the usual case
    writes the entry (`ON CONFLICT DO NOTHING` on its reference: a concurrent booking of the
    same reference waits, then finds it) and its lines.
    """
    postings = [p for p in postings if p.debit_cents or p.credit_cents]
    if any(
        p.debit_cents < 0 or p.credit_cents < 0 or (p.debit_cents and p.credit_cents)
        for p in postings
    ):
        raise UnbalancedEntry("A posting is either a positive debit or a positive credit.")
    debits = sum(p.debit_cents for p in postings)
    credits = sum(p.credit_cents for p in postings)
    if debits != credits or not postings:
        raise UnbalancedEntry(
            f"Entry {reference}: debits {debits} ≠ credits {credits}.",
            reference=reference,
            debit_cents=debits,
            credit_cents=credits,
        )
    entry = JournalEntry(
        journal=journal,
        reference=reference,
        label=label[:200],
        order=order,
        store=store,
        occurred_at=occurred_at or timezone.now(),
        created_at=timezone.now(),
    )
    with atomic_once():
        entry.pk, written = _insert_entry(entry, postings)
        if entry.pk is None:  # booked before under this reference
            return JournalEntry.objects.get(reference=reference)
        entry._state.adding = False
        if written != len(postings):  # an account used for the first time
            _write_lines_making_accounts(entry, postings)
    return entry


def _insert_entry(entry: JournalEntry, postings: list[Posting]) -> tuple[int | None, int]:
    """One statement: the entry (`ON CONFLICT DO NOTHING` on its reference) and its lines, each
    finding its account in the chart by code (and store), in the postings' order. Returns the
    entry's id (None when the reference was taken) and how many lines were written."""
    if connection.vendor != "postgresql":
        return _insert_entry_in_steps(entry)
    rows = ", ".join(["(%s, %s, %s::bigint, %s::bigint, %s::bigint, %s)"] * len(postings))
    params: list[Any] = [
        entry.journal,
        entry.reference,
        entry.label,
        entry.occurred_at,
        entry.order_id,
        entry.store_id,
        entry.created_at,
    ]
    for position, p in enumerate(postings):
        params += [position, p.account, p.store_id, p.debit_cents, p.credit_cents, p.label[:200]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH entry AS (
                INSERT INTO {JournalEntry._meta.db_table}
                    (journal, reference, label, occurred_at, order_id, store_id, created_at)
                VALUES (%s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (reference) DO NOTHING
                RETURNING id
            ), written AS (
                INSERT INTO {JournalLine._meta.db_table}
                    (entry_id, account_id, debit_cents, credit_cents, label)
                SELECT entry.id, account.id, posting.debit, posting.credit, posting.label
                FROM entry
                CROSS JOIN (VALUES {rows})
                    AS posting (position, code, store_id, debit, credit, label)
                JOIN {LedgerAccount._meta.db_table} AS account
                  ON account.code = posting.code
                 AND account.store_id IS NOT DISTINCT FROM posting.store_id
                ORDER BY posting.position
                RETURNING 1
            )
            SELECT (SELECT id FROM entry), (SELECT count(*) FROM written)
            """,  # noqa: S608 (table names from the models, values as parameters)
            params,
        )
        entry_id, written = cursor.fetchone()
    return entry_id, written


def _insert_entry_in_steps(entry: JournalEntry) -> tuple[int | None, int]:
    """The embedded profile's SQLite has no data-modifying `WITH`: the entry alone (its lines
    follow, accounts made where the chart lacks them); None when the reference was taken."""
    if JournalEntry.objects.filter(reference=entry.reference).exists():
        return None, 0
    entry.save(force_insert=True)
    return entry.pk, 0


def _write_lines_making_accounts(entry: JournalEntry, postings: list[Posting]) -> None:
    """The entry's lines again, its accounts made first where the chart lacks them."""
    JournalLine.objects.filter(entry=entry).delete()
    JournalLine.objects.bulk_create(
        JournalLine(
            entry=entry,
            account=ledger_account(p.account, store_id=p.store_id),
            debit_cents=p.debit_cents,
            credit_cents=p.credit_cents,
            label=p.label[:200],
        )
        for p in postings
    )


def account_balance_cents(
    code: str, *, store_id: int | None = None, until: datetime | None = None
) -> int:
    """The balance of one account, in its normal direction (credit - debit for what is owed or
    earned, debit - credit for assets and expenses); `until` bounds the entries' dates."""
    kind = CHART[code][1]
    lines = JournalLine.objects.filter(
        account__code=code,
        account__store_id=store_id,  # type: ignore[misc]  # None: an HQ account
    )
    if until is not None:
        lines = lines.filter(entry__occurred_at__lt=until)
    totals = lines.aggregate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    debit_total, credit_total = totals["debit"] or 0, totals["credit"] or 0
    return credit_total - debit_total if kind in CREDIT_NORMAL else debit_total - credit_total


def store_balance_cents(store: Store, *, until: datetime | None = None) -> int:
    """What the network owes `store` now: its sales' net, less marketing charges and payouts."""
    return account_balance_cents(STORE_PAYABLE, store_id=store.pk, until=until)


def trial_balance() -> dict[tuple[str, int | None], int]:
    """Debit - credit of every account, keyed by (code, store id): the whole sums to zero."""
    rows = (
        JournalLine.objects.values("account__code", "account__store_id")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by("account__code", "account__store_id")
    )
    return {
        (row["account__code"], row["account__store_id"]): row["debit"] - row["credit"]
        for row in rows
    }


def unbalanced_entries() -> list[int]:
    """Ids of entries whose lines do not balance (none, unless a row was changed by hand)."""
    return list(
        JournalEntry.objects.annotate(
            debit=Sum("lines__debit_cents"), credit=Sum("lines__credit_cents")
        )
        .filter(~Q(debit=F("credit")))
        .values_list("pk", flat=True)
    )
