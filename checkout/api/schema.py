"""The OpenAPI side of /api/v1/checkout/ and /api/v1/orders/: the error answers, the parameters
and the worked examples the schema shows (checkout/api/views.py uses them)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from stores.api.serializers import ErrorSerializer

ERROR_400 = OpenApiResponse(
    ErrorSerializer,
    description="Invalid fields (`code` invalid or checkout_invalid): `fields` holds each "
    "field's errors; a line's errors under its index in `lines` (0 for the first).",
)
ERROR_401 = OpenApiResponse(ErrorSerializer, description="No or invalid credentials.")
ERROR_404 = OpenApiResponse(ErrorSerializer, description="Not an order you may see.")
ORDER_NUMBER = OpenApiParameter(
    "number", OpenApiTypes.STR, OpenApiParameter.PATH, description="The order number."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Recommended. A retry with the same key and the same body within 24 h gets the "
    "first answer back (header `Idempotent-Replayed: true`), a refusal (402, 409) too, and "
    "never places a second order: try again after a refusal with a new key; "
    "the same key with another body is a 422; a retry while the first request still runs, a "
    "409 `request_in_progress`. Up to 255 characters; keys are per caller.",
)

LINES_EXAMPLE = [
    {"sku": "ARD-JAR-0001-1", "quantity": 2, "method": "click_collect", "store": "lyon-presquile"},
    {"sku": "ARD-JAR-0069-1", "quantity": 1, "method": "home_delivery"},
]
QUOTE_EXAMPLE = {
    "currency": "EUR",
    "lines": [
        {
            "sku": "ARD-JAR-0001-1",
            "product_name": "Sécateur à lame franche",
            "options_label": "",
            "quantity": 2,
            "method": "click_collect",
            "store": "lyon-presquile",
            "unit_price_cents": 1899,
            "rrp_cents": 1999,
            "total_cents": 3798,
            "vat_percent": "20.0",
            "vat_cents": 633,
            "available": True,
            "unavailable_reason": None,
            "unavailable_message": None,
            "served_by": [
                {
                    "location": {
                        "slug": "lyon-presquile",
                        "name": "Ardoise Lyon Presqu'île",
                        "kind": "franchise",
                        "city": "Lyon",
                    },
                    "quantity": 2,
                }
            ],
            "delay_days": 0,
            "promised_on": "2026-03-02",
        },
        {
            "sku": "ARD-JAR-0069-1",
            "product_name": "Arrosoir en zinc",
            "options_label": "Contenance : 5 L",
            "quantity": 1,
            "method": "home_delivery",
            "store": None,
            "unit_price_cents": 2499,
            "rrp_cents": 2499,
            "total_cents": 2499,
            "vat_percent": "20.0",
            "vat_cents": 417,
            "available": True,
            "unavailable_reason": None,
            "unavailable_message": None,
            "served_by": [
                {
                    "location": {
                        "slug": "entrepot-central",
                        "name": "Entrepôt central",
                        "kind": "warehouse",
                        "city": "Saint-Quentin-Fallavier",
                    },
                    "quantity": 1,
                }
            ],
            "delay_days": 2,
            "promised_on": "2026-03-04",
        },
    ],
    "available": True,
    "subtotal_cents": 6297,
    "shipping_cents": 490,
    "total_cents": 6787,
    "vat_cents": 1132,
    "pay_online_cents": 6787,
    "pay_in_store_cents": 0,
    "parcels": 1,
    "promised_on": "2026-03-04",
}
ORDER_EXAMPLE = {
    "number": "ARD-0004213",
    "status": "in_progress",
    "status_label": "In progress",
    "channel": "web",
    "placed_at": "2026-03-01T14:05:12+01:00",
    "updated_at": "2026-03-01T16:40:03+01:00",
    "customer": {
        "email": "lea.martin@example.com",
        "first_name": "Léa",
        "last_name": "Martin",
        "phone": "+33 6 12 34 56 78",
    },
    "delivery_address": {
        "address_line": "3 rue Mercière",
        "postal_code": "69002",
        "city": "Lyon",
        "country": "FR",
    },
    "placed_by_store": None,
    "currency": "EUR",
    "subtotal_cents": 6297,
    "shipping_cents": 490,
    "total_cents": 6787,
    "vat_cents": 1132,
    "lines": [
        {
            "id": 9120,
            "sku": "ARD-JAR-0001-1",
            "product_name": "Sécateur à lame franche",
            "options_label": "",
            "quantity": 2,
            "cancelled_quantity": 0,
            "unit_price_cents": 1899,
            "total_cents": 3798,
            "vat_percent": "20.0",
            "vat_cents": 633,
            "method": "click_collect",
            "store": "lyon-presquile",
        },
        {
            "id": 9121,
            "sku": "ARD-JAR-0069-1",
            "product_name": "Arrosoir en zinc",
            "options_label": "Contenance : 5 L",
            "quantity": 1,
            "cancelled_quantity": 0,
            "unit_price_cents": 2499,
            "total_cents": 2499,
            "vat_percent": "20.0",
            "vat_cents": 417,
            "method": "home_delivery",
            "store": None,
        },
    ],
    "fulfilments": [
        {
            "id": 5120,
            "store": {
                "slug": "lyon-presquile",
                "name": "Ardoise Lyon Presqu'île",
                "kind": "franchise",
                "city": "Lyon",
            },
            "method": "click_collect",
            "status": "ready_for_pickup",
            "status_label": "Ready for pickup",
            "carrier": "",
            "tracking_number": "",
            "ready_at": "2026-03-01T16:40:03+01:00",
            "collect_before": "2026-03-06T16:40:03+01:00",
            "closed_at": None,
            "lines": [
                {"sku": "ARD-JAR-0001-1", "product_name": "Sécateur à lame franche", "quantity": 2}
            ],
            "events": [
                {
                    "from_status": "awaiting_acceptance",
                    "to_status": "accepted",
                    "reason": "",
                    "created_at": "2026-03-01T14:31:40+01:00",
                },
                {
                    "from_status": "accepted",
                    "to_status": "picked",
                    "reason": "",
                    "created_at": "2026-03-01T15:02:11+01:00",
                },
                {
                    "from_status": "picked",
                    "to_status": "ready_for_pickup",
                    "reason": "",
                    "created_at": "2026-03-01T16:40:03+01:00",
                },
            ],
        },
        {
            "id": 5121,
            "store": {
                "slug": "entrepot-central",
                "name": "Entrepôt central",
                "kind": "warehouse",
                "city": "Saint-Quentin-Fallavier",
            },
            "method": "home_delivery",
            "status": "shipped",
            "status_label": "Shipped",
            "carrier": "Colissimo",
            "tracking_number": "6A12345678901",
            "ready_at": None,
            "collect_before": None,
            "closed_at": "2026-03-01T16:12:54+01:00",
            "lines": [{"sku": "ARD-JAR-0069-1", "product_name": "Arrosoir en zinc", "quantity": 1}],
            "events": [
                {
                    "from_status": "awaiting_acceptance",
                    "to_status": "accepted",
                    "reason": "",
                    "created_at": "2026-03-01T14:20:00+01:00",
                },
                {
                    "from_status": "accepted",
                    "to_status": "picked",
                    "reason": "",
                    "created_at": "2026-03-01T15:45:31+01:00",
                },
                {
                    "from_status": "picked",
                    "to_status": "shipped",
                    "reason": "",
                    "created_at": "2026-03-01T16:12:54+01:00",
                },
            ],
        },
    ],
    "events": [
        {
            "from_status": "",
            "to_status": "pending_payment",
            "created_at": "2026-03-01T14:05:11+01:00",
        },
        {
            "from_status": "pending_payment",
            "to_status": "placed",
            "created_at": "2026-03-01T14:05:12+01:00",
        },
        {
            "from_status": "placed",
            "to_status": "in_progress",
            "created_at": "2026-03-01T14:20:00+01:00",
        },
    ],
}
ORDER_PLACED_EXAMPLE = {
    **ORDER_EXAMPLE,
    "status": "placed",
    "status_label": "Placed",
    "fulfilments": [
        {
            **fulfilment,
            "status": "awaiting_acceptance",
            "status_label": "Awaiting acceptance",
            "carrier": "",
            "tracking_number": "",
            "ready_at": None,
            "collect_before": None,
            "closed_at": None,
            "events": [],
        }
        for fulfilment in ORDER_EXAMPLE["fulfilments"]
    ],
    "events": ORDER_EXAMPLE["events"][:2],
}
ORDER_BODY_EXAMPLE = {
    "customer": {
        "email": "lea.martin@example.com",
        "first_name": "Léa",
        "last_name": "Martin",
        "phone": "+33 6 12 34 56 78",
    },
    "delivery_address": {"address_line": "3 rue Mercière", "postal_code": "69002", "city": "Lyon"},
    "lines": LINES_EXAMPLE,
    "payment_token": "tok_visa",
}
