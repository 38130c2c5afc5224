from __future__ import annotations

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from catalog import cache
from catalog.errors import ProductSafetyIncomplete
from catalog.models import Category, Product, Variant
from catalog.selectors import category_descendant_ids, listing_max_age, price_bounds_for_variants
from catalog.services import publish_product

from .serializers import ProductDetailSerializer, ProductListSerializer, VariantSerializer


def _is_hq(request) -> bool:
    return bool(getattr(request.user, "is_staff", False))


class IsHQ(BasePermission):
    message = "Only HQ may publish products."

    def has_permission(self, request, view):
        return _is_hq(request)


class ProductFilter(filters.FilterSet):
    category = filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        method="filter_category",
        help_text="A category's slug: its products and those of all its subcategories.",
    )
    brand = filters.CharFilter(lookup_expr="iexact", help_text="The brand (case-insensitive).")
    q = filters.CharFilter(
        method="filter_search",
        help_text="Words of the name or brand, or the start of a SKU, or a whole GTIN.",
    )
    status = filters.ChoiceFilter(
        choices=Product.Status.choices,
        help_text="HQ only: published (the default), draft or archived. Others see published "
        "products only.",
    )

    class Meta:
        model = Product
        fields = ["category", "brand", "q", "status"]

    def filter_category(self, queryset, name, category):
        return queryset.filter(category_id__in=category_descendant_ids(category))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matching_variant = Variant.objects.filter(product=OuterRef("pk")).filter(
            Q(sku__istartswith=value) | Q(gtin=value)
        )
        return queryset.filter(
            Q(name__icontains=value) | Q(brand__icontains=value) | Exists(matching_variant)
        )


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """The network catalogue. Everyone authenticated sees published products; HQ may ask for
    drafts or archived products with `?status=`."""

    # Open data: a session without its second factor may read it (stores.authentication).
    readable_without_second_factor = True

    filterset_class = ProductFilter
    lookup_field = "slug"

    def get_serializer_class(self):
        if self.action in {"retrieve", "publish"}:
            return ProductDetailSerializer
        return ProductListSerializer

    def get_queryset(self):
        hq = _is_hq(self.request)
        products = Product.objects.all() if hq else Product.objects.published()
        if self.action == "list" and not self.request.query_params.get("status"):
            products = products.published()
        active = Q(variants__is_active=True)
        products = products.select_related("category").annotate(
            variant_count=Count("variants", filter=active),
            rrp_from_cents=Min("variants__rrp_cents", filter=active),
        )
        if self.action in {"retrieve", "publish"}:
            variants = Variant.objects.order_by("position", "sku")
            if not hq:
                variants = variants.filter(is_active=True)
            products = products.prefetch_related(Prefetch("variants", queryset=variants), "images")
        return products.order_by("name", "slug")

    def list(self, request, *args, **kwargs):
        """One page of the catalogue, the same for every client who asks the same thing: kept
        (catalog.cache) until a catalogue or price change, at most HQ's listing delay."""
        key = cache.key_for(
            "api-products",
            _is_hq(request),
            request.get_host(),
            sorted(request.query_params.lists()),
            depends_on=[cache.CATALOGUE, cache.PRICES],
        )

        def page() -> dict:
            return super(ProductViewSet, self).list(request, *args, **kwargs).data

        return Response(cache.cached(key, page, max_age=listing_max_age()))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "_price_bounds", None) is not None:
            context["price_bounds"] = self._price_bounds
        return context

    def get_object(self):
        product = super().get_object()
        self._price_bounds = price_bounds_for_variants(product.variants.all())
        return product

    @extend_schema(request=None, responses={200: ProductDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsHQ])
    def publish(self, request, slug=None):
        """HQ publishes a product. Refused (400 `product_safety_incomplete`, the missing fields
        in `fields`) until HQ holds its product-safety information; 409 without an active
        variant. Idempotent."""
        product = self.get_object()
        try:
            publish_product(product=product, actor=request.user)
        except ProductSafetyIncomplete as exc:
            required = _("Required before the product is published.")
            return Response(
                {
                    "code": exc.code,
                    "detail": exc.message,
                    "fields": {name: [required] for name in exc.facts["missing"]},
                },
                status=exc.http_status,
            )
        return Response(self.get_serializer(self.get_object()).data)


class VariantFilter(filters.FilterSet):
    sku = filters.CharFilter(help_text="The exact SKU.")
    gtin = filters.CharFilter(help_text="The exact GTIN (EAN-13).")
    product = filters.CharFilter(field_name="product__slug", help_text="The product's slug.")

    class Meta:
        model = Variant
        fields = ["sku", "gtin", "product"]


class VariantViewSet(viewsets.ReadOnlyModelViewSet):
    """Sellable items by SKU, with the store price bounds that apply. Outside HQ, only active
    variants of published products."""

    # Open data: a session without its second factor may read it (stores.authentication).
    readable_without_second_factor = True

    serializer_class = VariantSerializer
    filterset_class = VariantFilter
    lookup_field = "sku"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        variants = Variant.objects.select_related("product")
        if not _is_hq(self.request):
            variants = variants.filter(is_active=True, product__status=Product.Status.PUBLISHED)
        return variants.order_by("sku")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._price_bounds = price_bounds_for_variants(page if page is not None else queryset)
        return page

    def get_object(self):
        variant = super().get_object()
        self._price_bounds = price_bounds_for_variants([variant])
        return variant

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "_price_bounds", None) is not None:
            context["price_bounds"] = self._price_bounds
        return context
