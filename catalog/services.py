"""Writes on the catalogue: publishing and archiving products, importing a catalogue file."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from network_marketplace.audit import record_audit_event

from .errors import CatalogueChangedDuringImport, ProductNotPublishable
from .importing import ImportPlan, ImportReport, plan_catalogue_import
from .models import Category, PriceHistory, Product, Variant

WRITE_BATCH = 1_000
# Serialises catalogue imports: two imports planned on the same snapshot would collide on SKUs.
IMPORT_LOCK_KEY = 7_301_001


def _set_status(*, product: Product, status: str, actor, action: str) -> Product:
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        if product.status == status:
            return product
        if (
            status == Product.Status.PUBLISHED
            and not product.variants.filter(is_active=True).exists()
        ):
            raise ProductNotPublishable(product=product.slug)
        previous = product.status
        product.status = status
        product.save(update_fields=["status", "updated_at"])
        record_audit_event(
            actor=actor, action=action, target=product, data={"from": previous, "to": status}
        )
    return product


def publish_product(*, product: Product, actor) -> Product:
    """Make the product visible on the storefront and in the API. It needs an active variant
    (else ProductNotPublishable). Idempotent: an already published product is returned as is."""
    return _set_status(
        product=product, status=Product.Status.PUBLISHED, actor=actor, action="product.published"
    )


def archive_product(*, product: Product, actor) -> Product:
    """Withdraw the product from sale for good, keeping its history. Idempotent."""
    return _set_status(
        product=product, status=Product.Status.ARCHIVED, actor=actor, action="product.archived"
    )


def import_catalogue(*, data: bytes, filename: str, actor, apply: bool = False) -> ImportReport:
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


def _apply_catalogue_import(*, data: bytes, filename: str, actor) -> ImportReport:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        plan = plan_catalogue_import(data=data, filename=filename)
        report = plan.report
        if not report.ok:
            return report
        if report.has_changes:
            _write_plan(plan)
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


def _write_plan(plan: ImportPlan) -> None:
    """Write a checked plan with bulk statements: parents before children, products before
    their variants, GTINs given up before they are taken."""
    category_ids: dict[tuple[str, ...], int] = {}
    for depth in sorted({len(planned.path) for planned in plan.categories}):
        level = [planned for planned in plan.categories if len(planned.path) == depth]
        created = Category.objects.bulk_create(
            [
                Category(
                    name=planned.name,
                    slug=planned.slug,
                    parent_id=(
                        planned.parent_id
                        if planned.parent_path is None
                        else category_ids[planned.parent_path]
                    ),
                )
                for planned in level
            ]
        )
        category_ids.update(
            (planned.path, category.pk) for planned, category in zip(level, created, strict=True)
        )

    for product, category_path in plan.new_products:
        if category_path is not None:
            product.category_id = category_ids[category_path]
    for product in plan.changed_products:
        if product.category_id is None:
            product.category_id = category_ids[_planned_path(plan, product)]
    created_products = Product.objects.bulk_create(
        [product for product, _path in plan.new_products], batch_size=WRITE_BATCH
    )
    product_ids = {product.slug: product.pk for product in created_products}
    if plan.changed_products:
        _bulk_update(Product, plan.changed_products, sorted(plan.product_fields))

    changed_variants = []
    for variant, new_product_slug in plan.changed_variants:
        if new_product_slug is not None:
            variant.product_id = product_ids[new_product_slug]
        changed_variants.append(variant)
    for start in range(0, len(plan.released_gtins), WRITE_BATCH):
        Variant.objects.filter(pk__in=plan.released_gtins[start : start + WRITE_BATCH]).update(
            gtin=None
        )
    if changed_variants:
        _bulk_update(Variant, changed_variants, sorted(plan.variant_fields))
    new_variants = []
    for variant, product_slug in plan.new_variants:
        if variant.product_id is None:
            variant.product_id = product_ids[product_slug]
        new_variants.append(variant)
    Variant.objects.bulk_create(new_variants, batch_size=WRITE_BATCH)
    record_hq_price_changes(
        variant_ids=[variant.pk for variant in changed_variants + new_variants], source="import"
    )


def _planned_path(plan: ImportPlan, product: Product) -> tuple[str, ...]:
    return plan.changed_product_paths[product.slug]


def _bulk_update(model, objects: list, field_names: list[str]) -> None:
    """`bulk_update`, but on PostgreSQL as `UPDATE … FROM (VALUES …)`: Django's CASE per row
    costs seconds for 20,000 rows (and PostgreSQL scans the CASE for each row), this costs one
    statement per 1,000 rows."""
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, field_names, batch_size=100)
        return
    meta = model._meta
    fields = [meta.pk, *(meta.get_field(name) for name in field_names)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in fields) + ")"
    assignments = ", ".join(
        f"{quote(field.column)} = data.{quote(field.column)}" for field in fields[1:]
    )
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), WRITE_BATCH):
            batch = objects[start : start + WRITE_BATCH]
            params = [
                field.get_db_prep_save(getattr(obj, field.attname), connection)
                for obj in batch
                for field in fields
            ]
            cursor.execute(
                f"UPDATE {table} SET {assignments} "  # noqa: S608 - names from the model's meta
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS data ({columns}) "
                f"WHERE {table}.{pk} = data.{pk}",
                params,
            )


# Price history ------------------------------------------------------------------------------


def record_hq_price_changes(*, variant_ids, source: str, at=None) -> int:
    """Write a history row for each of `variant_ids` whose price (the RRP) differs from the last
    one recorded: idempotent, so every writer of variants (admin, import) calls it after
    saving. Returns the number of rows written."""
    at = at or timezone.now()
    ids = list(variant_ids)
    if connection.vendor == "postgresql":
        # One statement however many variants (an import writes 20,000 in one go).
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO catalog_pricehistory (variant_id, store_id, price_cents, started_at,"
                " source) SELECT v.id, NULL, v.rrp_cents, %s, %s FROM catalog_variant v"
                " WHERE v.id = ANY(%s::bigint[]) AND v.rrp_cents IS DISTINCT FROM ("
                " SELECT h.price_cents FROM catalog_pricehistory h WHERE h.variant_id = v.id"
                " AND COALESCE(h.store_id, 0) = 0 ORDER BY h.started_at DESC, h.id DESC LIMIT 1)",
                [at, source, ids],
            )
            return cursor.rowcount
    latest = (
        PriceHistory.objects.alias(seller=Coalesce("store_id", Value(0)))
        .filter(variant_id=OuterRef("pk"), seller=0)
        .order_by("-started_at", "-pk")
        .values("price_cents")[:1]
    )
    rows = []
    for start in range(0, len(ids), WRITE_BATCH):
        changed = (
            Variant.objects.filter(pk__in=ids[start : start + WRITE_BATCH])
            .annotate(last=Subquery(latest))
            .filter(Q(last__isnull=True) | ~Q(last=F("rrp_cents")))
            .values_list("pk", "rrp_cents")
        )
        rows += [
            PriceHistory(variant_id=pk, price_cents=price, started_at=at, source=source)
            for pk, price in changed
        ]
    PriceHistory.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    return len(rows)


def record_offer_price(*, variant_id: int, store_id: int, price_cents: int, source: str, at=None):
    """A store's offer of `variant_id` is sold at `price_cents` from `at` (its effective price:
    the RRP when the store sells at it). The stores app calls it on every price change."""
    return PriceHistory.objects.create(
        variant_id=variant_id,
        store_id=store_id,
        price_cents=price_cents,
        started_at=at or timezone.now(),
        source=source,
    )


def record_offer_prices(*, store_id: int, prices: list[tuple[int, int]], source: str, at=None):
    """Many (variant id, price cents) of one store's offers at once (a feed batch)."""
    at = at or timezone.now()
    PriceHistory.objects.bulk_create(
        [
            PriceHistory(
                variant_id=variant_id,
                store_id=store_id,
                price_cents=price,
                started_at=at,
                source=source,
            )
            for variant_id, price in prices
        ],
        batch_size=WRITE_BATCH,
    )
