"""Reading and checking a catalogue file (CSV or XLSX, one row per variant) into an import plan.

Nothing here writes: `plan_catalogue_import` reads the file, validates every row, looks up what
exists in a bounded number of queries (bulk lookups, never one query per row) and returns the plan
with its report. `catalog.services.import_catalogue` runs it as a dry run or applies it.

The file's rules, as documented on the admin import page:
- Row 1 is the header. Required columns: product_slug, product_name, sku, rrp, and either
  category_slug (an existing category) or category_path ("Jardin > Outils": categories are found by
  name from the root down, and the missing ones are created).
- Optional columns: brand, description, vat_rate, status, gtin, min_price, max_price, option_*.
  A column that is absent leaves the stored value alone; a blank cell in a present column clears
  it (brand, description, gtin, bounds, an option), except vat_rate and status where blank keeps
  the current value (new products: standard VAT, draft).
- option_<name> columns are merged into a variant's options: a value sets <name>, a blank cell
  removes it, options of columns not in the file are kept.
- Amounts in euros with a comma or a dot ("12,90", "12.90", "1 234,50 €").
- Variants and products missing from the file are left as they are (never deleted).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .errors import InvalidImportFile
from .models import VAT_PERCENT, Category, Product, Variant, VatRate
from .money import AmountError, parse_euros
from .validators import validate_gtin

REQUIRED_COLUMNS = ("product_slug", "product_name", "sku", "rrp")
CATEGORY_COLUMNS = ("category_slug", "category_path")
OPTIONAL_COLUMNS = (
    "brand",
    "description",
    "vat_rate",
    "status",
    "gtin",
    "min_price",
    "max_price",
)
OPTION_PREFIX = "option_"
CATEGORY_PATH_SEPARATOR = re.compile("\\s*[>\u203a]\\s*")
MAX_ROWS = 100_000
MAX_ERRORS = 5_000  # past this many, the report says so and stops listing them
LOOKUP_CHUNK = 5_000  # values per IN (...) lookup: a bounded number of queries for any file

KEEP = object()  # the column is absent: the stored value stays as it is


# --- The report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """A problem in one cell: `row` as the spreadsheet numbers it (header = row 1)."""

    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    filename: str
    rows: int = 0
    variants_to_create: int = 0
    variants_to_update: int = 0
    variants_unchanged: int = 0
    products_to_create: int = 0
    products_to_update: int = 0
    products_unchanged: int = 0
    categories_to_create: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def has_changes(self) -> bool:
        return bool(
            self.variants_to_create
            or self.variants_to_update
            or self.products_to_create
            or self.products_to_update
            or self.categories_to_create
        )

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "variants_created": self.variants_to_create,
            "variants_updated": self.variants_to_update,
            "variants_unchanged": self.variants_unchanged,
            "products_created": self.products_to_create,
            "products_updated": self.products_to_update,
            "products_unchanged": self.products_unchanged,
            "categories_created": len(self.categories_to_create),
        }


# --- Reading the file -------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells as text)


def read_table(data: bytes, filename: str) -> Table:
    """The file's header and non-blank rows, cells as stripped text. Raises InvalidImportFile
    for anything that is not a readable CSV (UTF-8) or XLSX file with a header and rows."""
    suffix = Path(filename or "").suffix.lower()
    if not data or not data.strip():
        raise InvalidImportFile(_("The file is empty."))
    is_zip = data[:4] == b"PK\x03\x04"
    if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InvalidImportFile(
            _("Old Excel files (.xls) cannot be read: save the file as .xlsx or as CSV UTF-8.")
        )
    if suffix == ".xlsx" or is_zip:
        if not is_zip:
            raise InvalidImportFile(_("This file is not a valid XLSX workbook."))
        rows = _xlsx_rows(data)
    elif suffix in (".csv", ".txt", ""):
        rows = _csv_rows(data)
    else:
        raise InvalidImportFile(
            _("Only CSV and XLSX files can be imported (this file is “%(suffix)s”).")
            % {"suffix": suffix}
        )
    return _table(rows)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterable[tuple[int, list[str]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InvalidImportFile(_("This file is not a valid XLSX workbook.")) from exc
    try:
        if not workbook.worksheets:
            raise InvalidImportFile(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]  # the first sheet holds the catalogue
        return [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterable[tuple[int, list[str]]]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise InvalidImportFile(
            _("This is not a CSV text file (UTF-16 or binary): save it as “CSV UTF-8”.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidImportFile(
            _(
                "The file is not encoded in UTF-8 (unreadable character on line %(line)d): "
                "save it as “CSV UTF-8” and upload it again."
            )
            % {"line": line}
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ","
    try:
        return [
            (number, [cell.strip() for cell in cells])
            for number, cells in enumerate(
                csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
            )
        ]
    except csv.Error as exc:
        raise InvalidImportFile(
            _("The CSV file cannot be read: %(error)s.") % {"error": exc}
        ) from exc


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _table(rows: Iterable[tuple[int, list[str]]]) -> Table:
    rows = list(rows)
    if not rows or not any(rows[0][1]):
        raise InvalidImportFile(
            _("The first row must be the header (product_slug, product_name, sku, rrp, …).")
            if any(any(cells) for _number, cells in rows)
            else _("The file is empty.")
        )
    header = [_normalise_header(name) for name in rows[0][1]]
    while header and not header[-1]:
        header.pop()
    seen, duplicates = set(), []
    for name in header:
        if name and name in seen:
            duplicates.append(name)
        seen.add(name)
    if duplicates:
        raise InvalidImportFile(
            _("These columns appear twice in the header: %(columns)s.")
            % {"columns": ", ".join(sorted(set(duplicates)))}
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if not seen.intersection(CATEGORY_COLUMNS):
        missing.append("category_slug / category_path")
    if missing:
        raise InvalidImportFile(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    body = [(number, cells) for number, cells in rows[1:] if any(cells)]
    if not body:
        raise InvalidImportFile(_("The file has a header but no rows to import."))
    if len(body) > MAX_ROWS:
        raise InvalidImportFile(
            _("The file has %(count)d rows; split it into files of at most %(max)d rows.")
            % {"count": len(body), "max": MAX_ROWS}
        )
    return Table(header=header, rows=body)


# --- Parsing rows -----------------------------------------------------------------------------


def _vat_rates() -> dict[str, str]:
    """Accepted spellings of a VAT rate: the code ("reduced") or the percent ("5,5", "5.5 %")."""
    spellings = {}
    for rate, percent in VAT_PERCENT.items():
        spellings[rate.value] = rate.value
        exact = format(percent, "f")  # "20.0", "5.5"
        for text in {exact, exact.removesuffix(".0")}:
            spellings[text] = rate.value
            spellings[text.replace(".", ",")] = rate.value
    return spellings


def _statuses() -> dict[str, str]:
    """Accepted spellings of a status: the code or its label in any of the site's languages."""
    from django.conf import settings

    spellings = {status.value: status.value for status in Product.Status}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for status in Product.Status:
                spellings[str(status.label).casefold()] = status.value
    return spellings


