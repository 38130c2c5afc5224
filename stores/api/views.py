from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from stores.models import Store
from stores.selectors import stores_visible_to

from .serializers import StoreSerializer, WhoAmISerializer


class StoreFilter(filters.FilterSet):
    city = filters.CharFilter(lookup_expr="iexact")
    postal_code = filters.CharFilter(lookup_expr="startswith")

    class Meta:
        model = Store
        fields = ["kind", "status", "city", "postal_code"]


class StoreViewSet(viewsets.ReadOnlyModelViewSet):
    """The network's stores and warehouses: a store key sees its own store, an HQ key all."""

    serializer_class = StoreSerializer
    filterset_class = StoreFilter
    lookup_field = "slug"

    def get_queryset(self):
        return stores_visible_to(self.request.user).order_by("name")


class WhoAmIView(APIView):
    """Who the request acts as: a user or an API key, HQ or which stores."""

    @extend_schema(responses=WhoAmISerializer)
    def get(self, request):
        api_key = getattr(request.user, "api_key", None)
        data = {
            "kind": "api_key" if api_key else "user",
            "email": getattr(request.user, "email", ""),
            "api_key": api_key.prefix if api_key else None,
            "is_hq": bool(request.user.is_staff),
            "stores": stores_visible_to(request.user).order_by("name")
            if not request.user.is_staff
            else [],
        }
        return Response(WhoAmISerializer(data).data)
