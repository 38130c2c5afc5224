"""The marketing hub's API: digital packs under /api/v1/marketing/.

- `plans/`: HQ's plans on offer (read);
- `subscriptions/`: a store key sees and manages its store's subscriptions, HQ all (another
  store's is a 404); create, then `pause`, `resume`, `cancel`, `change` (POST);
- `deliverables/`: the files the packs made, with a download URL.

Refusals (commitment, plan withdrawn, already subscribed) come back in the API's error shape
`{"code", "detail", "fields"}` with 400 or 409 and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from network_marketplace.api.fields import JsonTyped
from network_marketplace.api.schema import file_responses
from stores.api.serializers import ErrorSerializer
from stores.api.views import ERRORS
from stores.models import Store
from stores.selectors import membership_for, stores_visible_to

from ..models import Deliverable, Subscription, SubscriptionPlan
from ..selectors.subscriptions import (
    deliverables_visible_to,
    next_billing_day,
    offered_plans,
    subscriptions_visible_to,
)
from ..services import subscriptions as services
from ..services.deliverables import CONTENT_TYPES, content_type_of, generate_deliverables

WRITE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(ErrorSerializer, description="Already subscribed, or not now."),
}


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubscriptionPlan
        fields = [
            "code",
            "name",
            "pack",
            "description",
            "includes",
            "price_cents",
            "vat_rate_bp",
            "minimum_commitment_months",
            "notice_days",
        ]


class SubscriptionSerializer(serializers.ModelSerializer):
    store: serializers.SlugRelatedField[Store] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    plan: serializers.SlugRelatedField[SubscriptionPlan] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    next_plan: serializers.SlugRelatedField[SubscriptionPlan] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    next_billing_on = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = [
            "id",
            "store",
            "plan",
            "status",
            "started_on",
            "commitment_ends_on",
            "paused_on",
            "ends_on",
            "next_plan",
            "next_plan_from",
            "next_billing_on",
        ]

    def get_next_billing_on(self, subscription: Subscription) -> Any:
        return next_billing_day(subscription)


class SubscribeSerializer(JsonTyped, serializers.Serializer):
    plan = serializers.SlugRelatedField(slug_field="code", queryset=SubscriptionPlan.objects.all())
    store = serializers.SlugField(
        required=False, help_text="HQ: the store to subscribe. A store key: its own (default)."
    )


class ChangePlanSerializer(JsonTyped, serializers.Serializer):
    plan = serializers.SlugRelatedField(slug_field="code", queryset=SubscriptionPlan.objects.all())


class DeliverableSerializer(serializers.ModelSerializer):
    store: serializers.SlugRelatedField[Store] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    download_url = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()

    class Meta:
        model = Deliverable
        fields = ["id", "store", "kind", "period_start", "generated_at", "download_url", "csv_url"]

    def _url(self, deliverable: Deliverable, suffix: str = "") -> str:
        request = self.context.get("request")
        url = reverse("marketing-deliverable-download", args=[deliverable.pk]) + suffix
        return request.build_absolute_uri(url) if request is not None else url

    def get_download_url(self, deliverable: Deliverable) -> str:
        return self._url(deliverable)

    def get_csv_url(self, deliverable: Deliverable) -> str | None:
        return self._url(deliverable, "?file=csv") if deliverable.extra_file else None


def _may_act(principal: Any, store: Store) -> bool:
    """A store key acts for its store, HQ for all; a signed-in member must own or manage."""
    api_key = getattr(principal, "api_key", None)
    if api_key is not None:
        return bool(api_key.is_hq or api_key.store_id == store.pk)
    if principal.is_staff:
        return True
    membership = membership_for(user=principal, store=store)
    return bool(membership and membership.can_manage)


@extend_schema_view(
    list=extend_schema(summary="Digital-pack plans on offer"),
    retrieve=extend_schema(summary="One plan"),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    lookup_field = "code"
    filter_backends = []

    def get_queryset(self) -> QuerySet[SubscriptionPlan]:
        return offered_plans()


@extend_schema_view(
    list=extend_schema(
        summary="Subscriptions (a store's own; HQ: every store's)",
        responses={200: SubscriptionSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One subscription", responses={200: SubscriptionSerializer, **ERRORS}
    ),
)
class SubscriptionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SubscriptionSerializer
    filter_backends = []

    def get_queryset(self) -> QuerySet[Subscription]:
        queryset = subscriptions_visible_to(self.request.user).order_by("-started_on", "-pk")
        if store := self.request.query_params.get("store"):
            queryset = queryset.filter(store__slug=store)
        if state := self.request.query_params.get("status"):
            queryset = queryset.filter(status=state)
        return queryset

    def _store_for(self, slug: str | None) -> Store:
        visible = stores_visible_to(self.request.user)
        api_key = getattr(self.request.user, "api_key", None)
        if not slug:
            if api_key is not None and api_key.store_id:
                return api_key.store
            raise serializers.ValidationError({"store": ["Say which store subscribes."]})
        store = visible.filter(slug=slug).first()
        if store is None:
            raise NotFound("No such store.")
        return store

    def _check(self, store: Store) -> None:
        if not _may_act(self.request.user, store):
            raise PermissionDenied("Only the store's owners and managers, or HQ, may do this.")

    @extend_schema(
        summary="Subscribe a store to a plan",
        description="Bills the rest of this month at once. A local ads pack's answer carries "
        "`feed_url`, the secret URL of its local inventory feed: shown this once.",
        request=SubscribeSerializer,
        responses={201: SubscriptionSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = SubscribeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        store = self._store_for(payload.validated_data.get("store"))
        self._check(store)
        subscription, secret = services.subscribe(
            store=store, plan=payload.validated_data["plan"], actor=request.user
        )
        generate_deliverables(subscription=subscription)
        data = dict(SubscriptionSerializer(subscription).data)
        if subscription.plan.pack == SubscriptionPlan.Pack.LOCAL_ADS:
            data["feed_url"] = request.build_absolute_uri(
                reverse("marketing_feeds:local-inventory", kwargs={"token": secret})
            )
        return Response(data, status=status.HTTP_201_CREATED)

    def _act(
        self, request: Request, service: Callable[..., Subscription], **kwargs: Any
    ) -> Response:
        subscription = self.get_object()
        self._check(subscription.store)
        done = service(subscription=subscription, actor=request.user, **kwargs)
        return Response(SubscriptionSerializer(done).data)

    @extend_schema(
        summary="Pause (not during the commitment)",
        request=None,
        responses={200: SubscriptionSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.pause_subscription)

    @extend_schema(
        summary="Resume a paused subscription",
        request=None,
        responses={200: SubscriptionSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.resume_subscription)

    @extend_schema(
        summary="Cancel with the plan's notice (ends no earlier than the commitment)",
        request=None,
        responses={200: SubscriptionSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.cancel_subscription)

    @extend_schema(
        summary="Change plan (dearer: now, prorated to the day; cheaper: next month, "
        "refused during the commitment)",
        request=ChangePlanSerializer,
        responses={200: SubscriptionSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def change(self, request: Request, pk: str | None = None) -> Response:
        payload = ChangePlanSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._act(request, services.change_plan, plan=payload.validated_data["plan"])


@extend_schema_view(
    list=extend_schema(
        summary="The packs' files (a store's own; HQ: every store's)",
        responses={200: DeliverableSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="One file", responses={200: DeliverableSerializer, **ERRORS}),
)
class DeliverableViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DeliverableSerializer
    filter_backends = []

    def get_queryset(self) -> QuerySet[Deliverable]:
        queryset = deliverables_visible_to(self.request.user).order_by("-period_start", "kind")
        if store := self.request.query_params.get("store"):
            queryset = queryset.filter(store__slug=store)
        if kind := self.request.query_params.get("kind"):
            queryset = queryset.filter(kind=kind)
        return queryset

    @extend_schema(
        summary="Download the file (`file=csv`: its CSV, for the GBP sheet)",
        responses={
            **file_responses(
                *sorted({kind.split(";")[0] for kind in CONTENT_TYPES.values()}),
                description="The file, in the content type of its kind.",
            ),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["get"], url_name="download")
    def download(self, request: Request, pk: str | None = None) -> Any:
        deliverable = self.get_object()
        field = (
            deliverable.extra_file
            if request.query_params.get("file") == "csv"
            else deliverable.file
        )
        if not field:
            raise Http404
        name = field.name.rsplit("/", 1)[-1]
        return FileResponse(
            field.open("rb"), as_attachment=True, filename=name, content_type=content_type_of(name)
        )


def register(router: DefaultRouter) -> None:
    router.register("marketing/plans", PlanViewSet, basename="marketing-plan")
    router.register(
        "marketing/subscriptions", SubscriptionViewSet, basename="marketing-subscription"
    )
    router.register("marketing/deliverables", DeliverableViewSet, basename="marketing-deliverable")
