from __future__ import annotations

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q
from django_filters import rest_framework as filters
from rest_framework import viewsets

from catalog.models import Category, Product, Variant
from catalog.selectors import category_descendant_ids, price_bounds_for_variants

from .serializers import ProductDetailSerializer, ProductListSerializer, VariantSerializer


def _is_hq(request) -> bool:
    return bool(getattr(request.user, "is_staff", False))


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

    filterset_class = ProductFilter
    lookup_field = "slug"

    def get_serializer_class(self):
        return ProductDetailSerializer if self.action == "retrieve" else ProductListSerializer

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
        if self.action == "retrieve":
            variants = Variant.objects.order_by("position", "sku")
            if not hq:
                variants = variants.filter(is_active=True)
            products = products.prefetch_related(Prefetch("variants", queryset=variants), "images")
        return products.order_by("name", "slug")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "_price_bounds", None) is not None:
            context["price_bounds"] = self._price_bounds
        return context

    def get_object(self):
        product = super().get_object()
        self._price_bounds = price_bounds_for_variants(product.variants.all())
        return product


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
