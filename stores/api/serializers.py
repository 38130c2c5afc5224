from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.selectors import price_bounds_for
from network_marketplace.api.fields import JsonTyped
from stores.models import StockMovement, Store, StoreSpecialDay
from stores.opening_hours import DAY_KEYS, day_ranges
from stores.selectors import postal_code_centroid
from stores.services.feed_rows import INT_MAX, POSITION_MAX
from stores.services.feeds import MAX_FEED_ROWS


class StoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Store
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "status",
            "address_line",
            "postal_code",
            "city",
            "country",
            "latitude",
            "longitude",
            "email",
            "phone",
        ]
        read_only_fields = fields


class SpecialDaySerializer(serializers.ModelSerializer):
    """A day the store opens differently from its week: closed, or open from `opens` to
    `closes` (local time, Europe/Paris)."""

    class Meta:
        model = StoreSpecialDay
        fields = ["day", "closed", "opens", "closes", "note"]
        read_only_fields = fields


class StoreProfileSerializer(StoreSerializer):
    """A store with what its owner keeps on its profile (read-only here): weekly hours, special
    days to come, services, daily capacity and description."""

    opening_hours = serializers.SerializerMethodField(
        help_text='Local time (Europe/Paris), by weekday: {"mon": [["09:00", "12:30"], '
        '["14:00", "19:00"]], ..., "sun": []}; an empty list is a closed day.'
    )
    special_days = SpecialDaySerializer(
        many=True,
        read_only=True,
        source="upcoming_special_days",
        help_text="From today on, in date order; they replace the week's hours that day.",
    )

    class Meta(StoreSerializer.Meta):
        fields = [
            *StoreSerializer.Meta.fields,
            "description",
            "offers_click_collect",
            "offers_ship_from_store",
            "offers_reserve_collect",
            "accepts_returns",
            "daily_capacity",
            "opening_hours",
            "special_days",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {"type": "array", "items": {"type": "string"}},
            },
        }
    )
    def get_opening_hours(self, store: Store) -> dict:
        return {
            day: [
                [f"{r.opens:%H:%M}", f"{r.closes:%H:%M}"]
                for r in day_ranges(store.opening_hours, n)
            ]
            for n, day in enumerate(DAY_KEYS)
        }


class WhoAmISerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["user", "api_key"])
    email = serializers.EmailField(allow_blank=True)
    api_key = serializers.CharField(allow_null=True, help_text="The key's public prefix.")
    is_hq = serializers.BooleanField()
    stores = StoreSerializer(many=True)


# Stock and prices --------------------------------------------------------------------------


class StockLevelSerializer(serializers.Serializer):
    """A store's offer of a variant: its stock and price, with HQ's price bounds."""

    sku = serializers.CharField(source="variant.sku")
    gtin = serializers.CharField(source="variant.gtin")
    product = serializers.CharField(source="variant.product.name")
    options = serializers.DictField(source="variant.options")
    on_hand = serializers.IntegerField()
    reserved = serializers.IntegerField()
    safety_stock = serializers.IntegerField()
    available = serializers.IntegerField(help_text="on_hand - reserved - safety_stock, at least 0.")
    price_cents = serializers.IntegerField(
        allow_null=True, help_text="The store's price in cents; null: it sells at the RRP."
    )
    rrp_cents = serializers.IntegerField(source="variant.rrp_cents")
    effective_price_cents = serializers.IntegerField(help_text="What a customer pays, in cents.")
    min_price_cents = serializers.SerializerMethodField()
    max_price_cents = serializers.SerializerMethodField()
    feed_position = serializers.IntegerField(
        help_text="Sequence (or timestamp in microseconds) of the last feed row applied."
    )
    updated_at = serializers.DateTimeField()

    def _bounds(self, level):
        bounds = self.context.get("bounds") or {}
        return bounds.get(level.variant_id) or price_bounds_for(level.variant)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_min_price_cents(self, level) -> int | None:
        return self._bounds(level).min_cents

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_max_price_cents(self, level) -> int | None:
        return self._bounds(level).max_cents


class StockQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, max_length=100, help_text="Part of a SKU or product name, or a GTIN."
    )
    available = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: available online only."
    )
    sku = serializers.CharField(required=False, max_length=64, help_text="One SKU exactly.")


class StockOfferUpdateSerializer(JsonTyped, serializers.Serializer):
    on_hand = serializers.IntegerField(
        required=False, min_value=0, max_value=1_000_000_000, help_text="Counted quantity."
    )
    price_cents = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The store's price in cents, within HQ's bounds; null: sell at the RRP.",
    )
    reduction = serializers.BooleanField(
        required=False,
        help_text="true: show the store price as reduced (it must be below the lowest price of "
        "the 30 days before: 400 `not_a_reduction`); false: withdraw the reduction.",
    )
    reduction_ends_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="With reduction=true: when it ends (optional)."
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Give on_hand, price_cents or both."))
        if "reduction_ends_at" in attrs and not attrs.get("reduction"):
            raise serializers.ValidationError(
                {"reduction_ends_at": [_("Only with reduction set to true.")]}
            )
        return attrs


class StockFeedRowSerializer(serializers.Serializer):
    """One row of a stock batch (documentation: rows are checked by the feed service)."""

    sku = serializers.CharField()
    on_hand = serializers.IntegerField(min_value=0, max_value=INT_MAX)
    price_cents = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=10**15,  # the feed service's bound
        help_text="Null or absent: the price does not change.",
    )
    price = serializers.CharField(
        required=False, allow_null=True, help_text='Instead of price_cents: euros, e.g. "12,90".'
    )
    sequence = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=POSITION_MAX,
        help_text="Grows with each update; or source_timestamp.",
    )
    source_timestamp = serializers.DateTimeField(
        required=False, help_text="ISO 8601 with a time zone; instead of sequence."
    )


