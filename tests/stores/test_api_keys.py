import hashlib

import pytest
from django.db import connection
from rest_framework.test import APIClient

from network_marketplace.models import AuditEvent
from stores.models import ApiKey
from stores.services import issue_api_key, revoke_api_key


def api_client(secret: str | None = None) -> APIClient:
    client = APIClient()
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


@pytest.fixture
def lyon_key(lyon_store, lyon_owner):
    return issue_api_key(store=lyon_store, name="Till system", actor=lyon_owner)


def test_store_api_key_is_stored_hashed_never_in_clear(lyon_key):
    # Given a key just issued to the Lyon store
    secret = lyon_key.secret

    # Then no column of any API key row holds the secret, only its SHA-256 digest
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM stores_apikey")
        rows = cursor.fetchall()
    assert rows
    assert not any(secret in str(value) for row in rows for value in row)
    stored = ApiKey.objects.get(pk=lyon_key.api_key.pk)
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(f"nmk_{stored.prefix}_")


def test_store_key_acts_as_its_store(lyon_key, lyon_store, paris_store):
    response = api_client(lyon_key.secret).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["kind"] == "api_key"
    assert response.json()["is_hq"] is False
    assert [store["slug"] for store in response.json()["stores"]] == [lyon_store.slug]


def test_store_key_sees_only_its_own_store(lyon_key, lyon_store, paris_store):
    client = api_client(lyon_key.secret)

    listing = client.get("/api/v1/stores/")
    other = client.get(f"/api/v1/stores/{paris_store.slug}/")
    own = client.get(f"/api/v1/stores/{lyon_store.slug}/")

    assert [store["slug"] for store in listing.json()["results"]] == [lyon_store.slug]
    assert other.status_code == 404
    assert own.status_code == 200


def test_hq_key_sees_every_store(hq_admin, lyon_store, paris_store):
    issued = issue_api_key(store=None, name="ERP", actor=hq_admin)

    response = api_client(issued.secret).get("/api/v1/stores/")

    assert response.status_code == 200
    assert {store["slug"] for store in response.json()["results"]} == {
        lyon_store.slug,
        paris_store.slug,
    }


def test_revoked_key_is_refused(lyon_key, lyon_owner):
    client = api_client(lyon_key.secret)
    assert client.get("/api/v1/me/").status_code == 200

    revoke_api_key(api_key=lyon_key.api_key, actor=lyon_owner)
    response = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    in_french = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response.json()["detail"] == "Invalid or revoked API key."
    assert in_french.json()["detail"] == "Clé d'API invalide ou révoquée."


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Api-Key nmk_000000000000_forged", id="unknown-prefix"),
        pytest.param("Api-Key not-a-key", id="malformed"),
        pytest.param("Api-Key", id="missing-secret"),
        pytest.param("Api-Key a b", id="too-many-parts"),
    ],
)
def test_bad_keys_are_refused_with_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert set(response.json()) == {"code", "detail", "fields"}


def test_key_with_right_prefix_but_wrong_secret_is_refused(lyon_key):
    forged = lyon_key.secret[:-4] + ("AAAA" if not lyon_key.secret.endswith("AAAA") else "BBBB")

    assert api_client(forged).get("/api/v1/me/").status_code == 401


def test_issuing_and_revoking_leave_an_audit_trail(lyon_key, lyon_owner, lyon_store):
    revoke_api_key(api_key=lyon_key.api_key, actor=lyon_owner)
    revoke_api_key(api_key=lyon_key.api_key, actor=lyon_owner)  # idempotent

    actions = list(
        AuditEvent.objects.filter(store_id=lyon_store.pk)
        .order_by("created_at", "id")
        .values_list("action", "actor_label")
    )
    assert actions == [
        ("api_key.issued", lyon_owner.email),
        ("api_key.revoked", lyon_owner.email),
    ]


def test_anonymous_api_request_is_refused_with_401(db):
    response = APIClient().get("/api/v1/stores/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_invalid_filter_answers_400_with_field_errors(lyon_key):
    response = api_client(lyon_key.secret).get("/api/v1/stores/", {"kind": "spaceship"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "kind" in response.json()["fields"]
