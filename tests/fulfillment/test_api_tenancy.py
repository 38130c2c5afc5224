"""The tenancy matrix of a store's fulfilment endpoints, all aimed at a Lyon fulfilment: Lyon's
key, owner and staff get through; HQ (key or staff) too; Paris's key and owner get a 404 (not a
403: the fulfilment's existence doesn't leak), and so does a customer; an anonymous caller a
401. A refused step changes nothing."""

from __future__ import annotations

import pytest

from fulfillment.models import Fulfilment, FulfilmentEvent
from fulfillment.services import accept_fulfilment, mark_picked, mark_ready_for_pickup
from orders.models import FulfilmentMethod
from tests.api_clients import api_client

from .conftest import make_fulfilment

S = Fulfilment.Status

# endpoint -> (method, step, the fulfilment's method, the state it must be in, body)
ENDPOINTS = {
    "list": ("get", None, FulfilmentMethod.CLICK_COLLECT, S.AWAITING_ACCEPTANCE, None),
    "retrieve": ("get", "", FulfilmentMethod.CLICK_COLLECT, S.AWAITING_ACCEPTANCE, None),
    "accept": ("post", "accept", FulfilmentMethod.CLICK_COLLECT, S.AWAITING_ACCEPTANCE, None),
    "reject": (
        "post",
        "reject",
        FulfilmentMethod.CLICK_COLLECT,
        S.AWAITING_ACCEPTANCE,
        {"reason": "Rupture."},
    ),
    "picked": ("post", "picked", FulfilmentMethod.CLICK_COLLECT, S.ACCEPTED, None),
    "ready": ("post", "ready", FulfilmentMethod.CLICK_COLLECT, S.PICKED, None),
    "handover": ("post", "handover", FulfilmentMethod.CLICK_COLLECT, S.READY_FOR_PICKUP, "code"),
    "ship": (
        "post",
        "ship",
        FulfilmentMethod.HOME_DELIVERY,
        S.PICKED,
        {"carrier": "Colissimo", "tracking_number": "6A1"},
    ),
    "outcome": (
        "post",
        "outcome",
        FulfilmentMethod.RESERVE_COLLECT,
        S.READY_FOR_PICKUP,
        {"purchased": True},
    ),
}

OWN_KEY, OWN_OWNER, OWN_STAFF = "own-key", "own-owner", "own-staff"
OTHER_KEY, OTHER_OWNER, CUSTOMER = "other-key", "other-owner", "customer"
HQ_KEY, HQ_STAFF, ANONYMOUS = "hq-key", "hq-staff", "anonymous"
CALLERS = {
    OWN_KEY: ("lyon_key", None),
    OWN_OWNER: (None, "lyon_owner"),
    OWN_STAFF: (None, "lyon_staff"),
    OTHER_KEY: ("paris_key", None),
    OTHER_OWNER: (None, "paris_owner"),
    CUSTOMER: (None, "customer"),
    HQ_KEY: ("hq_key", None),
    HQ_STAFF: (None, "hq_admin"),
    ANONYMOUS: (None, None),
}
EXPECTED = {
    OWN_KEY: 200, OWN_OWNER: 200, OWN_STAFF: 200, HQ_KEY: 200, HQ_STAFF: 200,
    OTHER_KEY: 404, OTHER_OWNER: 404, CUSTOMER: 404, ANONYMOUS: 401,
}  # fmt: skip


def prepared(store, method, state, actor):
    """A fulfilment of `store` brought to `state` by the real steps; its pickup code too."""
    fulfilment = make_fulfilment(store=store, method=method)
    code = None
    if state != S.AWAITING_ACCEPTANCE:
        accept_fulfilment(fulfilment=fulfilment, actor=actor)
    if state in (S.PICKED, S.READY_FOR_PICKUP):
        mark_picked(fulfilment=fulfilment, actor=actor)
    if state == S.READY_FOR_PICKUP:
        code = mark_ready_for_pickup(fulfilment=fulfilment, actor=actor).pickup_code
    return fulfilment, code


def caller(request, who):
    key_fixture, user_fixture = CALLERS[who]
    if key_fixture:
        return api_client(key=request.getfixturevalue(key_fixture))
    if user_fixture:
        return api_client(user=request.getfixturevalue(user_fixture))
    return api_client()


def snapshot(fulfilment):
    fulfilment.refresh_from_db()
    return (
        fulfilment.status,
        fulfilment.pickup_code_failures,
        FulfilmentEvent.objects.filter(fulfilment=fulfilment).count(),
    )


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("who", list(CALLERS))
def test_fulfilment_api_tenancy(request, lyon_store, lyon_owner, hq_admin, endpoint, who):
    http_method, step, method, state, body = ENDPOINTS[endpoint]
    fulfilment, code = prepared(lyon_store, method, state, hq_admin)
    if body == "code":
        body = {"code": code}
    base = f"/api/v1/stores/{lyon_store.slug}/fulfilments/"
    url = base if step is None else f"{base}{fulfilment.pk}/" + (f"{step}/" if step else "")
    client = caller(request, who)
    before = snapshot(fulfilment)

    response = getattr(client, http_method)(url, body, format="json" if body else None)

    assert response.status_code == EXPECTED[who], response.content
    if EXPECTED[who] == 200:
        if endpoint == "list":
            assert [found["id"] for found in response.json()["results"]] == [fulfilment.pk]
        else:
            assert response.json()["id"] == fulfilment.pk
    else:
        assert snapshot(fulfilment) == before


def test_a_store_key_sees_its_own_store_only_and_another_fulfilment_is_a_404(
    lyon_store, paris_store, lyon_key
):
    paris_fulfilment = make_fulfilment(store=paris_store)
    client = api_client(key=lyon_key)

    through_lyon = client.get(
        f"/api/v1/stores/{lyon_store.slug}/fulfilments/{paris_fulfilment.pk}/"
    )
    through_paris = client.get(f"/api/v1/stores/{paris_store.slug}/fulfilments/")
    missing = client.get(f"/api/v1/stores/{lyon_store.slug}/fulfilments/999999/")

    assert through_lyon.status_code == through_paris.status_code == missing.status_code == 404
    assert through_lyon.json() == missing.json()
    assert client.get(f"/api/v1/stores/{lyon_store.slug}/fulfilments/").json()["count"] == 0
