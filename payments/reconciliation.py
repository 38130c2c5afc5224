"""Reconciliation: the ledger against the provider's records, and the ledger against itself.

`reconcile_payments` reads back every charge, refund and transfer we hold a provider reference
for (`retrieve_charge` / `retrieve_refund` / `retrieve_transfer`) and compares the amounts (and
what was refunded or reversed) with our rows and with the ledger's entries; then it checks the
ledger itself: no unbalanced entry, a trial balance summing to zero, and the customers' money
held (419100) equal to what our records say is held (captured - sold + reversed - refunded).
A provider that keeps no records (the dummy) is not reconciled against: the report says so.
`manage.py reconcile_payments` prints the report and exits non-zero on any difference.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TypeVar

from django.db.models import Model, QuerySet, Sum
from django.utils import timezone

from . import ledger
from .models import (
    JournalLine,
    Payment,
    Refund,
    SaleSplit,
    SplitReversal,
    Transfer,
    TransferReversal,
)
from .providers import PaymentProvider, ProviderUnavailable, get_provider

Row = TypeVar("Row", bound=Model)


@dataclass(frozen=True)
class Difference:
    subject: str  # "payment 12", "transfer 3", "ledger"
    detail: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.detail}"


@dataclass
class ReconciliationReport:
    provider: str
    # False when the provider keeps no records to compare with (the dummy provider).
    provider_checked: bool
    checked: dict[str, int] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def lines(self) -> list[str]:
        out = [f"Provider: {self.provider}"]
        if self.provider_checked:
            out.append(
                "Checked against the provider: "
                + ", ".join(f"{count} {name}" for name, count in self.checked.items())
            )
        else:
            out.append(
                f"Cannot reconcile against the {self.provider} provider: it keeps no records. "
                "Only the ledger was checked."
            )
        if self.ok:
            out.append("No differences.")
        else:
            out.append(f"{len(self.differences)} difference(s):")
            out.extend(f"  - {difference}" for difference in self.differences)
        return out


def _amounts(references: list[str], code: str, side: str) -> dict[str, int]:
    """The debits (or credits) to account `code` of each entry in `references`."""
    column = "debit_cents" if side == "debit" else "credit_cents"
    return {
        row["entry__reference"]: row["total"]
        for row in JournalLine.objects.filter(entry__reference__in=references, account__code=code)
        .values("entry__reference")
        .annotate(total=Sum(column))
    }


def _compare(
    report: ReconciliationReport, subject: str, what: str, ours: int, theirs: int | None
) -> None:
    if theirs is not None and ours != theirs:
        report.differences.append(Difference(subject, f"{what}: ours {ours}, {theirs}"))


def _since(rows: QuerySet[Row], since: date | datetime | None) -> QuerySet[Row]:
    if since is None:
        return rows
    if isinstance(since, date) and not isinstance(since, datetime):
        since = timezone.make_aware(datetime.combine(since, time.min))
    return rows.filter(created_at__gte=since)


def reconcile_payments(
    *, since: date | datetime | None = None, provider: PaymentProvider | None = None
) -> ReconciliationReport:
    """Compare the ledger with the provider's records (rows created since `since`) and with
    itself; a read-only report, safe to run at any time."""
    provider = provider or get_provider()
    keeps_records = getattr(provider, "keeps_records", True)
    report = ReconciliationReport(provider=provider.name, provider_checked=keeps_records)
    if keeps_records:
        try:
            _check_charges(report, provider, since)
            _check_refunds(report, provider, since)
            _check_transfers(report, provider, since)
        except ProviderUnavailable as exc:
            report.differences.append(Difference("provider", f"did not answer: {exc}"))
    _check_ledger(report)
    return report


def _check_charges(
    report: ReconciliationReport, provider: PaymentProvider, since: date | datetime | None
) -> None:
    payments = list(
        _since(Payment.objects.filter(status=Payment.Status.SUCCEEDED), since)
        .exclude(reference="")
        .order_by("pk")
    )
    captured = _amounts(
        [f"capture:payment:{p.pk}" for p in payments], ledger.PLATFORM_BALANCE, "debit"
    )
    fees = _amounts([f"fee:payment:{p.pk}" for p in payments], ledger.PROVIDER_FEES, "debit")
    refunded: dict[int, int] = defaultdict(int)
    for payment_id, amount in Refund.objects.filter(
        payment__in=payments, status=Refund.Status.SUCCEEDED
    ).values_list("payment_id", "amount_cents"):
        refunded[payment_id] += amount
    for payment in payments:
        subject = f"payment {payment.pk} ({payment.reference})"
        booked = captured.get(f"capture:payment:{payment.pk}")
        if booked is None:
            report.differences.append(Difference(subject, "no capture entry in the ledger"))
        else:
            _compare(report, subject, "ledger capture", payment.amount_cents, booked)
        charge = provider.retrieve_charge(charge_reference=payment.reference)
        if not charge.succeeded:
            report.differences.append(
                Difference(
                    subject, f"the provider has no successful charge ({charge.failure_message})"
                )
            )
            continue
        _compare(
            report,
            subject,
            "amount at the provider",
            payment.amount_cents,
            charge.amount_cents or None,
        )
        _compare(
            report, subject, "refunded at the provider", refunded[payment.pk], charge.refunded_cents
        )
        if charge.fee_cents:
            _compare(
                report,
                subject,
                "provider fee booked",
                fees.get(f"fee:payment:{payment.pk}", 0),
                charge.fee_cents,
            )
    report.checked["charges"] = len(payments)


def _check_refunds(
    report: ReconciliationReport, provider: PaymentProvider, since: date | datetime | None
) -> None:
    refunds = list(
        _since(Refund.objects.filter(status=Refund.Status.SUCCEEDED), since)
        .exclude(reference="")
        .order_by("pk")
    )
    booked = _amounts([f"refund:{r.pk}" for r in refunds], ledger.PLATFORM_BALANCE, "credit")
    for refund in refunds:
        subject = f"refund {refund.pk} ({refund.reference})"
        _compare(
            report,
            subject,
            "ledger refund",
            refund.amount_cents,
            booked.get(f"refund:{refund.pk}", 0),
        )
        theirs = provider.retrieve_refund(refund_reference=refund.reference)
        if not theirs.succeeded:
            report.differences.append(
                Difference(subject, f"the provider has no such refund ({theirs.failure_message})")
            )
            continue
        _compare(
            report,
            subject,
            "amount at the provider",
            refund.amount_cents,
            theirs.amount_cents or None,
        )
    report.checked["refunds"] = len(refunds)


def _check_transfers(
    report: ReconciliationReport, provider: PaymentProvider, since: date | datetime | None
) -> None:
    transfers = list(_since(Transfer.objects.exclude(reference=""), since).order_by("pk"))
    booked = _amounts([f"transfer:{t.pk}" for t in transfers], ledger.PLATFORM_BALANCE, "credit")
    done = defaultdict(list)
    for reversal in TransferReversal.objects.filter(
        transfer__in=transfers, status=TransferReversal.Status.DONE
    ):
        done[reversal.transfer_id].append(reversal)
    reversed_booked = _amounts(
        [f"transfer-reversal:{r.pk}" for group in done.values() for r in group],
        ledger.PLATFORM_BALANCE,
        "debit",
    )
    for transfer in transfers:
        subject = f"transfer {transfer.pk} ({transfer.reference})"
        _compare(
            report,
            subject,
            "ledger transfer",
            transfer.amount_cents,
            booked.get(f"transfer:{transfer.pk}", 0),
        )
        reversed_ours = sum(r.amount_cents for r in done[transfer.pk])
        _compare(
            report,
            subject,
            "ledger reversals",
            reversed_ours,
            sum(reversed_booked.get(f"transfer-reversal:{r.pk}", 0) for r in done[transfer.pk]),
        )
        theirs = provider.retrieve_transfer(transfer_reference=transfer.reference)
        if not theirs.succeeded:
            report.differences.append(
                Difference(subject, f"the provider has no such transfer ({theirs.failure_message})")
            )
            continue
        _compare(
            report, subject, "amount at the provider", transfer.amount_cents, theirs.amount_cents
        )
        _compare(report, subject, "reversed at the provider", reversed_ours, theirs.reversed_cents)
    report.checked["transfers"] = len(transfers)


def _total(queryset: QuerySet, column: str) -> int:
    return queryset.aggregate(total=Sum(column))["total"] or 0


def _check_ledger(report: ReconciliationReport) -> None:
    unbalanced = ledger.unbalanced_entries()
    if unbalanced:
        report.differences.append(
            Difference("ledger", f"unbalanced entries: {', '.join(map(str, unbalanced))}")
        )
    trial = sum(ledger.trial_balance().values())
    if trial:
        report.differences.append(Difference("ledger", f"the trial balance is off by {trial}"))
    captured = _total(Payment.objects.filter(status=Payment.Status.SUCCEEDED), "amount_cents")
    refunded = _total(Refund.objects.filter(status=Refund.Status.SUCCEEDED), "amount_cents")
    sold = _total(SaleSplit.objects.all(), "gross_cents")
    reversed_ = _total(SplitReversal.objects.all(), "gross_cents")
    expected = captured - sold + reversed_ - refunded
    held = ledger.account_balance_cents(ledger.CUSTOMER_PREPAYMENTS)
    if held != expected:
        report.differences.append(
            Difference(
                "ledger",
                f"customers' money held (419100) is {held}; the open orders say {expected} "
                f"(captured {captured} - sold {sold} + reversed {reversed_} - refunded {refunded})",
            )
        )
