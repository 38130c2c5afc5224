"""Comparing a parsed catalogue file with the catalogue: the plan of what to create and change.

Nothing here writes. What exists is looked up in a bounded number of queries (bulk lookups of at
most LOOKUP_CHUNK values, never one query per row), so a 20,000-row file costs a handful of
queries. Every row problem goes to the report; with any error the plan is left empty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import SAFETY_FIELDS, Product, Variant, VatRate
from ..states import safety_fields_message
from .categories import CategoryResolver, Path, PlannedCategory, Resolved, unknown_slug_message
from .reading import read_catalogue_table, unknown_columns
from .report import ImportReport
from .rows import KEEP, ParsedRow, RowParser

LOOKUP_CHUNK = 5_000  # values per IN (...) lookup: a bounded number of queries for any file
# Product fields a file sets in bulk; the status moves through the product lifecycle instead.
PRODUCT_FIELDS = ("name", "brand", "description", "vat_rate", *SAFETY_FIELDS)
VARIANT_FIELDS = (
    "product_id",
    "gtin",
    "options",
    "rrp_cents",
    "min_price_cents",
    "max_price_cents",
)
# A product field of ParsedRow.product -> the column a disagreement is reported on.
PRODUCT_COLUMN = {
    "name": "product_name",
    "brand": "brand",
    "description": "description",
    "vat_rate": "vat_rate",
    "status": "status",
    **{name: name for name in SAFETY_FIELDS},
}


@dataclass
class ImportPlan:
    report: ImportReport
    categories: list[PlannedCategory] = field(default_factory=list)  # parents before children
    new_products: list[tuple[Product, Path | None]] = field(default_factory=list)
    changed_products: list[Product] = field(default_factory=list)
    product_fields: set[str] = field(default_factory=set)
    changed_product_paths: dict[str, Path] = field(default_factory=dict)
    # (existing product, the status the file gives it): moved through PRODUCT_LIFECYCLE.
    status_moves: list[tuple[Product, str]] = field(default_factory=list)
    new_variants: list[tuple[Variant, str]] = field(default_factory=list)  # (variant, slug)
    # (variant, slug of the new product it moves to, or None)
    changed_variants: list[tuple[Variant, str | None]] = field(default_factory=list)
    variant_fields: set[str] = field(default_factory=set)
    released_gtins: list[int] = field(default_factory=list)  # variant pks whose GTIN changes


@dataclass(frozen=True)
class _Stored:
    """The catalogue rows the file names, read in bulk once."""

    products: dict[str, Product]
    variants: dict[str, Variant]
    gtin_owners: dict[str, str]  # GTIN -> SKU of the variant that has it


def plan_catalogue_import(*, data: bytes, filename: str) -> ImportPlan:
    """Read, validate and compare the file with the catalogue; write nothing.

    Raises InvalidImportFile when the file itself is unusable; row problems are in the report.
    """
    table = read_catalogue_table(data, filename)
    report = ImportReport(filename=filename, rows=len(table.rows))
    unknown = unknown_columns(table.header)
    if unknown:
        report.warnings.append(
            _("These columns are not used by the import and were ignored: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        )
    plan = ImportPlan(report=report)
    parser = RowParser(table.header, report)
    parsed = check_across_rows([row for line in table.rows if (row := parser.parse(line))], report)

    resolver = CategoryResolver()
    for number, slug in parser.rejected_category_slugs:
        if not resolver.has_slug(slug):
            report.add_error(number, "category_slug", unknown_slug_message(slug))
    stored = _read_stored(parsed)
    first_rows: dict[str, ParsedRow] = {}
    for row in parsed:
        first_rows.setdefault(row.product_slug, row)
    categories = _resolve_categories(first_rows, resolver, report)
    plan.categories = resolver.to_create
    report.categories_to_create = [planned.label for planned in resolver.to_create]
    rows_per_product = _rows_to_plan(parsed, categories, stored, report)
    _check_publishable(rows_per_product, first_rows, stored, report)
    if not report.ok:
        report.errors.sort(key=lambda error: error.row)
        return plan

    now = timezone.now()
    for slug, rows in rows_per_product.items():
        product = _plan_product(plan, slug, rows[0], categories[slug], stored, now)
        _plan_variants(plan, product, slug, rows, stored)
    return plan


def _read_stored(parsed: list[ParsedRow]) -> _Stored:
    return _Stored(
        products=_existing(Product, "slug", {row.product_slug for row in parsed}),
        variants=_existing(Variant, "sku", {row.sku for row in parsed}),
        gtin_owners=_gtin_owners({row.gtin for row in parsed if isinstance(row.gtin, str)}),
    )


def _resolve_categories(
    first_rows: dict[str, ParsedRow], resolver: CategoryResolver, report: ImportReport
) -> dict[str, Resolved]:
    """Each product's category, from the first row of the product (the others agree)."""
    found = {}
    for slug, row in first_rows.items():
        resolved = resolver.resolve(row.product["category"])
        if resolved.error:
            report.add_error(row.number, _category_column(row.product["category"]), resolved.error)
            continue
        found[slug] = resolved
    return found


