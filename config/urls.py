"""The project's URLs: every app's pages, the back-office shell mounted once, the API."""

import re
import uuid

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from checkout import backoffice_urls as endless_aisle
from compliance import backoffice_urls as compliance_pages
from compliance import dac7_backoffice_urls as tax_data
from compliance import p2b_backoffice_urls as p2b_pages
from compliance import trader_backoffice_urls as trader_data
from fulfillment import backoffice_urls as order_desk
from fulfillment import desk_urls as returns_desk
from hq import backoffice_urls as scorecard
from hq.dashboard import with_control_tower
from marketing_hub import backoffice_urls as marketing
from network_marketplace import views as health
from payments import account_urls as payment_account
from payments import backoffice_urls as money
from stores import backoffice, home_views, team_views
from stores import backoffice_urls as store_pages
from stores.sitemaps import SITEMAPS

from . import views

SCHEMA_CACHE_SECONDS = 60 * 60
SCHEMA_BUILD = uuid.uuid4().hex[:12]

admin.site.site_header = _("Network Marketplace · HQ")
# HQ signs in to the admin through the site's sign-in page, which asks for the second factor:
# the admin's own login form would skip it.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
# The admin home is HQ's control tower (hq/dashboard.py).
admin.site.index = with_control_tower(admin.site.index)  # type: ignore[method-assign]
admin.site.site_title = _("Network Marketplace HQ")
admin.site.index_title = _("Head office")

urlpatterns = [
    path("", home_views.home, name="home"),
    path("search/", home_views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("healthz/live", health.liveness, name="healthz-live"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The customer's data (export, closing the account): compliance's pages in her account.
    path("accounts/data/", include("compliance.gdpr_urls")),
    # Her consents (marketing per purpose and store, cookies): compliance's page in her account.
    path("accounts/consents/", include("compliance.account_urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("stores.catalogue_urls")),
    path("stores/", include("stores.urls")),
    path("", include("checkout.urls")),
    path("", include("fulfillment.order_pages_urls")),
    # The store back-office: one shell at /store/<slug>/, each app's pages plugged in.
    path(
        "store/",
        backoffice.mount(
            store_pages,
            order_desk,
            endless_aisle,
            returns_desk,
            money,
            payment_account,
            marketing,
            compliance_pages,
            p2b_pages,
            trader_data,
            tax_data,
            scorecard,
        ),
    ),
    # An invitation to a store's team opens outside the store until it is accepted.
    path("team/invitations/<str:token>/", team_views.invitation, name="store_invitation"),
    path("orders/", include("fulfillment.urls")),
    path("legal/", include("compliance.urls")),
    path("supplier/", include("marketing_hub.supplier_urls")),
    path("marketing/feeds/", include("marketing_hub.feed_urls")),
    path("payments/", include("payments.urls")),
    # The demo mailbox: every e-mail the embedded demo sent (404 outside the demo).
    path("demo/", include("demo.urls")),
    path(settings.ADMIN_URL_PREFIX, admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # The schema changes only with the code: built once per start of the code (SCHEMA_BUILD),
    # then served from the cache.
    path(
        "api/schema/",
        cache_page(SCHEMA_CACHE_SECONDS, key_prefix=f"api-schema-{SCHEMA_BUILD}")(
            SpectacularAPIView.as_view()
        ),
        name="api-schema",
    ),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# Uploaded media (product images), also with DEBUG off (`static()` would serve nothing then),
# unless SERVE_MEDIA is off because something in front serves MEDIA_URL.
if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", views.media)
    ]

handler400 = "config.error_views.bad_request"
handler403 = "config.error_views.permission_denied"
handler404 = "config.error_views.not_found"
handler500 = "config.error_views.server_error"
