"""Settings read from the environment.

With no variable set this is the embedded profile used by `make demo`: a SQLite file, tasks run
in-process, console e-mail, the dummy payment provider. Production sets DATABASE_URL (PostgreSQL),
REDIS_URL (cache and Celery broker), SECRET_KEY, DEBUG=false and ALLOWED_HOSTS; nothing else
differs between the two.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_celery_beat",
    "network_marketplace",
    "catalog",
    "stores",
    "orders",
    "fulfillment",
    "marketing_hub",
    "payments",
    "compliance",
    "checkout",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "network_marketplace.middleware.NetworkLanguageMiddleware",
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
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", 5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Connections that apply one large stock feed batch side by side (stores.services.feeds):
# about the number of cores the database server can give a single feed.
STOCK_FEED_WORKERS = env.int("STOCK_FEED_WORKERS", default=2)

# Redis is the cache and the Celery broker; without it the embedded profile runs in-process.
REDIS_URL = env("REDIS_URL", default="")
EMBEDDED = not REDIS_URL
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
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
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Django serves uploaded media itself (product images): right for one host with a media volume;
# set false when a CDN or object storage in front serves MEDIA_URL.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: the console in the embedded profile, SMTP (EMAIL_URL=smtp://...) in production.
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

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "stores.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
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
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
}
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
        "ReturnMethodEnum": "fulfillment.models.Return.Method",
        "FulfilmentMethodEnum": "orders.models.FulfilmentMethod",
        "MarketingOrderLineStatusEnum": "marketing_hub.models.MarketingOrderLine.Status",
    },
}

# Celery: Redis broker in production; in the embedded profile tasks run in the calling process
# and the periodic jobs run from a thread of the web process (network_marketplace.embedded_beat).
CELERY_BROKER_URL = REDIS_URL or "memory://"
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
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "network_marketplace.tasks.record_worker_heartbeat",
        "schedule": timedelta(seconds=60),
    },
    # Nudges a delivery when the outbox holds due messages (a lost nudge, a dead worker).
    "outbox-sweep": {
        "task": "network_marketplace.tasks.sweep_outbox",
        "schedule": timedelta(seconds=30),
    },
    # Tidies expired holds on stock; an expired hold already stops counting before it runs.
    "stores-release-expired-reservations": {
        "task": "stores.tasks.release_expired_reservations",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
    # Fulfilments not accepted by their deadline time out and go to the next candidate.
    "fulfillment-time-out-overdue": {
        "task": "fulfillment.tasks.time_out_overdue_fulfilments",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
    # Reserve & collect: a reservation ends with its hold on the stock.
    "fulfillment-expire-reservations": {
        "task": "fulfillment.tasks.expire_reservations",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
    # Click & collect orders not collected in time: cancelled, refunded, stock back.
    "fulfillment-expire-uncollected": {
        "task": "fulfillment.tasks.expire_uncollected_fulfilments",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 290},
    },
    # Reserve & collect: "your reservation ends soon", once, a few hours before.
    "fulfillment-remind-expiring-reservations": {
        "task": "fulfillment.tasks.remind_expiring_reservations",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 290},
    },
    # Returns announced online but never brought back (30 days) are cancelled.
    "fulfillment-expire-unreturned-returns": {
        "task": "fulfillment.tasks.expire_unreturned_returns",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3500},
    },
    # Places or cancels the orders whose payment step never finished (their holds expired).
    "orders-settle-abandoned-checkouts": {
        "task": "orders.tasks.settle_abandoned_checkouts",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
    # Forgets the order API's Idempotency-Keys once they are a day old.
    "orders-purge-order-requests": {
        "task": "orders.tasks.purge_order_requests",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3300},
    },
    # Forgets the other write endpoints' Idempotency-Keys once they are a day old.
    "purge-idempotency-keys": {
        "task": "network_marketplace.tasks.purge_idempotency_keys",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3300},
    },
    # Deletes the guest carts nobody touched for GUEST_CART_DAYS (accounts keep theirs).
    "orders-delete-stale-guest-carts": {
        "task": "orders.tasks.delete_stale_guest_carts",
        "schedule": timedelta(hours=6),
        "options": {"expires": 60 * 60},
    },
    # Pays each store its available balance, on HQ's payout days (PayoutPolicy), once a period.
    "payments-run-payouts": {
        "task": "payments.tasks.run_scheduled_payouts",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3300},
    },
    # HQ's commission invoices of last month, on the 1st (idempotent: once per store and month).
    "payments-issue-monthly-invoices": {
        "task": "payments.tasks.issue_monthly_invoices",
        "schedule": crontab(minute=30, hour=6, day_of_month=1),
        "options": {"expires": 60 * 60},
    },
    # Marketing hub (part M2): orders whose HQ review is overdue: store told, HQ reminded, once.
    "marketing-remind-overdue-reviews": {
        "task": "marketing_hub.tasks.orders.remind_overdue_reviews",
        "schedule": timedelta(minutes=15),
        "options": {"expires": 800},
    },
    # Marketing hub, digital packs (part M3). Billing: each live subscription once a month,
    # from the 1st; hourly so that a missed or killed run catches up (idempotent per month).
    "marketing-bill-subscriptions": {
        "task": "marketing_hub.tasks.subscriptions.bill_subscriptions",
        "schedule": crontab(minute=15),
        "options": {"expires": 55 * 60},
    },
    # The packs' deliverables (GBP sheet, local inventory feed, brief, social posts) rebuilt
    # where the store's data changed.
    "marketing-refresh-deliverables": {
        "task": "marketing_hub.tasks.subscriptions.refresh_deliverables",
        "schedule": crontab(minute=40, hour="*/3"),
        "options": {"expires": 3 * 60 * 60 - 300},
    },
}
# The periodic jobs run on a queue of their own, served by a worker of their own (see
# docker-compose.yml), so that a flood of ordinary tasks (webhook deliveries, e-mails) can never
# make them wait past their expiry. Every job above must therefore stay short: a periodic job
# with long work nudges a task on the ordinary queue (the outbox sweep does).
CELERY_PERIODIC_QUEUE = env("CELERY_PERIODIC_QUEUE", default="periodic")  # routed at the end
# /healthz answers 503 when the heartbeat job (every 60 s) last ran longer ago than this.
HEARTBEAT_MAX_AGE_SECONDS = env.int("HEARTBEAT_MAX_AGE_SECONDS", default=180)
# Marketing hub, digital packs (part M3): threads the monthly billing job bills in (each its own
# database connection; bench/README.md has the figures).
MARKETING_BILLING_WORKERS = env.int("MARKETING_BILLING_WORKERS", default=4)
# The network's category in Google Business Profile's list (the GBP pack's listing sheet).
MARKETING_GBP_PRIMARY_CATEGORY = env("MARKETING_GBP_PRIMARY_CATEGORY", default="Garden center")
# How long before a reserve & collect hold ends its customer is reminded (hours).
RESERVE_COLLECT_REMINDER_HOURS = env.int("RESERVE_COLLECT_REMINDER_HOURS", default=6)

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
CELERY_BEAT_SCHEDULE["compliance-end-terminated-stores"] = {
    # Closes the stores whose termination notice has run out (idempotent).
    "task": "compliance.tasks.end_terminated_stores",
    "schedule": timedelta(hours=1),
    "options": {"expires": 3300},
}
CELERY_BEAT_SCHEDULE["compliance-purge-old-exports"] = {
    # Drops the archives of stores' data exports older than P2B_EXPORT_KEEP_DAYS.
    "task": "compliance.tasks.purge_old_exports",
    "schedule": timedelta(hours=6),
    "options": {"expires": 3600},
}
# Marketing hub, catalogue and proofs (part M1): what HQ's designer files and the stores'
# images may weigh, and how large a proof's page preview is drawn (longer side, pixels).
MARKETING_ARTWORK_MAX_BYTES = env.int("MARKETING_ARTWORK_MAX_BYTES", default=50 * 1024 * 1024)
MARKETING_IMAGE_MAX_BYTES = env.int("MARKETING_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
MARKETING_PREVIEW_MAX_PX = env.int("MARKETING_PREVIEW_MAX_PX", default=1200)

# Security: strict by default outside DEBUG; every value can be set from the environment.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=True) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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
CELERY_BEAT_SCHEDULE.update(
    {
        # Time-limited measures end at their end date (the store sells again, ...).
        "compliance-expire-measures": {
            "task": "compliance.tasks.expire_measures",
            "schedule": timedelta(minutes=5),
            "options": {"expires": 290},
        },
        # Statements of reasons not yet in the Commission's transparency database.
        "compliance-submit-statements": {
            "task": "compliance.tasks.submit_statements",
            "schedule": timedelta(minutes=15),
            "options": {"expires": 800},
        },
    }
)


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
CELERY_BEAT_SCHEDULE.update(
    {
        # Suspends the franchise stores whose trader data became incomplete, lifts when fixed.
        "compliance-enforce-trader-data": {
            "task": "compliance.tasks.enforce_trader_data",
            "schedule": crontab(minute=15, hour=5),
            "options": {"expires": 60 * 60},
        },
        # Anonymises the trader data of stores closed TRADER_DATA_RETENTION_DAYS ago.
        "compliance-erase-departed-traders": {
            "task": "compliance.tasks.erase_departed_traders",
            "schedule": crontab(minute=45, hour=4),
            "options": {"expires": 60 * 60},
        },
        # Keeps last month's count of unique active recipients (art. 24(2)), on the 1st.
        "compliance-record-active-recipients": {
            "task": "compliance.tasks.record_monthly_active_recipients",
            "schedule": crontab(minute=5, hour=0, day_of_month=1),
            "options": {"expires": 60 * 60},
        },
    }
)


# Keep this last: every periodic job, whichever block above added it, runs on the periodic queue
# (CELERY_PERIODIC_QUEUE, with its own worker), so a flood of ordinary tasks never delays it.
for _job in CELERY_BEAT_SCHEDULE.values():
    _job.setdefault("options", {}).setdefault("queue", CELERY_PERIODIC_QUEUE)
