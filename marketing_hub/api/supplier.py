"""The marketing hub's API: suppliers (/api/v1/marketing/supplier/lines/).

A supplier authenticates with its own API key (`Authorization: Bearer nmsup_...`, made in HQ's
admin and shown once) or its portal login, and sees only its lines (another supplier's line is
a 404): list them with their signed print links, mark them produced, shipped with carrier and
tracking.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import authentication, exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from network_marketplace.api.fields import JsonTyped
from stores.api.views import ERRORS
from stores.authentication import SessionAuthentication

from ..models import MarketingOrderLine, Supplier
from ..services import supplier as supplier_service


class SupplierPrincipal:
    """`request.user` for a supplier's API key: acts as that supplier, nothing else."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, supplier: Supplier):
        self.supplier = supplier

    def __str__(self) -> str:
        return f"supplier:{self.supplier.pk}"


class SupplierKeyScheme(OpenApiAuthenticationExtension):
    target_class = "marketing_hub.api.supplier.SupplierKeyAuthentication"
    name = "SupplierKeyAuth"

    def get_security_definition(self, auto_schema: object) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A supplier's API key (`Bearer <key>`): it sees its own lines only.",
        }


class SupplierKeyAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "api-key")

    def authenticate(self, request: Request) -> tuple[SupplierPrincipal, Supplier] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        supplier = supplier_service.supplier_for_api_key(header[1])
        if supplier is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked supplier key."))
        return SupplierPrincipal(supplier), supplier

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="supplier"'


def supplier_of(request: Request) -> Supplier | None:
    principal: Any = request.user
    if isinstance(principal, SupplierPrincipal):
        return principal.supplier
    return supplier_service.suppliers_of_user(principal).order_by("pk").first()


def _actor(request: Request) -> Any:
    principal: Any = request.user
    return str(principal) if isinstance(principal, SupplierPrincipal) else principal


class IsSupplier(BasePermission):
    message = "Only a supplier's key or login may use these endpoints."

    def has_permission(self, request: Request, view: Any) -> bool:
        return supplier_of(request) is not None


class SupplierLineSerializer(serializers.ModelSerializer):
    order = serializers.CharField(source="order.number", read_only=True)
    store = serializers.CharField(source="order.store.name", read_only=True)
    delivery_address = serializers.SerializerMethodField()
    print_url = serializers.SerializerMethodField()

    class Meta:
        model = MarketingOrderLine
        fields = [
            "id",
            "order",
            "store",
            "delivery_address",
            "item_reference",
            "item_name",
            "quantity",
            "options",
            "status",
            "carrier",
            "tracking_number",
            "produced_at",
            "shipped_at",
            "print_url",
        ]

    def get_delivery_address(self, line: MarketingOrderLine) -> str:
        store = line.order.store
        return f"{store.name}, {store.address_line}, {store.postal_code} {store.city}"

    def get_print_url(self, line: MarketingOrderLine) -> str:
        return supplier_service.print_file_url(line) if line.proof_id else ""


class ShipmentSerializer(JsonTyped, serializers.Serializer):
    carrier = serializers.CharField(max_length=60)
    tracking_number = serializers.CharField(max_length=80)


@extend_schema_view(
    list=extend_schema(
        summary="A supplier's lines (its own only)",
        responses={200: SupplierLineSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One of the supplier's lines", responses={200: SupplierLineSerializer, **ERRORS}
    ),
)
class SupplierLineViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = SupplierLineSerializer
    authentication_classes = [SupplierKeyAuthentication, SessionAuthentication]
    permission_classes = [IsSupplier]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[MarketingOrderLine]:
        supplier = supplier_of(self.request)
        if supplier is None:
            return MarketingOrderLine.objects.none()
        queryset = supplier_service.lines_for_supplier(supplier)
        if (wanted := self.request.query_params.get("status")) in dict(
            MarketingOrderLine.Status.choices
        ):
            queryset = queryset.filter(status=wanted)
        return queryset

    def _line(self, pk: str) -> tuple[Supplier, MarketingOrderLine]:
        supplier = supplier_of(self.request)
        if supplier is None:
            raise exceptions.NotFound
        return supplier, get_object_or_404(self.get_queryset(), pk=pk)

    @extend_schema(
        summary="Mark a line produced (in production)",
        request=None,
        responses={200: SupplierLineSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def produced(self, request: Request, pk: str) -> Response:
        supplier, line = self._line(pk)
        line = supplier_service.mark_produced(supplier=supplier, line=line, actor=_actor(request))
        return Response(self.get_serializer(self.get_queryset().get(pk=line.pk)).data)

    @extend_schema(
        summary="Mark a line shipped, with its carrier and tracking number",
        request=ShipmentSerializer,
        responses={200: SupplierLineSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def shipped(self, request: Request, pk: str) -> Response:
        supplier, line = self._line(pk)
        payload = ShipmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        line = supplier_service.mark_shipped(
            supplier=supplier, line=line, actor=_actor(request), **payload.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=line.pk)).data)


def register(router: DefaultRouter) -> None:
    """The suppliers' lines under /api/v1/marketing/supplier/."""
    router.register(
        "marketing/supplier/lines", SupplierLineViewSet, basename="marketing-supplier-line"
    )
