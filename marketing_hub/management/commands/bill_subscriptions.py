"""Bill the digital packs for a month by hand (the beat job's service): safe to run again."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketing_hub.services.billing import run_billing


class Command(BaseCommand):
    help = "Bill every live digital-pack subscription once for a month (default: this month)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="The month, YYYY-MM.")
        parser.add_argument("--workers", type=int, default=settings.MARKETING_BILLING_WORKERS)

    def handle(self, *args: Any, **options: Any) -> None:
        period = None
        if options["period"]:
            try:
                period = date.fromisoformat(f"{options['period']}-01")
            except ValueError as error:
                raise CommandError("--period is a month: YYYY-MM.") from error
        report = run_billing(
            period=period, actor="command:bill_subscriptions", workers=options["workers"]
        )
        self.stdout.write(
            f"{report.period:%Y-%m}: {len(report.billed)} billed, {report.skipped} skipped, "
            f"{len(report.failed)} failed"
        )
        for subscription_id, reason in report.failed.items():
            self.stderr.write(f"subscription {subscription_id}: {reason}")
