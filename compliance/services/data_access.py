"""A store's export of its own data (P2B art. 9(2)(c)): orders it served, the customers' order
data of those orders, stock and movements, money (sales and their split, payouts, HQ's invoices),
as a ZIP of CSVs built by a Celery task.

`request_store_export` writes the export row and an outbox message in one transaction; the
outbox hands it to the worker (`compliance.tasks.build_store_export`), so a request is never
lost. `build_store_export` is safe to run twice: a finished export is left as it is, a running
one (its worker died) is built again. Progress is written after each CSV, outside any
transaction, for the page that polls it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fulfillment.models import FulfilmentLine
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import User
from network_marketplace.outbox import enqueue
from network_marketplace.transitions import transition
from orders.models import Order
from payments.invoice_models import Invoice
from payments.models import Payout, SaleSplit
from stores.models import StockLevel, StockMovement, Store

from ..models import StoreDataExport
from ..states import STORE_EXPORT_LIFECYCLE

EXPORT_KIND = "compliance.store_export"
Status = StoreDataExport.Status
Rows = Iterable[Iterable[Any]]


class ExportAlreadyRunning(DomainError):
    """An export of this store is already being built."""

    code = "export_already_running"
    http_status = 409


def request_store_export(*, store: Store, actor: Any) -> StoreDataExport:
    """Ask for a new export of `store`'s data; ExportAlreadyRunning while one is in progress."""
    with transaction.atomic():
        Store.objects.select_for_update().get(pk=store.pk)  # one request at a time per store
        if StoreDataExport.objects.filter(
            store=store, status__in=[Status.PENDING, Status.RUNNING]
        ).exists():
            raise ExportAlreadyRunning(_("An export of the store's data is already being built."))
        export = StoreDataExport.objects.create(
            store=store,
            requested_by=actor if isinstance(actor, User) else None,
            requested_by_label=actor_label(actor),
        )
        record_audit_event(
            actor=actor, action="store_export.requested", target=export, store_id=store.pk
        )
        enqueue(
            kind=EXPORT_KIND, payload={"export": export.pk}, dedupe_key=f"{EXPORT_KIND}:{export.pk}"
        )
    return export


