"""/api/v1/checkout/quote/ and /api/v1/orders/: price and place orders, and follow them.

Who may do what: a signed-in customer (session) quotes, places orders for themselves and reads
their own orders; an HQ key places orders for headless front-ends (channel `api`) and reads
every order; a store key places orders for walk-in customers (channel `endless_aisle`, placed
by its store) and reads those. The rules are in checkout.services, orders.selectors
(orders_visible_to) and fulfillment.order_selectors.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fulfillment.order_selectors import filter_orders, with_order_details, with_order_summary
from network_marketplace.errors import DomainError
from network_marketplace.idempotency import fingerprint
from orders.models import Order
from orders.pricing import LineRequest
from orders.selectors import orders_visible_to
from stores.api.serializers import ErrorSerializer
from stores.models import Store

from ..selectors import preview_checkout
from ..services import (
    CheckoutInvalid,
    CheckoutLine,
    CustomerDetails,
    NoLongerAvailable,
    place_order,
)
from . import idempotency
from .serializers import (
    NoLongerAvailableSerializer,
    OrderQuerySerializer,
    OrderSerializer,
    OrderSummarySerializer,
    PlaceOrderInputSerializer,
    QuoteInputSerializer,
    QuoteSerializer,
)

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
    {"sku": "ARD-SEC-01", "quantity": 2, "method": "click_collect", "store": "lyon-presquile"},
    {"sku": "ARD-ARR-10", "quantity": 1, "method": "home_delivery"},
]
QUOTE_EXAMPLE = {
    "currency": "EUR",
    "lines": [
        {
            "sku": "ARD-SEC-01",
            "product_name": "Sécateur Ardoise",
            "options_label": "",
            "quantity": 2,
            "method": "click_collect",
            "store": "lyon-presquile",
            "unit_price_cents": 2790,
            "rrp_cents": 2990,
            "total_cents": 5580,
            "vat_percent": "20.0",
            "vat_cents": 930,
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
            "sku": "ARD-ARR-10",
            "product_name": "Arrosoir 10 L",
            "options_label": "Vert",
            "quantity": 1,
            "method": "home_delivery",
            "store": None,
            "unit_price_cents": 1200,
            "rrp_cents": 1200,
            "total_cents": 1200,
            "vat_percent": "20.0",
            "vat_cents": 200,
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
    "subtotal_cents": 6780,
    "shipping_cents": 490,
    "total_cents": 7270,
    "vat_cents": 1212,
    "pay_online_cents": 7270,
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
    "subtotal_cents": 6780,
    "shipping_cents": 490,
    "total_cents": 7270,
    "vat_cents": 1212,
    "lines": [
        {
            "id": 9120,
            "sku": "ARD-SEC-01",
            "product_name": "Sécateur Ardoise",
            "options_label": "",
            "quantity": 2,
            "cancelled_quantity": 0,
            "unit_price_cents": 2790,
            "total_cents": 5580,
            "vat_percent": "20.0",
            "vat_cents": 930,
            "method": "click_collect",
            "store": "lyon-presquile",
        },
        {
            "id": 9121,
            "sku": "ARD-ARR-10",
            "product_name": "Arrosoir 10 L",
            "options_label": "Vert",
            "quantity": 1,
            "cancelled_quantity": 0,
            "unit_price_cents": 1200,
            "total_cents": 1200,
            "vat_percent": "20.0",
            "vat_cents": 200,
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
            "lines": [{"sku": "ARD-SEC-01", "product_name": "Sécateur Ardoise", "quantity": 2}],
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
            "lines": [{"sku": "ARD-ARR-10", "product_name": "Arrosoir 10 L", "quantity": 1}],
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


def _line_requests(lines) -> list[LineRequest]:
    return [
        LineRequest(line["variant"], line["quantity"], line["method"], line["store"])
        for line in lines
    ]


class CheckoutViewSet(viewsets.ViewSet):
    """Price a basket before placing it."""

    @extend_schema(
        summary="Quote a basket",
        description="Prices (each collect line at its store's price, home delivery at HQ's), "
        "VAT, the delivery fee and the totals; for each line whether it can be ordered as "
        "asked right now, where it would be served from (the routing preview) and the "
        "promised date. Nothing is held: stock may go before the order is placed (then 409 "
        "on POST /orders/). Any signed-in customer or API key may ask.",
        request=QuoteInputSerializer,
        responses={200: QuoteSerializer, 400: ERROR_400, 401: ERROR_401},
        examples=[
            OpenApiExample(
                "A collect line and a home-delivery line",
                request_only=True,
                value={"postal_code": "69002", "lines": LINES_EXAMPLE},
            ),
            OpenApiExample("The quote", response_only=True, value=QUOTE_EXAMPLE),
            OpenApiExample(
                "An unknown SKU",
                response_only=True,
                status_codes=["400"],
                value={
                    "code": "invalid",
                    "detail": "The request has invalid fields.",
                    "fields": {"lines": {"1": {"sku": ["Unknown SKU."]}}},
                },
            ),
        ],
    )
    @action(detail=False, methods=["post"])
    def quote(self, request):
        body = QuoteInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        point = body.point(body.validated_data["postal_code"], "postal_code")
        preview = preview_checkout(lines=_line_requests(body.validated_data["lines"]), point=point)
        return Response(QuoteSerializer(preview).data)


def _error_body(error: DomainError) -> dict:
    body = {"code": error.code, "detail": error.message, "fields": {}}
    if isinstance(error, CheckoutInvalid):
        body["fields"] = _checkout_fields(error.facts)
    elif isinstance(error, NoLongerAvailable):
        body["skus"] = _unavailable_skus(error)
    elif error.facts:
        body["facts"] = {key: str(value) for key, value in error.facts.items()}
    return body


CUSTOMER_FIELDS = {"email", "first_name", "last_name", "phone"}
ADDRESS_FIELDS = {"address_line", "postal_code", "city"}


def _checkout_fields(facts: dict) -> dict:
    """place_order's field errors, at their place in the request body."""
    fields: dict = {}
    for name, message in facts.items():
        if name in CUSTOMER_FIELDS:
            fields.setdefault("customer", {})[name] = [str(message)]
        elif name in ADDRESS_FIELDS:
            fields.setdefault("delivery_address", {})[name] = [str(message)]
        else:
            fields[name] = [str(message)]
    return fields


