"""Compare the ledger with the payment provider's records and with itself; exit 1 on any
difference (payments.reconciliation.reconcile_payments does the work)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from payments.reconciliation import reconcile_payments


class Command(BaseCommand):
    help = (
        "Read back the charges, refunds and transfers we hold a provider reference for and "
        "compare them with our records and the ledger; check the ledger balances. Exits "
        "non-zero when there is any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            default=None,
            help="Only the payments, refunds and transfers made since this day (YYYY-MM-DD).",
        )

    def handle(self, *args, since: date | None = None, **options):
        report = reconcile_payments(since=since)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{len(report.differences)} difference(s) found.", returncode=1)
