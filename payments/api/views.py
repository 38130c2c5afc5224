"""The money API under /api/v1/payments/: payouts, invoices, and per store its balance,
commissions and statement; exports (FEC, CSV) for the ERP.

A store key (or member) sees only its own store's money (another store's is a 404); an HQ key
sees every store's and the network's exports.
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from network_marketplace.api.schema import file_responses
from payments import exports, payouts, selectors
from payments.facturx import facturx_pdf
from payments.models import PayoutPolicy
from payments.pdf import statement_pdf
from stores.api.serializers import ErrorSerializer
from stores.api.views import ERRORS, STORE_SLUG, StoreScopedViewSet
from stores.selectors import stores_visible_to

from .serializers import (
    BalanceSerializer,
    CommissionSerializer,
    InvoiceSerializer,
    PayoutSerializer,
    PeriodQuerySerializer,
    StatementSerializer,
)

CSV = file_responses("text/csv", description="The CSV file (UTF-8, comma-separated).")
PDF = file_responses("application/pdf", description="The PDF.")


class IsHQ(BasePermission):
    message = "Only HQ may read the network's exports."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_staff)


def _period(request) -> dict:
    serializer = PeriodQuerySerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _file(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv(write, filename: str) -> HttpResponse:
    stream = io.StringIO()
    write(stream)
    return _file(stream.getvalue(), filename=filename, content_type="text/csv; charset=utf-8")


@extend_schema_view(
    list=extend_schema(
        summary="Payouts (a store's own; HQ: every store's)",
        responses={200: PayoutSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="One payout", responses={200: PayoutSerializer, **ERRORS}),
)
class PayoutViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PayoutSerializer
    filter_backends = []

    def get_queryset(self):
        queryset = selectors.payouts_visible_to(self.request.user).order_by("-created_at", "-id")
        if store := self.request.query_params.get("store"):
            queryset = queryset.filter(store__slug=store)
        if status := self.request.query_params.get("status"):
            queryset = queryset.filter(status=status)
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Invoices and credit notes", responses={200: InvoiceSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(
        summary="One invoice or credit note", responses={200: InvoiceSerializer, **ERRORS}
    ),
)
class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceSerializer
    lookup_field = "number"
    lookup_value_regex = r"[A-Z0-9-]+"
    filter_backends = []

    def get_queryset(self):
        queryset = (
            selectors.invoices_visible_to(self.request.user)
            .prefetch_related("lines")
            .order_by("-issued_at", "-id")
        )
        if store := self.request.query_params.get("store"):
            queryset = queryset.filter(store__slug=store)
        return queryset

    @extend_schema(summary="The invoice as PDF", responses={**PDF, **ERRORS})
    @action(detail=True, methods=["get"])
    def pdf(self, request, number=None):
        invoice = self.get_object()
        return _file(
            facturx_pdf(invoice), filename=f"{invoice.number}.pdf", content_type="application/pdf"
        )


class StoreMoneyViewSet(StoreScopedViewSet):
    """A store's money: balance and next payout, commissions per order, statement."""

    pagination_class = None

    @extend_schema(
        summary="A store's balance, reserve and next payout",
        parameters=[STORE_SLUG],
        responses={200: BalanceSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def balance(self, request, store_slug=None):
        store = self.get_store()
        policy = PayoutPolicy.current()
        availability = payouts.store_availability(store, policy=policy)
        return Response(
            BalanceSerializer(
                {
                    "store": store.slug,
                    "balance_cents": availability.balance_cents,
                    "reserve_cents": availability.reserve_cents,
                    "reserve_detail": availability.reserve_detail,
                    "available_cents": availability.available_cents,
                    "minimum_payout_cents": availability.minimum_cents,
                    "next_payout_date": payouts.next_payout_day(policy, timezone.localdate()),
                    "can_receive_payouts": availability.can_receive_payouts,
                    "blocked_reason": availability.blocked_reason,
                }
            ).data
        )

    @extend_schema(
        summary="HQ's commission on each of a store's sales (download=csv: a file)",
        parameters=[STORE_SLUG, PeriodQuerySerializer],
        responses={(200, "application/json"): CommissionSerializer(many=True), **CSV, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def commissions(self, request, store_slug=None):
        store, period = self.get_store(), _period(request)
        if period.get("download") == "csv":
            return _csv(
                lambda stream: exports.write_commissions_csv(
                    stream, stores=[store], start=period["start"], end=period["end"]
                ),
                f"commissions-{store.slug}-{period['start']:%Y%m%d}-{period['end']:%Y%m%d}.csv",
            )
        rows = selectors.commission_rows(store=store, start=period["start"], end=period["end"])
        return Response(CommissionSerializer(rows, many=True).data)

    @extend_schema(
        summary="A store's statement: opening balance, entries, closing balance "
        "(download=csv or pdf: a file)",
        parameters=[STORE_SLUG, PeriodQuerySerializer],
        responses={(200, "application/json"): StatementSerializer, **CSV, **PDF, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def statement(self, request, store_slug=None):
        store, period = self.get_store(), _period(request)
        stmt = selectors.statement(store=store, start=period["start"], end=period["end"])
        name = f"statement-{store.slug}-{period['start']:%Y%m%d}-{period['end']:%Y%m%d}"
        if period.get("download") == "csv":
            return _csv(lambda stream: exports.write_statement_csv(stream, stmt), f"{name}.csv")
        if period.get("download") == "pdf":
            return _file(
                statement_pdf(stmt), filename=f"{name}.pdf", content_type="application/pdf"
            )
        return Response(
            StatementSerializer(
                {
                    "start": stmt.start,
                    "end": stmt.end,
                    "opening_cents": stmt.opening_cents,
                    "closing_cents": stmt.closing_cents,
                    "lines": stmt.lines,
                }
            ).data
        )


class ExportViewSet(viewsets.ViewSet):
    """Files for the ERP. The FEC and orders are HQ's; commissions and payouts a store key
    may export for its own store (HQ: all stores, or `store=`)."""

    permission_classes = [IsAuthenticated]

    def _stores(self, request, period):
        visible = stores_visible_to(request.user).order_by("pk")
        if period.get("store"):
            return [get_object_or_404(visible, slug=period["store"])]
        return list(visible)

    @extend_schema(
        summary="The FEC (accounting entries) of a period; HQ only",
        parameters=[PeriodQuerySerializer],
        responses={
            **file_responses("text/plain", description="The FEC: tab-separated, UTF-8."),
            **ERRORS,
            403: OpenApiResponse(ErrorSerializer),
        },
    )
    @action(detail=False, methods=["get"], permission_classes=[IsAuthenticated, IsHQ])
    def fec(self, request):
        period = _period(request)
        stream = io.StringIO()
        exports.write_fec(stream, start=period["start"], end=period["end"])
        return _file(
            stream.getvalue().encode("utf-8"),
            filename=exports.fec_filename(period["end"]),
            content_type="text/plain; charset=utf-8",
        )

    @extend_schema(
        summary="Orders placed in a period (CSV); HQ only",
        parameters=[PeriodQuerySerializer],
        responses={**CSV, **ERRORS, 403: OpenApiResponse(ErrorSerializer)},
    )
    @action(detail=False, methods=["get"], permission_classes=[IsAuthenticated, IsHQ])
    def orders(self, request):
        period = _period(request)
        return _csv(
            lambda stream: exports.write_orders_csv(
                stream, start=period["start"], end=period["end"]
            ),
            f"orders-{period['start']:%Y%m%d}-{period['end']:%Y%m%d}.csv",
        )

    @extend_schema(
        summary="Commissions of a period (CSV)",
        parameters=[PeriodQuerySerializer],
        responses={**CSV, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def commissions(self, request):
        period = _period(request)
        stores = self._stores(request, period)
        return _csv(
            lambda stream: exports.write_commissions_csv(
                stream, stores=stores, start=period["start"], end=period["end"]
            ),
            f"commissions-{period['start']:%Y%m%d}-{period['end']:%Y%m%d}.csv",
        )

    @extend_schema(
        summary="Payouts made in a period (CSV)",
        parameters=[PeriodQuerySerializer],
        responses={**CSV, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def payouts(self, request):
        period = _period(request)
        stores = self._stores(request, period)
        queryset = selectors.payouts_created_in(
            selectors.payouts_visible_to(request.user).filter(store__in=stores),
            period["start"],
            period["end"],
        )
        return _csv(
            lambda stream: exports.write_payouts_csv(stream, payouts=queryset),
            f"payouts-{period['start']:%Y%m%d}-{period['end']:%Y%m%d}.csv",
        )
