"""Export the money of a period for the ERP: the FEC, or a CSV of orders, commissions or
payouts. `manage.py export_money fec --from 2026-01-01 --to 2026-12-31 [--output DIR]`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from payments import exports
from payments.models import Payout
from payments.selectors import payouts_created_in
from stores.models import Store

KINDS = ("fec", "orders", "commissions", "payouts")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Export a period's FEC (accounting entries) or a CSV of orders, commissions, payouts."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--store", help="Only this store (its slug): commissions, payouts.")
        parser.add_argument(
            "--output", help="A directory to write the file in (default: standard output)."
        )

    def handle(self, *args, kind, start, end, store, output, **options):
        start, end = _day(start), _day(end)
        if end < start:
            raise CommandError("--to is before --from.")
        stores = Store.objects.order_by("pk")
        if store:
            stores = stores.filter(slug=store)
            if not stores.exists():
                raise CommandError(f"No store {store!r}.")
        name = (
            exports.fec_filename(end)
            if kind == "fec"
            else f"{kind}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
        )
        if output and not Path(output).is_dir():
            raise CommandError(f"--output {output!r} is not a directory (the file: {name}).")
        if output:
            path = Path(output) / name
            with path.open("w", encoding="utf-8", newline="") as stream:
                self._write(stream, kind, start, end, stores)
            self.stderr.write(f"Wrote {path}")
        else:
            self._write(self.stdout, kind, start, end, stores)

    def _write(self, stream, kind, start, end, stores):
        if kind == "fec":
            exports.write_fec(stream, start=start, end=end)
        elif kind == "orders":
            exports.write_orders_csv(stream, start=start, end=end)
        elif kind == "commissions":
            exports.write_commissions_csv(stream, stores=stores, start=start, end=end)
        else:
            payouts = payouts_created_in(Payout.objects.filter(store__in=stores), start, end)
            exports.write_payouts_csv(stream, payouts=payouts)