@dataclass
class ParsedRow:
    number: int
    product_slug: str
    product: dict  # product fields present in the file: name, category, brand, …
    sku: str
    gtin: object  # str | None | KEEP
    options: dict | None  # {name: value or "" to remove}; None when no option_* column
    rrp_cents: int
    min_price_cents: object  # int | None | KEEP
    max_price_cents: object  # int | None | KEEP


class _RowParser:
    def __init__(self, header: list[str], report: ImportReport):
        self.header = header
        self.report = report
        self.columns = {name: index for index, name in enumerate(header) if name}
        self.option_columns = [
            (name, name[len(OPTION_PREFIX) :])
            for name in header
            if name.startswith(OPTION_PREFIX) and len(name) > len(OPTION_PREFIX)
        ]
        known = {*REQUIRED_COLUMNS, *CATEGORY_COLUMNS, *OPTIONAL_COLUMNS}
        unknown = [
            name for name in header if name and name not in known and name[:7] != OPTION_PREFIX
        ]
        if unknown:
            report.warnings.append(
                _("These columns are not used by the import and were ignored: %(columns)s.")
                % {"columns": ", ".join(unknown)}
            )
        self.rejected_category_slugs: list[tuple[int, str]] = []
        self.vat_rates = _vat_rates()
        self.statuses = _statuses()

    def has(self, column: str) -> bool:
        return column in self.columns

    def parse(self, number: int, cells: list[str]) -> ParsedRow | None:
        errors_before = self.report.error_count
        if len(cells) > len(self.header) and any(cells[len(self.header) :]):
            self.report.add_error(
                number,
                "",
                _("This row has more cells than the header has columns (check the separators)."),
            )
            return None

        def cell(column: str) -> str:
            index = self.columns.get(column)
            if index is None or index >= len(cells):
                return ""
            return cells[index]

        def error(column: str, message: str) -> None:
            self.report.add_error(number, column, message)

        product_slug = cell("product_slug")
        if not product_slug:
            error("product_slug", _("A product slug is required."))
        else:
            try:
                validate_slug(product_slug)
            except ValidationError:
                error(
                    "product_slug",
                    _("“%(value)s” is not a valid slug (letters, digits, - and _ only).")
                    % {"value": product_slug},
                )
            if len(product_slug) > Product._meta.get_field("slug").max_length:
                error("product_slug", _("A product slug has at most 200 characters."))

        product: dict = {}
        name = cell("product_name")
        if not name:
            error("product_name", _("A product name is required."))
        elif len(name) > Product._meta.get_field("name").max_length:
            error("product_name", _("A product name has at most 200 characters."))
        product["name"] = name
        product["category"] = self._category(cell, error)
        if self.has("brand"):
            brand = cell("brand")
            if len(brand) > Product._meta.get_field("brand").max_length:
                error("brand", _("A brand has at most 100 characters."))
            product["brand"] = brand
        if self.has("description"):
            product["description"] = cell("description")
        vat_text = cell("vat_rate")
        if vat_text:
            key = vat_text.replace("%", "").replace(" ", "").casefold()
            if key in self.vat_rates:
                product["vat_rate"] = self.vat_rates[key]
            else:
                error(
                    "vat_rate",
                    _("Unknown VAT rate “%(value)s”: use 20, 10, 5,5 or 2,1 (or %(codes)s).")
                    % {"value": vat_text, "codes": ", ".join(VatRate.values)},
                )
        status_text = cell("status")
        if status_text:
            status = self.statuses.get(status_text.casefold())
            if status is None:
                error(
                    "status",
                    _("Unknown status “%(value)s”: use draft, published or archived.")
                    % {"value": status_text},
                )
            product["status"] = status

        sku = cell("sku")
        if not sku:
            error("sku", _("A SKU is required."))
        elif len(sku) > Variant._meta.get_field("sku").max_length:
            error("sku", _("A SKU has at most 64 characters."))

        gtin = KEEP
        if self.has("gtin"):
            gtin = re.sub(r"[\s\u00a0]", "", cell("gtin")) or None
            if gtin is not None:
                try:
                    validate_gtin(gtin)
                except ValidationError as exc:
                    error("gtin", " ".join(exc.messages))

        options = None
        if self.option_columns:
            options = {}
            for column, option in self.option_columns:
                value = cell(column)
                if len(value) > 100:
                    error(column, _("An option value has at most 100 characters."))
                options[option] = value

        rrp_cents = self._amount(cell, error, "rrp", required=True)
        if rrp_cents == 0:
            error("rrp", _("The recommended retail price must be above zero."))
        min_cents = self._amount(cell, error, "min_price") if self.has("min_price") else KEEP
        max_cents = self._amount(cell, error, "max_price") if self.has("max_price") else KEEP
        if isinstance(min_cents, int) and isinstance(max_cents, int) and min_cents > max_cents:
            error("max_price", _("The highest price is below the lowest price."))
        if isinstance(rrp_cents, int) and rrp_cents:
            if isinstance(min_cents, int) and min_cents > rrp_cents:
                error("min_price", _("The lowest price is above the recommended retail price."))
            if isinstance(max_cents, int) and max_cents < rrp_cents:
                error("max_price", _("The highest price is below the recommended retail price."))

        if self.report.error_count > errors_before:
            if product["category"] is not None and product["category"][0] == "slug":
                # Still checked against the categories, so the report lists every error at once.
                self.rejected_category_slugs.append((number, product["category"][1]))
            return None
        return ParsedRow(
            number=number,
            product_slug=product_slug,
            product=product,
            sku=sku,
            gtin=gtin,
            options=options,
            rrp_cents=rrp_cents,
            min_price_cents=min_cents,
            max_price_cents=max_cents,
        )

    def _category(self, cell, error):
        slug = cell("category_slug") if self.has("category_slug") else ""
        if slug:
            return ("slug", slug)
        path_text = cell("category_path") if self.has("category_path") else ""
        if path_text:
            names = tuple(part for part in CATEGORY_PATH_SEPARATOR.split(path_text) if part)
            if not names:
                error("category_path", _("The category path is empty."))
            for name in names:
                if len(name) > Category._meta.get_field("name").max_length:
                    error("category_path", _("A category name has at most 120 characters."))
            return ("path", names)
        column = "category_slug" if self.has("category_slug") else "category_path"
        error(column, _("A category is required."))
        return None

    @staticmethod
    def _amount(cell, error, column: str, *, required: bool = False):
        text = cell(column)
        if not text:
            if required:
                error(column, _("An amount is required."))
            return None
        try:
            return parse_euros(text)
        except AmountError as exc:
            error(column, str(exc))
            return None