def _rows_to_plan(
    parsed: list[ParsedRow], categories: dict[str, Resolved], stored: _Stored, report: ImportReport
) -> dict[str, list[ParsedRow]]:
    """The rows of each product with a category, leaving out those taking another's GTIN."""
    skus_in_file = {row.sku for row in parsed}
    rows_per_product: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in parsed:
        if row.product_slug not in categories:
            continue
        if isinstance(row.gtin, str):
            owner = stored.gtin_owners.get(row.gtin)
            if owner is not None and owner != row.sku and owner not in skus_in_file:
                # The owner keeps this GTIN unless the file gives the owner another one
                # (a GTIN appears once in the file, so a listed owner's GTIN changes).
                report.add_error(
                    row.number,
                    "gtin",
                    _("The GTIN %(gtin)s already belongs to the variant %(sku)s.")
                    % {"gtin": row.gtin, "sku": owner},
                )
                continue
        rows_per_product[row.product_slug].append(row)
    return rows_per_product


def _plan_product(
    plan: ImportPlan,
    slug: str,
    first: ParsedRow,
    category: Resolved,
    stored: _Stored,
    now: datetime,
) -> Product:
    """The product to create, or the stored one with the file's values set on it."""
    report = plan.report
    product = stored.products.get(slug)
    if product is None:
        product = Product(
            slug=slug,
            name=first.product["name"],
            category_id=category.category_id,
            brand=first.product.get("brand", ""),
            description=first.product.get("description", ""),
            vat_rate=first.product.get("vat_rate") or VatRate.STANDARD,
            status=first.product.get("status") or Product.Status.DRAFT,
            **{name: first.product.get(name, "") for name in SAFETY_FIELDS},
        )
        plan.new_products.append((product, category.path))
        report.products_to_create += 1
        return product
    changed = _apply_fields(product, first.product, PRODUCT_FIELDS)
    if category.path is not None or product.category_id != category.category_id:
        product.category_id = category.category_id
        changed.add("category_id")
        if category.path is not None:
            plan.changed_product_paths[slug] = category.path
    status = first.product.get("status")
    moves = status is not None and status != product.status
    if moves:
        plan.status_moves.append((product, status))
    if changed:
        product.updated_at = now
        plan.changed_products.append(product)
        plan.product_fields.update(changed | {"updated_at"})
    if changed or moves:
        report.products_to_update += 1
    else:
        report.products_unchanged += 1
    return product


def _plan_variants(
    plan: ImportPlan, product: Product, slug: str, rows: list[ParsedRow], stored: _Stored
) -> None:
    """Each row's variant: new (at its position in the file), changed or unchanged."""
    report = plan.report
    for position, row in enumerate(rows):
        variant = stored.variants.get(row.sku)
        if variant is None:
            variant = Variant(
                sku=row.sku,
                product_id=product.pk,
                gtin=row.gtin if row.gtin is not KEEP else None,
                options=merge_options({}, row.options),
                rrp_cents=row.rrp_cents,
                min_price_cents=_value(row.min_price_cents, None),
                max_price_cents=_value(row.max_price_cents, None),
                position=position,
            )
            plan.new_variants.append((variant, slug))
            report.variants_to_create += 1
            continue
        old_gtin = variant.gtin
        values = {
            "product_id": product.pk,
            "gtin": _value(row.gtin, variant.gtin),
            "options": merge_options(variant.options, row.options),
            "rrp_cents": row.rrp_cents,
            "min_price_cents": _value(row.min_price_cents, variant.min_price_cents),
            "max_price_cents": _value(row.max_price_cents, variant.max_price_cents),
        }
        moves_to_new_product = product.pk is None
        if moves_to_new_product:
            values.pop("product_id")
        changed = _apply_fields(variant, values, VARIANT_FIELDS)
        if moves_to_new_product:
            changed.add("product_id")
        if not changed:
            report.variants_unchanged += 1
            continue
        plan.changed_variants.append((variant, slug if moves_to_new_product else None))
        plan.variant_fields.update(changed)
        report.variants_to_update += 1
        if "gtin" in changed and old_gtin is not None:
            plan.released_gtins.append(variant.pk)


