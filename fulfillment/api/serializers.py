"""Serializers of a store's fulfilment endpoints: what a POS needs to serve an order."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from network_marketplace.api.fields import JsonTyped
from orders.models import FulfilmentMethod, OrderPolicy

from ..models import Fulfilment
from ..states import can_move, store_performs
from ..transfers import transfer_carrier_label

S = Fulfilment.Status

# The API's actions and the status each one moves to (outcome: either of two).
ACTION_TARGETS = {
    "accept": [S.ACCEPTED],
    "reject": [S.REJECTED],
    "picked": [S.PICKED],
    "ready": [S.READY_FOR_PICKUP],
    "handover": [S.COLLECTED],
    "ship": [S.SHIPPED],
    "ship_transfer": [S.IN_TRANSIT],
    "receive": [S.RECEIVED],
    "outcome": [S.PURCHASED_IN_STORE, S.NOT_PURCHASED],
    "delivered": [S.DELIVERED],
}


def allowed_actions(fulfilment: Fulfilment, store_id: int | None = None) -> list[str]:
    """The actions the store `store_id` (None: HQ) may take now, from fulfillment/states.py:
    a transfer's source and pickup store each see their own steps."""
    return [
        name
        for name, targets in ACTION_TARGETS.items()
        if any(
            can_move(fulfilment, target) and store_performs(fulfilment, store_id, target)
            for target in targets
        )
    ]


class FulfilmentLineSerializer(serializers.Serializer):
    sku = serializers.CharField(source="order_line.sku")
    product_name = serializers.CharField(source="order_line.product_name")
    options_label = serializers.CharField(source="order_line.options_label")
    quantity = serializers.IntegerField(help_text="Units this store serves.")
    unit_price_cents = serializers.IntegerField(source="order_line.unit_price_cents")


class FulfilmentEventSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField(source="actor_label")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class FulfilmentOrderSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    channel = serializers.CharField()
    placed_at = serializers.DateTimeField(allow_null=True)
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()


class ShippingAddressSerializer(serializers.Serializer):
    name = serializers.SerializerMethodField()
    address_line = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()

    def get_name(self, order) -> str:
        return f"{order.first_name} {order.last_name}".strip()


class TransferSerializer(serializers.Serializer):
    source_store = serializers.CharField(
        source="store.slug", help_text="It sells its stock and sends the goods (the sale is its)."
    )
    pickup_store = serializers.CharField(
        source="pickup_store.slug", help_text="It receives the goods and hands them over."
    )
    carrier = serializers.SerializerMethodField(help_text="Carrier, or “Internal shuttle”.")
    shipped_at = serializers.DateTimeField(source="transfer_shipped_at", allow_null=True)
    received_at = serializers.DateTimeField(source="transfer_received_at", allow_null=True)

    def get_carrier(self, fulfilment) -> str:
        return transfer_carrier_label(fulfilment) if fulfilment.transfer_shipped_at else ""


class PickupSlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class FulfilmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    store = serializers.CharField(
        source="store.slug", help_text="The store serving it: its stock is sold."
    )
    transfer = serializers.SerializerMethodField(
        help_text="A store-to-store transfer (the chosen pickup store lacked the stock): the "
        "source store, the pickup store and the legs' times; null otherwise."
    )
    order = FulfilmentOrderSerializer()
    method = serializers.ChoiceField(choices=FulfilmentMethod.choices)
    status = serializers.ChoiceField(choices=S.choices)
    status_label = serializers.CharField(source="get_status_display")
    allowed_actions = serializers.SerializerMethodField(
        help_text="The actions this store may take now: accept, reject, picked, ready, handover, "
        "ship, ship_transfer, receive, outcome, delivered."
    )
    accept_deadline = serializers.DateTimeField(
        allow_null=True, help_text="Accept before: else the order goes to another store."
    )
    pickup_slot = serializers.SerializerMethodField(
        help_text="The time the customer chose to collect at the pickup store (stores that "
        "offer pickup slots); null otherwise."
    )
    accepted_at = serializers.DateTimeField(allow_null=True)
    ready_at = serializers.DateTimeField(allow_null=True)
    collect_before = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    pickup_code_attempts_left = serializers.SerializerMethodField(
        help_text="Ready for pickup: wrong codes still allowed before the code is void."
    )
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    rejection_reason = serializers.CharField()
    shipping_address = serializers.SerializerMethodField(
        help_text="Home delivery: where to send the parcel; null otherwise."
    )
    lines = FulfilmentLineSerializer(many=True)
    events = FulfilmentEventSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(ACTION_TARGETS)))
    )
    def get_allowed_actions(self, fulfilment) -> list[str]:
        store = self.context.get("store")
        return allowed_actions(fulfilment, store.pk if store is not None else None)

    @extend_schema_field(PickupSlotSerializer(allow_null=True))
    def get_pickup_slot(self, fulfilment) -> dict | None:
        starts_at = getattr(fulfilment, "slot_starts_at", None)
        if starts_at is None:
            return None
        return PickupSlotSerializer(
            {"starts_at": starts_at, "ends_at": fulfilment.slot_ends_at}
        ).data

    @extend_schema_field(TransferSerializer(allow_null=True))
    def get_transfer(self, fulfilment) -> dict | None:
        if not fulfilment.is_transfer:
            return None
        return TransferSerializer(fulfilment).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_pickup_code_attempts_left(self, fulfilment) -> int | None:
        if fulfilment.status != S.READY_FOR_PICKUP:
            return None
        if "policy" not in self.context:
            self.context["policy"] = OrderPolicy.current()
        attempts = self.context["policy"].pickup_code_attempts
        return max(attempts - fulfilment.pickup_code_failures, 0)

    @extend_schema_field(ShippingAddressSerializer(allow_null=True))
    def get_shipping_address(self, fulfilment) -> dict | None:
        if fulfilment.method != FulfilmentMethod.HOME_DELIVERY:
            return None
        return ShippingAddressSerializer(fulfilment.order).data


