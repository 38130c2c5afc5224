"""Check (and with --apply, import) a catalogue file from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.errors import CatalogueChangedDuringImport, InvalidImportFile
from catalog.services import import_catalogue


class Command(BaseCommand):
    help = (
        "Check a catalogue file (CSV or XLSX, one row per variant) and report what it would "
        "change; with --apply, write it in one transaction (nothing is written on any error)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--apply", action="store_true", help="Write the changes (default: dry run)."
        )

    def handle(self, *args, file: Path, apply: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            report = import_catalogue(
                data=data, filename=file.name, actor="command:import_catalogue", apply=apply
            )
        except (InvalidImportFile, CatalogueChangedDuringImport) as exc:
            raise CommandError(exc.message) from exc

        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        for error in report.errors:
            column = f" [{error.column}]" if error.column else ""
            self.stderr.write(f"row {error.row}{column}: {error.message}")
        if not report.ok:
            raise CommandError(
                f"{report.error_count} error{'' if report.error_count == 1 else 's'} in "
                f"{file.name}: nothing was imported."
            )
        counts = report.counts()
        self.stdout.write(
            f"{counts['rows']} rows: variants {counts['variants_created']} to create, "
            f"{counts['variants_updated']} to update, {counts['variants_unchanged']} unchanged; "
            f"products {counts['products_created']} to create, "
            f"{counts['products_updated']} to update; "
            f"categories {counts['categories_created']} to create."
        )
        if apply and not report.has_changes:
            self.stdout.write("The catalogue already matches this file: nothing to change.")
        elif apply:
            self.stdout.write(self.style.SUCCESS("Imported."))
        else:
            self.stdout.write("Dry run: nothing was written. Run again with --apply to import.")
