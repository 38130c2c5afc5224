"""Reading a catalogue file: the shared tabular reader, then the catalogue's own header rules.

The file itself (encoding, delimiter, XLSX) is `network_marketplace.tabular`'s business; here
are the columns a catalogue needs and the words an HQ user reads when the file can't be used."""

from __future__ import annotations

from django.utils.translation import gettext as _

from network_marketplace.tabular import Table, TableError, read_table

from ..errors import InvalidImportFile

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
    # Product safety (GPSR art. 19): all six before a product is published.
    "manufacturer_name",
    "manufacturer_address",
    "manufacturer_contact",
    "eu_responsible_person",
    "product_identifier",
    "safety_information",
)
OPTION_PREFIX = "option_"
MAX_ROWS = 100_000


def read_catalogue_table(data: bytes, filename: str) -> Table:
    """The file's header and non-blank rows. Raises InvalidImportFile for anything that is not
    a readable CSV or XLSX file with the required columns and at least one row."""
    try:
        # A row too wide is a row error, listed with the others in the report.
        table = read_table(data, filename=filename, max_rows=MAX_ROWS, check_width=False)
    except TableError as exc:
        raise InvalidImportFile(exc.message) from exc
    if not table.header:
        raise InvalidImportFile(
            _("The first row must be the header (product_slug, product_name, sku, rrp, …).")
        )
    columns = set(table.header)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if not columns.intersection(CATEGORY_COLUMNS):
        missing.append("category_slug / category_path")
    if missing:
        raise InvalidImportFile(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if not table.rows:
        raise InvalidImportFile(_("The file has a header but no rows to import."))
    return table


def unknown_columns(header: list[str]) -> list[str]:
    """Columns the import does not use (reported as a warning, not an error)."""
    known = {*REQUIRED_COLUMNS, *CATEGORY_COLUMNS, *OPTIONAL_COLUMNS}
    return [
        name for name in header if name and name not in known and not name.startswith(OPTION_PREFIX)
    ]


def is_option_column(name: str) -> bool:
    return name.startswith(OPTION_PREFIX) and len(name) > len(OPTION_PREFIX)
