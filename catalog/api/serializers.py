from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import VAT_PERCENT, Category, Product, ProductImage, Variant
from catalog.selectors import PriceBounds, price_bounds_for_variants


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]
        read_only_fields = fields


class _PriceBoundsFields(serializers.ModelSerializer):
    """HQ's store price bounds that apply to a variant: its own, else its category's (percent
    of the RRP, inherited up the tree). The view computes them for a whole page in one query
    and passes them in the context as `price_bounds`."""

    min_price_cents = serializers.SerializerMethodField(
        help_text="Lowest price a store may set (cents, VAT included); null: no lower bound."
    )
    max_price_cents = serializers.SerializerMethodField(
        help_text="Highest price a store may set (cents, VAT included); null: no upper bound."
    )

    def _bounds(self, variant: Variant) -> PriceBounds:
        known = self.context.get("price_bounds")
        if known is not None and variant.pk in known:
            return known[variant.pk]
        return price_bounds_for_variants([variant])[variant.pk]

    @extend_schema_field(OpenApiTypes.INT)
    def get_min_price_cents(self, variant: Variant) -> int | None:
        return self._bounds(variant).min_cents

    @extend_schema_field(OpenApiTypes.INT)
    def get_max_price_cents(self, variant: Variant) -> int | None:
        return self._bounds(variant).max_cents


class ProductVariantSerializer(_PriceBoundsFields):
    class Meta:
        model = Variant
        fields = [
            "sku",
            "gtin",
            "options",
            "rrp_cents",
            "min_price_cents",
            "max_price_cents",
            "is_active",
        ]
        read_only_fields = fields


class VariantSerializer(_PriceBoundsFields):
    product = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = Variant
        fields = [
            "sku",
            "gtin",
            "product",
            "product_name",
            "options",
            "rrp_cents",
            "min_price_cents",
            "max_price_cents",
            "is_active",
        ]
        read_only_fields = fields


class ProductImageSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="file", read_only=True, use_url=True)

    class Meta:
        model = ProductImage
        fields = ["url", "alt", "position"]
        read_only_fields = fields


class ProductListSerializer(serializers.ModelSerializer):
    category = CategoryRefSerializer(read_only=True)
    variant_count = serializers.IntegerField(read_only=True, help_text="Active variants.")
    rrp_from_cents = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The lowest RRP of its active variants."
    )

    class Meta:
        model = Product
        fields = [
            "slug",
            "name",
            "brand",
            "category",
            "status",
            "vat_rate",
            "variant_count",
            "rrp_from_cents",
            "updated_at",
        ]
        read_only_fields = fields


class ProductDetailSerializer(ProductListSerializer):
    vat_percent = serializers.SerializerMethodField()
    variants = ProductVariantSerializer(many=True, read_only=True)
    images = ProductImageSerializer(many=True, read_only=True)

    class Meta(ProductListSerializer.Meta):
        fields = [
            *ProductListSerializer.Meta.fields,
            "description",
            "attributes",
            "vat_percent",
            # Product safety (GPSR art. 19): required before a product is published.
            "manufacturer_name",
            "manufacturer_address",
            "manufacturer_contact",
            "eu_responsible_person",
            "product_identifier",
            "safety_information",
            "variants",
            "images",
        ]
        read_only_fields = fields

    # Sent as text ("20.0"), like every decimal of the API: the schema says so.
    @extend_schema_field(serializers.DecimalField(max_digits=4, decimal_places=1))
    def get_vat_percent(self, product: Product) -> str:
        return str(VAT_PERCENT[product.vat_rate])
