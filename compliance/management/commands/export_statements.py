"""Write statements of reasons to a JSON file for the transparency database (no personal data)."""

from __future__ import annotations

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from compliance.models import StatementOfReasons
from compliance.transparency_db import export_batch


class Command(BaseCommand):
    help = "Export statements of reasons as the transparency database's batch JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="File to write.")
        parser.add_argument("--since", help="Only statements made on or after YYYY-MM-DD.")
        parser.add_argument(
            "--pending", action="store_true", help="Only those not yet in the database."
        )

    def handle(self, *args, output: str, since: str | None, pending: bool, **options) -> None:
        statements = StatementOfReasons.objects.all()
        if since:
            start = timezone.make_aware(datetime.fromisoformat(since))
            statements = statements.filter(created_at__gte=start)
        if pending:
            statements = statements.filter(transparency_submitted_at__isnull=True)
        batch = export_batch(statements)
        with open(output, "w", encoding="utf-8") as file:
            json.dump(batch, file, ensure_ascii=False, indent=2)
        count = len(batch["statements"])
        self.stdout.write(f"{count} statement{'' if count == 1 else 's'} written to {output}")
