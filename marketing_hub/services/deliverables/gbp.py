"""The Google Business Profile pack: the store's listing as the bulk upload spreadsheet of
Google Business Profile imports it (its own column headers, one row per location), as XLSX and
CSV. Hours: "09:00-12:00,14:00-19:00" a day, empty when closed; special hours:
"2026-12-25: x, 2026-12-31: 09:00-16:00" (x: closed all day)."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.conf import settings
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Font

from network_marketplace.public_urls import public_url
from stores.models import Store
from stores.opening_hours import day_ranges
from stores.selectors import upcoming_special_days

HEADERS = [
    "Store code",
    "Business name",
    "Address line 1",
    "Address line 2",
    "Sub-locality",
    "Locality",
    "Administrative area",
    "Country / Region",
    "Postal code",
    "Latitude",
    "Longitude",
    "Primary phone",
    "Additional phones",
    "Website",
    "Primary category",
    "Additional categories",
    "Sunday hours",
    "Monday hours",
    "Tuesday hours",
    "Wednesday hours",
    "Thursday hours",
    "Friday hours",
    "Saturday hours",
    "Special hours",
    "From the business",
    "Labels",
]
# GBP's week starts on Sunday; the store's hours are keyed Monday = 0.
GBP_WEEK = (6, 0, 1, 2, 3, 4, 5)


def store_page_url(store: Store) -> str:
    return public_url(reverse("stores:detail", args=[store.slug]))


def day_hours(opening_hours: dict, weekday: int) -> str:
    return ",".join(f"{r.opens:%H:%M}-{r.closes:%H:%M}" for r in day_ranges(opening_hours, weekday))


def special_hours(store: Store, *, today: date) -> str:
    """The store's special days from today on, in GBP's format."""
    days = upcoming_special_days(store=store, today=today)
    parts = []
    for special in days:
        if special.closed or special.opens is None or special.closes is None:
            parts.append(f"{special.day:%Y-%m-%d}: x")
        else:
            parts.append(f"{special.day:%Y-%m-%d}: {special.opens:%H:%M}-{special.closes:%H:%M}")
    return ", ".join(parts)


def services_text(store: Store) -> str:
    offered = [
        ("Click & collect", store.offers_click_collect),
        ("Ship from store", store.offers_ship_from_store),
        ("Reserve & collect", store.offers_reserve_collect),
        ("Returns of online orders", store.accepts_returns),
    ]
    return ", ".join(name for name, on in offered if on)


def listing_row(store: Store, *, today: date) -> list[str]:
    """The store's row, in HEADERS' order."""
    network = settings.NETWORK_NAME
    values = {
        "Store code": store.slug,
        "Business name": store.name,
        "Address line 1": store.address_line,
        "Locality": store.city,
        "Country / Region": store.country,
        "Postal code": store.postal_code,
        "Latitude": f"{store.latitude}",
        "Longitude": f"{store.longitude}",
        "Primary phone": store.phone,
        "Website": store_page_url(store),
        "Primary category": settings.MARKETING_GBP_PRIMARY_CATEGORY,
        "Special hours": special_hours(store, today=today),
        "From the business": f"{network} · {services_text(store)}",
        "Labels": network,
    }
    for header, weekday in zip(HEADERS[16:23], GBP_WEEK, strict=True):
        values[header] = day_hours(store.opening_hours, weekday)
    return [values.get(header, "") for header in HEADERS]


def listing_xlsx(row: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Locations"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(row)
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 12), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def listing_csv(row: list[str]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(HEADERS)
    writer.writerow(row)
    return stream.getvalue().encode("utf-8")
