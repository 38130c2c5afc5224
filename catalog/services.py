"""Writes on the catalogue: publishing and archiving products, importing a catalogue file.

The price history writers live in catalog.price_history and are re-exported here, where the
other apps and the admin look for the catalogue's writes."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, connection, transaction

from network_marketplace.audit import record_audit_event
from network_marketplace.transitions import transition

from .errors import CatalogueChangedDuringImport
from .importing import ImportReport, plan_catalogue_import, write_plan
from .models import Product
from .price_history import record_hq_price_changes, record_offer_price, record_offer_prices
from .states import PRODUCT_LIFECYCLE

__all__ = [
    "archive_product",
    "import_catalogue",
    "publish_product",
    "record_hq_price_changes",
    "record_offer_price",
    "record_offer_prices",
]

# Serialises catalogue imports: two imports planned on the same snapshot would collide on SKUs.
IMPORT_LOCK_KEY = 7_301_001


def publish_product(*, product: Product, actor: Any) -> Product:
    """Make the product visible on the storefront and in the API. It needs an active variant
    (else ProductNotPublishable). Idempotent: an already published product is returned as is."""
    return transition(PRODUCT_LIFECYCLE, product, Product.Status.PUBLISHED, actor=actor).row


def archive_product(*, product: Product, actor: Any) -> Product:
    """Withdraw the product from sale for good, keeping its history. Idempotent."""
    return transition(PRODUCT_LIFECYCLE, product, Product.Status.ARCHIVED, actor=actor).row


def import_catalogue(
    *, data: bytes, filename: str, actor: Any, apply: bool = False
) -> ImportReport:
    """Check a catalogue file (CSV or XLSX, one row per variant) and, with `apply`, write it.

    The dry run (`apply=False`) writes nothing and reports what would be created, updated or
    left unchanged, and every row error. Applying re-checks the file against the catalogue as it
    is now, inside one transaction: with any error nothing is written (`report.applied` False).
    Raises catalog.errors.InvalidImportFile when the file itself cannot be used, and
    CatalogueChangedDuringImport (nothing written) if a concurrent edit collides with it.
    See catalog.importing for the columns.
    """
    if not apply:
        return plan_catalogue_import(data=data, filename=filename).report
    try:
        return _apply_catalogue_import(data=data, filename=filename, actor=actor)
    except IntegrityError as exc:
        # Imports are serialised, but an admin edit may take a SKU or GTIN between the check
        # and the write: the transaction is rolled back whole.
        raise CatalogueChangedDuringImport(filename=filename) from exc


def _apply_catalogue_import(*, data: bytes, filename: str, actor: Any) -> ImportReport:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        plan = plan_catalogue_import(data=data, filename=filename)
        report = plan.report
        if not report.ok:
            return report
        if report.has_changes:
            write_plan(plan, actor=actor)
        report.applied = True
        record_audit_event(
            actor=actor,
            action="catalogue.imported",
            data={
                "filename": filename,
                "sha256": hashlib.sha256(data).hexdigest(),
                **report.counts(),
            },
        )
    return report
