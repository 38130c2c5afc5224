"""Reads of the money: a store's commissions per order, its statement for a period, its payouts
and invoices, and HQ's view of the network. Everything is computed from the ledger's lines, so
pages, PDFs, CSVs and the API agree with the accounts to the cent.

The sales books follow the commission contract: a sale is a "VT" entry whose `store` is the
seller, crediting the seller's 467100 (its net), 706000 (HQ's commission excl. VAT) and 445710
(its VAT), debiting 419100 (the gross); a refund's reversal debits them back. A catchment share
moves commission from 706000 to another store's 467100 (or the seller's own). So in a store's
VT entry the commission is the 706000 lines on the same side as the seller's own 467100 line
(credit: a sale; debit: a reversal, counted negative), its VAT the 445710 lines on that side.

Commission rate resolution for (store, category, date), first match wins:

1. a rate of that store for the category, else for its parent, and so on up the tree;
2. the store's own rate for every category (a store rate with no category);
3. a network rate (no store) for the category, else its parent, and so on up the tree;
4. the plan's network default.

Only rates valid on the date count (valid_from <= date < valid_until; empty is open-ended).
HQ's own locations (branches, the warehouse) pay no commission: their rate is 0.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Category
from network_marketplace.db_routers import reading_from_replica
from network_marketplace.models import User
from stores.authentication import ApiKeyPrincipal
from stores.models import Store, StoreMembership
from stores.selectors import stores_visible_to

from . import ledger
from .models import (
    CommissionPlan,
    CommissionRate,
    Invoice,
    JournalEntry,
    JournalLine,
    PaymentAccount,
    Payout,
)
from .settlement import settlement_description

# Who asks: a signed-in person (HQ or a store's team) or a store's API key.
Principal: TypeAlias = User | AnonymousUser | ApiKeyPrincipal

# French VAT rates in basis points: an entry's commission VAT is read as the nearest one.
VAT_RATES_BP = (2000, 1000, 550, 210, 0)


# Periods: local calendar days, as the network's books count them.


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


MAX_PERIOD_DAYS = 366


def period_problem(start: date, end: date) -> tuple[str, str] | None:
    """What is wrong with a period asked for a statement, an export or the dashboard, as
    (field, message), or None: the end is not before the start, and a period is at most a year
    (a statement reads every entry of it)."""
    if end < start:
        return "end", _("The end is before the start.")
    if (end - start).days > MAX_PERIOD_DAYS:
        return "end", _("A period is at most a year.")
    return None


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of `month`'s month."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_month(value: str) -> date:
    """ "2026-11" → date(2026, 11, 1); raises ValueError."""
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def in_period(queryset: QuerySet, start: date, end: date, *, prefix: str = "") -> QuerySet:
    """Rows dated (`prefix`occurred_at) from `start` to `end` included, local days."""
    return queryset.filter(
        **{
            f"{prefix}occurred_at__gte": local_midnight(start),
            f"{prefix}occurred_at__lt": local_midnight(end + timedelta(days=1)),
        }
    )


# Commissions per order


@dataclass
class CommissionRow:
    """HQ's commission on one sale of the store (or its reversal, negative)."""

    entry: JournalEntry
    gross_cents: int = 0
    net_cents: int = 0
    commission_cents: int = 0
    vat_cents: int = 0

    @property
    def is_reversal(self) -> bool:
        return self.commission_cents < 0 or self.net_cents < 0

    @property
    def order_number(self) -> str:
        return (self.entry.order.number or "") if self.entry.order else ""

    @property
    def date(self) -> date:
        return timezone.localtime(self.entry.occurred_at).date()

    @property
    def vat_rate_bp(self) -> int:
        if not self.commission_cents:
            return VAT_RATES_BP[0]
        rate = self.vat_cents * 10000 / self.commission_cents
        return min(VAT_RATES_BP, key=lambda candidate: abs(candidate - rate))


