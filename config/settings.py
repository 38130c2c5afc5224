"""Settings read from the environment.

With no variable set this is the embedded profile used by `make demo`: a SQLite file, tasks run
in-process, the e-mails kept in the demo's mailbox, the dummy payment provider, served as in
production (DEBUG off) on plain HTTP ("The demo" at the end). Production sets DATABASE_URL
(PostgreSQL), REDIS_URL (cache and Celery broker), SECRET_KEY, DEBUG=false and ALLOWED_HOSTS;
nothing else differs between the two.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.beat_schedule import BEAT_SCHEDULE
from config.unfold import UNFOLD  # noqa: F401  (HQ's admin theme and its sidebar)
from network_marketplace.storage_settings import storages_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# The embedded profile (no REDIS_URL) is the demo: see "The demo" at the end of this file.
DEMO = env.bool("DEMO", default=not env("REDIS_URL", default=""))
DEBUG = env.bool("DEBUG", default=not DEMO)
SECRET_KEY = env(
    "SECRET_KEY",
    default="embedded-profile-insecure-key-never-use-in-production-0123456789abcdef",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

NETWORK_NAME = env("NETWORK_NAME", default="Ardoise")
NETWORK_OPERATOR = {
    "company_name": env("OPERATOR_COMPANY_NAME", default="Ardoise Réseau SAS"),
    "address": env("OPERATOR_ADDRESS", default="12 rue de la République, 69002 Lyon, France"),
    "registration_number": env("OPERATOR_REGISTRATION", default="RCS Lyon 912 345 678"),
    "vat_number": env("OPERATOR_VAT_NUMBER", default="FR40912345678"),
    "email": env("OPERATOR_EMAIL", default="contact@ardoise.example"),
    "phone": env("OPERATOR_PHONE", default="+33 4 72 00 00 00"),
    # Invoices and the FEC file name need the company's SIREN (9 digits) and SIRET (14).
    "siren": env("OPERATOR_SIREN", default="912345678"),
    "siret": env("OPERATOR_SIRET", default="91234567800015"),
    "share_capital": env("OPERATOR_SHARE_CAPITAL", default="SAS au capital de 50 000 €"),
}

INSTALLED_APPS = [
    # HQ's admin theme (config/unfold.py): before django.contrib.admin, whose templates it replaces.
    "unfold",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # The customer's list of signed-in sessions (each recorded at sign-in; no per-request write).
    "allauth.usersessions",
    "django_celery_beat",
    "csp",
    "network_marketplace",
    "catalog",
    "stores",
    "accounts",
    "orders",
    "fulfillment",
    "marketing_hub",
    "payments",
    "compliance",
    "checkout",
    "hq",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "network_marketplace.middleware.AdminContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stores.remembered_place.RememberPlaceMiddleware",
    "network_marketplace.middleware.NetworkLanguageMiddleware",
    "network_marketplace.middleware.RefuseLongAddressMiddleware",
    "network_marketplace.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "stores.second_factor.RequireSecondFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "network_marketplace.context_processors.network",
            ],
        },
    },
]

# Database: PostgreSQL in production and tests, a SQLite file for the embedded profile.
# docs/database.md: the read replica, the connection pooler and the pool sizes.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Heavy read paths (statements, exports, HQ's control tower) read from this streaming replica
# while it replays within DATABASE_REPLICA_MAX_LAG_SECONDS (network_marketplace/db_routers.py).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    # A test run with the variable set must not try to create a database on a read-only
    # standby (the replica's own tests start a real one: tests/database_servers.py).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["network_marketplace.db_routers.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG_SECONDS = env.float("DATABASE_REPLICA_MAX_LAG_SECONDS", default=30.0)
DATABASE_REPLICA_CHECK_SECONDS = env.float("DATABASE_REPLICA_CHECK_SECONDS", default=5.0)
DATABASE_REPLICA_RETRY_SECONDS = env.float("DATABASE_REPLICA_RETRY_SECONDS", default=30.0)
# "pgbouncer": DATABASE_URL (and DATABASE_REPLICA_URL) name PgBouncer in transaction mode, where
# consecutive transactions of one connection may run on different server connections.
DATABASE_POOLER = env("DATABASE_POOLER", default="")
if DATABASE_POOLER not in {"", "pgbouncer"}:
    raise ImproperlyConfigured(f"DATABASE_POOLER is '' or 'pgbouncer', not {DATABASE_POOLER!r}")
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    _database["CONN_HEALTH_CHECKS"] = True
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {})
        _database["OPTIONS"].setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", 5))
        if env.bool("DATABASE_SERVER_SIDE_BINDING", default=True):
            # Parameters sent apart, statements prepared from their fifth run: PostgreSQL plans
            # each once (docs/database.md); `false` sends them inlined, as psycopg's default.
            _database["OPTIONS"]["server_side_binding"] = True
            _database["OPTIONS"]["prepare_threshold"] = env.int("DATABASE_PREPARE_THRESHOLD", 5)
        if DATABASE_POOLER == "pgbouncer":
            # A named (server-side) cursor lives in one server connection across transactions,
            # and a prepared statement in one server session: neither survives the pooler.
            _database["DISABLE_SERVER_SIDE_CURSORS"] = True
            _database["OPTIONS"]["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Connections applying one large stock feed batch side by side (stores.services.feeds).
STOCK_FEED_WORKERS = env.int("STOCK_FEED_WORKERS", default=2)

# Redis is the cache and the Celery broker; without it the embedded profile runs in-process.
REDIS_URL = env("REDIS_URL", default="")
EMBEDDED = not REDIS_URL
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "network_marketplace.redis_cache.ReusedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="nm"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): customers sign up with their e-mail address.
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# A second factor (allauth's MFA: an authenticator app's codes, and recovery codes) for every
# account that can move money or stock: HQ staff and store members must set one up before they
# reach the back-office or admin (stores/second_factor.py). The embedded demo lets you try every
# role without a phone; production requires it unless told otherwise.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Network Marketplace")
# Setting one up is asked right after signing in: asking for the password again there would
# only add a step (allauth counts only an explicit re-authentication as recent).
MFA_REAUTHENTICATION_REQUIRED = False
REQUIRE_SECOND_FACTOR = env.bool("REQUIRE_SECOND_FACTOR", default=not EMBEDDED)
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# Languages: French is the network's language, English the second one.
LANGUAGE_CODE = env("LANGUAGE_CODE", default="fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# The project's catalogue first; then the French of the libraries' words they leave in English
# (the admin theme django-unfold ships no French).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Django serves uploaded media itself (product images): right for one host with a media volume;
# off by default with object storage (the bucket or a CDN in front serves the media URLs).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=not env("S3_BUCKET", default=""))
# Files: folders under MEDIA_ROOT by default; an S3 bucket (a prefix per kind of file, private
# ones behind short-lived signed URLs) when S3_BUCKET is set. docs/storage.md.
STORAGES = storages_from_env(env, debug=DEBUG)

# E-mail: SMTP (EMAIL_URL=smtp://...) in production; the demo keeps them in its mailbox (below).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{NETWORK_NAME} <no-reply@ardoise.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of the site, for links in e-mails (sent by the worker, with no request).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Payments: the dummy provider unless Stripe keys are given.
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", default="dummy")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Where the SDK sends its calls (empty: Stripe's own); the tests point it at a local server.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# The kind of connected account opened for a store: "express" (Stripe-hosted dashboard) or
# "custom" (the platform shows everything).
STRIPE_ACCOUNT_TYPE = env("STRIPE_ACCOUNT_TYPE", default="express")
# HQ's Factur-X invoices to the stores go to this certified e-invoicing platform (PDP/PA), a
# payments.einvoicing.Platform class; the default keeps what it "sent" in the media storage.
EINVOICING_PLATFORM = env("EINVOICING_PLATFORM", default="payments.einvoicing.LocalPlatform")

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "stores.authentication.ApiKeyAuthentication",
        "stores.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "network_marketplace.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "network_marketplace.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "network_marketplace.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "network_marketplace.api.throttles.ApiClientThrottle",
        "network_marketplace.api.throttles.AnonymousThrottle",
    ],
}
# Requests per minute before a 429 (`throttled`, with Retry-After): per API key or account, and
# per address for anonymous callers (network_marketplace/api/throttles.py).
API_THROTTLE_RATES = {
    "client": env("API_THROTTLE_CLIENT", default="1200/min"),
    "anonymous": env("API_THROTTLE_ANONYMOUS", default="300/min"),
}
# An address longer than this is refused with a 414 (in the API's error shape under /api/);
# gunicorn.conf.py lets longer request lines through to Django, up to its own limit.
MAX_URL_LENGTH = env.int("MAX_URL_LENGTH", default=4096)
SPECTACULAR_SETTINGS = {
    "TITLE": "Network Marketplace API",
    "DESCRIPTION": (
        "The REST API of the network marketplace, for integrators (POS, ERP, WMS, PIM). "
        "Authenticate with an API key in the `Authorization: Api-Key <key>` header: "
        "a store key acts as its store, an HQ key acts for the whole network."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The answers every operation can give (401, 403, 404, 413, 415 in the one error shape),
    # nested bodies JSON-only: network_marketplace/api/schema.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "network_marketplace.api.schema.postprocess_schema",
    ],
    # Several models have a `status` or a `kind`: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ProductStatusEnum": "catalog.models.Product.Status",
        "StoreStatusEnum": "stores.models.Store.Status",
        "StoreKindEnum": "stores.models.Store.Kind",
        "OrderStatusEnum": "orders.models.Order.Status",
        "FulfilmentStatusEnum": "fulfillment.models.Fulfilment.Status",
        "ReturnStatusEnum": "fulfillment.models.Return.Status",
        "ReturnReasonEnum": "fulfillment.models.Return.Reason",
        # What a customer may give as a return's reason: all but the withdrawal (its own flow).
        "ReturnRequestReasonEnum": "fulfillment.api.returns.RETURN_REASON_CHOICES",
        "ReturnMethodEnum": "fulfillment.models.Return.Method",
        "FulfilmentMethodEnum": "orders.models.FulfilmentMethod",
        "MarketingOrderLineStatusEnum": "marketing_hub.models.MarketingOrderLine.Status",
    },
}

# Celery: Redis broker in production; in the embedded profile tasks run in the calling process
# and the periodic jobs run from a thread of the web process (network_marketplace.embedded_beat).
# In-process tasks still open a (memory) connection: named, so that kombu does not warn that
# "No hostname was supplied".
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = EMBEDDED
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# Redelivery of an unacknowledged task must wait longer than the longest task runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Tasks sent without a queue go to this one (the test suite gives each worker its own).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# The periodic jobs: config/beat_schedule.py.
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
# The periodic jobs run on a queue of their own, served by a worker of their own (see
# docker-compose.yml), so that a flood of ordinary tasks (webhook deliveries, e-mails) can never
# make them wait past their expiry. Every job must therefore stay short: a periodic job
# with long work nudges a task on the ordinary queue (the outbox sweep does).
# (config/celery.py routes every job of CELERY_BEAT_SCHEDULE there, wherever it is added.)
CELERY_PERIODIC_QUEUE = env("CELERY_PERIODIC_QUEUE", default="periodic")
# /healthz answers 503 when the heartbeat job (every 60 s) last ran longer ago than this.
HEARTBEAT_MAX_AGE_SECONDS = env.int("HEARTBEAT_MAX_AGE_SECONDS", default=180)
# Marketing hub, digital packs (part M3): threads the monthly billing job bills in (each its own
# database connection; bench/README.md has the figures).
MARKETING_BILLING_WORKERS = env.int("MARKETING_BILLING_WORKERS", default=4)
# The network's category in Google Business Profile's list (the GBP pack's listing sheet).
MARKETING_GBP_PRIMARY_CATEGORY = env("MARKETING_GBP_PRIMARY_CATEGORY", default="Garden center")
# How long before a reserve & collect hold ends its customer is reminded (hours).
RESERVE_COLLECT_REMINDER_HOURS = env.int("RESERVE_COLLECT_REMINDER_HOURS", default=6)
# The right of withdrawal (Code de la consommation L221-18, fulfillment/withdrawal.py): days
# from the day after the goods reached the customer, and days the refund is due within.
WITHDRAWAL_DAYS = env.int("WITHDRAWAL_DAYS", default=14)
WITHDRAWAL_REFUND_DAYS = env.int("WITHDRAWAL_REFUND_DAYS", default=14)

# Marketing hub orders (part M2). HQ reviews an order within this many working days (Mon-Fri)
# of its placing; after that the store is told and HQ reminded (MARKETING_HQ_EMAIL).
MARKETING_REVIEW_WORKING_DAYS = env.int("MARKETING_REVIEW_WORKING_DAYS", default=2)
MARKETING_HQ_EMAIL = env("MARKETING_HQ_EMAIL", default="marketing@ardoise.example")
# How long a supplier's signed link to a print-ready PDF stays valid (days).
MARKETING_SUPPLIER_LINK_DAYS = env.int("MARKETING_SUPPLIER_LINK_DAYS", default=30)

# The outbox (network_marketplace.outbox): side effects delivered after commit by the worker.
# The lease must outlast a batch: OUTBOX_BATCH_SIZE x the slowest handler (webhooks: 5 s).
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=10)
OUTBOX_LEASE_SECONDS = env.float("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_TASK_TIME_BUDGET_SECONDS = env.float("OUTBOX_TASK_TIME_BUDGET_SECONDS", default=60)
# How long a retry with an Idempotency-Key waits for the first request's answer before a 409.
IDEMPOTENCY_WAIT_SECONDS = env.float("IDEMPOTENCY_WAIT_SECONDS", default=5)
# A webhook endpoint whose deliveries fail this many times in a row is paused, and its owner
# and HQ are told (it backs off well before: network_marketplace.webhooks).
WEBHOOK_PAUSE_AFTER_FAILURES = env.int("WEBHOOK_PAUSE_AFTER_FAILURES", default=50)
# Webhook URLs may point to private addresses (localhost, LAN) only in the embedded profile.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=DEBUG)

# P2B, HQ and its stores (compliance; Regulation 2019/1150). Legal defaults.
# A new version of the stores' terms takes effect at least this many days after it is published
# (art. 3(2)), unless an art. 3(4) exception is recorded.
P2B_TERMS_NOTICE_DAYS = env.int("P2B_TERMS_NOTICE_DAYS", default=15)
# HQ ends a store's contract with this much notice (art. 4(1)), unless an art. 4(4) ground.
P2B_TERMINATION_NOTICE_DAYS = env.int("P2B_TERMINATION_NOTICE_DAYS", default=30)
# A store's complaint (art. 11) is answered within this many days; it may be filed within
# P2B_COMPLAINT_WINDOW_DAYS of the facts it is about.
P2B_COMPLAINT_HANDLING_DAYS = env.int("P2B_COMPLAINT_HANDLING_DAYS", default=30)
P2B_COMPLAINT_WINDOW_DAYS = env.int("P2B_COMPLAINT_WINDOW_DAYS", default=365)
# A store's data export (art. 9) can be downloaded for this many days.
P2B_EXPORT_KEEP_DAYS = env.int("P2B_EXPORT_KEEP_DAYS", default=7)
# Marketing hub, catalogue and proofs (part M1): what HQ's designer files and the stores'
# images may weigh, and how large a proof's page preview is drawn (longer side, pixels).
MARKETING_ARTWORK_MAX_BYTES = env.int("MARKETING_ARTWORK_MAX_BYTES", default=50 * 1024 * 1024)
MARKETING_IMAGE_MAX_BYTES = env.int("MARKETING_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
MARKETING_PREVIEW_MAX_PX = env.int("MARKETING_PREVIEW_MAX_PX", default=1200)

# Security: strict by default outside DEBUG; every value can be set from the environment.
# PLAIN_HTTP=true: the site is reached over plain HTTP (a laptop, a test, the embedded demo): no
# HTTPS redirect, no HSTS, no Secure cookies (never sent back over HTTP: no sign-in), no trust in
# X-Forwarded-Proto. Never for real traffic, which comes through a TLS proxy (BEHIND_TLS_PROXY).
PLAIN_HTTP = env.bool("PLAIN_HTTP", default=EMBEDDED)
_HTTPS = not DEBUG and not PLAIN_HTTP
_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=not PLAIN_HTTP)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _TLS_PROXY else None
# Behind the TLS proxy, the caller's address is the last one it adds to X-Forwarded-For (the API's
# per-address budget); without it, the connection's own.
REST_FRAMEWORK["NUM_PROXIES"] = env.int("API_NUM_PROXIES", default=1 if _TLS_PROXY else 0)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=_HTTPS)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=_HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=_HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp), enforced in every profile; docs/operations.md says why
# each directive. Inline code needs the request's nonce (`nonce="{{ request.csp_nonce }}"`).
# CSP_REPORT_ONLY=true is for trying a change, never for production.
MAP_TILE_ORIGIN = env("MAP_TILE_ORIGIN", default="https://tile.openstreetmap.org")
# The tiles' address ({z}/{x}/{y}); no tile is asked for before the visitor allows maps
# (the cookie banner or the map's placeholder: docs/consents.md).
MAP_TILE_URL = env("MAP_TILE_URL", default=f"{MAP_TILE_ORIGIN}/{{z}}/{{x}}/{{y}}.png")
STRIPE_CONNECT_ORIGIN = STRIPE_API_BASE.rstrip("/") or "https://connect.stripe.com"
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, UNSAFE_INLINE],
    "style-src-elem": [SELF, NONCE],
    "style-src-attr": [UNSAFE_INLINE],
    "img-src": [SELF, "data:", MAP_TILE_ORIGIN, *env.list("CSP_EXTRA_IMG_SRC", default=[])],
    "form-action": [SELF, STRIPE_CONNECT_ORIGIN, *env.list("CSP_EXTRA_FORM_ACTION", default=[])],
    "frame-ancestors": [NONE],
    "object-src": [NONE],
    "base-uri": [SELF],
}
# Under /admin/ only (network_marketplace.middleware.AdminContentSecurityPolicyMiddleware): the
# admin theme's Alpine.js evaluates its attributes, and its own <style> elements carry no nonce.
ADMIN_URL_PREFIX = "admin/"
ADMIN_CSP_UPDATE = {"script-src": [UNSAFE_EVAL]}
ADMIN_CSP_REPLACE = {"style-src-elem": [SELF, UNSAFE_INLINE]}
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

AUTH_USER_MODEL = "network_marketplace.User"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None

# DSA notice & action, statements of reasons, complaints (compliance, issue 12, part C1).
# HQ decides a notice within this many days of receipt (the DSA says "timely": HQ's own target).
DSA_NOTICE_DECISION_DAYS = env.int("DSA_NOTICE_DECISION_DAYS", default=7)
# Complaints are open for at least 6 months from when the decision was told (art. 20(1)).
DSA_COMPLAINT_WINDOW_DAYS = env.int("DSA_COMPLAINT_WINDOW_DAYS", default=183)
# Where a measure applies when HQ names no narrower scope (ISO country codes).
DSA_TERRITORIAL_SCOPE = env.list("DSA_TERRITORIAL_SCOPE", default=["FR"])
# Notices a visitor may send per hour (per address), before the form asks them to wait.
DSA_NOTICES_PER_HOUR = env.int("DSA_NOTICES_PER_HOUR", default=10)
# The Commission's transparency database (art. 24(5)); empty URL: statements are exported to
# files only (manage.py export_statements), nothing is sent.
DSA_TRANSPARENCY_DB_URL = env("DSA_TRANSPARENCY_DB_URL", default="")
DSA_TRANSPARENCY_DB_TOKEN = env("DSA_TRANSPARENCY_DB_TOKEN", default="")
DSA_TRANSPARENCY_DB_TIMEOUT = env.float("DSA_TRANSPARENCY_DB_TIMEOUT", default=10)
DSA_TRANSPARENCY_BATCH_SIZE = env.int("DSA_TRANSPARENCY_BATCH_SIZE", default=100)

# --- DAC7 tax reporting (issue 13; compliance.services.dac7, docs/dac7.md) ---------------------
# A franchise store missing its tax data is reminded on these days ("MM-DD") of the reporting
# year, then its payouts are held DAC7_HOLD_AFTER_DAYS after the second reminder.
DAC7_REMINDER_DATES = env.list("DAC7_REMINDER_DATES", default=["12-01", "12-15"])
DAC7_HOLD_AFTER_DAYS = env.int("DAC7_HOLD_AFTER_DAYS", default=15)
# Last year's declaration and the stores' copies are prepared in this month (copies are due by
# 31 January). "PROD" files for real; "TEST" makes the DGFiP's test-environment document codes.
DAC7_DECLARATION_MONTH = env.int("DAC7_DECLARATION_MONTH", default=1)
DAC7_ENVIRONMENT = env("DAC7_ENVIRONMENT", default="PROD")


# --- DSA: traders, products, transparency (issue 12, part C2) --------------------------------
# The wording a franchise store certifies (art. 30(1)(e)); a new version asks every store to
# certify again (compliance.services.traders holds the texts by version).
TRADER_CERTIFICATION_VERSION = env("TRADER_CERTIFICATION_VERSION", default="2026-01")
# Art. 30(3): trader data is kept while the store is in the network, deleted 6 months after.
TRADER_DATA_RETENTION_DAYS = env.int("TRADER_DATA_RETENTION_DAYS", default=183)
# Art. 32(1): buyers of an illegal product in the 6 months before HQ knew are told.
ILLEGAL_PRODUCT_BUYERS_DAYS = env.int("ILLEGAL_PRODUCT_BUYERS_DAYS", default=183)
# Art. 23: HQ's policy on misuse (published on the terms page from these values). Manifest
# cases counted over MISUSE_WINDOW_DAYS; at WARNING a warning, at SUSPENSION a suspension of
# MISUSE_SUSPENSION_DAYS, each with its statement of reasons.
MISUSE_WINDOW_DAYS = env.int("MISUSE_WINDOW_DAYS", default=365)
MISUSE_WARNING_THRESHOLD = env.int("MISUSE_WARNING_THRESHOLD", default=2)
MISUSE_SUSPENSION_THRESHOLD = env.int("MISUSE_SUSPENSION_THRESHOLD", default=3)
MISUSE_SUSPENSION_DAYS = env.int("MISUSE_SUSPENSION_DAYS", default=30)
# Art. 24(2): each page view counts its recipient once a month (compliance.recipients: method).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "compliance.recipients.ActiveRecipientsMiddleware",
)


# --- The demo (`make demo`; issue 18) ---------------------------------------------------------
# The embedded profile is a first look at the product, served as production serves it: DEBUG
# off (the site's own error pages, never Django's), static files collected by serve_embedded and
# served by whitenoise. It differs only where a laptop needs it: plain HTTP at this machine's
# address (PLAIN_HTTP, on by default in the embedded profile), webhooks to local test receivers, and
# every e-mail kept in the demo mailbox (/demo/mailbox/, demo.mailbox) instead of being sent.
# serve_embedded sets SITE_URL to the address it listens on. DEMO=false turns all this off.
if DEMO:
    WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=True)
    if not env("EMAIL_URL", default=""):
        EMAIL_BACKEND = "demo.mailbox.MailboxBackend"
    # Each in-process task run is not news in a terminal that shows the demo's addresses.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}


# --- GDPR (issue 13, part F): the export, the closing of an account, the retention clocks ------
# Every clock of the retention engine (compliance.services.gdpr.retention), in days, in this one
# table; docs/gdpr.md gives the legal ground of each default. Each is set from the environment
# as GDPR_RETENTION_<KEY>_DAYS (GDPR_RETENTION_INACTIVE_ACCOUNTS_DAYS=1095, ...).
_GDPR_RETENTION_DEFAULTS = {
    # A customer account nobody signed in to for 3 years is closed (CNIL: 3 years after the
    # last contact), after a warning e-mail GDPR_INACTIVE_WARNING_DAYS before.
    "inactive_accounts": 3 * 365,
    # A guest cart nobody touched (a signed-in customer's cart goes with her account).
    "abandoned_carts": 30,
    # E-mails sent to customers and stores, as the outbox keeps them (address, content).
    "notifications": 365,
    # The pickup code's digest and salt on a fulfilment once it is closed.
    "pickup_code_digests": 30,
    # The payload of a webhook delivered (or given up) to a store's or HQ's endpoint.
    "webhook_payloads": 90,
    # The audit rows of changes to a customer's personal data (profile, addresses, exports).
    "personal_data_audit": 365,
    # A data export's ZIP (its signed link stops working at the same time).
    "data_exports": 7,
    # What a legal obligation kept of a closed account (orders, invoices: Code de commerce
    # L123-22; consumer contracts of 120 EUR or more: Code de la consommation L213-1).
    "retained_legal_data": 10 * 365 + 3,
}
GDPR_RETENTION_DAYS = {
    key: env.int(f"GDPR_RETENTION_{key.upper()}_DAYS", default=days)
    for key, days in _GDPR_RETENTION_DEFAULTS.items()
}
# The warning before an inactive account is closed (days before).
GDPR_INACTIVE_WARNING_DAYS = env.int("GDPR_INACTIVE_WARNING_DAYS", default=30)
# A customer's data export is answered within one month (art. 12(3)); HQ sees the deadline.
GDPR_EXPORT_DEADLINE_DAYS = env.int("GDPR_EXPORT_DEADLINE_DAYS", default=30)
# How long the e-mailed, signed download link of an export stays valid (days).
GDPR_EXPORT_LINK_DAYS = env.int(
    "GDPR_EXPORT_LINK_DAYS", default=GDPR_RETENTION_DAYS["data_exports"]
)

# --- GDPR: consents, records of processing, breaches (issue 13, part G; docs/consents.md) ----
# The version of the privacy notice (marketing consents) and of the cookie notice (cookie
# choices) each consent is recorded under; a new cookie notice version asks every visitor again.
PRIVACY_NOTICE_VERSION = env("PRIVACY_NOTICE_VERSION", default="2026-01")
COOKIE_NOTICE_VERSION = env("COOKIE_NOTICE_VERSION", default="2026-01")
# How long a visitor's cookie choice is kept before the banner asks again (CNIL: 6 months).
COOKIE_CONSENT_MAX_AGE_DAYS = env.int("COOKIE_CONSENT_MAX_AGE_DAYS", default=182)
# Art. 33(1): a breach is notified to the CNIL within this many hours of becoming aware.
BREACH_NOTIFICATION_HOURS = env.int("BREACH_NOTIFICATION_HOURS", default=72)
# Art. 30: the data protection officer (or the privacy contact) the records name.
DPO_CONTACT = env("DPO_CONTACT", default="dpo@ardoise.example")
