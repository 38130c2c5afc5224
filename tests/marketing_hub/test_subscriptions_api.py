"""The digital packs' API (/api/v1/marketing/...): plans, subscriptions and their actions,
deliverables. A store key acts for its own store (another store's is a 404), HQ for all; bad
input is a 400 or 409 in the API's error shape and changes nothing."""

from __future__ import annotations

import pytest

from marketing_hub.models import Subscription
from marketing_hub.services.deliverables import generate_deliverables
from marketing_hub.services.subscriptions import subscribe
from tests.api_clients import api_client
from tests.factories import StoreFactory

from .subscriptions_fixtures import make_plans

pytestmark = pytest.mark.django_db
API = "/api/v1/marketing"


@pytest.fixture
def plans(db):
    return make_plans()


@pytest.fixture
def lyon_gbp(lyon_store, plans):
    subscription, _secret = subscribe(store=lyon_store, plan=plans.gbp_plus, actor="hq")
    return subscription


def test_plans_are_listed_for_any_client(lyon_key, plans):
    response = api_client(key=lyon_key).get(f"{API}/plans/")

    assert response.status_code == 200
    codes = [plan["code"] for plan in response.json()["results"]]
    assert set(codes) == {"gbp-essentiel", "gbp-plus", "annonces-locales", "posts-sociaux"}


def test_a_store_key_subscribes_its_store_and_gets_the_feed_url_once(lyon_key, lyon_store, plans):
    client = api_client(key=lyon_key)

    created = client.post(f"{API}/subscriptions/", {"plan": "annonces-locales"}, format="json")

    assert created.status_code == 201
    body = created.json()
    assert (body["store"], body["plan"], body["status"]) == (
        "lyon-presquile",
        "annonces-locales",
        "active",
    )
    assert "/marketing/feeds/" in body["feed_url"]
    assert client.get(body["feed_url"]).status_code == 200
    again = client.get(f"{API}/subscriptions/{body['id']}/").json()
    assert "feed_url" not in again


def test_a_store_key_sees_and_acts_on_its_own_subscriptions_only(
    lyon_key, paris_key, lyon_gbp, paris_store, plans
):
    subscribe(store=paris_store, plan=plans.social_posts, actor="hq")
    lyon, paris = api_client(key=lyon_key), api_client(key=paris_key)

    listed = lyon.get(f"{API}/subscriptions/").json()["results"]
    assert [row["store"] for row in listed] == ["lyon-presquile"]
    assert paris.get(f"{API}/subscriptions/{lyon_gbp.pk}/").status_code == 404
    assert paris.post(f"{API}/subscriptions/{lyon_gbp.pk}/cancel/").status_code == 404
    refused = paris.post(
        f"{API}/subscriptions/", {"plan": "gbp-plus", "store": "lyon-presquile"}, format="json"
    )
    assert refused.status_code == 404
    lyon_gbp.refresh_from_db()
    assert lyon_gbp.status == Subscription.Status.ACTIVE
    assert Subscription.objects.filter(store__slug="lyon-presquile").count() == 1


def test_hq_sees_every_store_and_subscribes_a_named_store(hq_key, lyon_gbp, paris_store, plans):
    client = api_client(key=hq_key)

    missing = client.post(f"{API}/subscriptions/", {"plan": "gbp-plus"}, format="json")
    created = client.post(
        f"{API}/subscriptions/", {"plan": "gbp-plus", "store": "paris-bastille"}, format="json"
    )

    assert missing.status_code == 400
    assert missing.json()["fields"] == {"store": ["Say which store subscribes."]}
    assert created.status_code == 201
    stores = {row["store"] for row in client.get(f"{API}/subscriptions/").json()["results"]}
    assert stores == {"lyon-presquile", "paris-bastille"}


