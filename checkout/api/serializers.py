"""Serializers of the checkout and order API: input checked here (field errors, one query for
the SKUs and one for the stores, whatever the number of lines); the rules are in checkout.services
and the selectors below it."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Product
from catalog.selectors import variants_by_sku
from network_marketplace.api.fields import JsonTyped
from orders.models import COLLECT_METHODS, MAX_LINE_QUANTITY, FulfilmentMethod, Order
from orders.routing import Point, UnavailableReason
from stores.models import Store
from stores.selectors import postal_code_centroid

from ..selectors import UNAVAILABLE_BY_TRANSFER

MAX_LINES = 100

UNAVAILABLE_MESSAGES = {
    UnavailableReason.OUT_OF_STOCK: _("Out of stock in the network."),
    UnavailableReason.PARCEL_LIMIT: _("Can't be sent within the maximum number of parcels."),
    UnavailableReason.CHOSEN_STORE_UNAVAILABLE: _("This store can't take this order."),
    UnavailableReason.CHOSEN_STORE_OUT_OF_STOCK: _("Not enough stock in this store."),
}
UNAVAILABLE_REASONS = [str(reason) for reason in UnavailableReason]


# Input -------------------------------------------------------------------------------------


class CheckoutLineInputSerializer(JsonTyped, serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY)
    method = serializers.ChoiceField(choices=FulfilmentMethod.choices)
    store = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="The slug of the pickup store: required for click_collect and "
        "reserve_collect, absent for home_delivery.",
    )

    def validate(self, attrs):
        method, store = attrs["method"], (attrs.get("store") or "").strip()
        if method in COLLECT_METHODS and not store:
            raise serializers.ValidationError({"store": [_("Choose the pickup store.")]})
        if method == FulfilmentMethod.HOME_DELIVERY and store:
            raise serializers.ValidationError(
                {"store": [_("A home-delivery line has no pickup store.")]}
            )
        attrs["store"] = store
        return attrs


class CheckoutLinesSerializer(JsonTyped, serializers.Serializer):
    """Resolves each line's SKU and pickup store in two queries; a line's errors come back
    under its index, as DRF gives them: `{"lines": {"1": {"sku": ["Unknown SKU."]}}}`."""

    lines = CheckoutLineInputSerializer(
        many=True, allow_empty=False, min_length=1, max_length=MAX_LINES
    )

    def validate_lines(self, lines):
        variants = variants_by_sku({line["sku"] for line in lines})
        slugs = {line["store"] for line in lines if line["store"]}
        stores = {store.slug: store for store in Store.objects.selling().filter(slug__in=slugs)}
        errors = {}
        for index, line in enumerate(lines):
            line_errors = {}
            variant = variants.get(line["sku"])
            if (
                variant is None
                or not variant.is_active
                or variant.product.status != Product.Status.PUBLISHED
            ):
                line_errors["sku"] = [_("Unknown SKU.")]
            if line["store"]:
                store = stores.get(line["store"])
                if store is None:
                    line_errors["store"] = [_("Unknown store.")]
                elif not store.offers(line["method"]):
                    line_errors["store"] = [
                        _("This store does not offer %(method)s.")
                        % {"method": FulfilmentMethod(line["method"]).label.lower()}
                    ]
                line["store"] = store
            else:
                line["store"] = None
            line["variant"] = variant
            if line_errors:
                errors[index] = line_errors
        if errors:
            raise serializers.ValidationError(errors)
        return lines

    def point(self, postal_code: str, field: str) -> Point | None:
        """The customer's point: their postal code's centre, else (collect lines only) the
        first pickup store. Raises a field error when home delivery has no known code."""
        lines = self.validated_data["lines"]
        home = any(line["method"] == FulfilmentMethod.HOME_DELIVERY for line in lines)
        centre = postal_code_centroid(postal_code) if postal_code else None
        if home and centre is None:
            message = _("Unknown postal code.") if postal_code else _("Required for home delivery.")
            raise serializers.ValidationError(_nest(field, message))
        if centre:
            return Point(*centre)
        store = next(line["store"] for line in lines if line["store"])
        return Point(float(store.latitude), float(store.longitude))


def _nest(field: str, message) -> dict:
    """{"a.b": m} -> {"a": {"b": [m]}}: errors at the place of the field in the body."""
    head, _sep, rest = field.partition(".")
    return {head: _nest(rest, message) if rest else [message]}


class QuoteInputSerializer(CheckoutLinesSerializer):
    postal_code = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        default="",
        help_text="The customer's postal code: required with a home-delivery line; it also "
        "places the customer for routing.",
    )


class CustomerInputSerializer(JsonTyped, serializers.Serializer):
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text="Required, except for a signed-in customer (their account's e-mail).",
    )
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="The language of the customer's e-mails; default: the request's.",
    )


class DeliveryAddressInputSerializer(JsonTyped, serializers.Serializer):
    address_line = serializers.CharField(max_length=200)
    postal_code = serializers.CharField(max_length=10)
    city = serializers.CharField(max_length=100)


class PlaceOrderInputSerializer(CheckoutLinesSerializer):
    customer = CustomerInputSerializer()
    delivery_address = DeliveryAddressInputSerializer(
        required=False, allow_null=True, help_text="Required when a line is home_delivery."
    )
    payment_token = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text="The payment provider's token for what is paid online (not needed when "
        "every line is reserve & collect).",
    )

    def validate(self, attrs):
        customer = attrs["customer"]
        user = self.context.get("customer_account")
        if user is not None:
            customer.setdefault("email", "")
            for name in ("email", "first_name", "last_name"):
                if not (customer.get(name) or "").strip():
                    customer[name] = getattr(user, name, "") or ""
        missing = {
            name: [_("This field is required.")]
            for name in ("email", "first_name", "last_name")
            if not (customer.get(name) or "").strip()
        }
        if missing:
            raise serializers.ValidationError({"customer": missing})
        customer.setdefault("language", (get_language() or settings.LANGUAGE_CODE)[:2])
        home = any(line["method"] == FulfilmentMethod.HOME_DELIVERY for line in attrs["lines"])
        if home and not attrs.get("delivery_address"):
            raise serializers.ValidationError(
                {"delivery_address": [_("Required for home delivery.")]}
            )
        return attrs


class OrderQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Order.Status.choices, required=False)
    store = serializers.CharField(
        max_length=100,
        required=False,
        help_text="HQ: a store's slug, the orders it serves (has a fulfilment of).",
    )
    placed_from = serializers.DateField(required=False, help_text="Placed on or after this day.")
    placed_to = serializers.DateField(required=False, help_text="Placed on or before this day.")


# Output: the quote -------------------------------------------------------------------------


class LocationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="franchise, branch or warehouse.")
    city = serializers.CharField()


class ServedBySerializer(serializers.Serializer):
    location = LocationSerializer()
    quantity = serializers.IntegerField(help_text="Units taken from this location's stock.")


class TransferPromiseSerializer(serializers.Serializer):
    # "from" is a Python keyword: declared below.
    message = serializers.CharField()


TransferPromiseSerializer._declared_fields["from"] = serializers.CharField(allow_null=True)


class QuoteLineSerializer(serializers.Serializer):
    sku = serializers.CharField(source="quote.request.variant.sku")
    product_name = serializers.CharField(source="quote.request.variant.product.name")
    options_label = serializers.CharField(source="quote.request.variant.option_label")
    quantity = serializers.IntegerField(source="quote.request.quantity")
    method = serializers.ChoiceField(
        choices=FulfilmentMethod.choices, source="quote.request.method"
    )
    store = serializers.SerializerMethodField(help_text="The pickup store's slug, or null.")
    unit_price_cents = serializers.IntegerField(source="quote.unit_price_cents")
    rrp_cents = serializers.IntegerField(source="quote.rrp_cents")
    total_cents = serializers.IntegerField(source="quote.total_cents")
    vat_percent = serializers.DecimalField(
        max_digits=4, decimal_places=1, source="quote.vat_percent"
    )
    vat_cents = serializers.IntegerField(source="quote.vat_cents")
    available = serializers.BooleanField(
        help_text="Whether it can be ordered as asked right now (nothing is held yet)."
    )
    unavailable_reason = serializers.ChoiceField(
        choices=[*UNAVAILABLE_REASONS, UNAVAILABLE_BY_TRANSFER],
        allow_null=True,
        help_text="out_of_stock, parcel_limit, chosen_store_unavailable or "
        "chosen_store_out_of_stock; null when available.",
    )
    unavailable_message = serializers.SerializerMethodField()
    served_by = serializers.SerializerMethodField(
        help_text="Where it would be served from (routing preview): the pickup store, the "
        "store sending it there (a transfer), or the location(s) shipping it."
    )
    delay_days = serializers.SerializerMethodField(
        help_text="Days until it is ready to collect or delivered, from today."
    )
    promised_on = serializers.DateField(allow_null=True)
    transfer = serializers.SerializerMethodField(
        help_text="When the chosen store lacks the stock and another store sends it there: "
        "`from` (the source store's slug: it sells the item), `message` (the promise, e.g. "
        "“Available at Lyon Presqu'île in 5 days, sent from another store.”); null otherwise."
    )

    @extend_schema_field(TransferPromiseSerializer(allow_null=True))
    def get_transfer(self, line) -> dict | None:
        if not line.is_transfer:
            return None
        source = line.served_by[0][0] if line.served_by else None
        return {"from": source.slug if source else None, "message": line.transfer_message}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_store(self, line) -> str | None:
        store = line.quote.request.store
        return store.slug if store else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_unavailable_message(self, line) -> str | None:
        if line.available:
            return None
        reason = line.unavailable_reason
        if reason == UNAVAILABLE_BY_TRANSFER:
            reason = UnavailableReason.CHOSEN_STORE_OUT_OF_STOCK
        return str(UNAVAILABLE_MESSAGES[UnavailableReason(reason)])

    @extend_schema_field(ServedBySerializer(many=True))
    def get_served_by(self, line) -> list[dict]:
        return ServedBySerializer(
            [{"location": store, "quantity": units} for store, units in line.served_by], many=True
        ).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_delay_days(self, line) -> int | None:
        return line.decision.delay_days if line.available else None


class QuoteSerializer(serializers.Serializer):
    currency = serializers.CharField(default="EUR")
    lines = QuoteLineSerializer(many=True)
    available = serializers.BooleanField(help_text="Every line can be ordered as asked.")
    subtotal_cents = serializers.IntegerField(source="quote.subtotal_cents")
    shipping_cents = serializers.IntegerField(
        source="quote.shipping_cents", help_text="The home-delivery fee (0 above the threshold)."
    )
    total_cents = serializers.IntegerField(source="quote.total_cents")
    vat_cents = serializers.IntegerField(source="quote.vat_cents", help_text="Of which VAT.")
    pay_online_cents = serializers.IntegerField(help_text="What is paid at checkout.")
    pay_in_store_cents = serializers.IntegerField(
        help_text="Reserve & collect lines: paid in the store, if the customer buys them."
    )
    parcels = serializers.IntegerField(help_text="Home-delivery parcels (shipping locations).")
    promised_on = serializers.DateField(
        allow_null=True, help_text="When every available line should be ready or delivered."
    )


# Output: orders ----------------------------------------------------------------------------


def _slug(store) -> str | None:
    return store.slug if store is not None else None


class FulfilmentEventSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class StaffFulfilmentEventSerializer(FulfilmentEventSerializer):
    actor = serializers.CharField(source="actor_label", help_text="Who made the change.")


class OrderFulfilmentLineSerializer(serializers.Serializer):
    sku = serializers.CharField(source="order_line.sku")
    product_name = serializers.CharField(source="order_line.product_name")
    quantity = serializers.IntegerField()


class OrderFulfilmentSerializer(serializers.Serializer):
    """A fulfilment as the customer follows it: where, how, its state and its parcel."""

    id = serializers.IntegerField()
    store = LocationSerializer(help_text="The store serving it (whose stock is sold).")
    pickup_store = LocationSerializer(
        allow_null=True,
        help_text="A transfer: the store the goods are sent to, where the customer collects.",
    )
    method = serializers.ChoiceField(choices=FulfilmentMethod.choices)
    status = serializers.CharField(help_text="See the store fulfilment endpoints for the list.")
    status_label = serializers.CharField(source="get_status_display")
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    ready_at = serializers.DateTimeField(allow_null=True)
    collect_before = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    lines = OrderFulfilmentLineSerializer(many=True)
    events = serializers.SerializerMethodField()

    @extend_schema_field(StaffFulfilmentEventSerializer(many=True))
    def get_events(self, fulfilment) -> list[dict]:
        serializer = (
            StaffFulfilmentEventSerializer
            if self.context.get("show_actors")
            else FulfilmentEventSerializer
        )
        return serializer(fulfilment.events.all(), many=True).data


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    options_label = serializers.CharField()
    quantity = serializers.IntegerField()
    cancelled_quantity = serializers.IntegerField()
    unit_price_cents = serializers.IntegerField()
    total_cents = serializers.IntegerField()
    vat_percent = serializers.DecimalField(max_digits=4, decimal_places=1)
    vat_cents = serializers.IntegerField()
    method = serializers.ChoiceField(choices=FulfilmentMethod.choices)
    store = serializers.SerializerMethodField(help_text="The pickup store's slug, or null.")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_store(self, line) -> str | None:
        return _slug(line.chosen_store)


class OrderEventSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    created_at = serializers.DateTimeField()


class CustomerSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    phone = serializers.CharField()


class DeliveryAddressSerializer(serializers.Serializer):
    address_line = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()


class OrderSummaryFulfilmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    store = serializers.CharField(source="store.slug")
    method = serializers.ChoiceField(choices=FulfilmentMethod.choices)
    status = serializers.CharField()
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()


class OrderSummarySerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Order.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.ChoiceField(choices=Order.Channel.choices)
    placed_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    currency = serializers.CharField()
    total_cents = serializers.IntegerField()
    item_count = serializers.SerializerMethodField(help_text="Units ordered.")
    customer = CustomerSerializer(source="*")
    fulfilments = OrderSummaryFulfilmentSerializer(many=True)

    def get_item_count(self, order) -> int:
        return sum(line.quantity for line in order.lines.all())


class OrderSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Order.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.ChoiceField(choices=Order.Channel.choices)
    placed_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    customer = CustomerSerializer(source="*")
    delivery_address = serializers.SerializerMethodField()
    placed_by_store = serializers.SerializerMethodField(
        help_text="The store whose staff placed it (endless aisle), or null."
    )
    currency = serializers.CharField()
    subtotal_cents = serializers.IntegerField()
    shipping_cents = serializers.IntegerField()
    total_cents = serializers.IntegerField()
    vat_cents = serializers.IntegerField(help_text="Of which VAT.")
    lines = OrderLineSerializer(many=True)
    fulfilments = OrderFulfilmentSerializer(many=True)
    events = OrderEventSerializer(many=True)

    @extend_schema_field(DeliveryAddressSerializer(allow_null=True))
    def get_delivery_address(self, order) -> dict | None:
        if not order.address_line:
            return None
        return DeliveryAddressSerializer(order).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_placed_by_store(self, order) -> str | None:
        return _slug(order.placed_by_store)


class NoLongerAvailableSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField()
    skus = serializers.ListField(
        child=serializers.CharField(), help_text="The SKUs that can't be served as asked."
    )
