"""/api/v1/webhooks/: an integrator manages the endpoints that receive the network's events.

A store key (or a store member's session) sees and manages its store's endpoints; HQ sees all
and may create HQ endpoints (no store: every store's events). Another store's endpoint is a 404.
The rules are in network_marketplace.webhooks; this module only translates HTTP. It sits with
the stores' API because who may manage an endpoint is a question of store membership, which the
shared infrastructure below the apps does not know.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from network_marketplace.api.fields import JsonSlugRelatedField, JsonTyped
from network_marketplace.models import WebhookDelivery, WebhookEndpoint
from network_marketplace.webhooks import (
    ALL_EVENTS,
    EVENT_TYPES,
    create_endpoint,
    delete_endpoint,
    endpoints_visible_to,
    send_test_event,
    subscribable_event_types,
    update_endpoint,
    validate_endpoint_url,
)
from stores.models import Store
from stores.selectors import membership_for, stores_visible_to

from .serializers import ErrorSerializer

EVENT_CHOICES = [ALL_EVENTS, *subscribable_event_types()]


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid fields."),
    401: OpenApiResponse(ErrorSerializer, description="No or invalid credentials."),
    403: OpenApiResponse(
        ErrorSerializer, description="A store member who is not its owner or manager."
    ),
    404: OpenApiResponse(ErrorSerializer, description="Not an endpoint you may see."),
}


class WebhookEndpointSerializer(JsonTyped, serializers.ModelSerializer):
    store = JsonSlugRelatedField(
        slug_field="slug",
        queryset=Store.objects.none(),
        required=False,
        allow_null=True,
        help_text="The store whose events this endpoint receives. A store key may omit it (its "
        "own store); HQ leaves it null for an endpoint that receives every store's events.",
    )
    url = serializers.URLField(max_length=500, validators=[validate_endpoint_url])
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES),
        allow_empty=False,
        min_length=1,
        help_text='Event types to receive; `"*"` for all, including types added later.',
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "store",
            "url",
            "description",
            "event_types",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and not self.fields["store"].read_only:
            self.fields["store"].queryset = stores_visible_to(request.user)  # type: ignore[attr-defined]


class WebhookEndpointUpdateSerializer(WebhookEndpointSerializer):
    store = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta(WebhookEndpointSerializer.Meta):
        read_only_fields = ["id", "store", "created_at", "updated_at"]


class CreatedWebhookEndpointSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret of `X-Network-Signature`. Shown in this answer only.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        choices=["pending", "retrying", "delivered", "dead"], read_only=True
    )

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "state",
            "attempts",
            "status_code",
            "response_snippet",
            "error",
            "duration_ms",
            "created_at",
            "last_attempt_at",
            "delivered_at",
        ]
        read_only_fields = fields


class WebhookEventTypeSerializer(serializers.Serializer):
    type = serializers.CharField()
    description = serializers.CharField()


ENDPOINT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        summary="Webhook endpoints",
        description="The endpoints the caller may see: a store's own, or all for HQ.",
        responses={200: WebhookEndpointSerializer(many=True), 401: ERRORS[401]},
    ),
    retrieve=extend_schema(
        summary="A webhook endpoint",
        parameters=[ENDPOINT_ID],
        responses={200: WebhookEndpointSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    ),
    create=extend_schema(
        summary="Add a webhook endpoint",
        description="The answer carries the signing `secret`, shown this once.",
        request=WebhookEndpointSerializer,
        responses={201: CreatedWebhookEndpointSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a webhook endpoint",
        description="URL, description, events, or `active: false` to pause it. The secret stays.",
        parameters=[ENDPOINT_ID],
        request=WebhookEndpointUpdateSerializer,
        responses={200: WebhookEndpointSerializer, **ERRORS},
    ),
    destroy=extend_schema(
        summary="Remove a webhook endpoint",
        description="Its undelivered events are dropped with it.",
        parameters=[ENDPOINT_ID],
        responses={204: None, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
    ),
)
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    """Outbound webhooks: each event is POSTed as JSON to the endpoint's URL, signed with its
    secret (`X-Network-Signature: t=<unix time>,v1=<HMAC-SHA256 hex of "<t>.<body>">`) and
    retried with backoff until the endpoint answers 2xx."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filter_backends = []

    def get_queryset(self):
        principal = self.request.user
        return endpoints_visible_to(principal, stores=stores_visible_to(principal)).order_by(
            "-created_at", "-id"
        )

    def get_serializer_class(self):
        if self.action == "partial_update":
            return WebhookEndpointUpdateSerializer
        return WebhookEndpointSerializer

    def _check_may_manage(self, store: Store | None) -> None:
        """HQ and store keys manage what they see; a store member must be owner or manager."""
        principal = self.request.user
        if principal.is_staff or getattr(principal, "api_key", None) is not None:
            return
        membership = membership_for(user=principal, store=store) if store else None
        if membership is None or not membership.can_manage:
            raise exceptions.PermissionDenied(
                _("Only the store's owners and managers manage its webhooks.")
            )

    def _store_for_new_endpoint(self, serializer) -> Store | None:
        principal = self.request.user
        api_key = getattr(principal, "api_key", None)
        given = "store" in serializer.validated_data
        store = serializer.validated_data.get("store")
        if principal.is_staff:
            return store
        if api_key is not None and not given:
            return api_key.store
        if store is None:
            raise exceptions.ValidationError({"store": [_("Choose the store.")]})
        return store

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        store = self._store_for_new_endpoint(serializer)
        self._check_may_manage(store)
        data = serializer.validated_data
        created = create_endpoint(
            store=store,
            url=data["url"],
            event_types=data["event_types"],
            description=data.get("description", ""),
            actor=request.user,
        )
        endpoint = created.endpoint
        if data.get("active") is False:
            endpoint = update_endpoint(endpoint=endpoint, actor=request.user, active=False)
        body = CreatedWebhookEndpointSerializer(endpoint, context=self.get_serializer_context())
        return Response({**body.data, "secret": created.secret}, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        self._check_may_manage(endpoint.store)
        serializer = self.get_serializer(endpoint, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        endpoint = update_endpoint(
            endpoint=endpoint,
            actor=request.user,
            url=data.get("url"),
            event_types=data.get("event_types"),
            description=data.get("description"),
            active=data.get("active"),
        )
        return Response(
            WebhookEndpointSerializer(endpoint, context=self.get_serializer_context()).data
        )

    def destroy(self, request, *args, **kwargs):
        endpoint = self.get_object()
        self._check_may_manage(endpoint.store)
        delete_endpoint(endpoint=endpoint, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Send a test event",
        description="Queues a `webhook.ping` event to this endpoint only; follow it in "
        "`deliveries`.",
        parameters=[ENDPOINT_ID],
        request=None,
        responses={202: WebhookDeliverySerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        endpoint = self.get_object()
        self._check_may_manage(endpoint.store)
        delivery = send_test_event(endpoint=endpoint, actor=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="An endpoint's deliveries",
        description="One row per event sent to the endpoint, newest first, with its attempts.",
        parameters=[ENDPOINT_ID],
        responses={200: WebhookDeliverySerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        endpoint = get_object_or_404(self.get_queryset(), pk=pk)
        deliveries = endpoint.deliveries.select_related("message").order_by("-created_at")
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(
        summary="Event types",
        description="The event types the platform sends. `webhook.ping` is sent on request "
        "(the `ping` action) whatever the endpoint subscribes to.",
        responses={200: WebhookEventTypeSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="event-types", pagination_class=None)
    def event_types(self, request):
        return Response(
            [{"type": name, "description": str(text)} for name, text in EVENT_TYPES.items()]
        )
