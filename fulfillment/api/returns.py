"""Returns in the API: the customer's own returns (/api/v1/my/returns/), a store's returns desk
(/api/v1/stores/<store>/returns/) and the carrier's delivery report of a shipped parcel.

Tenancy: a customer sees the returns of their own orders; a store key or member the returns to
be received at the store and the returns of its sales (Return.objects.for_store, through the
desk's selectors); HQ any store's. Another store's return is a 404. Every step is
idempotent: repeating a receive, inspect or refund that already happened returns the return
unchanged (the refund is made once).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from network_marketplace.api.fields import JsonTyped
from orders.models import Order
from stores.api.serializers import ErrorSerializer
from stores.api.views import STORE_SLUG, StoreScopedViewSet
from stores.models import StockMovement, Store

from ..models import FulfilmentLine, Return, ReturnLine
from ..selectors import (
    DESK_VIEWS,
    customer_returns,
    order_for_guest,
    return_for_desk,
    returnable_lines,
    store_returns,
)
from ..services import (
    LineInspection,
    ReturnInvalid,
    ReturnRequestLine,
    cancel_return,
    inspect_return,
    receive_return,
    refund_return,
    request_return,
    take_back_at_desk,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid fields."),
    401: OpenApiResponse(ErrorSerializer, description="No or invalid credentials."),
    404: OpenApiResponse(ErrorSerializer, description="Not a return you may see."),
    409: OpenApiResponse(ErrorSerializer, description="Not possible in the return's state."),
}
NUMBER = OpenApiParameter(
    "number", OpenApiTypes.STR, OpenApiParameter.PATH, description="The return number (R-…)."
)


def _invalid(error: ReturnInvalid) -> Response:
    """A refused return as the API's error shape, each fact naming a field as a field error."""
    fields = {
        key: [str(value)]
        for key, value in error.facts.items()
        if key in {"lines", "reason", "method", "store", "comment"} or key.startswith("line_")
    }
    return Response(
        {"code": error.code, "detail": error.message, "fields": fields},
        status=error.http_status,
    )


def _request_lines(order: Order, given: list[dict]) -> list[ReturnRequestLine]:
    """The requested lines as fulfilment lines of `order`; an id of another order is a 400."""
    lines_by_id = {
        line.pk: line
        for line in FulfilmentLine.objects.filter(fulfilment__order=order).select_related(
            "fulfilment", "order_line"
        )
    }
    unknown = [
        item["fulfilment_line"] for item in given if item["fulfilment_line"] not in lines_by_id
    ]
    if unknown:
        raise exceptions.ValidationError(
            {"lines": [_("Not lines of this order: %(ids)s.") % {"ids": unknown}]}
        )
    return [
        ReturnRequestLine(lines_by_id[item["fulfilment_line"]], item["quantity"]) for item in given
    ]


# Serializers ------------------------------------------------------------------------------


# "withdrawal" is the reason of the returns the withdrawal button opens, not one to choose.
RETURN_REASON_CHOICES = [
    (value, label) for value, label in Return.Reason.choices if value != Return.Reason.WITHDRAWAL
]


class ReturnLineSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="order_line.sku")
    product = serializers.CharField(source="order_line.product_name")
    seller_store = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    max_refund_cents = serializers.IntegerField(
        help_text="What was paid for these units: the most the line may refund."
    )

    class Meta:
        model = ReturnLine
        fields = [
            "id",
            "sku",
            "product",
            "quantity",
            "seller_store",
            "condition",
            "restocked_quantity",
            "refund_cents",
            "max_refund_cents",
        ]
        read_only_fields = fields


