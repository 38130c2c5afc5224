"""Personas and shared fixtures: an HQ admin, the Lyon and Paris stores with their owners,
a customer. Tests read like the scenarios they check."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from celery._state import _set_task_join_will_block
from django.conf import settings as django_settings

from catalog.cache import forget_versions
from config.celery import app as celery_app
from network_marketplace.settings_cache import forget_all_settings_rows
from stores.models import StoreMembership
from stores.services import issue_api_key

from .factories import MembershipFactory, StoreFactory, UserFactory
from .payments.stripe_server import stripe_server, stripe_server_session  # noqa: F401 (fixtures)


def pytest_configure(config):
    """pytest-xdist's workers share one Redis database: each keeps its cache keys (rate-limit
    counters, the recipients' monthly counts) under a prefix of its own, so that no worker counts
    another's visits or sign-in attempts. Set before any cache is opened."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        prefix = f"{django_settings.CACHES['default'].get('KEY_PREFIX', '')}-{worker}"
        for cache in django_settings.CACHES.values():
            cache["KEY_PREFIX"] = prefix
        # The real Celery workers and servers the tests start read it from the environment.
        os.environ["CACHE_KEY_PREFIX"] = prefix


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test reads HQ's one-row settings and the storefront's listings afresh: the settings
    rows are cached per process (network_marketplace.settings_cache) and the listing versions in
    Redis (catalog.cache), across tests whose rows a rollback took away."""
    forget_all_settings_rows()
    forget_versions()
    yield
    forget_all_settings_rows()
    forget_versions()


@pytest.fixture(autouse=True)
def network_language():
    """Each test starts in the network's language, whatever an earlier test activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def tasks_run_eagerly():
    """Tasks run in the test's process unless a test asks for the real worker.

    Celery marks the process "inside a task" while an eager task runs and puts the mark back
    afterwards; two threads of a concurrency test running eager tasks at once can put it back
    in the wrong order and leave it set, and a later test that waits on a real worker's result
    would then be refused ("Never call result.get() within a task"). Each test starts unmarked.
    """
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    _set_task_join_will_block(False)
    yield
    celery_app.conf.task_always_eager = previous
    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploaded files (product images) go to this test session's temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture(autouse=True)
def second_factor_not_enforced(settings):
    """Staff and store members must set up a second factor before the back-office or the admin
    (stores/second_factor.py). That rule has its own tests, which turn it on; the tests of
    every other feature sign their personas in without a phone."""
    settings.REQUIRE_SECOND_FACTOR = False


@pytest.fixture(autouse=True)
def sign_ins_not_limited_per_address(settings):
    """Every browser test signs in from 127.0.0.1, dozens a minute: allauth's per-address limits
    would refuse them. The per-account limits stay as in production; the limits have their own
    tests (tests/network_marketplace/test_sign_in_limits.py), on addresses of their own."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login": "10000/m/ip",
        "login_failed": "10000/m/ip,5/5m/key",
    }


@pytest.fixture(autouse=True)
def notices_not_rate_limited(settings):
    """Every test posts its notices from 127.0.0.1 within the same hour: the per-address limit
    has its own test (tests/compliance/test_notices.py), with an address of its own."""
    settings.DSA_NOTICES_PER_HOUR = 1000


@pytest.fixture(autouse=True)
def api_not_throttled(settings):
    """Tests and the schema's fuzzing call the API far faster than any client may: the rates
    have their own tests (tests/network_marketplace/test_api_limits.py)."""
    settings.API_THROTTLE_RATES = {"client": "100000/min", "anonymous": "100000/min"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories hash a password for every user: a fast hasher keeps the suite quick. What is
    tested is who may sign in, not how hard a hash is to crack."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def hq_admin(db):
    return UserFactory(email="hq.admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def lyon_store(db):
    return StoreFactory(name="Ardoise Lyon Presqu'île", slug="lyon-presquile", city="Lyon")


@pytest.fixture
def paris_store(db):
    return StoreFactory(
        name="Ardoise Paris Bastille",
        slug="paris-bastille",
        city="Paris",
        postal_code="75011",
        latitude=Decimal("48.853200"),
        longitude=Decimal("2.369100"),
    )


@pytest.fixture
def lyon_owner(lyon_store):
    return MembershipFactory(
        store=lyon_store, user__email="owner.lyon@example.com", role=StoreMembership.Role.OWNER
    ).user


@pytest.fixture
def lyon_staff(lyon_store):
    return MembershipFactory(
        store=lyon_store, user__email="staff.lyon@example.com", role=StoreMembership.Role.STAFF
    ).user


@pytest.fixture
def paris_owner(paris_store):
    return MembershipFactory(
        store=paris_store, user__email="owner.paris@example.com", role=StoreMembership.Role.OWNER
    ).user


@pytest.fixture
def customer(db):
    return UserFactory(email="lea.customer@example.com")


# API keys: a store key acts as its store, an HQ key as HQ.


@pytest.fixture
def lyon_key(lyon_store, lyon_owner):
    return issue_api_key(store=lyon_store, name="Caisse Lyon", actor=lyon_owner).secret


@pytest.fixture
def paris_key(paris_store, paris_owner):
    return issue_api_key(store=paris_store, name="Caisse Paris", actor=paris_owner).secret


@pytest.fixture
def hq_key(hq_admin):
    return issue_api_key(store=None, name="Front headless", actor=hq_admin).secret