def commission_rows(*, store: Store, start: date, end: date) -> list[CommissionRow]:
    """The commission of every sale and reversal of `store` booked from `start` to `end`
    (local days), oldest first. One query."""
    lines = (
        in_period(JournalLine.objects.all(), start, end, prefix="entry__")
        .filter(entry__journal=JournalEntry.Journal.SALES, entry__store=store)
        .filter(
            account__code__in=[
                ledger.STORE_PAYABLE,
                ledger.COMMISSION_REVENUE,
                ledger.VAT_COLLECTED,
                ledger.CUSTOMER_PREPAYMENTS,
            ]
        )
        .select_related("entry__order", "account")
        .order_by("entry__occurred_at", "entry_id", "id")
    )
    by_entry: dict[int, list[JournalLine]] = defaultdict(list)
    entries: dict[int, JournalEntry] = {}
    for line in lines:
        by_entry[line.entry_id].append(line)
        entries[line.entry_id] = line.entry
    rows = []
    for entry_id, entry_lines in by_entry.items():
        row = _commission_row(entries[entry_id], entry_lines, store)
        if row is not None:
            rows.append(row)
    return rows


def _commission_row(
    entry: JournalEntry, lines: list[JournalLine], store: Store
) -> CommissionRow | None:
    own = [
        ln
        for ln in lines
        if ln.account.code == ledger.STORE_PAYABLE and ln.account.store_id == store.pk
    ]
    commission_lines = [ln for ln in lines if ln.account.code == ledger.COMMISSION_REVENUE]
    if not commission_lines:
        return None  # not a sale (e.g. a marketing charge booked on the store)
    net = sum(ln.credit_cents - ln.debit_cents for ln in own)
    sale = net >= 0 if own else any(ln.credit_cents for ln in commission_lines)

    def side(line: JournalLine) -> int:
        return line.credit_cents if sale else -line.debit_cents

    return CommissionRow(
        entry=entry,
        gross_cents=sum(
            ln.debit_cents - ln.credit_cents
            for ln in lines
            if ln.account.code == ledger.CUSTOMER_PREPAYMENTS
        ),
        net_cents=net,
        commission_cents=sum(side(ln) for ln in commission_lines),
        vat_cents=sum(side(ln) for ln in lines if ln.account.code == ledger.VAT_COLLECTED),
    )


@dataclass(frozen=True)
class VatGroup:
    rate_bp: int
    base_cents: int
    vat_cents: int


def vat_breakdown(rows: Iterable[CommissionRow]) -> list[VatGroup]:
    """Bases and VAT per rate, highest rate first."""
    groups: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        groups[row.vat_rate_bp][0] += row.commission_cents
        groups[row.vat_rate_bp][1] += row.vat_cents
    return [VatGroup(rate, base, vat) for rate, (base, vat) in sorted(groups.items(), reverse=True)]


# Statements


def entry_description(reference: str, label: str, *, credited: bool = True) -> str:
    """What an entry of a store's account is, in the reader's language, from its reference
    (the ledger's labels are the booking code's): a sale, a refund, a payout..."""
    kind = reference.split(":", 1)[0]
    if kind == "settlement":
        return settlement_description(reference, label, credited=credited)
    if kind == "payout":
        if reference.endswith(":failed"):
            return _("Payout failed: back in your balance")
        return _("Payout to your bank")
    if kind == "marketing":
        return _("Marketing: %(label)s") % {"label": label}
    if kind == "marketing-credit":
        return _("Marketing, credited: %(label)s") % {"label": label}
    described = {
        "sale": _("Sale"),
        "refund": _("Refund"),
        "reversal": _("Refund"),
        "marketing": _("Marketing hub order"),
        "catchment": _("Catchment share"),
    }
    return str(described.get(kind, label))


@dataclass
class StatementLine:
    occurred_at: datetime
    journal: str
    reference: str
    label: str
    order_number: str
    debit_cents: int
    credit_cents: int
    balance_cents: int

    @property
    def journal_label(self) -> str:
        """The journal in words ("Sales and commissions"): the page shows no internal code."""
        return str(JournalEntry.Journal(self.journal).label)


