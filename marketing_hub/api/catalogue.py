"""The marketing hub's API: catalogue. `register(router)` adds this module's viewsets.

/api/v1/marketing/items/: the items a store may order (a store key: its own store; HQ or a
member of several stores: `?store=<slug>`; HQ without it: every active item), with their tiers,
campaign and the editable fields of their current artwork.
/api/v1/marketing/stores/<slug>/proofs/: the store's proofs (a store key sees its own only;
another store is a 404): make one from values, check values without writing (preview), read
them, download the PDF and page PNGs.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from network_marketplace.api.fields import JsonTyped
from network_marketplace.api.schema import file_responses
from network_marketplace.errors import DomainError
from stores.api.serializers import ErrorSerializer
from stores.api.views import ERRORS, STORE_SLUG, StoreScopedViewSet
from stores.models import Store
from stores.selectors import stores_visible_to

from ..models import Artwork, ArtworkField, MarketingItem, PriceTier, Proof
from ..selectors.catalogue import (
    current_artwork,
    orderable_item,
    orderable_items,
    store_proofs,
)
from ..services.proofs import (
    ProofRefused,
    make_proof,
    preview_proof,
    proof_pdf_bytes,
    proof_preview_bytes,
)

STORE_QUERY = OpenApiParameter(
    "store",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description="The store whose catalogue to read (its slug). A store key reads its own store "
    "whatever this says; HQ without it reads every active item.",
)
PAGE = OpenApiParameter("page", OpenApiTypes.INT, OpenApiParameter.PATH, description="From 1.")
PROOF_PDF: dict[Any, OpenApiResponse] = {
    **file_responses("application/pdf", description="The print PDF."),
    409: OpenApiResponse(ErrorSerializer, description="The proof can no longer be printed."),
    **ERRORS,
}
PAGE_PNG: dict[Any, OpenApiResponse] = {
    **file_responses("image/png", description="The page, as PNG."),
    **ERRORS,
}
REFUSED = OpenApiResponse(
    ErrorSerializer,
    description="`proof_refused`: `fields.values` says, by field key, why each field cannot be "
    "printed (text too long for its box, missing character, not a reduction...).",
)


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceTier
        fields = ["quantity", "price_cents"]


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArtworkField
        fields = [
            "key",
            "label",
            "kind",
            "page",
            "x_mm",
            "y_mm",
            "width_mm",
            "height_mm",
            "font",
            "size_min_pt",
            "size_max_pt",
            "colour",
            "align",
            "max_length",
            "editable",
            "default_text",
        ]


class CampaignSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class MarketingItemSerializer(serializers.ModelSerializer):
    tiers = TierSerializer(many=True, read_only=True)
    campaign = CampaignSerializer(read_only=True, allow_null=True)
    pictures = serializers.SerializerMethodField()
    artwork = serializers.SerializerMethodField()
    price_from_cents = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = MarketingItem
        fields = [
            "id",
            "reference",
            "name",
            "kind",
            "print_format",
            "description",
            "vat_rate_bp",
            "lead_time_days",
            "campaign",
            "orderable_from",
            "orderable_until",
            "options",
            "price_from_cents",
            "tiers",
            "pictures",
            "artwork",
        ]

    def get_pictures(self, item: MarketingItem) -> list[str]:
        request = self.context.get("request")
        urls = [picture.image.url for picture in item.pictures.all()]
        return [request.build_absolute_uri(url) for url in urls] if request else urls

    @extend_schema_field({"type": "object", "additionalProperties": {}, "nullable": True})
    def get_artwork(self, item: MarketingItem) -> dict[str, Any] | None:
        """The current artwork: version, pages (boxes in mm) and fields; null when the item
        is not personalised."""
        artwork = current_artwork(item)
        if artwork is None:
            return None
        return {
            "version": artwork.version,
            "page_count": artwork.page_count,
            "pages": artwork.pages,
            "fields": FieldSerializer(artwork.fields.all(), many=True).data,
        }


class MarketingProofSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="artwork.item_id", read_only=True)
    artwork_version = serializers.IntegerField(source="artwork.version", read_only=True)
    pdf_url = serializers.SerializerMethodField()
    preview_urls = serializers.SerializerMethodField()

    class Meta:
        model = Proof
        fields = [
            "id",
            "item",
            "artwork_version",
            "number",
            "values",
            "rendered",
            "uses_free_text",
            "pdf_sha256",
            "pdf_url",
            "preview_urls",
            "created_at",
        ]

    def _url(self, name: str, proof: Proof, **kwargs: Any) -> str:
        path = reverse(
            f"marketing-store-proof-{name}",
            kwargs={"store_slug": proof.store.slug, "pk": proof.pk, **kwargs},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_pdf_url(self, proof: Proof) -> str:
        return self._url("pdf", proof)

    def get_preview_urls(self, proof: Proof) -> list[str]:
        return [self._url("page", proof, page=page) for page in range(1, len(proof.previews) + 1)]


class ProofInputSerializer(JsonTyped, serializers.Serializer):
    item = serializers.IntegerField(help_text="The marketing item's id.")
    values = serializers.DictField(
        required=False,
        default=dict,
        help_text='By field key: a text for free text; a product as {"sku": ..., '
        '"reduced": true|false} (or just the SKU). Non-editable fields are ignored.',
    )


class ProofPreviewSerializer(serializers.Serializer):
    values = serializers.DictField()
    rendered = serializers.DictField()
    uses_free_text = serializers.BooleanField()
    pdf_sha256 = serializers.CharField()
    previews_png_base64 = serializers.ListField(child=serializers.CharField())


def _store_for_catalogue(request: Request) -> Store | None:
    """The store whose catalogue the caller reads (None: HQ reading everything)."""
    visible = stores_visible_to(request.user)
    api_key = getattr(request.user, "api_key", None)
    if api_key is not None and api_key.store_id is not None:
        return api_key.store
    if slug := request.query_params.get("store"):
        return get_object_or_404(visible, slug=slug)
    if request.user.is_staff:
        return None
    stores = list(visible[:2])
    if len(stores) != 1:
        raise serializers.ValidationError({"store": ["Say which store: ?store=<slug>."]})
    return stores[0]


@extend_schema_view(
    list=extend_schema(
        summary="Marketing items a store may order",
        description="Active items whose audience includes the store, inside their ordering "
        "window, with tiers, campaign and the fields of the current artwork.",
        parameters=[STORE_QUERY],
        responses={200: MarketingItemSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One marketing item",
        description="404 when the store may not order it.",
        parameters=[STORE_QUERY],
        responses={200: MarketingItemSerializer, **ERRORS},
    ),
)
class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MarketingItemSerializer
    queryset = MarketingItem.objects.none()  # for the schema; get_queryset scopes by store
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[MarketingItem]:
        store = _store_for_catalogue(self.request)
        campaign = self.request.query_params.get("campaign") or None
        kind = self.request.query_params.get("kind") or None
        if store is not None:
            return orderable_items(store=store, campaign=campaign, kind=kind)
        items = MarketingItem.objects.filter(is_active=True).prefetch_related("tiers", "pictures")
        if campaign:
            items = items.filter(campaign__slug=campaign)
        if kind:
            items = items.filter(kind=kind)
        cheapest = PriceTier.objects.filter(item=OuterRef("pk")).order_by("price_cents")
        return (
            items.select_related("campaign")
            .annotate(price_from_cents=Subquery(cheapest.values("price_cents")[:1]))
            .order_by("kind", "name", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="A store's proofs",
        description="Newest first. A store key sees its own store only; another is a 404.",
        parameters=[STORE_SLUG],
        responses={200: MarketingProofSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One proof",
        description="What was printed in each field, the PDF's sha256 and its file URLs.",
        parameters=[STORE_SLUG],
        responses={200: MarketingProofSerializer, **ERRORS},
    ),
    create=extend_schema(
        summary="Make a proof",
        description="Stamps the item's current artwork with the store's fields and `values`, "
        "and keeps it as the store's next proof version (201). A field that cannot be printed "
        "is a 400 `proof_refused`, nothing written.",
        parameters=[STORE_SLUG],
        request=ProofInputSerializer,
        responses={201: MarketingProofSerializer, 400: REFUSED, 401: ERRORS[401], 404: ERRORS[404]},
    ),
)
class StoreProofViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    StoreScopedViewSet,
):
    serializer_class = MarketingProofSerializer
    queryset = Proof.objects.none()  # for the schema; get_queryset scopes by store

    def get_queryset(self) -> QuerySet[Proof]:
        return store_proofs(self.get_store()).select_related("store").order_by("-created_at", "-id")

    def _item_artwork(self, store: Store, item_id: int) -> Artwork:
        try:
            item = orderable_item(store=store, item_id=item_id)
        except MarketingItem.DoesNotExist:
            raise serializers.ValidationError(
                {"item": ["Not an item this store may order."]}
            ) from None
        artwork = current_artwork(item)
        if artwork is None:
            raise serializers.ValidationError({"item": ["This item is not personalised."]})
        return artwork

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        store = self.get_store()
        data = ProofInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        artwork = self._item_artwork(store, data.validated_data["item"])
        try:
            proof = make_proof(
                store=store,
                artwork=artwork,
                values=data.validated_data["values"],
                actor=getattr(request.user, "api_key", None) or request.user,
            )
        except ProofRefused as refused:
            return _refused(refused)
        body = MarketingProofSerializer(proof, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Check a proof without making it",
        description="The same checks and stamping as making a proof, nothing written: what each "
        "field would print and the page previews (PNG, base64).",
        parameters=[STORE_SLUG],
        request=ProofInputSerializer,
        responses={200: ProofPreviewSerializer, 400: REFUSED, 401: ERRORS[401], 404: ERRORS[404]},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request, store_slug: str | None = None) -> Response:
        store = self.get_store()
        data = ProofInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        artwork = self._item_artwork(store, data.validated_data["item"])
        try:
            result = preview_proof(
                store=store, artwork=artwork, values=data.validated_data["values"]
            )
        except ProofRefused as refused:
            return _refused(refused)
        return Response(
            {
                "values": result.values,
                "rendered": result.rendered,
                "uses_free_text": result.uses_free_text,
                "pdf_sha256": hashlib.sha256(result.pdf).hexdigest(),
                "previews_png_base64": [
                    base64.b64encode(image).decode() for image in result.previews
                ],
            }
        )

    @extend_schema(summary="The proof's print PDF", parameters=[STORE_SLUG], responses=PROOF_PDF)
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, store_slug: str | None = None, pk: str | None = None) -> Any:
        proof = self.get_object()
        try:
            data = proof_pdf_bytes(proof)
        except DomainError as error:
            return Response({"code": error.code, "detail": error.message, "fields": {}}, status=409)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="proof-{proof.pk}.pdf"'
        return response

    @extend_schema(
        summary="A page of the proof, as PNG", parameters=[STORE_SLUG, PAGE], responses=PAGE_PNG
    )
    @action(detail=True, methods=["get"], url_path=r"pages/(?P<page>[0-9]+)")
    def page(
        self,
        request: Request,
        store_slug: str | None = None,
        pk: str | None = None,
        page: str = "1",
    ) -> HttpResponse:
        image = proof_preview_bytes(self.get_object(), int(page))
        if image is None:
            raise Http404
        return HttpResponse(image, content_type="image/png")


def _refused(refused: ProofRefused) -> Response:
    return Response(
        {"code": refused.code, "detail": refused.message, "fields": {"values": refused.errors}},
        status=status.HTTP_400_BAD_REQUEST,
    )


def register(router: DefaultRouter) -> None:
    router.register("marketing/items", ItemViewSet, basename="marketing-item")
    router.register(
        r"marketing/stores/(?P<store_slug>[^/.]+)/proofs",
        StoreProofViewSet,
        basename="marketing-store-proof",
    )
