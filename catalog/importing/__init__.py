"""Reading and checking a catalogue file (CSV or XLSX, one row per variant) into an import plan,
and writing the plan. `catalog.services.import_catalogue` runs it as a dry run or applies it.

The package by step: `reading` (the file and its header), `rows` (a form per row kind: the
product's fields, the variant's), `categories` (slugs and name paths), `planning` (the file
against the catalogue, nothing written), `applying` (the plan in bulk statements), `report`.

The file's rules, as documented on the admin import page:
- Row 1 is the header. Required columns: product_slug, product_name, sku, rrp, and either
  category_slug (an existing category) or category_path ("Jardin > Outils": categories are found by
  name from the root down, and the missing ones are created).
- Optional columns: brand, description, vat_rate, status, gtin, min_price, max_price, option_*,
  and the product-safety columns manufacturer_name, manufacturer_address, manufacturer_contact,
  eu_responsible_person, product_identifier, safety_information: a row that publishes a product
  (status "published") is refused unless all six are filled, in the file or already stored.
  A column that is absent leaves the stored value alone; a blank cell in a present column clears
  it (brand, description, gtin, bounds, an option, a safety field), except vat_rate and status
  where blank keeps the current value (new products: standard VAT, draft).
- option_<name> columns are merged into a variant's options: a value sets <name>, a blank cell
  removes it, options of columns not in the file are kept.
- Amounts in euros with a comma or a dot ("12,90", "12.90", "1 234,50 €").
- Variants and products missing from the file are left as they are (never deleted).
"""

from .applying import write_plan
from .planning import ImportPlan, plan_catalogue_import
from .reading import (
    CATEGORY_COLUMNS,
    MAX_ROWS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    read_catalogue_table,
)
from .report import ImportReport, RowError

__all__ = [
    "CATEGORY_COLUMNS",
    "MAX_ROWS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportPlan",
    "ImportReport",
    "RowError",
    "plan_catalogue_import",
    "read_catalogue_table",
    "write_plan",
]
