"""/api/v1/checkout/quote/ and /api/v1/orders/: price and place orders, and follow them.

Who may do what: a signed-in customer (session) quotes, places orders for themselves and reads
their own orders; an HQ key places orders for headless front-ends (channel `api`) and reads
every order; a store key places orders for walk-in customers (channel `endless_aisle`, placed
by its store) and reads those. The rules are in checkout.services, orders.selectors
(orders_visible_to) and fulfillment.order_selectors.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
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
    details_in_hand,
    place_order,
)
from . import idempotency
from .schema import (
    ERROR_400,
    ERROR_401,
    ERROR_404,
    IDEMPOTENCY_KEY,
    LINES_EXAMPLE,
    ORDER_BODY_EXAMPLE,
    ORDER_EXAMPLE,
    ORDER_NUMBER,
    ORDER_PLACED_EXAMPLE,
    QUOTE_EXAMPLE,
)
from .serializers import (
    NoLongerAvailableSerializer,
    OrderQuerySerializer,
    OrderSerializer,
    OrderSummarySerializer,
    PlaceOrderInputSerializer,
    QuoteInputSerializer,
    QuoteSerializer,
)


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
                ErrorSerializer,
                description="`idempotency_key_reused`: the key was used for another body.",
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
                    "detail": "No longer available as chosen: ARD-JAR-0001-1. Nothing was ordered.",
                    "fields": {},
                    "skus": ["ARD-JAR-0001-1"],
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
        # Placed: its details are in hand; awaiting payment: read as the order API shows it.
        order = (
            details_in_hand(order) or with_order_details(Order.objects.filter(pk=order.pk)).get()
        )
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
