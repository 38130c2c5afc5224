"""The API served for real on the demo network: a live server with `load_demo` loaded, and the
demo's API users (HQ's key, the Lyon store's key, the demo printer's supplier key, the demo
customer's session with its CSRF token)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from demo.network import network
from marketing_hub.models import Supplier
from marketing_hub.services.supplier import issue_supplier_api_key
from stores.models import Store
from stores.services import issue_api_key

# A CSRF secret of Django's length: the session's cookie and header carry the same one.
CSRF_TOKEN = "schemathesisdemocsrftoken0000017"
STORE = "lyon-presquile"


@dataclass(frozen=True)
class DemoApi:
    url: str
    hq_key: str
    store_key: str
    supplier_key: str
    customer_session: str
    csrf_token: str = CSRF_TOKEN

    def environment(self) -> dict[str, str]:
        """What schemathesis.toml reads (`${NM_...}`)."""
        return {
            "NM_HQ_KEY": self.hq_key,
            "NM_STORE_KEY": self.store_key,
            "NM_SUPPLIER_KEY": self.supplier_key,
            "NM_CUSTOMER_SESSION": self.customer_session,
            "NM_CSRF_TOKEN": self.csrf_token,
        }


@pytest.fixture
def demo_api(live_server, settings) -> DemoApi:
    # Webhook endpoints created here point at 127.0.0.1 (tests/api_schema/schemathesis_hooks.py).
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    call_command("load_demo", stdout=io.StringIO())
    demo = network()
    users = get_user_model().objects
    hq = users.get(email=demo.hq.email)
    customer = Client()
    customer.force_login(users.get(email=demo.customer.email))
    return DemoApi(
        url=live_server.url,
        hq_key=issue_api_key(store=None, name="schemathesis HQ", actor=hq).secret,
        store_key=issue_api_key(
            store=Store.objects.get(slug=STORE), name="schemathesis Lyon", actor=hq
        ).secret,
        supplier_key=issue_supplier_api_key(
            supplier=Supplier.objects.exclude(users=None).order_by("pk").first(), actor=hq
        ),
        customer_session=customer.cookies["sessionid"].value,
    )