class StockBatchSerializer(serializers.Serializer):
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Your batch id, kept on every stock movement the batch writes.",
    )
    rows = StockFeedRowSerializer(
        many=True, min_length=1, max_length=MAX_FEED_ROWS, help_text="Up to 200,000 rows."
    )


class _RowsField(serializers.ListField):
    """The rows as sent: a list, checked here for shape and size only; the feed service
    validates every row and reports each error with its row number."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not data:
            self.fail("empty")
        if len(data) > MAX_FEED_ROWS:
            self.fail("max_length", max_length=MAX_FEED_ROWS)
        # Row numbers are ours (a file upload's `_row` is its line): a client's is dropped.
        for row in data:
            if isinstance(row, dict) and "_row" in row:
                del row["_row"]
        return data


class StockBatchInputSerializer(JsonTyped, serializers.Serializer):
    reference = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    rows = _RowsField(allow_empty=False, min_length=1, max_length=MAX_FEED_ROWS)


class FeedResultSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text="Rows in the batch.")
    applied = serializers.IntegerField(help_text="Rows that changed a stock row.")
    ignored_stale = serializers.IntegerField(
        help_text="Rows not newer than what the stock row already has (replays, late rows)."
    )
    movements = serializers.IntegerField(help_text="Stock movements written.")


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="1 for the first element of `rows`.")
    field = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField()


class FeedRejectedSerializer(ErrorSerializer):
    """A batch refused: `feed_rejected` with its rows' errors, or `invalid` (a body that is not a
    batch, such as no rows), which has only `fields`."""

    errors = RowErrorSerializer(
        many=True, required=False, help_text="`feed_rejected`: the first 500 errors."
    )
    error_count = serializers.IntegerField(required=False, help_text="`feed_rejected` only.")


class StockMovementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField(source="variant.sku")
    delta = serializers.IntegerField(help_text="The change of on_hand, + in, - out.")
    on_hand_after = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=StockMovement.Reason.choices)
    source = serializers.ChoiceField(choices=StockMovement.Source.choices)
    reference = serializers.CharField()
    by = serializers.CharField(source="actor_label")
    created_at = serializers.DateTimeField()


class MovementQuerySerializer(serializers.Serializer):
    sku = serializers.CharField(required=False, max_length=64)
    reason = serializers.ChoiceField(required=False, choices=StockMovement.Reason.choices)
    since = serializers.DateTimeField(
        required=False, help_text="ISO 8601: movements at or after this time."
    )


# Near me -------------------------------------------------------------------------------------


class PointQuerySerializer(serializers.Serializer):
    """A point, given by coordinates or by a French postal code (its centroid)."""

    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)
    postal_code = serializers.RegexField(
        r"^\s*\d{5}\s*$", required=False, help_text="Instead of lat and lng, e.g. 69002."
    )
    radius_km = serializers.FloatField(required=False, default=50, min_value=1, max_value=200)
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100)

    def validate(self, attrs):
        has_lat, has_lng = "lat" in attrs, "lng" in attrs
        if attrs.get("postal_code"):
            centroid = postal_code_centroid(attrs["postal_code"])
            if centroid is None:
                raise serializers.ValidationError({"postal_code": [_("Unknown postal code.")]})
            attrs["lat"], attrs["lng"] = centroid
        elif has_lat != has_lng:
            missing = "lng" if has_lat else "lat"
            raise serializers.ValidationError({missing: [_("Give lat and lng together.")]})
        elif not has_lat:
            raise serializers.ValidationError(
                {"postal_code": [_("Give lat and lng, or a postal code.")]}
            )
        return attrs


class AvailabilityQuerySerializer(PointQuerySerializer):
    sku = serializers.CharField(max_length=64)
    limit = serializers.IntegerField(required=False, default=10, min_value=1, max_value=50)


class NearbyStoreSerializer(serializers.ModelSerializer):
    distance_km = serializers.SerializerMethodField()

    class Meta:
        model = Store
        fields = [
            "slug",
            "name",
            "kind",
            "address_line",
            "postal_code",
            "city",
            "latitude",
            "longitude",
            "phone",
            "offers_click_collect",
            "offers_ship_from_store",
            "offers_reserve_collect",
            "accepts_returns",
            "distance_km",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.FloatField())
    def get_distance_km(self, store) -> float:
        return round(store.distance_km, 2)


class NearbyStoresSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lng = serializers.FloatField()
    radius_km = serializers.FloatField()
    results = NearbyStoreSerializer(many=True)


class NearbyOfferSerializer(serializers.Serializer):
    store = StoreSerializer()
    distance_km = serializers.SerializerMethodField()
    band = serializers.CharField(help_text="in_stock, limited or last_units.")
    band_label = serializers.CharField()
    price_cents = serializers.IntegerField()

    @extend_schema_field(serializers.FloatField())
    def get_distance_km(self, offer) -> float:
        return round(offer.distance_km, 2)


class AvailabilitySerializer(serializers.Serializer):
    sku = serializers.CharField()
    lat = serializers.FloatField()
    lng = serializers.FloatField()
    radius_km = serializers.FloatField()
    results = NearbyOfferSerializer(many=True)
