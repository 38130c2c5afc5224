"""The customer's details on her orders: cleared when she closes her account (GDPR art. 17).

The order itself stays (the stores' and HQ's records, the accounting); what identifies her goes:
name, e-mail (an unusable address takes its place), phone, street address and its coordinates.
The postal code and town stay: they place the order in a store's catchment area, not a person.
Compliance keeps apart what the law requires before it calls this."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from ..models import Order


def clear_customer_details(*, orders: QuerySet[Order], email: str, at: datetime) -> int:
    """Clear the customer's details on `orders`, mark them erased at `at`; returns how many."""
    return orders.update(
        customer=None,
        first_name="",
        last_name="",
        email=email,
        phone="",
        address_line="",
        latitude=None,
        longitude=None,
        customer_erased_at=at,
        updated_at=at,
    )
