"""/api/v1/webhooks/: a store key manages its store's endpoints, HQ all of them; another store's
endpoint is a 404; the secret is in the creation answer only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from network_marketplace.models import AuditEvent, OutboxMessage, WebhookDelivery, WebhookEndpoint
from network_marketplace.webhooks import create_endpoint, emit_event
from stores.services import issue_api_key

URL = "/api/v1/webhooks/"


@pytest.fixture
def lyon_key(lyon_store, lyon_owner):
    return issue_api_key(store=lyon_store, name="ERP Lyon", actor=lyon_owner).secret


@pytest.fixture
def paris_key(paris_store, paris_owner):
    return issue_api_key(store=paris_store, name="ERP Paris", actor=paris_owner).secret


@pytest.fixture
def hq_key(hq_admin):
    return issue_api_key(store=None, name="ERP siège", actor=hq_admin).secret


def api(key: str | None = None) -> APIClient:
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def lyon_endpoint(lyon_store, lyon_owner):
    return create_endpoint(
        store=lyon_store,
        url="https://erp.lyon.example/hooks",
        event_types=["order.created"],
        actor=lyon_owner,
    ).endpoint


@pytest.fixture
def paris_endpoint(paris_store, paris_owner):
    return create_endpoint(
        store=paris_store, url="https://erp.paris.example/hooks", event_types=["*"], actor=None
    ).endpoint


@pytest.fixture
def hq_endpoint(hq_admin):
    return create_endpoint(
        store=None, url="https://erp.hq.example/hooks", event_types=["*"], actor=hq_admin
    ).endpoint


def test_store_key_adds_an_endpoint_for_its_store_and_gets_the_secret_once(lyon_key, lyon_store):
    # When Lyon's ERP subscribes to orders
    answer = api(lyon_key).post(
        URL,
        {"url": "https://erp.lyon.example/hooks", "event_types": ["order.created"]},
        format="json",
    )

    # Then the endpoint is Lyon's, and the answer carries its secret
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["store"] == "lyon-presquile"
    assert body["event_types"] == ["order.created"]
    assert body["active"] is True
    assert body["secret"].startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert endpoint.store == lyon_store
    assert endpoint.secret == body["secret"]
    assert AuditEvent.objects.filter(action="webhook_endpoint.created").exists()

    # And never again
    again = api(lyon_key).get(f"{URL}{endpoint.pk}/").json()
    assert "secret" not in again
    assert body["secret"] not in api(lyon_key).get(URL).content.decode()


def test_store_key_lists_its_stores_endpoints_only(
    lyon_key, lyon_endpoint, paris_endpoint, hq_endpoint, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        answer = api(lyon_key).get(URL)

    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["results"]] == [lyon_endpoint.pk]


def test_hq_lists_every_endpoint_and_adds_one_for_the_whole_network(
    hq_key, lyon_endpoint, paris_endpoint, hq_endpoint, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        listed = api(hq_key).get(URL).json()["results"]
    assert {row["id"] for row in listed} == {lyon_endpoint.pk, paris_endpoint.pk, hq_endpoint.pk}

    created = api(hq_key).post(
        URL, {"url": "https://bi.example.com/hooks", "event_types": ["*"]}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["store"] is None

    for_paris = api(hq_key).post(
        URL,
        {"url": "https://x.example.com/h", "event_types": ["*"], "store": "paris-bastille"},
        format="json",
    )
    assert for_paris.json()["store"] == "paris-bastille"


def test_store_key_changes_pauses_and_removes_its_endpoint(lyon_key, lyon_endpoint):
    changed = api(lyon_key).patch(
        f"{URL}{lyon_endpoint.pk}/",
        {"event_types": ["fulfillment.accepted", "fulfillment.shipped"], "active": False},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["event_types"] == ["fulfillment.accepted", "fulfillment.shipped"]
    assert changed.json()["active"] is False

    removed = api(lyon_key).delete(f"{URL}{lyon_endpoint.pk}/")
    assert removed.status_code == 204
    assert not WebhookEndpoint.objects.filter(pk=lyon_endpoint.pk).exists()


def test_store_cannot_move_its_endpoint_to_another_store(lyon_key, lyon_endpoint, lyon_store):
    answer = api(lyon_key).patch(
        f"{URL}{lyon_endpoint.pk}/", {"store": "paris-bastille"}, format="json"
    )

    assert answer.status_code == 200
    lyon_endpoint.refresh_from_db()
    assert lyon_endpoint.store == lyon_store


def test_store_key_sends_a_test_event_and_reads_the_deliveries(
    lyon_key, lyon_endpoint, django_capture_on_commit_callbacks
):
    answer = api(lyon_key).post(f"{URL}{lyon_endpoint.pk}/ping/")

    assert answer.status_code == 202
    assert answer.json()["event_type"] == "webhook.ping"
    emit_event(event_type="order.created", store_id=lyon_endpoint.store_id, data={}, event_id="e1")
    deliveries = api(lyon_key).get(f"{URL}{lyon_endpoint.pk}/deliveries/").json()
    assert [row["event_type"] for row in deliveries["results"]] == [
        "order.created",
        "webhook.ping",
    ]
    assert deliveries["results"][0]["state"] == "pending"


def test_event_types_are_listed_for_integrators(lyon_key):
    types = api(lyon_key).get(f"{URL}event-types/").json()

    assert {"type": "order.created", "description": "Une commande a été passée."} in types


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "not a url", "event_types": ["*"]}, "url"),
        ({"url": "https://erp.example.com/h", "event_types": []}, "event_types"),
        ({"url": "https://erp.example.com/h", "event_types": ["order.teleported"]}, "event_types"),
        ({"url": "https://erp.example.com/h"}, "event_types"),
        (
            {"url": "https://erp.example.com/h", "event_types": ["*"], "store": "paris-bastille"},
            "store",
        ),
    ],
    ids=["bad-url", "no-events", "unknown-event", "missing-events", "another-store"],
)
def test_invalid_endpoint_is_a_400_with_the_field(lyon_key, paris_store, payload, field):
    answer = api(lyon_key).post(URL, payload, format="json")

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert field in answer.json()["fields"]
    assert not WebhookEndpoint.objects.exists()


def test_private_url_is_refused_outside_the_embedded_profile(lyon_key, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False

    answer = api(lyon_key).post(
        URL, {"url": "http://192.168.1.20/hooks", "event_types": ["*"]}, format="json"
    )

    assert answer.status_code == 400
    assert "url" in answer.json()["fields"]


def test_eleventh_endpoint_of_a_store_is_refused(lyon_key):
    for n in range(10):
        api(lyon_key).post(
            URL, {"url": f"https://erp.example.com/h{n}", "event_types": ["*"]}, format="json"
        )

    answer = api(lyon_key).post(
        URL, {"url": "https://erp.example.com/h10", "event_types": ["*"]}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["code"] == "too_many_webhook_endpoints"


OTHER_STORE_CALLS = {
    "retrieve": ("get", "{url}{id}/", None),
    "update": ("patch", "{url}{id}/", {"active": False}),
    "delete": ("delete", "{url}{id}/", None),
    "ping": ("post", "{url}{id}/ping/", None),
    "deliveries": ("get", "{url}{id}/deliveries/", None),
}


@pytest.mark.parametrize("call", OTHER_STORE_CALLS, ids=list(OTHER_STORE_CALLS))
def test_another_stores_endpoint_is_a_404(call, paris_key, lyon_endpoint):
    method, path, payload = OTHER_STORE_CALLS[call]

    answer = getattr(api(paris_key), method)(
        path.format(url=URL, id=lyon_endpoint.pk), payload, format="json"
    )

    assert answer.status_code == 404
    lyon_endpoint.refresh_from_db()
    assert lyon_endpoint.active is True
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("call", OTHER_STORE_CALLS, ids=list(OTHER_STORE_CALLS))
def test_a_store_does_not_see_hqs_endpoints(call, lyon_key, hq_endpoint):
    method, path, payload = OTHER_STORE_CALLS[call]

    answer = getattr(api(lyon_key), method)(
        path.format(url=URL, id=hq_endpoint.pk), payload, format="json"
    )

    assert answer.status_code == 404


def test_anonymous_caller_is_a_401(lyon_endpoint):
    assert api().get(URL).status_code == 401
    assert api().post(URL, {}, format="json").status_code == 401


def test_store_staff_member_sees_the_endpoints_but_cannot_change_them(lyon_staff, lyon_endpoint):
    client = APIClient()
    client.force_authenticate(lyon_staff)

    assert [row["id"] for row in client.get(URL).json()["results"]] == [lyon_endpoint.pk]
    assert client.delete(f"{URL}{lyon_endpoint.pk}/").status_code == 403
    created = client.post(
        URL,
        {"url": "https://x.example/h", "event_types": ["*"], "store": "lyon-presquile"},
        format="json",
    )
    assert created.status_code == 403
    assert WebhookEndpoint.objects.count() == 1


def test_store_owner_session_adds_an_endpoint_for_their_store(lyon_owner, lyon_store):
    client = APIClient()
    client.force_authenticate(lyon_owner)

    without_store = client.post(URL, {"url": "https://x.example/h", "event_types": ["*"]})
    answer = client.post(
        URL,
        {"url": "https://x.example/h", "event_types": ["*"], "store": "lyon-presquile"},
        format="json",
    )

    assert without_store.status_code == 400
    assert answer.status_code == 201
    assert WebhookEndpoint.objects.get().store == lyon_store


def test_removing_an_endpoint_through_the_api_drops_its_pending_events(lyon_key, lyon_endpoint):
    emit_event(event_type="order.created", store_id=lyon_endpoint.store_id, data={}, event_id="e2")

    api(lyon_key).delete(f"{URL}{lyon_endpoint.pk}/")

    assert not OutboxMessage.objects.exists()


def test_a_paused_endpoint_cannot_be_pinged(lyon_key, lyon_endpoint):
    api(lyon_key).patch(f"{URL}{lyon_endpoint.pk}/", {"active": False}, format="json")

    answer = api(lyon_key).post(f"{URL}{lyon_endpoint.pk}/ping/")

    assert answer.status_code == 400
    assert answer.json()["code"] == "webhook_endpoint_paused"
    assert not WebhookDelivery.objects.exists()


def test_the_openapi_schema_documents_the_webhooks_api(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert {"/api/v1/webhooks/", "/api/v1/webhooks/{id}/", "/api/v1/webhooks/{id}/ping/"} <= set(
        schema["paths"]
    )
    created = schema["paths"]["/api/v1/webhooks/"]["post"]["responses"]["201"]
    component = created["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "secret" in schema["components"]["schemas"][component]["properties"]
    assert "put" not in schema["paths"]["/api/v1/webhooks/{id}/"]
