from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
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
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Product
from catalog.selectors import price_bounds_for_variants, variants_by_sku
from network_marketplace import idempotency
from stores.models import StockLevel, StockMovement, Store, StoreSpecialDay
from stores.opening_hours import STORE_TIME_ZONE
from stores.selectors import (
    may_set_prices,
    store_movements,
    store_stock,
    stores_near,
    stores_visible_to,
    stores_with_variant_near,
)
from stores.services import PriceOutOfBounds, StockFeedRejected, apply_stock_feed, update_offer

from .parsers import LargeJSONParser
from .serializers import (
    AvailabilityQuerySerializer,
    AvailabilitySerializer,
    ErrorSerializer,
    FeedRejectedSerializer,
    FeedResultSerializer,
    MovementQuerySerializer,
    NearbyStoresSerializer,
    PointQuerySerializer,
    StockBatchInputSerializer,
    StockBatchSerializer,
    StockLevelSerializer,
    StockMovementSerializer,
    StockOfferUpdateSerializer,
    StockQuerySerializer,
    StoreProfileSerializer,
    WhoAmISerializer,
)

STORE_SLUG = OpenApiParameter(
    "store_slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The store's slug. A store key or member acts on its own store only (another "
    "store is a 404); HQ acts on any.",
)
SKU = OpenApiParameter("sku", OpenApiTypes.STR, OpenApiParameter.PATH, description="The SKU.")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Optional. A retry with the same key within 24 h gets the first answer back "
    "(header Idempotent-Replayed: true); while the first request still runs, a retry waits a "
    "few seconds for its answer, then gets 409 `request_in_progress`; the key with another body "
    "is a 422. The batch is idempotent by position anyway.",
)
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid fields."),
    401: OpenApiResponse(ErrorSerializer, description="No or invalid credentials."),
    404: OpenApiResponse(ErrorSerializer, description="Not a store you may see."),
}


class StoreFilter(filters.FilterSet):
    city = filters.CharFilter(lookup_expr="iexact")
    postal_code = filters.CharFilter(lookup_expr="startswith")

    class Meta:
        model = Store
        fields = ["kind", "status", "city", "postal_code"]


def _validated_query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class StoreViewSet(viewsets.ReadOnlyModelViewSet):
    """The network's stores and warehouses: a store key sees its own store, an HQ key all."""

    # Open data: a session without its second factor may read it (stores.authentication).
    readable_without_second_factor = True

    serializer_class = StoreProfileSerializer
    filterset_class = StoreFilter
    lookup_field = "slug"

    def get_queryset(self):
        # The special days to come, in one query for the page of stores.
        coming = StoreSpecialDay.objects.filter(
            day__gte=timezone.localdate(timezone=STORE_TIME_ZONE)
        ).order_by("day")
        return (
            stores_visible_to(self.request.user)
            .order_by("name")
            .prefetch_related(Prefetch("special_days", coming, to_attr="upcoming_special_days"))
        )

    @extend_schema(
        summary="Stores near a point",
        description="Selling stores within `radius_km` of a point (coordinates or a postal "
        "code's centroid), nearest first. Any authenticated client may ask.",
        parameters=[PointQuerySerializer],
        responses={200: NearbyStoresSerializer, 400: ERRORS[400], 401: ERRORS[401]},
    )
    @action(detail=False, url_path="near", pagination_class=None, filter_backends=[])
    def near(self, request):
        point = _validated_query(PointQuerySerializer, request)
        stores = stores_near(
            latitude=point["lat"],
            longitude=point["lng"],
            radius_km=point["radius_km"],
            limit=point["limit"],
        )
        data = {
            "lat": point["lat"],
            "lng": point["lng"],
            "radius_km": point["radius_km"],
            "results": stores,
        }
        return Response(NearbyStoresSerializer(data).data)