@pytest.mark.parametrize(
    ("path", "payload", "status", "code"),
    [
        ("pause/", {}, 400, "commitment_forbids"),
        ("change/", {"plan": "gbp-essentiel"}, 400, "commitment_forbids"),
        ("change/", {"plan": "no-such-plan"}, 400, "invalid"),
        ("change/", {}, 400, "invalid"),
    ],
    ids=["pause-in-commitment", "downgrade-in-commitment", "unknown-plan", "no-plan"],
)
def test_bad_changes_are_refused_in_the_error_shape_and_change_nothing(
    lyon_key, lyon_gbp, path, payload, status, code
):
    response = api_client(key=lyon_key).post(
        f"{API}/subscriptions/{lyon_gbp.pk}/{path}", payload, format="json"
    )

    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert set(body) >= {"code", "detail", "fields"}
    lyon_gbp.refresh_from_db()
    assert (lyon_gbp.status, lyon_gbp.plan.code, lyon_gbp.next_plan) == ("active", "gbp-plus", None)


def test_subscribing_twice_or_to_an_unknown_plan_is_refused(lyon_key, lyon_gbp):
    client = api_client(key=lyon_key)

    twice = client.post(f"{API}/subscriptions/", {"plan": "gbp-plus"}, format="json")
    unknown = client.post(f"{API}/subscriptions/", {"plan": "nope"}, format="json")

    assert (twice.status_code, twice.json()["code"]) == (409, "already_subscribed")
    assert (unknown.status_code, unknown.json()["code"]) == (400, "invalid")
    assert "plan" in unknown.json()["fields"]
    assert Subscription.objects.count() == 1


def test_actions_move_the_subscription(lyon_key, lyon_store, plans):
    subscription, _secret = subscribe(store=lyon_store, plan=plans.gbp_basic, actor="hq")
    client = api_client(key=lyon_key)
    base = f"{API}/subscriptions/{subscription.pk}"

    assert client.post(f"{base}/pause/").json()["status"] == "paused"
    assert client.post(f"{base}/resume/").json()["status"] == "active"
    assert (
        client.post(f"{base}/change/", {"plan": "gbp-plus"}, format="json").json()["plan"]
        == "gbp-plus"
    )
    cancelled = client.post(f"{base}/cancel/").json()
    assert cancelled["status"] == "cancelling"
    assert cancelled["ends_on"]


def test_deliverables_are_listed_and_downloaded_by_their_store_only(
    lyon_key, paris_key, hq_key, lyon_gbp
):
    (sheet,) = generate_deliverables(subscription=lyon_gbp)
    lyon = api_client(key=lyon_key)

    listed = lyon.get(f"{API}/deliverables/").json()["results"]
    assert [(row["id"], row["kind"]) for row in listed] == [(sheet.pk, "gbp_sheet")]
    download = lyon.get(listed[0]["download_url"])
    as_csv = lyon.get(listed[0]["csv_url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(as_csv.streaming_content).startswith(b"Store code,")
    paris = api_client(key=paris_key)
    assert paris.get(f"{API}/deliverables/").json()["results"] == []
    assert paris.get(f"{API}/deliverables/{sheet.pk}/download/").status_code == 404
    assert api_client(key=hq_key).get(f"{API}/deliverables/{sheet.pk}/download/").status_code == 200


def test_a_staff_members_session_reads_but_may_not_subscribe(lyon_staff, plans):
    client = api_client(user=lyon_staff)

    refused = client.post(
        f"{API}/subscriptions/", {"plan": "gbp-plus", "store": "lyon-presquile"}, format="json"
    )

    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert client.get(f"{API}/subscriptions/").status_code == 200


def test_the_lists_read_in_a_bounded_number_of_queries(
    hq_key, plans, django_assert_max_num_queries
):
    for _ in range(6):
        subscription, _secret = subscribe(store=StoreFactory(), plan=plans.gbp_basic, actor="hq")
        generate_deliverables(subscription=subscription)
    client = api_client(key=hq_key)

    with django_assert_max_num_queries(8):
        subscriptions = client.get(f"{API}/subscriptions/")
    with django_assert_max_num_queries(8):
        deliverables = client.get(f"{API}/deliverables/")

    assert len(subscriptions.json()["results"]) == 6
    assert len(deliverables.json()["results"]) == 6
