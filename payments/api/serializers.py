from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from payments.models import Invoice, InvoiceLine, Payout
from payments.selectors import period_problem
from stores.models import Store


class PeriodQuerySerializer(serializers.Serializer):
    """A period of local days; the current month by default."""

    start = serializers.DateField(required=False, help_text="First day (YYYY-MM-DD).")
    end = serializers.DateField(required=False, help_text="Last day (YYYY-MM-DD).")
    download = serializers.ChoiceField(
        choices=["csv", "pdf"], required=False, help_text="A file instead of JSON."
    )
    store = serializers.SlugField(required=False, help_text="HQ: only this store.")

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("start", today.replace(day=1))
        attrs.setdefault("end", today)
        problem = period_problem(attrs["start"], attrs["end"])
        if problem is not None:
            field, message = problem
            raise serializers.ValidationError({field: message})
        return attrs


class PayoutSerializer(serializers.ModelSerializer):
    store: serializers.SlugRelatedField[Store] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    period = serializers.CharField(source="period_key")

    class Meta:
        model = Payout
        fields = [
            "id",
            "store",
            "period",
            "attempt",
            "amount_cents",
            "currency",
            "status",
            "balance_cents",
            "reserve_cents",
            "reserve_detail",
            "provider_reference",
            "failure_message",
            "created_at",
            "paid_at",
            "failed_at",
        ]


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "date",
            "label",
            "order_number",
            "amount_excl_vat_cents",
            "vat_rate_bp",
            "vat_cents",
        ]


class InvoiceSerializer(serializers.ModelSerializer):
    store: serializers.SlugRelatedField[Store] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    credited_invoice: serializers.SlugRelatedField[Invoice] = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True
    )
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "number",
            "kind",
            "store",
            "period_start",
            "period_end",
            "issued_at",
            "due_date",
            "currency",
            "total_excl_vat_cents",
            "vat_cents",
            "total_incl_vat_cents",
            "vat_breakdown",
            "seller",
            "buyer",
            "payment_terms",
            "credited_invoice",
            "reason",
            "lines",
        ]


class BalanceSerializer(serializers.Serializer):
    store = serializers.CharField()
    balance_cents = serializers.IntegerField()
    reserve_cents = serializers.IntegerField()
    reserve_detail = serializers.DictField()
    available_cents = serializers.IntegerField()
    minimum_payout_cents = serializers.IntegerField()
    next_payout_date = serializers.DateField()
    can_receive_payouts = serializers.BooleanField()
    blocked_reason = serializers.CharField()


class CommissionSerializer(serializers.Serializer):
    date = serializers.DateField()
    reference = serializers.CharField(source="entry.reference")
    order = serializers.CharField(source="order_number")
    gross_cents = serializers.IntegerField()
    net_cents = serializers.IntegerField()
    commission_cents = serializers.IntegerField()
    vat_cents = serializers.IntegerField()
    vat_rate_bp = serializers.IntegerField()


class StatementLineSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    journal = serializers.CharField()
    reference = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    order_number = serializers.CharField()
    debit_cents = serializers.IntegerField()
    credit_cents = serializers.IntegerField()
    balance_cents = serializers.IntegerField()


class StatementSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    opening_cents = serializers.IntegerField()
    closing_cents = serializers.IntegerField()
    lines = StatementLineSerializer(many=True)