# --- Planning against the database ------------------------------------------------------------


@dataclass
class PlannedCategory:
    path: tuple[str, ...]  # names from the root
    name: str
    slug: str
    parent_path: tuple[str, ...] | None  # None: the parent exists (parent_id) or it is a root
    parent_id: int | None


@dataclass
class ImportPlan:
    report: ImportReport
    categories: list[PlannedCategory] = field(default_factory=list)  # parents before children
    new_products: list[tuple[Product, tuple[str, ...] | None]] = field(default_factory=list)
    changed_products: list[Product] = field(default_factory=list)
    product_fields: set[str] = field(default_factory=set)
    changed_product_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    new_variants: list[tuple[Variant, str]] = field(default_factory=list)  # (variant, slug)
    # (variant, slug of the new product it moves to, or None)
    changed_variants: list[tuple[Variant, str | None]] = field(default_factory=list)
    variant_fields: set[str] = field(default_factory=set)
    released_gtins: list[int] = field(default_factory=list)  # variant pks whose GTIN changes


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _fold(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(name.casefold() for name in names)


class _CategoryResolver:
    """Finds categories by slug or by name path with one query; plans the missing ones."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan
        self.by_id = {category.pk: category for category in Category.objects.all()}
        self.by_slug = {category.slug: category for category in self.by_id.values()}
        self.by_path: dict[tuple[str, ...], int] = {}
        for category in self.by_id.values():
            names, node, seen = [], category, set()
            while node is not None and node.pk not in seen:
                seen.add(node.pk)
                names.append(node.name)
                node = self.by_id.get(node.parent_id)
            self.by_path.setdefault(_fold(reversed(names)), category.pk)
        self.planned: dict[tuple[str, ...], PlannedCategory] = {}
        self.used_slugs = set(self.by_slug)

    def resolve(self, reference) -> tuple[int | None, tuple[str, ...] | None, str | None]:
        """(existing category id, planned path, error message)."""
        kind, value = reference
        if kind == "slug":
            category = self.by_slug.get(value)
            if category is None:
                return None, None, _("No category has the slug “%(slug)s”.") % {"slug": value}
            return category.pk, None, None
        folded = _fold(value)
        if folded in self.by_path:
            return self.by_path[folded], None, None
        for depth in range(1, len(value) + 1):
            prefix = folded[:depth]
            if prefix in self.by_path or prefix in self.planned:
                continue
            parent_id = self.by_path.get(prefix[:-1]) if depth > 1 else None
            parent_path = prefix[:-1] if depth > 1 and parent_id is None else None
            slug = self._unique_slug(value[:depth])
            planned = PlannedCategory(prefix, value[depth - 1], slug, parent_path, parent_id)
            self.planned[prefix] = planned
            self.plan.categories.append(planned)
            self.plan.report.categories_to_create.append(" > ".join(value[:depth]))
        return None, folded, None

    def _unique_slug(self, names: tuple[str, ...]) -> str:
        base = slugify("-".join(names))[:110] or "category"
        slug, counter = base, 2
        while slug in self.used_slugs:
            slug, counter = f"{base}-{counter}", counter + 1
        self.used_slugs.add(slug)
        return slug


PRODUCT_FIELDS = ("name", "brand", "description", "vat_rate", "status")
VARIANT_FIELDS = (
    "product_id",
    "gtin",
    "options",
    "rrp_cents",
    "min_price_cents",
    "max_price_cents",
)


def plan_catalogue_import(*, data: bytes, filename: str) -> ImportPlan:
    """Read, validate and compare the file with the catalogue; write nothing.

    Raises InvalidImportFile when the file itself is unusable; row problems are in the report.
    """
    table = read_table(data, filename)
    report = ImportReport(filename=filename, rows=len(table.rows))
    plan = ImportPlan(report=report)
    parser = _RowParser(table.header, report)
    parsed = [row for number, cells in table.rows if (row := parser.parse(number, cells))]
    parsed = _check_across_rows(parsed, report)

    resolver = _CategoryResolver(plan)
    for number, slug in parser.rejected_category_slugs:
        if slug not in resolver.by_slug:
            report.add_error(
                number, "category_slug", _("No category has the slug “%(slug)s”.") % {"slug": slug}
            )
    products = _existing(Product, "slug", {row.product_slug for row in parsed})
    variants = _existing(Variant, "sku", {row.sku for row in parsed})
    gtin_owners = _gtin_owners({row.gtin for row in parsed if isinstance(row.gtin, str)})

    # Products: the first row of each product carries its fields (the others agree with it).
    first_rows: dict[str, ParsedRow] = {}
    for row in parsed:
        first_rows.setdefault(row.product_slug, row)
    product_category: dict[str, tuple[int | None, tuple[str, ...] | None]] = {}
    for slug, row in first_rows.items():
        category_id, category_path, message = resolver.resolve(row.product["category"])
        if message:
            report.add_error(row.number, _category_column(row), message)
            continue
        product_category[slug] = (category_id, category_path)

    # Variants: each against its stored version.
    skus_in_file = {row.sku for row in parsed}
    rows_per_product: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in parsed:
        if row.product_slug not in product_category:
            continue
        if isinstance(row.gtin, str):
            owner = gtin_owners.get(row.gtin)
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

    _check_publishable(rows_per_product, first_rows, products, variants, report)
    if not report.ok:
        report.errors.sort(key=lambda error: error.row)
        return plan

    now = timezone.now()
    for slug, rows in rows_per_product.items():
        first = rows[0]
        category_id, category_path = product_category[slug]
        product = products.get(slug)
        if product is None:
            product = Product(
                slug=slug,
                name=first.product["name"],
                category_id=category_id,
                brand=first.product.get("brand", ""),
                description=first.product.get("description", ""),
                vat_rate=first.product.get("vat_rate") or VatRate.STANDARD,
                status=first.product.get("status") or Product.Status.DRAFT,
            )
            plan.new_products.append((product, category_path))
            report.products_to_create += 1
        else:
            changed = _apply_fields(product, first.product, PRODUCT_FIELDS)
            if category_path is not None or product.category_id != category_id:
                product.category_id = category_id
                changed.add("category_id")
                if category_path is not None:
                    plan.changed_product_paths[slug] = category_path
            if changed:
                product.updated_at = now
                plan.changed_products.append(product)
                plan.product_fields.update(changed | {"updated_at"})
                report.products_to_update += 1
            else:
                report.products_unchanged += 1

        for position, row in enumerate(rows):
            variant = variants.get(row.sku)
            if variant is None:
                variant = Variant(
                    sku=row.sku,
                    product_id=product.pk,
                    gtin=row.gtin if row.gtin is not KEEP else None,
                    options=_merge_options({}, row.options),
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
                "options": _merge_options(variant.options, row.options),
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
            if changed:
                plan.changed_variants.append((variant, slug if moves_to_new_product else None))
                plan.variant_fields.update(changed)
                report.variants_to_update += 1
                if "gtin" in changed and old_gtin is not None:
                    plan.released_gtins.append(variant.pk)
            else:
                report.variants_unchanged += 1
    return plan


def _category_column(row: ParsedRow) -> str:
    return "category_slug" if row.product["category"][0] == "slug" else "category_path"


def _value(value, current):
    return current if value is KEEP else value


def _merge_options(current: dict, updates: dict | None) -> dict:
    if updates is None:
        return dict(current)
    merged = {key: value for key, value in current.items() if updates.get(key, None) != ""}
    for key, value in updates.items():
        if value:
            merged[key] = value
    return merged


def _apply_fields(obj, values: dict, names: Iterable[str]) -> set[str]:
    changed = set()
    for name in names:
        if name not in values:
            continue
        if getattr(obj, name) != values[name]:
            setattr(obj, name, values[name])
            changed.add(name)
    return changed


def _existing(model, key: str, values: set[str]) -> dict:
    found = {}
    for chunk in _chunks(sorted(values)):
        for obj in model.objects.filter(**{f"{key}__in": chunk}):
            found[getattr(obj, key)] = obj
    return found


def _gtin_owners(gtins: set[str]) -> dict[str, str]:
    owners = {}
    for chunk in _chunks(sorted(gtins)):
        owners.update(Variant.objects.filter(gtin__in=chunk).values_list("gtin", "sku"))
    return owners


PRODUCT_COLUMN = {
    "name": "product_name",
    "category": "category",
    "brand": "brand",
    "description": "description",
    "vat_rate": "vat_rate",
    "status": "status",
}


def _check_across_rows(rows: list[ParsedRow], report: ImportReport) -> list[ParsedRow]:
    """Each SKU and GTIN once in the file; a product's fields the same on all its rows."""
    first_of_sku: dict[str, int] = {}
    first_of_gtin: dict[str, int] = {}
    product_rows: dict[str, ParsedRow] = {}
    kept = []
    for row in rows:
        problems = 0
        if row.sku in first_of_sku:
            report.add_error(
                row.number,
                "sku",
                _("The SKU %(sku)s is already on row %(row)d.")
                % {"sku": row.sku, "row": first_of_sku[row.sku]},
            )
            problems += 1
        else:
            first_of_sku[row.sku] = row.number
        if isinstance(row.gtin, str):
            if row.gtin in first_of_gtin:
                report.add_error(
                    row.number,
                    "gtin",
                    _("The GTIN %(gtin)s is already on row %(row)d.")
                    % {"gtin": row.gtin, "row": first_of_gtin[row.gtin]},
                )
                problems += 1
            else:
                first_of_gtin[row.gtin] = row.number
        first = product_rows.setdefault(row.product_slug, row)
        if first is not row:
            for name, value in row.product.items():
                if first.product.get(name) != value:
                    column = PRODUCT_COLUMN[name]
                    if column == "category":
                        column = "category_slug" if value[0] == "slug" else "category_path"
                    report.add_error(
                        row.number,
                        column,
                        _("This differs from row %(row)d for the same product %(slug)s.")
                        % {"row": first.number, "slug": row.product_slug},
                    )
                    problems += 1
        if not problems:
            kept.append(row)
    return kept


def _check_publishable(rows_per_product, first_rows, products, variants, report) -> None:
    """A product the file publishes must end up with an active variant. New variants are
    active; for existing products, one query tells which already have an active variant."""
    to_check = []
    for slug, rows in rows_per_product.items():
        if first_rows[slug].product.get("status") != Product.Status.PUBLISHED:
            continue
        if any(row.sku not in variants or variants[row.sku].is_active for row in rows):
            continue
        if slug in products:
            to_check.append(products[slug].pk)
        else:
            report.add_error(
                first_rows[slug].number, "status", _("A product needs an active variant.")
            )
    if not to_check:
        return
    with_active = set()
    for chunk in _chunks(to_check):
        with_active.update(
            Variant.objects.filter(product_id__in=chunk, is_active=True).values_list(
                "product_id", flat=True
            )
        )
    by_pk = {product.pk: slug for slug, product in products.items()}
    for pk in to_check:
        if pk not in with_active:
            row = first_rows[by_pk[pk]]
            report.add_error(row.number, "status", _("A product needs an active variant."))
