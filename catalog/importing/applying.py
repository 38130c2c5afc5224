"""Writing a checked import plan with bulk statements.

Order matters: parent categories before their children, products before their variants, GTINs
given up before they are taken, and the status moves last (publishing needs the new variants).
The caller holds the transaction and the import lock (catalog.services.import_catalogue)."""

from __future__ import annotations

from typing import Any

from django.db import connection, models

from network_marketplace.transitions import transition

from .. import cache
from ..models import Category, Product, Variant
from ..price_history import WRITE_BATCH, record_hq_price_changes
from ..states import PRODUCT_LIFECYCLE
from .categories import Path
from .planning import ImportPlan


def write_plan(plan: ImportPlan, *, actor: Any) -> None:
    """Write everything the plan holds; raises IntegrityError if the catalogue changed under it."""
    category_ids = _create_categories(plan)
    product_ids = _write_products(plan, category_ids)
    written = _write_variants(plan, product_ids)
    record_hq_price_changes(variant_ids=[variant.pk for variant in written], source="import")
    for product, status in plan.status_moves:
        transition(PRODUCT_LIFECYCLE, product, status, actor=actor, reason="catalogue import")
    # Bulk statements skip the models' save(): retire the storefront's cached pages here.
    cache.bump(*cache.EVERYTHING)


def _create_categories(plan: ImportPlan) -> dict[Path, int]:
    category_ids: dict[Path, int] = {}
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
    return category_ids


def _write_products(plan: ImportPlan, category_ids: dict[Path, int]) -> dict[str, int]:
    """Create and update the products; returns the new products' ids by slug."""
    for product, category_path in plan.new_products:
        if category_path is not None:
            product.category_id = category_ids[category_path]
    for product in plan.changed_products:
        if product.category_id is None:
            product.category_id = category_ids[plan.changed_product_paths[product.slug]]
    created = Product.objects.bulk_create(
        [product for product, _path in plan.new_products], batch_size=WRITE_BATCH
    )
    if plan.changed_products:
        bulk_update(Product, plan.changed_products, sorted(plan.product_fields))
    return {product.slug: product.pk for product in created}


def _write_variants(plan: ImportPlan, product_ids: dict[str, int]) -> list[Variant]:
    """Update, then create the variants; returns every variant written."""
    changed = []
    for variant, new_product_slug in plan.changed_variants:
        if new_product_slug is not None:
            variant.product_id = product_ids[new_product_slug]
        changed.append(variant)
    for start in range(0, len(plan.released_gtins), WRITE_BATCH):
        Variant.objects.filter(pk__in=plan.released_gtins[start : start + WRITE_BATCH]).update(
            gtin=None
        )
    if changed:
        bulk_update(Variant, changed, sorted(plan.variant_fields))
    new = []
    for variant, product_slug in plan.new_variants:
        if variant.product_id is None:
            variant.product_id = product_ids[product_slug]
        new.append(variant)
    Variant.objects.bulk_create(new, batch_size=WRITE_BATCH)
    return changed + new


def bulk_update(model: type[models.Model], objects: list, field_names: list[str]) -> None:
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