def _csv(header: list[str], rows: Rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()  # BOM: spreadsheet software reads UTF-8


def _when(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _orders(store: Store) -> bytes:
    lines = (
        FulfilmentLine.objects.filter(fulfilment__store=store)
        .select_related("fulfilment__order", "order_line")
        .order_by("fulfilment__order__placed_at", "pk")
    )
    return _csv(
        [
            "order",
            "placed_at",
            "fulfilment",
            "method",
            "status",
            "sku",
            "product",
            "quantity",
            "unit_price_cents",
            "vat_percent",
            "currency",
        ],
        (
            (
                line.fulfilment.order.number,
                _when(line.fulfilment.order.placed_at),
                line.fulfilment_id,
                line.fulfilment.method,
                line.fulfilment.status,
                line.order_line.sku,
                line.order_line.product_name,
                line.quantity,
                line.order_line.unit_price_cents,
                line.order_line.vat_percent,
                line.fulfilment.order.currency,
            )
            for line in lines.iterator(chunk_size=2000)
        ),
    )


def _customers(store: Store) -> bytes:
    orders = Order.objects.filter(fulfilments__store=store).distinct().order_by("placed_at", "pk")
    return _csv(
        [
            "order",
            "placed_at",
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "postal_code",
            "city",
            "country",
        ],
        (
            (
                order.number,
                _when(order.placed_at),
                order.first_name,
                order.last_name,
                order.email,
                order.phone,
                order.address_line,
                order.postal_code,
                order.city,
                order.country,
            )
            for order in orders.iterator(chunk_size=2000)
        ),
    )


def _stock(store: Store) -> bytes:
    levels = StockLevel.objects.for_store(store).select_related("variant").order_by("variant__sku")
    return _csv(
        ["sku", "on_hand", "reserved", "safety_stock", "available", "price_cents"],
        (
            (
                level.variant.sku,
                level.on_hand,
                level.reserved,
                level.safety_stock,
                level.available,
                level.price_cents,
            )
            for level in levels.iterator(chunk_size=2000)
        ),
    )


def _movements(store: Store) -> bytes:
    movements = (
        StockMovement.objects.filter(store=store)
        .select_related("variant")
        .order_by("created_at", "pk")
    )
    return _csv(
        ["time", "sku", "change", "on_hand_after", "reason", "source", "reference", "by"],
        (
            (
                _when(movement.created_at),
                movement.variant.sku,
                movement.delta,
                movement.on_hand_after,
                movement.reason,
                movement.source,
                movement.reference,
                movement.actor_label,
            )
            for movement in movements.iterator(chunk_size=2000)
        ),
    )


def _sales(store: Store) -> bytes:
    splits = (
        SaleSplit.objects.filter(seller_store=store)
        .select_related("order")
        .order_by("created_at", "pk")
    )
    return _csv(
        [
            "time",
            "order",
            "kind",
            "quantity",
            "gross_cents",
            "commission_cents",
            "commission_vat_cents",
            "catchment_cents",
            "net_cents",
            "currency",
        ],
        (
            (
                _when(split.created_at),
                split.order.number,
                split.kind,
                split.quantity,
                split.gross_cents,
                split.commission_cents,
                split.commission_vat_cents,
                split.catchment_cents,
                split.net_cents,
                split.currency,
            )
            for split in splits.iterator(chunk_size=2000)
        ),
    )


def _payouts(store: Store) -> bytes:
    payouts = Payout.objects.filter(store=store).order_by("created_at", "pk")
    return _csv(
        ["created_at", "period", "amount_cents", "currency", "status", "paid_at"],
        (
            (
                _when(payout.created_at),
                payout.period_key,
                payout.amount_cents,
                payout.currency,
                payout.status,
                _when(payout.paid_at),
            )
            for payout in payouts.iterator(chunk_size=2000)
        ),
    )


def _invoices(store: Store) -> bytes:
    invoices = Invoice.objects.filter(store=store).order_by("issued_at", "pk")
    return _csv(
        [
            "number",
            "kind",
            "issued_at",
            "period_start",
            "period_end",
            "total_excl_vat_cents",
            "vat_cents",
            "total_incl_vat_cents",
            "currency",
        ],
        (
            (
                invoice.number,
                invoice.kind,
                _when(invoice.issued_at),
                invoice.period_start,
                invoice.period_end,
                invoice.total_excl_vat_cents,
                invoice.vat_cents,
                invoice.total_incl_vat_cents,
                invoice.currency,
            )
            for invoice in invoices.iterator(chunk_size=2000)
        ),
    )


# The files of the archive, in the order they are written.
EXPORT_FILES: list[tuple[str, Callable[[Store], bytes]]] = [
    ("orders.csv", _orders),
    ("customers.csv", _customers),
    ("stock.csv", _stock),
    ("stock_movements.csv", _movements),
    ("sales.csv", _sales),
    ("payouts.csv", _payouts),
    ("invoices.csv", _invoices),
]


def _files(store: Store, export_id: int) -> Iterator[tuple[str, bytes]]:
    for done, (name, build) in enumerate(EXPORT_FILES, start=1):
        yield name, build(store)
        StoreDataExport.objects.filter(pk=export_id).update(
            progress=min(99, done * 100 // len(EXPORT_FILES)), updated_at=timezone.now()
        )


def build_store_export(*, export_id: int) -> StoreDataExport:
    """Build the archive of export `export_id` and mark it ready (or failed, with the error)."""
    export = StoreDataExport.objects.select_related("store").get(pk=export_id)
    if export.status in {Status.READY, Status.FAILED}:
        return export
    transition(STORE_EXPORT_LIFECYCLE, export, Status.RUNNING, actor="export-worker")
    try:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in _files(export.store, export.pk):
                archive.writestr(name, content)
        data = buffer.getvalue()
    except Exception as exc:
        transition(
            STORE_EXPORT_LIFECYCLE,
            export,
            Status.FAILED,
            actor="export-worker",
            changes={"error": str(exc)[:300], "finished_at": timezone.now()},
        )
        raise
    return transition(
        STORE_EXPORT_LIFECYCLE,
        export,
        Status.READY,
        actor="export-worker",
        changes={
            "archive": data,
            "size_bytes": len(data),
            "progress": 100,
            "finished_at": timezone.now(),
        },
    ).row


def purge_old_exports(*, now: datetime | None = None) -> int:
    """Drop the archives of exports older than P2B_EXPORT_KEEP_DAYS (beat): the row stays as
    the record of the request, the customers' data in it does not linger."""
    before = (now or timezone.now()) - timedelta(days=settings.P2B_EXPORT_KEEP_DAYS)
    return StoreDataExport.objects.filter(created_at__lt=before, archive__isnull=False).update(
        archive=None, updated_at=timezone.now()
    )