class ReturnSerializer(serializers.ModelSerializer):
    order = serializers.CharField(source="order.number")
    store = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The receiving location."
    )
    store_name = serializers.CharField(source="store.name")
    refund_total_cents = serializers.IntegerField(
        help_text="The lines' refunds plus the delivery fee refunded, in cents."
    )
    lines = ReturnLineSerializer(many=True)

    class Meta:
        model = Return
        fields = [
            "number",
            "order",
            "status",
            "method",
            "store",
            "store_name",
            "reason",
            "comment",
            "refund_total_cents",
            "shipping_refund_cents",
            "refunded_cents",
            "currency",
            "lines",
            "created_at",
            "received_at",
            "inspected_at",
            "refunded_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class ReturnRequestLineSerializer(JsonTyped, serializers.Serializer):
    fulfilment_line = serializers.IntegerField(
        help_text="The id of the order's fulfilment line (see `returnable`)."
    )
    quantity = serializers.IntegerField(min_value=1)


class ReturnCreateSerializer(JsonTyped, serializers.Serializer):
    order = serializers.CharField(help_text="The order number.")
    lines = ReturnRequestLineSerializer(many=True, allow_empty=False)
    reason = serializers.ChoiceField(choices=RETURN_REASON_CHOICES)
    method = serializers.ChoiceField(choices=Return.Method.choices)
    store = serializers.SlugField(
        required=False,
        allow_null=True,
        help_text="The slug of the store the items are brought to (method `in_store`).",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReturnableLineSerializer(serializers.Serializer):
    fulfilment_line = serializers.IntegerField(source="fulfilment_line.pk")
    sku = serializers.CharField(source="order_line.sku")
    product = serializers.CharField(source="order_line.product_name")
    seller_store = serializers.CharField(source="seller_store.slug")
    received_quantity = serializers.IntegerField()
    returning_quantity = serializers.IntegerField()
    returnable_quantity = serializers.IntegerField()
    deadline = serializers.DateTimeField(allow_null=True)
    refusal = serializers.CharField(help_text="Why nothing may be returned; empty when some may.")


class InspectionLineSerializer(JsonTyped, serializers.Serializer):
    line = serializers.IntegerField(help_text="The return line's id.")
    condition = serializers.ChoiceField(
        choices=[ReturnLine.Condition.RESALABLE, ReturnLine.Condition.DAMAGED]
    )
    restock = serializers.BooleanField(
        help_text="Put the units back into this store's stock (resalable only)."
    )
    refund_cents = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="Default: the price paid. Lower it for a loss of value the customer caused.",
    )


class InspectionSerializer(JsonTyped, serializers.Serializer):
    lines = InspectionLineSerializer(many=True, allow_empty=False)


class DeskReturnCreateSerializer(JsonTyped, serializers.Serializer):
    order = serializers.CharField(help_text="The order number.")
    email = serializers.EmailField(help_text="The e-mail the order was placed with.")
    lines = ReturnRequestLineSerializer(many=True, allow_empty=False)
    reason = serializers.ChoiceField(choices=RETURN_REASON_CHOICES)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class StoreReturnQuerySerializer(serializers.Serializer):
    view = serializers.ChoiceField(
        choices=DESK_VIEWS,
        required=False,
        default="to_receive",
        help_text="`to_receive`: announced at this store; `received`: received here; `sales`: "
        "returns of this store's sales, wherever received.",
    )
    status = serializers.ChoiceField(choices=Return.Status.choices, required=False)


# Customer ---------------------------------------------------------------------------------


class IsCustomer(BasePermission):
    """A signed-in person (session), not an integrator's API key."""

    message = _("Sign in as a customer.")

    def has_permission(self, request, view):
        return bool(
            request.user
            and request.user.is_authenticated
            and getattr(request.user, "api_key", None) is None
        )


@extend_schema_view(
    list=extend_schema(
        summary="My returns",
        description="The returns of the signed-in customer's orders, newest first.",
        responses={200: ReturnSerializer(many=True), 401: ERRORS[401], 403: ERRORS[401]},
    ),
    retrieve=extend_schema(
        summary="One of my returns",
        parameters=[NUMBER],
        responses={200: ReturnSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    ),
)
class MyReturnViewSet(viewsets.GenericViewSet):
    """The signed-in customer's returns: start one within the 14-day withdrawal period, follow
    it, cancel it before the items are received."""

    permission_classes = [IsAuthenticated, IsCustomer]
    serializer_class = ReturnSerializer
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    filter_backends = []
    queryset = Return.objects.none()

    def get_queryset(self):
        return customer_returns(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, number):
        return Response(self.get_serializer(self._own(number)).data)

    def _own(self, number) -> Return:
        return get_object_or_404(self.get_queryset(), number=number.upper())

    def _own_order(self, number) -> Order:
        return get_object_or_404(
            Order.objects.exclude(status=Order.Status.PENDING_PAYMENT),
            number__iexact=(number or "").strip(),
            customer=self.request.user,
        )

    @extend_schema(
        summary="What of my order may be returned",
        parameters=[OpenApiParameter("order", OpenApiTypes.STR, description="The order number.")],
        responses={200: ReturnableLineSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def returnable(self, request):
        order = self._own_order(request.query_params.get("order", ""))
        return Response(ReturnableLineSerializer(returnable_lines(order), many=True).data)

    @extend_schema(
        summary="Start a return",
        description="Bring the items to any store that accepts returns (`method: in_store`, "
        "`store`: its slug) or send them by post to the warehouse (`method: post`). Each "
        "quantity is at most what was received minus what is already being returned, within "
        "14 days of delivery or pickup; reserve & collect purchases (paid in store) are not "
        "returnable online. The customer gets an e-mail with the return number.",
        request=ReturnCreateSerializer,
        responses={201: ReturnSerializer, **ERRORS},
    )
    def create(self, request):
        data = ReturnCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        order = self._own_order(values["order"])
        lines = _request_lines(order, values["lines"])
        store = None
        if values.get("store"):
            store = Store.objects.filter(slug=values["store"]).first()
            if store is None:
                raise exceptions.ValidationError({"store": [_("Unknown store.")]})
        try:
            made = request_return(
                order=order,
                reason=values["reason"],
                method=values["method"],
                store=store,
                comment=values.get("comment", ""),
                actor=request.user,
                lines=lines,
            )
        except ReturnInvalid as error:
            return _invalid(error)
        made = self.get_queryset().get(pk=made.pk)
        return Response(self.get_serializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel one of my returns",
        description="Only before the items are received (else 409).",
        parameters=[NUMBER],
        request=None,
        responses={200: ReturnSerializer, 401: ERRORS[401], 404: ERRORS[404], 409: ERRORS[409]},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, number):
        cancel_return(
            return_request=self._own(number),
            actor=request.user,
            reason=_("Cancelled by the customer."),
        )
        return Response(self.get_serializer(self._own(number)).data)


# Store ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="A store's returns",
        parameters=[STORE_SLUG, StoreReturnQuerySerializer],
        responses={200: ReturnSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="A return, by number",
        description="One of the store's returns, or a return still to be received that a "
        "customer brought to this store (any store that accepts returns may receive it).",
        parameters=[STORE_SLUG, NUMBER],
        responses={200: ReturnSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    ),
)
class StoreReturnViewSet(StoreScopedViewSet):
    """A store's returns desk: receive, inspect (restock into this store's stock or not),
    refund. Only the location that received a return inspects and refunds it."""

    serializer_class = ReturnSerializer
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    queryset = Return.objects.none()

    def _return(self, number) -> Return:
        found = return_for_desk(store=self.get_store(), number=number)
        if found is None:
            raise exceptions.NotFound(_("No such return."))
        return found

    def _answer(self, return_request: Return) -> Response:
        return Response(self.get_serializer(self._return(return_request.number)).data)

    def list(self, request, store_slug):
        query = StoreReturnQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        returns = store_returns(
            store=self.get_store(),
            view=query.validated_data["view"],
            status=query.validated_data.get("status", ""),
        )
        page = self.paginate_queryset(returns)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, store_slug, number):
        return Response(self.get_serializer(self._return(number)).data)

    @extend_schema(
        summary="Take back items at the desk (walk-in customer)",
        description="A customer brings items of an online order without having started a "
        "return: name the order by number and e-mail (both must match, else 404). The return "
        "is made and received at this store in one step, under the same rules (14 days, "
        "quantities).",
        parameters=[STORE_SLUG],
        request=DeskReturnCreateSerializer,
        responses={201: ReturnSerializer, **ERRORS},
    )
    def create(self, request, store_slug):
        data = DeskReturnCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        order = order_for_guest(number=values["order"], email=values["email"])
        if order is None:
            raise exceptions.NotFound(_("No order with this number and e-mail address."))
        try:
            lines = _request_lines(order, values["lines"])
            made = take_back_at_desk(
                order=order,
                lines=lines,
                reason=values["reason"],
                store=self.get_store(),
                actor=request.user,
                comment=values.get("comment", ""),
            )
        except ReturnInvalid as error:
            return _invalid(error)
        return Response(
            self.get_serializer(self._return(made.number)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Receive a return at this store",
        description="The items are in hand. A return announced for another store may be "
        "received here: this store handles it from now on.",
        parameters=[STORE_SLUG, NUMBER],
        request=None,
        responses={200: ReturnSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def receive(self, request, store_slug, number):
        received = receive_return(
            return_request=self._return(number), store=self.get_store(), actor=request.user
        )
        return self._answer(received)

    @extend_schema(
        summary="Inspect a received return",
        description="Every line: `resalable` units with `restock: true` go back into this "
        "store's stock (a `return` stock movement); `damaged` ones can't. `refund_cents` "
        "defaults to the price paid and can't exceed it.",
        parameters=[STORE_SLUG, NUMBER],
        request=InspectionSerializer,
        responses={200: ReturnSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def inspect(self, request, store_slug, number):
        return_request = self._return(number)
        data = InspectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = {line.pk: line for line in return_request.lines.all()}
        given = data.validated_data["lines"]
        unknown = [item["line"] for item in given if item["line"] not in lines]
        if unknown:
            raise exceptions.ValidationError(
                {"lines": [_("Not lines of this return: %(ids)s.") % {"ids": unknown}]}
            )
        try:
            inspected = inspect_return(
                return_request=return_request,
                store=self.get_store(),
                actor=request.user,
                source=StockMovement.Source.API,
                inspections=[
                    LineInspection(
                        lines[item["line"]],
                        item["condition"],
                        item["restock"],
                        item.get("refund_cents", lines[item["line"]].max_refund_cents),
                    )
                    for item in given
                ],
            )
        except ReturnInvalid as error:
            return _invalid(error)
        return self._answer(inspected)

    @extend_schema(
        summary="Refund an inspected return",
        description="Refunds the customer what the inspection decided (plus the delivery fee "
        "when the whole order came back), through the order's payment; the seller stores' "
        "sales are reversed (`return.refunded` webhook). Made once, however often it is called.",
        parameters=[STORE_SLUG, NUMBER],
        request=None,
        responses={200: ReturnSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def refund(self, request, store_slug, number):
        refunded = refund_return(
            return_request=self._return(number), store=self.get_store(), actor=request.user
        )
        return self._answer(refunded)