class FulfilmentQuerySerializer(serializers.Serializer):
    status = serializers.MultipleChoiceField(
        choices=S.choices,
        required=False,
        help_text="One or more statuses, comma-separated (`awaiting_acceptance,accepted`).",
    )
    method = serializers.ChoiceField(choices=FulfilmentMethod.choices, required=False)
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Changed at or after this instant (ISO 8601): poll with the last "
        "`updated_at` you saw; the list is oldest change first.",
    )
    order = serializers.CharField(required=False, max_length=20, help_text="An order number.")

    def to_internal_value(self, data):
        if hasattr(data, "getlist") and "status" in data:
            data = data.copy()
            statuses = [part for value in data.getlist("status") for part in value.split(",")]
            data.setlist("status", [status.strip() for status in statuses if status.strip()])
        return super().to_internal_value(data)


class RejectSerializer(JsonTyped, serializers.Serializer):
    reason = serializers.CharField(
        max_length=300, help_text="Why the store can't serve it (kept in the order's history)."
    )
    missing_stock = serializers.BooleanField(
        default=False,
        help_text="The goods are not in the store though its stock said they were (HQ's "
        "scorecard counts it against the store's stock accuracy).",
    )

    def validate_reason(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Say why the fulfilment is rejected."))
        return value.strip()


class HandoverSerializer(JsonTyped, serializers.Serializer):
    code = serializers.RegexField(
        r"^\s*\d[\d ]*\s*$",
        max_length=20,
        help_text="The 6-digit pickup code the customer shows (spaces allowed).",
        error_messages={"invalid": _("The pickup code is 6 digits.")},
    )


class ShipSerializer(JsonTyped, serializers.Serializer):
    carrier = serializers.CharField(max_length=50)
    tracking_number = serializers.CharField(max_length=100)


class ShipTransferSerializer(JsonTyped, serializers.Serializer):
    carrier = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        help_text="The carrier; empty or absent: the network's internal shuttle.",
    )
    tracking_number = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="The carrier's tracking number (required with a carrier).",
    )


class OutcomeSerializer(serializers.Serializer):
    purchased = serializers.BooleanField(
        help_text="true: the customer bought the item in the store; false: they did not."
    )


class PickupCodeErrorSerializer(serializers.Serializer):
    """What a handover refuses: a 400 (`invalid`, `parse_error`, `bad_request`, or
    `wrong_pickup_code` with `attempts_left`) or a 409 (`pickup_code_void`, or
    `illegal_transition` with `facts`)."""

    code = serializers.ChoiceField(
        choices=[
            "invalid",
            "parse_error",
            "bad_request",
            "wrong_pickup_code",
            "pickup_code_void",
            "illegal_transition",
        ]
    )
    detail = serializers.CharField()
    fields = serializers.DictField()
    attempts_left = serializers.IntegerField(
        required=False, help_text="`wrong_pickup_code`: the tries left before the code is void."
    )
    facts = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="`illegal_transition`: the `current` state and the `target` one.",
    )


class DeliverySerializer(JsonTyped, serializers.Serializer):
    delivered_at = serializers.DateTimeField(
        required=False, help_text="When the parcel was delivered; default now."
    )