class StoreScopedViewSet(viewsets.GenericViewSet):
    """Resolves `store_slug` among the stores the caller may see: another store is a 404."""

    filter_backends = []

    def get_store(self) -> Store:
        if not hasattr(self, "_store"):
            self._store = get_object_or_404(
                stores_visible_to(self.request.user), slug=self.kwargs["store_slug"]
            )
        return self._store


@extend_schema_view(
    list=extend_schema(
        summary="A store's stock",
        parameters=[STORE_SLUG, StockQuerySerializer],
        responses={200: StockLevelSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="A store's stock and price for one SKU",
        parameters=[STORE_SLUG, SKU],
        responses={200: StockLevelSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    ),
    partial_update=extend_schema(
        summary="Set a store's quantity on hand and/or price for one SKU",
        description="`on_hand` is the counted quantity (the difference is written as a stock "
        "movement); `price_cents` must stay within HQ's bounds (else 400 "
        "`price_out_of_bounds`), null sells at the RRP. Changing prices needs a store or HQ "
        "key, or an owner's or manager's session (else 403).",
        parameters=[STORE_SLUG, SKU],
        request=StockOfferUpdateSerializer,
        responses={
            200: StockLevelSerializer,
            403: OpenApiResponse(ErrorSerializer, description="Your role can't change prices."),
            **ERRORS,
        },
    ),
)
class StoreStockViewSet(StoreScopedViewSet):
    """A store's stock rows (offers): stock and prices per SKU."""

    serializer_class = StockLevelSerializer
    lookup_field = "sku"
    lookup_value_regex = "[^/]+"
    queryset = StockLevel.objects.none()

    def get_queryset(self):
        return StockLevel.objects.for_store(self.get_store()).select_related("variant__product")

    def _bounds_context(self, levels) -> dict:
        return {"bounds": price_bounds_for_variants([level.variant for level in levels])}

    def list(self, request, store_slug):
        store = self.get_store()
        query = _validated_query(StockQuerySerializer, request)
        available = query.get("available")
        levels = store_stock(
            store=store,
            query=query.get("q", ""),
            availability={True: "available", False: "unavailable"}.get(available, ""),
        )
        if query.get("sku"):
            levels = levels.filter(variant__sku=query["sku"])
        page = self.paginate_queryset(levels)
        serializer = self.get_serializer(page, many=True, context=self._bounds_context(page))
        return self.get_paginated_response(serializer.data)

    def get_serializer(self, *args, context=None, **kwargs):
        return self.get_serializer_class()(
            *args, context={**self.get_serializer_context(), **(context or {})}, **kwargs
        )

    def retrieve(self, request, store_slug, sku):
        level = get_object_or_404(self.get_queryset(), variant__sku=sku)
        return Response(self.get_serializer(level).data)

    def partial_update(self, request, store_slug, sku):
        store = self.get_store()
        variant = variants_by_sku([sku]).get(sku)
        if variant is None or not variant.is_active:
            raise exceptions.NotFound(_("Unknown SKU: %(sku)s.") % {"sku": sku})
        changes = StockOfferUpdateSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        pricing = {"price_cents", "reduction"} & changes.validated_data.keys()
        if pricing and not may_set_prices(request.user, store):
            raise exceptions.PermissionDenied(_("Your role can't change prices."))
        try:
            level = update_offer(
                store=store,
                variant=variant,
                source=StockMovement.Source.API,
                actor=request.user,
                **changes.validated_data,
            )
        except PriceOutOfBounds as error:
            return Response(
                {
                    "code": error.code,
                    "detail": error.message,
                    "fields": {"price_cents": [error.message]},
                    "facts": {key: value for key, value in error.facts.items()},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        level = self.get_queryset().get(pk=level.pk)
        return Response(self.get_serializer(level).data)

    @extend_schema(
        summary="Push a batch of stock and prices (POS/ERP feed)",
        description=(
            "All or nothing: every row is checked first; one bad row rejects the batch (400 "
            "`feed_rejected`, each error with its row number, 1 for the first row, and field) "
            "and nothing is applied. Each row carries a `sequence` (or `source_timestamp`; a "
            "store's feed uses one kind, never both: see 409); a "
            "row not newer than the last one applied to its SKU is ignored, so replays and "
            "late deliveries never move stock backwards. Up to 200,000 rows and 64 MB a request "
            "(413 beyond). Rows with prices need a store or HQ key, or an owner's or "
            "manager's session (else 403)."
        ),
        parameters=[STORE_SLUG, IDEMPOTENCY_KEY],
        request=StockBatchSerializer,
        responses={
            200: FeedResultSerializer,
            400: OpenApiResponse(
                FeedRejectedSerializer,
                description="`feed_rejected` (each row's error, nothing applied) or `invalid`.",
            ),
            401: ERRORS[401],
            403: OpenApiResponse(ErrorSerializer, description="Your role can't change prices."),
            404: ERRORS[404],
            413: OpenApiResponse(ErrorSerializer, description="The request is too large."),
            409: OpenApiResponse(
                ErrorSerializer,
                description="`request_in_progress`: a request with this key still runs; "
                "`feed_positions_conflict`: the rows are ordered by the other kind of position "
                "than the store's feed (sequences or source timestamps, never both; nothing "
                "applied).",
            ),
            422: OpenApiResponse(
                ErrorSerializer,
                description="`idempotency_key_reused`: the key was used for another body.",
            ),
        },
        examples=[
            OpenApiExample(
                "Two rows",
                request_only=True,
                value={
                    "reference": "till-2026-03-01-1405",
                    "rows": [
                        {
                            "sku": "ARD-JAR-0001-1",
                            "on_hand": 7,
                            "price_cents": 1890,
                            "sequence": 41,
                        },
                        {"sku": "ARD-JAR-0069-1", "on_hand": 0, "sequence": 41},
                    ],
                },
            )
        ],
    )
    @action(detail=False, methods=["post"], url_path="batch", parser_classes=[LargeJSONParser])
    def batch(self, request, store_slug):
        store = self.get_store()
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if len(key) > idempotency.MAX_KEY_LENGTH:
            return _error(
                "invalid",
                _("The Idempotency-Key is longer than 255 characters."),
                status.HTTP_400_BAD_REQUEST,
            )
        body = StockBatchInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows, reference = body.validated_data["rows"], body.validated_data["reference"]
        if not may_set_prices(request.user, store) and _rows_carry_prices(rows):
            raise exceptions.PermissionDenied(_("Your role can't change prices."))
        if not key:
            http_status, data = self._apply_batch(store, rows, reference)
            return Response(data, status=http_status)
        claim = idempotency.claim(
            scope=f"stock-batch:{store.pk}",
            principal=request.user,
            key=key,
            body_fingerprint=idempotency.fingerprint(body.validated_data),
            wait=settings.IDEMPOTENCY_WAIT_SECONDS,
        )
        if not claim.owned:
            return _answer_for_claim(claim)
        try:
            http_status, data = self._apply_batch(store, rows, reference)
        except BaseException:
            idempotency.give_up(claim.row)
            raise
        idempotency.complete(claim.row, status_code=http_status, body=data)
        return Response(data, status=http_status)

    def _apply_batch(self, store: Store, rows: list, reference: str) -> tuple[int, dict]:
        try:
            result = apply_stock_feed(
                store=store,
                rows=rows,
                source=StockMovement.Source.API,
                actor=self.request.user,
                reference=reference,
            )
        except StockFeedRejected as rejected:  # 400, or 409 for a feed ordered otherwise
            return rejected.http_status, {
                "code": rejected.code,
                "detail": rejected.message,
                "fields": {},
                "errors": [error.as_dict() for error in rejected.errors],
                "error_count": rejected.error_count,
            }
        return status.HTTP_200_OK, dict(FeedResultSerializer(result.as_dict()).data)


def _answer_for_claim(claim: idempotency.KeyClaim) -> Response:
    """Another request holds the key: the same body gets its answer (or 409 while it still
    runs), another body a 422; as the orders API answers."""
    if claim.mismatch:
        return _error(
            "idempotency_key_reused",
            _("This Idempotency-Key was used for another request."),
            status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if claim.replay:
        return Response(
            claim.answer, status=claim.row.status_code, headers={"Idempotent-Replayed": "true"}
        )
    response = _error(
        "request_in_progress",
        _("A request with this Idempotency-Key is still running: retry later."),
        status.HTTP_409_CONFLICT,
    )
    response["Retry-After"] = "2"
    return response


def _rows_carry_prices(rows) -> bool:
    return any(
        isinstance(row, dict) and row.get(key) not in (None, "")
        for row in rows
        for key in ("price", "price_cents")
    )


def _error(code: str, detail: str, http_status: int) -> Response:
    return Response({"code": code, "detail": detail, "fields": {}}, status=http_status)


@extend_schema_view(
    list=extend_schema(
        summary="A store's stock movements",
        description="Every change of a quantity on hand, newest first.",
        parameters=[STORE_SLUG, MovementQuerySerializer],
        responses={200: StockMovementSerializer(many=True), **ERRORS},
    ),
)
class StoreMovementViewSet(StoreScopedViewSet):
    serializer_class = StockMovementSerializer
    queryset = StockMovement.objects.none()

    def list(self, request, store_slug):
        store = self.get_store()
        query = _validated_query(MovementQuerySerializer, request)
        movements = store_movements(store=store)
        if query.get("sku"):
            movements = movements.filter(variant__sku=query["sku"])
        if query.get("reason"):
            movements = movements.filter(reason=query["reason"])
        if query.get("since"):
            movements = movements.filter(created_at__gte=query["since"])
        page = self.paginate_queryset(movements)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AvailabilityViewSet(viewsets.ViewSet):
    """Which stores near a point have a variant available."""

    # Open data: a session without its second factor may read it (stores.authentication).
    readable_without_second_factor = True

    @extend_schema(
        summary="Stores near a point that have a SKU available",
        description="Selling stores within `radius_km` that have the SKU available online, "
        "nearest first, with a quantity band (not the exact count) and their price.",
        parameters=[AvailabilityQuerySerializer],
        responses={200: AvailabilitySerializer, 400: ERRORS[400], 401: ERRORS[401]},
    )
    def list(self, request):
        query = _validated_query(AvailabilityQuerySerializer, request)
        variant = variants_by_sku([query["sku"]]).get(query["sku"])
        if (
            variant is None
            or not variant.is_active
            or variant.product.status != Product.Status.PUBLISHED
        ):
            raise exceptions.ValidationError({"sku": [_("Unknown SKU.")]})
        offers = stores_with_variant_near(
            variant_id=variant.pk,
            latitude=query["lat"],
            longitude=query["lng"],
            radius_km=query["radius_km"],
            limit=query["limit"],
        )
        data = {
            "sku": variant.sku,
            "lat": query["lat"],
            "lng": query["lng"],
            "radius_km": query["radius_km"],
            "results": offers,
        }
        return Response(AvailabilitySerializer(data).data)


class WhoAmIView(APIView):
    """Who the request acts as: a user or an API key, HQ or which stores."""

    # Open data: a session without its second factor may read it (stores.authentication).
    readable_without_second_factor = True

    @extend_schema(responses=WhoAmISerializer)
    def get(self, request):
        api_key = getattr(request.user, "api_key", None)
        data = {
            "kind": "api_key" if api_key else "user",
            "email": getattr(request.user, "email", ""),
            "api_key": api_key.prefix if api_key else None,
            "is_hq": bool(request.user.is_staff),
            "stores": stores_visible_to(request.user).order_by("name")
            if not request.user.is_staff
            else [],
        }
        return Response(WhoAmISerializer(data).data)