def check_across_rows(rows: list[ParsedRow], report: ImportReport) -> list[ParsedRow]:
    """Each SKU and GTIN once in the file; a product's fields the same on all its rows.
    Returns the rows without such a problem."""
    first_of_sku: dict[str, int] = {}
    first_of_gtin: dict[str, int] = {}
    product_rows: dict[str, ParsedRow] = {}
    kept = []
    for row in rows:
        problems = _repeated(row.sku, row.number, first_of_sku, report, "sku")
        if isinstance(row.gtin, str):
            problems += _repeated(row.gtin, row.number, first_of_gtin, report, "gtin")
        first = product_rows.setdefault(row.product_slug, row)
        if first is not row:
            problems += _disagreements(row, first, report)
        if not problems:
            kept.append(row)
    return kept


def _repeated(
    value: str, number: int, first_rows: dict[str, int], report: ImportReport, column: str
) -> int:
    """1 (and an error) when `value` is already on an earlier row, else 0."""
    if value not in first_rows:
        first_rows[value] = number
        return 0
    if column == "sku":
        message = _("The SKU %(sku)s is already on row %(row)d.") % {
            "sku": value,
            "row": first_rows[value],
        }
    else:
        message = _("The GTIN %(gtin)s is already on row %(row)d.") % {
            "gtin": value,
            "row": first_rows[value],
        }
    report.add_error(number, column, message)
    return 1


def _disagreements(row: ParsedRow, first: ParsedRow, report: ImportReport) -> int:
    problems = 0
    for name, value in row.product.items():
        if first.product.get(name) == value:
            continue
        column = _category_column(value) if name == "category" else PRODUCT_COLUMN[name]
        report.add_error(
            row.number,
            column,
            _("This differs from row %(row)d for the same product %(slug)s.")
            % {"row": first.number, "slug": row.product_slug},
        )
        problems += 1
    return problems


def _check_publishable(
    rows_per_product: dict[str, list[ParsedRow]],
    first_rows: dict[str, ParsedRow],
    stored: _Stored,
    report: ImportReport,
) -> None:
    """A product the file publishes must end up with an active variant and its product-safety
    information (the file's cells, else the stored values). New variants are active; for
    existing products, one query tells which already have an active variant."""
    to_check = []
    for slug, rows in rows_per_product.items():
        if first_rows[slug].product.get("status") != Product.Status.PUBLISHED:
            continue
        _check_safety_fields(first_rows[slug], stored.products.get(slug), report)
        if any(
            row.sku not in stored.variants or stored.variants[row.sku].is_active for row in rows
        ):
            continue
        if slug in stored.products:
            to_check.append(stored.products[slug].pk)
        else:
            report.add_error(
                first_rows[slug].number, "status", _("A product needs an active variant.")
            )
    if not to_check:
        return
    with_active = set()
    for chunk in chunks(to_check):
        with_active.update(
            Variant.objects.filter(product_id__in=chunk, is_active=True).values_list(
                "product_id", flat=True
            )
        )
    by_pk = {product.pk: slug for slug, product in stored.products.items()}
    for pk in to_check:
        if pk not in with_active:
            row = first_rows[by_pk[pk]]
            report.add_error(row.number, "status", _("A product needs an active variant."))


def _check_safety_fields(row: ParsedRow, product: Product | None, report: ImportReport) -> None:
    missing = [
        name
        for name in SAFETY_FIELDS
        if not str(row.product[name] if name in row.product else getattr(product, name, "")).strip()
    ]
    if missing:
        report.add_error(row.number, "status", safety_fields_message(missing))


def _category_column(category: tuple[str, Any]) -> str:
    return "category_slug" if category[0] == "slug" else "category_path"


def _value(value: Any, current: Any) -> Any:
    return current if value is KEEP else value


def merge_options(current: dict, updates: dict | None) -> dict:
    """`current` with the file's options set, and those the file blanks removed."""
    if updates is None:
        return dict(current)
    merged = {key: value for key, value in current.items() if updates.get(key, None) != ""}
    for key, value in updates.items():
        if value:
            merged[key] = value
    return merged


def _apply_fields(obj: models.Model, values: dict, names: Iterable[str]) -> set[str]:
    changed = set()
    for name in names:
        if name not in values:
            continue
        if getattr(obj, name) != values[name]:
            setattr(obj, name, values[name])
            changed.add(name)
    return changed


def chunks(values: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(model: type[models.Model], key: str, values: set[str]) -> dict:
    found = {}
    for chunk in chunks(sorted(values)):
        for obj in model.objects.filter(**{f"{key}__in": chunk}):
            found[getattr(obj, key)] = obj
    return found


def _gtin_owners(gtins: set[str]) -> dict[str, str]:
    owners = {}
    for chunk in chunks(sorted(gtins)):
        owners.update(Variant.objects.filter(gtin__in=chunk).values_list("gtin", "sku"))
    return owners
