"""/api/v1/stores/<store>/fulfilments/: a store's POS follows and serves its orders.

A store key (or a member's session) sees only the fulfilments its store serves: another
store's is a 404; HQ sees any store's. Each action calls one step of fulfillment.services and
answers with the fulfilment's new state; a step the fulfilment's state doesn't allow is a 409
`illegal_transition` that says why. Every step is idempotent: repeating it (a retried request)
returns the fulfilment unchanged.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from network_marketplace.errors import DomainError
from stores.api.serializers import ErrorSerializer
from stores.api.views import STORE_SLUG, StoreScopedViewSet

from .. import services, transfers
from ..models import Fulfilment
from ..selectors import store_fulfilments, with_fulfilment_details
from .serializers import (
    DeliverySerializer,
    FulfilmentQuerySerializer,
    FulfilmentSerializer,
    HandoverSerializer,
    OutcomeSerializer,
    PickupCodeErrorSerializer,
    RejectSerializer,
    ShipSerializer,
    ShipTransferSerializer,
)

FULFILMENT_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The fulfilment's id."
)
ERROR_400 = OpenApiResponse(ErrorSerializer, description="Invalid fields.")
ERROR_401 = OpenApiResponse(ErrorSerializer, description="No or invalid credentials.")
ERROR_404 = OpenApiResponse(
    ErrorSerializer, description="Not a store you may see, or not one of its fulfilments."
)
ERROR_409 = OpenApiResponse(
    ErrorSerializer,
    description="`illegal_transition`: the fulfilment's state (or method) doesn't allow this "
    "step; `detail` says from which state to which, `facts` gives `current` and `target`.",
)
ILLEGAL_EXAMPLE = OpenApiExample(
    "Not allowed now",
    response_only=True,
    status_codes=["409"],
    value={
        "code": "illegal_transition",
        "detail": "A click & collect fulfilment can't go from “Awaiting acceptance” to "
        "“Ready for pickup”.",
        "fields": {},
        "facts": {"current": "awaiting_acceptance", "target": "ready_for_pickup"},
    },
)


FULFILMENT_EXAMPLE = {
    "id": 5120,
    "store": "lyon-presquile",
    "order": {
        "number": "ARD-0004213",
        "status": "placed",
        "channel": "web",
        "placed_at": "2026-03-01T14:05:12+01:00",
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea.martin@example.com",
        "phone": "+33 6 12 34 56 78",
    },
    "method": "click_collect",
    "status": "accepted",
    "status_label": "Accepted",
    "allowed_actions": ["picked"],
    "accept_deadline": "2026-03-01T16:05:12+01:00",
    "pickup_slot": {
        "starts_at": "2026-03-02T11:30:00+01:00",
        "ends_at": "2026-03-02T12:00:00+01:00",
    },
    "accepted_at": "2026-03-01T14:31:40+01:00",
    "ready_at": None,
    "collect_before": None,
    "closed_at": None,
    "pickup_code_attempts_left": None,
    "carrier": "",
    "tracking_number": "",
    "rejection_reason": "",
    "shipping_address": None,
    "lines": [
        {
            "sku": "ARD-JAR-0001-1",
            "product_name": "Sécateur à lame franche",
            "options_label": "",
            "quantity": 2,
            "unit_price_cents": 1899,
        }
    ],
    "events": [
        {
            "from_status": "awaiting_acceptance",
            "to_status": "accepted",
            "actor": "api-key:3f9a1c2b7d10",
            "reason": "",
            "created_at": "2026-03-01T14:31:40+01:00",
        }
    ],
    "created_at": "2026-03-01T14:05:11+01:00",
    "updated_at": "2026-03-01T14:31:40+01:00",
}
ACCEPTED_EXAMPLE = OpenApiExample("Accepted", response_only=True, value=FULFILMENT_EXAMPLE)


def _step(summary: str, description: str, request=None, extra=None, examples=()):
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[STORE_SLUG, FULFILMENT_ID],
        request=request,
        responses={
            200: FulfilmentSerializer,
            400: ERROR_400,
            401: ERROR_401,
            404: ERROR_404,
            409: ERROR_409,
            **(extra or {}),
        },
        examples=[ILLEGAL_EXAMPLE, *examples],
    )


@extend_schema(tags=["fulfilments"])
@extend_schema_view(
    list=extend_schema(
        summary="A store's fulfilments",
        description="The fulfilments the store serves, oldest change first. A POS polls with "
        "`updated_since` set to the last `updated_at` it saw (inclusive: drop a repeat by "
        "`id` and `updated_at`) and a `status` filter, e.g. `awaiting_acceptance` for new "
        "orders to accept before their `accept_deadline`.",
        parameters=[STORE_SLUG, FulfilmentQuerySerializer],
        responses={
            200: FulfilmentSerializer(many=True),
            400: ERROR_400,
            401: ERROR_401,
            404: ERROR_404,
        },
    ),
    retrieve=extend_schema(
        summary="A store's fulfilment",
        description="With the order's customer, the lines to serve, the shipping address "
        "(home delivery), the history and the actions possible now.",
        parameters=[STORE_SLUG, FULFILMENT_ID],
        responses={200: FulfilmentSerializer, 401: ERROR_401, 404: ERROR_404},
        examples=[ACCEPTED_EXAMPLE],
    ),
)
class StoreFulfilmentViewSet(StoreScopedViewSet):
    """The orders a store serves, and the steps to serve them."""

    serializer_class = FulfilmentSerializer
    queryset = Fulfilment.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return with_fulfilment_details(Fulfilment.objects.for_store(self.get_store()))

    def get_object(self) -> Fulfilment:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_serializer_context(self):
        # A transfer's source and pickup store each get their own allowed actions.
        return {**super().get_serializer_context(), "store": self.get_store()}

    def list(self, request, store_slug):
        query = FulfilmentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        fulfilments = store_fulfilments(
            store=self.get_store(),
            statuses=sorted(query.validated_data.get("status") or []),
            method=query.validated_data.get("method", ""),
            updated_since=query.validated_data.get("updated_since"),
            order_number=query.validated_data.get("order", ""),
        )
        page = self.paginate_queryset(fulfilments)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, store_slug, pk):
        return Response(self.get_serializer(self.get_object()).data)

    def _answer(self, fulfilment: Fulfilment) -> Response:
        fresh = self.get_queryset().get(pk=fulfilment.pk)
        return Response(self.get_serializer(fresh).data)

    def _body(self, serializer_class) -> dict:
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @_step(
        "Accept",
        "The store will serve it: do it before `accept_deadline`.",
        examples=[ACCEPTED_EXAMPLE],
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, store_slug, pk):
        fulfilment = self.get_object()
        return self._answer(
            services.accept_fulfilment(
                fulfilment=fulfilment, actor=request.user, at_store=self.get_store()
            )
        )

    @_step(
        "Reject",
        "The store can't serve it; say why. Its held stock is given back.",
        request=RejectSerializer,
        examples=[
            OpenApiExample("A reason", request_only=True, value={"reason": "Article abîmé."})
        ],
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, store_slug, pk):
        fulfilment = self.get_object()
        body = self._body(RejectSerializer)
        return self._answer(
            services.reject_fulfilment(
                fulfilment=fulfilment,
                actor=request.user,
                reason=body["reason"],
                at_store=self.get_store(),
                missing_stock=body["missing_stock"],
            )
        )

    @_step("Mark picked", "The goods are taken off the shelf, ready to pack or set aside.")
    @action(detail=True, methods=["post"])
    def picked(self, request, store_slug, pk):
        fulfilment = self.get_object()
        return self._answer(
            services.mark_picked(
                fulfilment=fulfilment, actor=request.user, at_store=self.get_store()
            )
        )

    @_step(
        "Mark ready for pickup",
        "Click & collect and reserve & collect: the order waits at the counter. A pickup "
        "code is made for the customer (they receive it; the store never sees it) and "
        "`collect_before` set.",
    )
    @action(detail=True, methods=["post"])
    def ready(self, request, store_slug, pk):
        fulfilment = self.get_object()
        result = services.mark_ready_for_pickup(
            fulfilment=fulfilment, actor=request.user, at_store=self.get_store()
        )
        return self._answer(result.fulfilment)

    @_step(
        "Hand over",
        "Click & collect: give the order to the customer who shows the right pickup code. A "
        "wrong code is a 400 `wrong_pickup_code` with `attempts_left`; once none are left the "
        "code is void (409 `pickup_code_void`) and a new one must be sent to the customer.",
        request=HandoverSerializer,
        extra={
            400: OpenApiResponse(
                PickupCodeErrorSerializer,
                description="`invalid` (a field's errors in `fields`), `parse_error` (not JSON), "
                "or `wrong_pickup_code` with `attempts_left`.",
            ),
            409: OpenApiResponse(
                PickupCodeErrorSerializer,
                description="`pickup_code_void` (too many wrong codes), or `illegal_transition`.",
            ),
        },
        examples=[
            OpenApiExample("The code", request_only=True, value={"code": "482 915"}),
            OpenApiExample(
                "A wrong code",
                response_only=True,
                status_codes=["400"],
                value={
                    "code": "wrong_pickup_code",
                    "detail": "Wrong pickup code. 4 attempts left.",
                    "fields": {"code": ["Wrong pickup code. 4 attempts left."]},
                    "attempts_left": 4,
                },
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def handover(self, request, store_slug, pk):
        fulfilment = self.get_object()
        code = self._body(HandoverSerializer)["code"]
        try:
            handed = services.hand_over(
                fulfilment=fulfilment, code=code, actor=request.user, at_store=self.get_store()
            )
        except services.WrongPickupCode as wrong:
            return Response(
                {
                    "code": wrong.code,
                    "detail": wrong.message,
                    "fields": {"code": [wrong.message]},
                    "attempts_left": wrong.facts.get("remaining", 0),
                },
                status=wrong.http_status,
            )
        except services.PickupCodeVoid as void:
            return Response(
                {"code": void.code, "detail": void.message, "fields": {}, "attempts_left": 0},
                status=void.http_status,
            )
        return self._answer(handed)

    @_step(
        "Ship",
        "Home delivery: the parcel left with the carrier. The customer is given the tracking "
        "number.",
        request=ShipSerializer,
        examples=[
            OpenApiExample(
                "A parcel",
                request_only=True,
                value={"carrier": "Colissimo", "tracking_number": "6A12345678901"},
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def ship(self, request, store_slug, pk):
        fulfilment = self.get_object()
        body = self._body(ShipSerializer)
        return self._answer(
            services.ship_fulfilment(
                fulfilment=fulfilment,
                carrier=body["carrier"],
                tracking_number=body["tracking_number"],
                actor=request.user,
            )
        )

    @_step(
        "Send a transfer to the pickup store",
        "Store-to-store transfer, the source store: the picked goods left for the customer's "
        "pickup store, with a `carrier` and its `tracking_number`, or by the network's "
        "internal shuttle (no carrier). The units leave this store's stock (`transfer_out`). "
        "Webhook `fulfillment.transfer_shipped`. The pickup store gets a 409.",
        request=ShipTransferSerializer,
        examples=[
            OpenApiExample(
                "By carrier",
                request_only=True,
                value={"carrier": "Colissimo", "tracking_number": "6A12345678901"},
            ),
            OpenApiExample("By internal shuttle", request_only=True, value={}),
        ],
    )
    @action(detail=True, methods=["post"], url_path="ship-transfer")
    def ship_transfer(self, request, store_slug, pk):
        fulfilment = self.get_object()
        body = self._body(ShipTransferSerializer)
        shipped = transfers.ship_transfer(
            fulfilment=fulfilment,
            actor=request.user,
            at_store=self.get_store(),
            carrier=body.get("carrier", ""),
            tracking_number=body.get("tracking_number", ""),
        )
        return self._answer(shipped)

    @_step(
        "Receive a transfer",
        "Store-to-store transfer, the pickup store: the goods sent by the source store "
        "arrived. They come into this store's stock held for the order (`transfer_in`: "
        "`available` doesn't change); then mark it `ready` as usual (the customer is told "
        "then). Webhook `fulfillment.transfer_received`. Before the goods were sent: 409.",
    )
    @action(detail=True, methods=["post"])
    def receive(self, request, store_slug, pk):
        fulfilment = self.get_object()
        return self._answer(
            transfers.receive_transfer(
                fulfilment=fulfilment, actor=request.user, at_store=self.get_store()
            )
        )

    @_step(
        "Record the outcome of a reservation",
        "Reserve & collect: the customer came and bought the item in the store (`purchased: "
        "true`, the units are sold) or did not (`false`, they go back on sale).",
        request=OutcomeSerializer,
        examples=[OpenApiExample("Bought", request_only=True, value={"purchased": True})],
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, store_slug, pk):
        fulfilment = self.get_object()
        purchased = self._body(OutcomeSerializer)["purchased"]
        outcome = services.record_reserve_outcome(
            fulfilment=fulfilment,
            purchased=purchased,
            actor=request.user,
            at_store=self.get_store(),
        )
        return self._answer(outcome)

    @_step(
        "Report a shipped parcel delivered",
        "Home delivery: the carrier delivered the parcel (reported by the carrier, the store's "
        "ERP or HQ's integration) at `delivered_at` (default now; not in the future, not before "
        "shipping): the customer's 14-day withdrawal period starts then; without this report "
        "it starts 3 days after shipping. Webhook `fulfillment.delivered`. Repeating it changes "
        "nothing.",
        request=DeliverySerializer,
    )
    @action(detail=True, methods=["post"])
    def delivered(self, request, store_slug, pk):
        fulfilment = self.get_object()
        body = self._body(DeliverySerializer)
        try:
            delivered = services.mark_delivered(
                fulfilment=fulfilment, actor=request.user, delivered_at=body.get("delivered_at")
            )
        except DomainError as error:
            if "delivered_at" not in error.facts:
                raise
            raise ValidationError({"delivered_at": [str(error.facts["delivered_at"])]}) from error
        return self._answer(delivered)
