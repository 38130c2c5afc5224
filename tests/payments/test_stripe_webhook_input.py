"""Signed Stripe webhooks that are not events we can keep (issue 17): a 400 in the one error
shape, nothing stored; and an unauthenticated caller learns nothing of our configuration."""

import json

import pytest

from payments.models import ProviderEvent

pytestmark = pytest.mark.django_db

WEBHOOK_URL = "/payments/stripe/webhook/"


def post_body(client, server, body: bytes):
    return client.post(
        WEBHOOK_URL,
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=server.sign(body),
    )


def event(**fields):
    base = {"id": "evt_1", "type": "charge.updated", "created": 1_790_000_000, "data": {}}
    base.update(fields)
    return {key: value for key, value in base.items() if value is not ...}


CASES = {
    "no id": json.dumps(event(id=...)).encode(),
    "id of 10 KB": json.dumps(event(id="e" * 10_000)).encode(),
    "id not text": json.dumps(event(id=12)).encode(),
    "created 1e20": json.dumps(event(created=10**20)).encode(),
    "created a float 1e20": b'{"id": "evt_1", "type": "x", "created": 1e20}',
    "created abc": json.dumps(event(created="abc")).encode(),
    "no created": json.dumps(event(created=...)).encode(),
    "a JSON list": json.dumps([event()]).encode(),
    "not JSON": b"{nope",
    "NUL in the data": json.dumps(event(data={"object": {"name": "a\x00b"}})).encode(),
    "deeply nested": b'{"id": "evt_1", "type": "x", "created": 1790000000, "data": '
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}",
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_signed_body_that_is_not_an_event_is_refused(case, client, stripe_server):
    response = post_body(client, stripe_server, CASES[case])

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_event"
    assert set(response.json()) == {"code", "detail", "fields"}
    assert not ProviderEvent.objects.exists()


def test_a_valid_event_is_still_kept(client, stripe_server):
    response = post_body(client, stripe_server, json.dumps(event()).encode())

    assert response.status_code == 200
    assert ProviderEvent.objects.get().event_id == "evt_1"


def test_an_unsigned_caller_learns_nothing_of_the_configuration(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = client.post(
        WEBHOOK_URL, data=b"{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=x"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_signature"
    assert "secret" not in response.json()["detail"].lower()
    assert "configured" not in response.json()["detail"].lower()
