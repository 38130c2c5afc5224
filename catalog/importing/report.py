"""What a catalogue import tells the person who sent the file: counts and every row error.

The dry run and the apply return the same report, so the admin page and the command show one
thing whichever ran."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_ERRORS = 5_000  # past this many, the report says so and stops listing them


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
