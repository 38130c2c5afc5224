"""The tenancy matrix of the stock pages and endpoints, all aimed at the Lyon store: Lyon's
owner and Lyon's key get through; Paris's owner and Paris's key get a 404 (not a 403: the store's
existence doesn't leak); HQ, by session or key, gets through; an anonymous visitor is asked to
log in (pages) or gets a 401 (API). A refused write changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from stores.models import StockLevel, StockMovement

OWN, OTHER, HQ, ANONYMOUS = "own", "other", "hq", "anonymous"


@pytest.fixture
def matrix_world(lyon_stock, paris_stock):
    return {"level": lyon_stock["secateur"]}


def page_client(request, who, client):
    user = {
        OWN: "lyon_owner",
        OTHER: "paris_owner",
        HQ: "hq_admin",
    }.get(who)
    if user:
        client.force_login(request.getfixturevalue(user))
    return client


def page_calls(store, level):
    base = f"/store/{store.slug}/stock/"
    return {
        "stock-list": ("get", base, {}),
        "stock-update": (
            "post",
            f"{base}{level.pk}/",
            {f"s{level.pk}-on_hand": 1, f"s{level.pk}-on_hand_was": 8, f"s{level.pk}-price": ""},
        ),
        "import-page": ("get", f"{base}import/", {}),
        "import-upload": ("post", f"{base}import/", "upload"),
        "import-example": ("get", f"{base}import/example.csv", {}),
        "movements": ("get", f"{base}movements/", {}),
    }


PAGES = [
    "stock-list",
    "stock-update",
    "import-page",
    "import-upload",
    "import-example",
    "movements",
]


def snapshot():
    return (
        list(StockLevel.objects.order_by("pk").values_list("on_hand", "price_cents")),
        StockMovement.objects.count(),
    )


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", [OWN, OTHER, HQ, ANONYMOUS])
def test_stock_pages_tenancy(request, client, lyon_store, matrix_world, page, who):
    method, url, data = page_calls(lyon_store, matrix_world["level"])[page]
    if data == "upload":
        data = {
            "file": SimpleUploadedFile("s.csv", b"sku;on_hand;sequence\nARD-SEC-01;1;1\n"),
        }
    client = page_client(request, who, client)
    before = snapshot()

    response = getattr(client, method)(url, data)

    if who in (OWN, HQ):
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response["Location"].startswith(f"/store/{lyon_store.slug}/stock/")
        return
    if who == OTHER:
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert snapshot() == before


def api_client(request, who, *, key: bool) -> APIClient:
    client = APIClient()
    if who == ANONYMOUS:
        return client
    if key:
        secret = request.getfixturevalue(
            {OWN: "lyon_api_key", OTHER: "paris_api_key", HQ: "hq_api_key"}[who]
        )
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    else:
        client.force_login(
            request.getfixturevalue({OWN: "lyon_owner", OTHER: "paris_owner", HQ: "hq_admin"}[who])
        )
    return client


def api_calls(store):
    base = f"/api/v1/stores/{store.slug}"
    return {
        "stock-list": ("get", f"{base}/stock/", None),
        "stock-sku": ("get", f"{base}/stock/ARD-SEC-01/", None),
        "stock-patch": ("patch", f"{base}/stock/ARD-SEC-01/", {"on_hand": 1, "price_cents": 2800}),
        "stock-batch": (
            "post",
            f"{base}/stock/batch/",
            {"rows": [{"sku": "ARD-SEC-01", "on_hand": 1, "sequence": 1}]},
        ),
        "movements": ("get", f"{base}/movements/", None),
    }


ENDPOINTS = ["stock-list", "stock-sku", "stock-patch", "stock-batch", "movements"]
PRINCIPALS = [
    pytest.param(OWN, True, id="own-key"),
    pytest.param(OWN, False, id="own-owner"),
    pytest.param(OTHER, True, id="other-key"),
    pytest.param(OTHER, False, id="other-owner"),
    pytest.param(HQ, True, id="hq-key"),
    pytest.param(HQ, False, id="hq-staff"),
    pytest.param(ANONYMOUS, False, id="anonymous"),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("who", "key"), PRINCIPALS)
def test_stock_api_tenancy(request, lyon_store, matrix_world, endpoint, who, key):
    method, url, body = api_calls(lyon_store)[endpoint]
    client = api_client(request, who, key=key)
    before = snapshot()

    response = getattr(client, method)(url, body, format="json")

    expected = {OWN: 200, HQ: 200, OTHER: 404, ANONYMOUS: 401}[who]
    assert response.status_code == expected, response.content
    if expected != 200:
        assert snapshot() == before


def test_the_404_does_not_tell_a_missing_store_from_a_forbidden_one(paris_api_key, lyon_store):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {paris_api_key}")

    forbidden = client.get(f"/api/v1/stores/{lyon_store.slug}/stock/")
    missing = client.get("/api/v1/stores/no-such-store/stock/")

    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
