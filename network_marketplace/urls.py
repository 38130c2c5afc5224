import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

admin.site.site_header = _("Network Marketplace · HQ")
admin.site.site_title = _("Network Marketplace HQ")
admin.site.index_title = _("Head office")

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.liveness, name="healthz-live"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("stores.catalogue_urls")),
    path("stores/", include("stores.urls")),
    path("", include("checkout.urls")),
    path("", include("fulfillment.order_pages_urls")),
    path("store/", include("stores.backoffice_urls")),
    path("store/", include("fulfillment.desk_urls")),
    path("store/", include("payments.backoffice_urls")),
    path("orders/", include("fulfillment.urls")),
    path("legal/", include("compliance.urls")),
    path("payments/", include("payments.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("network_marketplace.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# Uploaded media (product images), also with DEBUG off (`static()` would serve nothing then),
# unless SERVE_MEDIA is off because something in front serves MEDIA_URL.
if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", views.media)
    ]