def _unavailable_skus(error: NoLongerAvailable) -> list[str]:
    skus = error.facts.get("skus")
    if skus:
        return list(skus)
    cause = getattr(error.__cause__, "facts", {}) or {}
    return [cause["sku"]] if cause.get("sku") else []


@extend_schema_view(
    list=extend_schema(
        summary="Orders",
        description="A signed-in customer's own orders; every order for HQ; for a store key, "
        "the orders its staff placed (endless aisle). Newest first. HQ filters by `store` "
        "(the orders a store serves) and dates.",
        parameters=[OrderQuerySerializer],
        responses={200: OrderSummarySerializer(many=True), 400: ERROR_400, 401: ERROR_401},
    ),
    retrieve=extend_schema(
        summary="An order",
        description="With its lines, its fulfilments (which location serves what, their "
        "status, carrier and tracking number, their history) and its history. Another "
        "customer's order is a 404.",
        parameters=[ORDER_NUMBER],
        responses={200: OrderSerializer, 401: ERROR_401, 404: ERROR_404},
        examples=[OpenApiExample("An order on its way", response_only=True, value=ORDER_EXAMPLE)],
    ),
)
class OrderViewSet(viewsets.GenericViewSet):
    lookup_field = "number"
    lookup_value_regex = "[A-Za-z0-9-]{1,20}"
    filter_backends = []
    queryset = Order.objects.none()

    def get_serializer_class(self):
        return OrderSummarySerializer if self.action == "list" else OrderSerializer

    def get_queryset(self):
        return orders_visible_to(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "show_actors": self.request.user.is_staff}

    def list(self, request):
        query = OrderQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        if "store" in filters:
            filters["store"] = Store.objects.filter(slug=filters["store"]).first()
            if filters["store"] is None:
                raise exceptions.ValidationError({"store": [_("Unknown store.")]})
        orders = with_order_summary(filter_orders(self.get_queryset(), **filters))
        page = self.paginate_queryset(orders.order_by("-created_at", "-id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, number):
        order = get_object_or_404(with_order_details(self.get_queryset()), number=number)
        return Response(self.get_serializer(order).data)

    @extend_schema(
        summary="Place an order",
        description="Places the order through the one checkout path: every line is priced and "
        "routed again, the stock is held, the payment taken (reserve & collect lines are paid "
        "in store) and the confirmation e-mail sent. All or nothing. A signed-in customer "
        "orders for themselves (their account's name and e-mail by default); an HQ key places "
        "it for a headless front-end (channel `api`); a store key for a walk-in customer "
        "(channel `endless_aisle`, `placed_by_store` its store).",
        parameters=[IDEMPOTENCY_KEY],
        request=PlaceOrderInputSerializer,
        responses={
            201: OrderSerializer,
            400: ERROR_400,
            401: ERROR_401,
            402: OpenApiResponse(
                ErrorSerializer,
                description="The payment was declined (`payment_declined`): nothing was ordered.",
            ),
            403: OpenApiResponse(
                ErrorSerializer, description="A store key of a store not selling."
            ),
            409: OpenApiResponse(
                NoLongerAvailableSerializer,
                description="`no_longer_available`: some lines can't be served as asked any "
                "more (`skus`); nothing was ordered. Or `request_in_progress`: a request with "
                "this Idempotency-Key is still running.",
            ),
            422: OpenApiResponse(
                ErrorSerializer, description="The Idempotency-Key was used for another body."
            ),
        },
        examples=[
            OpenApiExample("An order", request_only=True, value=ORDER_BODY_EXAMPLE),
            OpenApiExample(
                "The order placed",
                response_only=True,
                status_codes=["201"],
                value=ORDER_PLACED_EXAMPLE,
            ),
            OpenApiExample(
                "No longer available",
                response_only=True,
                status_codes=["409"],
                value={
                    "code": "no_longer_available",
                    "detail": "No longer available as chosen: ARD-SEC-01. Nothing was ordered.",
                    "fields": {},
                    "skus": ["ARD-SEC-01"],
                },
            ),
            OpenApiExample(
                "Payment declined",
                response_only=True,
                status_codes=["402"],
                value={
                    "code": "payment_declined",
                    "detail": "The payment was declined.",
                    "fields": {},
                },
            ),
        ],
    )
    def create(self, request):
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if len(key) > idempotency.MAX_KEY_LENGTH:
            raise exceptions.ValidationError(
                {"Idempotency-Key": [_("The Idempotency-Key is longer than 255 characters.")]}
            )
        principal = request.user
        api_key = getattr(principal, "api_key", None)
        account = principal if api_key is None else None
        body = PlaceOrderInputSerializer(
            data=request.data, context={"request": request, "customer_account": account}
        )
        body.is_valid(raise_exception=True)
        address = body.validated_data.get("delivery_address") or {}
        body.point(address.get("postal_code", ""), "delivery_address.postal_code")
        channel, placed_by_store = self._channel(api_key)

        claim = None
        if key:
            claim = idempotency.claim(
                principal=principal, key=key, body_fingerprint=fingerprint(request.data)
            )
            if not claim.owned:
                return self._answer_for_claim(claim)
            if claim.taken_over:
                answered = self._answer_for_earlier_attempt(claim, body.validated_data)
                if answered is not None:
                    return answered
        try:
            status_code, data, order = self._place(body.validated_data, channel, placed_by_store)
        except BaseException:
            if claim is not None:
                idempotency.give_up(claim.request)
            raise
        if claim is not None:
            idempotency.complete(claim.request, status_code=status_code, body=data, order=order)
        return Response(data, status=status_code)

    def _answer_for_earlier_attempt(self, claim, data) -> Response | None:
        """A request with this key died: did it write an order? Still awaiting payment: in
        progress; placed: that is the answer; none, or cancelled: None (place it now)."""
        earlier = idempotency.earlier_order(
            claim.request,
            principal=self.request.user,
            email=data["customer"]["email"],
            lines=data["lines"],
        )
        if earlier is None or earlier.status == Order.Status.CANCELLED:
            return None
        if earlier.status == Order.Status.PENDING_PAYMENT:
            return self._answer_for_claim(idempotency.Claim(claim.request, owned=False))
        earlier = with_order_details(Order.objects.filter(pk=earlier.pk)).get()
        data = self.get_serializer(earlier).data
        idempotency.complete(
            claim.request, status_code=status.HTTP_201_CREATED, body=data, order=earlier
        )
        return Response(data, status=status.HTTP_201_CREATED)

    def _channel(self, api_key) -> tuple[str, Store | None]:
        if api_key is None:
            return Order.Channel.WEB, None
        if api_key.is_hq:
            return Order.Channel.API, None
        store = api_key.store
        if store.status != Store.Status.ACTIVE:
            raise exceptions.PermissionDenied(_("Your store is not selling: it can't take orders."))
        return Order.Channel.ENDLESS_AISLE, store

    def _place(self, data, channel, placed_by_store):
        """(status, body, order). Domain errors become their answer, so that it is kept with
        the Idempotency-Key like a success."""
        customer, address = data["customer"], data.get("delivery_address") or {}
        account = self.request.user if getattr(self.request.user, "api_key", None) is None else None
        details = CustomerDetails(
            email=customer["email"].strip(),
            first_name=customer["first_name"].strip(),
            last_name=customer["last_name"].strip(),
            phone=customer.get("phone", "").strip(),
            address_line=address.get("address_line", ""),
            postal_code=address.get("postal_code", ""),
            city=address.get("city", ""),
            user=account,
            language=customer["language"],
        )
        lines = [
            CheckoutLine(line["variant"], line["quantity"], line["method"], line["store"])
            for line in data["lines"]
        ]
        try:
            order = place_order(
                customer=details,
                lines=lines,
                actor=self.request.user,
                channel=channel,
                placed_by_store=placed_by_store,
                payment_token=data["payment_token"],
            )
        except DomainError as error:
            return error.http_status, _error_body(error), None
        order = with_order_details(Order.objects.filter(pk=order.pk)).get()
        return status.HTTP_201_CREATED, self.get_serializer(order).data, order

    def _answer_for_claim(self, claim: idempotency.Claim) -> Response:
        if claim.mismatch:
            return Response(
                {
                    "code": "idempotency_key_reused",
                    "detail": _("This Idempotency-Key was used for another request."),
                    "fields": {},
                },
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        if claim.replay:
            return Response(
                idempotency.stored_answer(claim.request),
                status=claim.request.status_code,
                headers={"Idempotent-Replayed": "true"},
            )
        return Response(
            {
                "code": "request_in_progress",
                "detail": _("A request with this Idempotency-Key is still running: retry later."),
                "fields": {},
            },
            status=status.HTTP_409_CONFLICT,
            headers={"Retry-After": "2"},
        )