@dataclass
class Statement:
    store: Store
    start: date
    end: date
    opening_cents: int
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def closing_cents(self) -> int:
        return self.lines[-1].balance_cents if self.lines else self.opening_cents

    @property
    def credits_cents(self) -> int:
        return sum(line.credit_cents for line in self.lines)

    @property
    def debits_cents(self) -> int:
        return sum(line.debit_cents for line in self.lines)


@reading_from_replica("store statement")
def statement(*, store: Store, start: date, end: date) -> Statement:
    """What the network owed `store` at `start`, every entry of its 467100 account to `end`
    (local days) with the running balance, and what it owed then. Two queries."""
    opening = ledger.store_balance_cents(store, until=local_midnight(start))
    lines = (
        in_period(JournalLine.objects.all(), start, end, prefix="entry__")
        .filter(account__code=ledger.STORE_PAYABLE, account__store=store)
        .select_related("entry__order")
        .order_by("entry__occurred_at", "entry_id", "id")
    )
    result = Statement(store=store, start=start, end=end, opening_cents=opening)
    balance = opening
    for line in lines:
        balance += line.credit_cents - line.debit_cents
        entry = line.entry
        result.lines.append(
            StatementLine(
                occurred_at=entry.occurred_at,
                journal=entry.journal,
                reference=entry.reference,
                label=entry_description(
                    entry.reference, line.label or entry.label, credited=line.credit_cents > 0
                ),
                order_number=entry.order.number if entry.order_id and entry.order else "",
                debit_cents=line.debit_cents,
                credit_cents=line.credit_cents,
                balance_cents=balance,
            )
        )
    return result


# Payouts and invoices


def store_payouts(store: Store) -> QuerySet[Payout]:
    return Payout.objects.for_store(store).order_by("-created_at", "-id")


def payouts_created_in(payouts: QuerySet[Payout], start: date, end: date) -> QuerySet[Payout]:
    return payouts.filter(
        created_at__gte=local_midnight(start),
        created_at__lt=local_midnight(end + timedelta(days=1)),
    )


def payouts_visible_to(principal: Principal) -> QuerySet[Payout]:
    """Payouts of the stores `principal` may see (HQ: all)."""
    return Payout.objects.filter(store__in=stores_visible_to(principal)).select_related("store")


def store_invoices(store: Store) -> QuerySet[Invoice]:
    return (
        Invoice.objects.for_store(store)
        .select_related("credited_invoice")
        .order_by("-issued_at", "-id")
    )


def invoices_visible_to(principal: Principal) -> QuerySet[Invoice]:
    return Invoice.objects.filter(store__in=stores_visible_to(principal)).select_related(
        "store", "credited_invoice"
    )


# HQ's view of the network


@dataclass
class StoreMoneyRow:
    store_id: int
    store_name: str = ""
    store_slug: str = ""
    gmv_cents: int = 0
    commission_cents: int = 0
    refunds_cents: int = 0
    payouts_cents: int = 0
    payouts_count: int = 0


