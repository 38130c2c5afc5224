"""The marketing hub's API: orders and budgets (/api/v1/marketing/orders/, .../budgets/).

A store key (or a store member's session) sees and orders for its own store only (another
store's order is a 404); an HQ key sees every store's and orders for the store it names. An
order is created with its lines (item, quantity, proof, options) and placed at once or later;
its state, shares and proof URLs are read back; it is cancelled before production. Errors use
the API's shape: a bad line is a 400 `invalid_line` naming its fields (`lines.0.quantity`), an
order over budget a 409 `over_budget`, a move not allowed now a 409.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from network_marketplace.api.fields import JsonTyped
from network_marketplace.api.schema import file_responses
from network_marketplace.errors import DomainError
from network_marketplace.idempotency import fingerprint
from stores.api.serializers import ErrorSerializer
from stores.api.views import ERRORS
from stores.models import Store
from stores.selectors import membership_for, stores_visible_to

from ..models import Budget, MarketingItem, MarketingOrder, MarketingOrderLine, Proof
from ..services import orders as order_service
from ..services.supplier import print_file_bytes, print_file_name

MO = MarketingOrder.Status
CONFLICT = OpenApiResponse(ErrorSerializer, description="Not allowed now (over budget, state).")


def orders_visible_to(principal: Any) -> QuerySet[MarketingOrder]:
    """The tenancy rule for marketing orders in the API: the orders of the stores the caller
    may see (a store key: its own; HQ: all)."""
    return MarketingOrder.objects.filter(store__in=stores_visible_to(principal)).exclude(
        status=MO.CART, is_cart=True
    )


def budgets_visible_to(principal: Any) -> QuerySet[Budget]:
    return Budget.objects.filter(store__in=stores_visible_to(principal)).select_related("store")


def _may_order(request: Request, store: Store) -> bool:
    """Store and HQ keys, HQ staff, and the store's owners and managers may order."""
    user = request.user
    if getattr(user, "api_key", None) is not None or user.is_staff:
        return True
    membership = membership_for(user=user, store=store)
    return bool(membership and membership.can_manage)


# Serializers


class LineProofSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(source="number")
    uses_free_text = serializers.BooleanField()
    pdf_url = serializers.SerializerMethodField()

    def get_pdf_url(self, proof: Proof) -> str:
        line = self.context["line"]
        request = self.context["request"]
        return request.build_absolute_uri(
            f"/api/v1/marketing/orders/{line.order_id}/lines/{line.pk}/proof/"
        )


class MarketingOrderLineSerializer(serializers.ModelSerializer):
    proof = serializers.SerializerMethodField()

    class Meta:
        model = MarketingOrderLine
        fields = [
            "id",
            "item_reference",
            "item_name",
            "quantity",
            "options",
            "price_cents",
            "vat_rate_bp",
            "hq_share_cents",
            "store_share_cents",
            "status",
            "carrier",
            "tracking_number",
            "shipped_at",
            "received_at",
            "proof",
        ]

    @extend_schema_field(LineProofSerializer(allow_null=True))
    def get_proof(self, line: MarketingOrderLine) -> dict | None:
        if line.proof is None:
            return None
        context = {**self.context, "line": line}
        return dict(LineProofSerializer(line.proof, context=context).data)


class MarketingOrderSerializer(serializers.ModelSerializer):
    store: serializers.SlugRelatedField[Store] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    lines = MarketingOrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = MarketingOrder
        fields = [
            "id",
            "number",
            "store",
            "status",
            "placed_at",
            "review_reasons",
            "review_deadline",
            "rejection_reason",
            "total_excl_vat_cents",
            "hq_share_cents",
            "store_share_cents",
            "vat_cents",
            "note",
            "lines",
        ]


class LineRequestSerializer(JsonTyped, serializers.Serializer):
    item = serializers.CharField(help_text="The item's reference (e.g. FLY-A5).")
    quantity = serializers.IntegerField(min_value=1, help_text="One of the item's tiers.")
    proof = serializers.IntegerField(
        required=False, allow_null=True, help_text="Your store's proof (items with artwork)."
    )
    options = serializers.DictField(
        child=serializers.CharField(), required=False, help_text='e.g. {"size": "M"}'
    )


