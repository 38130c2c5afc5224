"""French postal code centroids: loading the shipped file and finding a code's point.

The file (stores/data/postal_codes_fr.csv, made by scripts/generate_postal_codes.py from
GeoNames' data, CC BY 4.0) has one row per (code, city) with the columns
code, city, latitude, longitude, read by the project's one tabular reader (so it may also be
saved from a spreadsheet). The near-me search and catchment attribution read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from network_marketplace.errors import DomainError
from network_marketplace.tabular import TableError, read_table_file

from .models import PostalCode

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "postal_codes_fr.csv"
COLUMNS = ("code", "city", "latitude", "longitude")
CODE_PATTERN = re.compile(r"^\d{5}$")
SIX_PLACES = Decimal("0.000001")
CITY_MAX_LENGTH = PostalCode._meta.get_field("city").max_length


class PostalCodeFileError(DomainError):
    """A row of the postal code file is wrong: nothing was loaded."""

    code = "postal_code_file_invalid"

    def __init__(self, message: str, *, line: int):
        super().__init__(
            _("Line %(line)s: %(error)s") % {"line": line, "error": message}, line=line
        )
        self.line = line


@dataclass(frozen=True)
class PostalCodeRow:
    code: str
    city: str
    latitude: Decimal
    longitude: Decimal


def _coordinate(raw: str, *, name: str, limit: int, line: int) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        raise PostalCodeFileError(
            _("%(name)s %(value)r is not a number between -%(limit)s and %(limit)s.")
            % {"name": name, "value": raw, "limit": limit},
            line=line,
        )
    return value.quantize(SIX_PLACES)


def read_postal_code_file(path: Path) -> list[PostalCodeRow]:
    """Parse and check the whole file, or raise PostalCodeFileError naming the first bad line."""
    try:
        table = read_table_file(path)
    except TableError as error:
        raise PostalCodeFileError(error.message, line=error.line or 1) from error
    missing = [column for column in COLUMNS if column not in table.header]
    if missing:
        raise PostalCodeFileError(
            _("the header must name the columns %(columns)s (missing: %(missing)s).")
            % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)},
            line=1,
        )
    rows, first_line = [], {}
    for line, record in table.records():
        row = _row(record, line=line)
        key = (row.code, row.city)
        if key in first_line:
            raise PostalCodeFileError(
                _("%(code)s %(city)s is already on line %(first)s.")
                % {"code": row.code, "city": row.city, "first": first_line[key]},
                line=line,
            )
        first_line[key] = line
        rows.append(row)
    return rows


def _row(record: dict[str, str], *, line: int) -> PostalCodeRow:
    code, city = record.get("code", ""), record.get("city", "")
    if not CODE_PATTERN.match(code):
        raise PostalCodeFileError(
            _("the postal code %(code)r is not five digits.") % {"code": code}, line=line
        )
    if not city or len(city) > CITY_MAX_LENGTH:
        raise PostalCodeFileError(
            _("the city must be given, in at most %(max)s characters.") % {"max": CITY_MAX_LENGTH},
            line=line,
        )
    latitude = _coordinate(record.get("latitude", ""), name="latitude", limit=90, line=line)
    longitude = _coordinate(record.get("longitude", ""), name="longitude", limit=180, line=line)
    return PostalCodeRow(code, city, latitude, longitude)


def load_postal_codes(path: Path | str | None = None) -> int:
    """Upsert the file's centroids by (code, city) and return how many rows the file has.

    Idempotent: only new or moved rows are written, so loading the same file again writes
    nothing. The whole file is checked first; a bad row raises PostalCodeFileError and
    nothing is written. Rows absent from the file are kept.
    """
    rows = read_postal_code_file(Path(path) if path else DEFAULT_PATH)
    existing = {
        (code, city): (pk, latitude, longitude)
        for pk, code, city, latitude, longitude in PostalCode.objects.values_list(
            "pk", "code", "city", "latitude", "longitude"
        ).iterator(chunk_size=5000)
    }
    to_create, to_update = [], []
    for row in rows:
        known = existing.get((row.code, row.city))
        if known is None:
            to_create.append(
                PostalCode(
                    code=row.code, city=row.city, latitude=row.latitude, longitude=row.longitude
                )
            )
        elif (Decimal(known[1]), Decimal(known[2])) != (row.latitude, row.longitude):
            to_update.append(
                PostalCode(
                    pk=known[0],
                    code=row.code,
                    city=row.city,
                    latitude=row.latitude,
                    longitude=row.longitude,
                )
            )
    with transaction.atomic():
        PostalCode.objects.bulk_create(to_create, batch_size=2000)
        PostalCode.objects.bulk_update(to_update, ["latitude", "longitude"], batch_size=1000)
    return len(rows)