def network_money(*, start: date, end: date) -> tuple[list[StoreMoneyRow], StoreMoneyRow]:
    """Per store for the period: GMV (gross of its sales), HQ's commission net of reversals,
    refunds (gross reversed) and payouts made (not failed). Three queries, whatever the size
    of the network; stores with nothing in the period are left out."""
    rows: dict[int, StoreMoneyRow] = {}

    def row(store_id: int) -> StoreMoneyRow:
        return rows.setdefault(store_id, StoreMoneyRow(store_id=store_id))

    sales = (
        in_period(JournalLine.objects.all(), start, end, prefix="entry__")
        .filter(entry__journal=JournalEntry.Journal.SALES, entry__store__isnull=False)
        .filter(account__code__in=[ledger.CUSTOMER_PREPAYMENTS, ledger.COMMISSION_REVENUE])
        .values("entry__store_id", "account__code")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    )
    for item in sales:
        target = row(item["entry__store_id"])
        if item["account__code"] == ledger.CUSTOMER_PREPAYMENTS:
            target.gmv_cents += item["debit"] or 0
            target.refunds_cents += item["credit"] or 0
        else:
            target.commission_cents += (item["credit"] or 0) - (item["debit"] or 0)
    payouts = (
        Payout.objects.filter(
            created_at__gte=local_midnight(start),
            created_at__lt=local_midnight(end + timedelta(days=1)),
        )
        .exclude(status=Payout.Status.FAILED)
        .values("store_id")
        .annotate(total=Sum("amount_cents"), count=Count("id"))
    )
    for item in payouts:
        target = row(item["store_id"])
        target.payouts_cents, target.payouts_count = item["total"], item["count"]
    for store in Store.objects.filter(pk__in=rows).only("pk", "name", "slug"):
        rows[store.pk].store_name, rows[store.pk].store_slug = store.name, store.slug
    ordered = sorted(rows.values(), key=lambda item: (-item.gmv_cents, item.store_name))
    total = StoreMoneyRow(store_id=0, store_name="")
    for item in ordered:
        for name in (
            "gmv_cents",
            "commission_cents",
            "refunds_cents",
            "payouts_cents",
            "payouts_count",
        ):
            setattr(total, name, getattr(total, name) + getattr(item, name))
    return ordered, total


def stores_not_payable() -> QuerySet[PaymentAccount]:
    """Stores with a payment account that can't receive payouts (requirements past due or
    payouts disabled): HQ's dashboard flags them."""
    return (
        PaymentAccount.objects.filter(Q(payouts_enabled=False) | ~Q(past_due=[]))
        .select_related("store")
        .order_by("store__name")
    )


def stores_without_payment_account() -> QuerySet[Store]:
    """Franchised stores (not HQ's branches or warehouses, which are never paid out) still
    without an account at the payment provider: they cannot receive payouts yet."""
    return (
        Store.objects.exclude(kind__in=HQ_OWN_KINDS)
        .exclude(status=Store.Status.CLOSED)
        .filter(payment_account__isnull=True)
        .order_by("name")
    )


# Commission rates and splits

HQ_OWN_KINDS = {Store.Kind.BRANCH, Store.Kind.WAREHOUSE}


def is_hq_own(store: Store) -> bool:
    """A company-owned branch or a warehouse: its sales are HQ's, with no commission."""
    return store.kind in HQ_OWN_KINDS


@dataclass(frozen=True)
class OwnSales:
    """A company-owned location's sales over a period: HQ's own revenue (VAT included)."""

    gross_cents: int
    sales_count: int
    refunds_count: int


def hq_own_sales(*, store: Store, start: date, end: date) -> OwnSales:
    """What customers paid for the sales of a branch or warehouse booked from `start` to `end`
    (local days), refunds deducted. Its money pages show this instead of a commission and
    payouts, which it has none of. One query."""
    totals = (
        in_period(JournalLine.objects.all(), start, end, prefix="entry__")
        .filter(
            entry__journal=JournalEntry.Journal.SALES,
            entry__store=store,
            account__code=ledger.CUSTOMER_PREPAYMENTS,
        )
        .aggregate(
            debit=Coalesce(Sum("debit_cents"), 0),
            credit=Coalesce(Sum("credit_cents"), 0),
            sales=Count("entry", filter=Q(debit_cents__gt=0), distinct=True),
            refunds=Count("entry", filter=Q(credit_cents__gt=0), distinct=True),
        )
    )
    return OwnSales(
        gross_cents=totals["debit"] - totals["credit"],
        sales_count=totals["sales"],
        refunds_count=totals["refunds"],
    )


def _valid_on(on: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=on)
    )