class OrderCreateSerializer(JsonTyped, serializers.Serializer):
    store = serializers.SlugField(
        required=False, help_text="HQ keys: the store ordered for. A store key: its own."
    )
    lines = LineRequestSerializer(many=True, allow_empty=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    place = serializers.BooleanField(
        default=True, help_text="Place the order at once (else place it later)."
    )


class CancelSerializer(JsonTyped, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class MarketingBudgetSerializer(serializers.ModelSerializer):
    store: serializers.SlugRelatedField[Store] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    left_cents = serializers.IntegerField(read_only=True)

    class Meta:
        model = Budget
        fields = [
            "id",
            "store",
            "period",
            "starts_on",
            "ends_on",
            "amount_cents",
            "spent_cents",
            "left_cents",
        ]


def _invalid_line(exc: DomainError) -> Response:
    return Response(
        {"code": exc.code, "detail": exc.message, "fields": dict(exc.facts.get("fields") or {})},
        status=status.HTTP_400_BAD_REQUEST,
    )


# Views


@extend_schema_view(
    list=extend_schema(
        summary="Marketing orders (a store's own; HQ: every store's)",
        responses={200: MarketingOrderSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One marketing order: state, shares, lines and proof URLs",
        responses={200: MarketingOrderSerializer, **ERRORS},
    ),
)
class MarketingOrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = MarketingOrderSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[MarketingOrder]:
        queryset = (
            orders_visible_to(self.request.user)
            .select_related("store")
            .prefetch_related("lines__proof")
            .order_by("-placed_at", "-pk")
        )
        params = self.request.query_params
        if store := params.get("store"):
            queryset = queryset.filter(store__slug=store)
        if (wanted := params.get("status")) in dict(MO.choices):
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(
        summary="Create a marketing order with its lines (and place it)",
        description="Send an `Idempotency-Key` header to retry safely: the same key and body "
        "answer with the order made the first time (200), another body with 409 "
        "`idempotency_key_reused`.",
        request=OrderCreateSerializer,
        responses={201: MarketingOrderSerializer, 409: CONFLICT, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        payload = OrderCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        stores = stores_visible_to(request.user)
        if data.get("store"):
            store = get_object_or_404(stores, slug=data["store"])
        elif stores.count() == 1:
            store = stores.get()
        else:
            raise serializers.ValidationError({"store": ["Name the store you order for."]})
        if not _may_order(request, store):
            raise PermissionDenied("Only the store's owners and managers may order.")
        lines, errors = [], {}
        for index, line in enumerate(data["lines"]):
            item = MarketingItem.objects.filter(reference=line["item"], is_active=True).first()
            proof = None
            if line.get("proof"):
                proof = Proof.objects.filter(pk=line["proof"], store=store).first()
                if proof is None:
                    errors[f"lines.{index}.proof"] = ["This proof is not one of your store's."]
            if item is None:
                errors[f"lines.{index}.item"] = ["No such item in the catalogue."]
            elif f"lines.{index}.proof" not in errors:
                lines.append(
                    order_service.LineRequest(
                        item=item,
                        quantity=line["quantity"],
                        proof=proof,
                        options=line.get("options") or {},
                    )
                )
        if errors:
            return Response(
                {
                    "code": "invalid_line",
                    "detail": "Some lines can't be ordered.",
                    "fields": errors,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        key = (request.headers.get("Idempotency-Key") or "").strip()
        digest = fingerprint(request.data)
        if len(key) > 100:
            raise serializers.ValidationError({"Idempotency-Key": ["At most 100 characters."]})
        if key and (earlier := self._earlier(store, key, digest)) is not None:
            return earlier
        try:
            order = order_service.draft_order(
                store=store,
                lines=lines,
                actor=request.user,
                note=data.get("note", ""),
                idempotency_key=key,
                request_fingerprint=digest if key else "",
            )
        except order_service.CartLineRefused as exc:
            return _invalid_line(exc)
        except IntegrityError:  # the same key, at the same moment: that request's order
            earlier = self._earlier(store, key, digest)
            if earlier is None:
                raise
            return earlier
        if data["place"]:
            try:
                order = order_service.place_order(order=order, actor=request.user)
            except order_service.CartLineRefused as exc:
                order.delete()
                return _invalid_line(exc)
            except DomainError:
                order.delete()  # nothing is left behind: the whole request changed nothing
                raise
        order = self.get_queryset().get(pk=order.pk)
        return Response(self.get_serializer(order).data, status=status.HTTP_201_CREATED)

    def _earlier(self, store: Store, key: str, digest: str) -> Response | None:
        """The answer to a retried create (same Idempotency-Key): the order it made, or a 409
        when the key was used for another request."""
        earlier = MarketingOrder.objects.filter(store=store, idempotency_key=key).first()
        if earlier is None:
            return None
        if earlier.request_fingerprint != digest:
            return Response(
                {
                    "code": "idempotency_key_reused",
                    "detail": "This Idempotency-Key was used for another request.",
                    "fields": {},
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=earlier.pk)).data)

    def _writable(self, request: Request, pk: str) -> MarketingOrder:
        order = get_object_or_404(self.get_queryset(), pk=pk)
        if not _may_order(request, order.store):
            raise PermissionDenied("Only the store's owners and managers may change its orders.")
        return order

    @extend_schema(
        summary="Place an order created with place=false",
        request=None,
        responses={200: MarketingOrderSerializer, 409: CONFLICT, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def place(self, request: Request, pk: str) -> Response:
        order = self._writable(request, pk)
        try:
            order_service.place_order(order=order, actor=request.user)
        except order_service.CartLineRefused as exc:
            return _invalid_line(exc)
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(
        summary="Cancel an order before production (budget back, credit notes)",
        request=CancelSerializer,
        responses={200: MarketingOrderSerializer, 409: CONFLICT, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        order = self._writable(request, pk)
        payload = CancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if order.status == MO.CART:
            order.delete()
            return Response(status=status.HTTP_204_NO_CONTENT)
        order_service.cancel_order(
            order=order, actor=request.user, reason=payload.validated_data.get("reason", "")
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(
        summary="Confirm receipt of every shipped line",
        request=None,
        responses={200: MarketingOrderSerializer, 409: CONFLICT, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: str) -> Response:
        order = get_object_or_404(self.get_queryset(), pk=pk)
        order_service.confirm_receipt(order=order, actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(
        summary="A line's proof PDF (the file sent to print)",
        responses={**file_responses("application/pdf", description="The PDF."), **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path=r"lines/(?P<line_pk>\d+)/proof")
    def proof(self, request: Request, pk: str, line_pk: str) -> HttpResponse:
        order = get_object_or_404(self.get_queryset(), pk=pk)
        line = get_object_or_404(order.lines.select_related("proof", "order"), pk=line_pk)
        try:
            data = print_file_bytes(line)
        except DomainError as exc:
            return Response(
                {"code": exc.code, "detail": exc.message, "fields": {}},
                status=status.HTTP_404_NOT_FOUND,
            )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{print_file_name(line)}"'
        return response


@extend_schema_view(
    list=extend_schema(
        summary="Marketing budgets with what is left (a store's own; HQ: every store's)",
        responses={200: MarketingBudgetSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One budget", responses={200: MarketingBudgetSerializer, **ERRORS}
    ),
)
class BudgetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MarketingBudgetSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Budget]:
        queryset = budgets_visible_to(self.request.user).order_by("store__slug", "-starts_on")
        if store := self.request.query_params.get("store"):
            queryset = queryset.filter(store__slug=store)
        return queryset


def register(router: DefaultRouter) -> None:
    """Orders and budgets under /api/v1/marketing/."""
    router.register("marketing/orders", MarketingOrderViewSet, basename="marketing-order")
    router.register("marketing/budgets", BudgetViewSet, basename="marketing-budget")