def commission_rates(
    *, wanted: Iterable[tuple[Store, int | None]], on: date, plan: CommissionPlan | None = None
) -> dict[tuple[int, int | None], Decimal]:
    """The rate of each (store, category id) of `wanted` on `on`, keyed (store id, category id).
    Three queries whatever the number of lines: the plan, the category tree, the rates."""
    wanted = list(wanted)
    plan = plan or CommissionPlan.current()
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    store_ids = {store.pk for store, _category in wanted}
    rates: dict[tuple[int | None, int | None], Decimal] = {
        (store_id, category_id): rate
        for store_id, category_id, rate in CommissionRate.objects.filter(_valid_on(on))
        .filter(Q(store_id__in=store_ids) | Q(store__isnull=True))
        .values_list("store_id", "category_id", "rate_percent")
    }

    def chain(category_id: int | None) -> list[int]:
        seen: list[int] = []
        while category_id is not None and category_id not in seen:
            seen.append(category_id)
            category_id = parents.get(category_id)
        return seen

    resolved = {}
    for store, category_id in wanted:
        if is_hq_own(store):
            resolved[(store.pk, category_id)] = Decimal(0)
            continue
        ancestors = chain(category_id)
        candidates = [
            *((store.pk, each) for each in ancestors),
            (store.pk, None),
            *((None, each) for each in ancestors),
        ]
        resolved[(store.pk, category_id)] = next(
            (rates[key] for key in candidates if key in rates), plan.default_rate_percent
        )
    return resolved


def commission_rate_for(*, store: Store, category: Category | None, on: date) -> Decimal:
    """The commission rate (percent of the price paid) of `store` for `category` on `on`."""
    category_id = category.pk if category is not None else None
    return commission_rates(wanted=[(store, category_id)], on=on)[(store.pk, category_id)]


# Stores' payment accounts


def payment_account_of(store: Store) -> PaymentAccount | None:
    """The store's connected account, or None when it was never opened."""
    return PaymentAccount.objects.filter(store=store).first()


def may_see_payment_account(
    *, user: User | AnonymousUser, membership: StoreMembership | None
) -> bool:
    """HQ and the store's owner see (and move on) the store's payment account; the rest of
    its team does not."""
    return bool(user.is_staff or (membership and membership.role == StoreMembership.Role.OWNER))


@dataclass(frozen=True)
class AccountSummary:
    state: str  # not_opened, incomplete, ready, past_due
    label: str
    tone: str  # ok, warn, danger, neutral
    account: PaymentAccount | None
    requirements: list[str]


# Stripe's most frequent requirements, in words; the others are shown by their name.
REQUIREMENT_LABELS = {
    "external_account": gettext_lazy("The store's bank account"),
    "business_profile.url": gettext_lazy("The business's website"),
    "business_profile.mcc": gettext_lazy("The business's activity"),
    "company.tax_id": gettext_lazy("The company's registration number"),
    "representative.first_name": gettext_lazy("The representative's first name"),
    "representative.last_name": gettext_lazy("The representative's last name"),
    "representative.dob.day": gettext_lazy("The representative's date of birth"),
    "representative.verification.document": gettext_lazy("The representative's identity document"),
    "tos_acceptance.date": gettext_lazy("Acceptance of the provider's terms"),
}


def requirement_label(name: str) -> str:
    """Stripe's requirement names (`business_profile.url`) in words a person reads."""
    label = REQUIREMENT_LABELS.get(name)
    return str(label) if label else name.replace(".", " · ").replace("_", " ")


def account_summary(store: Store) -> AccountSummary:
    account = payment_account_of(store)
    if account is None:
        return AccountSummary("not_opened", _("Not opened"), "neutral", None, [])
    state = account.onboarding_state
    if state == "past_due":
        due = account.past_due
        return AccountSummary(
            state,
            _("Requirements past due"),
            "danger",
            account,
            [requirement_label(n) for n in due],
        )
    if state == "ready":
        return AccountSummary(state, _("Ready"), "ok", account, [])
    return AccountSummary(
        state,
        _("Onboarding incomplete"),
        "warn",
        account,
        [requirement_label(name) for name in account.currently_due],
    )
