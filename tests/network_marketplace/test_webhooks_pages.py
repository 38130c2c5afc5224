"""The store back-office's webhooks page and HQ's webhook admin."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from network_marketplace.models import WebhookDelivery, WebhookEndpoint
from network_marketplace.webhooks import create_endpoint, emit_event


def page_url(store, suffix=""):
    return f"/store/{store.slug}/webhooks/{suffix}"


@pytest.fixture
def lyon_endpoint(lyon_store, lyon_owner):
    return create_endpoint(
        store=lyon_store,
        url="https://erp.lyon.example/hooks",
        event_types=["order.created", "fulfillment.shipped"],
        actor=lyon_owner,
    ).endpoint


def test_owner_adds_an_endpoint_and_sees_its_secret_once(client, lyon_owner, lyon_store):
    client.force_login(lyon_owner)

    created = client.post(
        page_url(lyon_store),
        {
            "url": "https://erp.lyon.example/hooks",
            "description": "ERP",
            "event_types": ["order.created", "fulfillment.accepted"],
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    later = client.get(page_url(lyon_store))

    assert created.status_code == 200
    assert endpoint.store == lyon_store
    assert endpoint.event_types == ["fulfillment.accepted", "order.created"]
    assert endpoint.created_by == lyon_owner
    assert endpoint.secret in created.content.decode()
    assert "Copiez son secret de signature maintenant" in created.content.decode()
    assert endpoint.secret not in later.content.decode()
    assert "https://erp.lyon.example/hooks" in later.content.decode()


def test_all_events_is_stored_as_the_wildcard(client, lyon_owner, lyon_store):
    client.force_login(lyon_owner)

    client.post(
        page_url(lyon_store),
        {"url": "https://erp.lyon.example/hooks", "event_types": ["*", "order.created"]},
    )

    assert WebhookEndpoint.objects.get().event_types == ["*"]


def test_invalid_endpoint_shows_the_form_errors(client, lyon_owner, lyon_store, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    client.force_login(lyon_owner)

    response = client.post(page_url(lyon_store), {"url": "http://192.168.0.10/h"})

    assert response.status_code == 400
    html = response.content.decode()
    assert escape("L'URL doit commencer par https://.") in html
    assert "Ce champ est obligatoire." in html
    assert not WebhookEndpoint.objects.exists()


def test_page_lists_endpoints_and_latest_deliveries_in_few_queries(
    client, lyon_owner, lyon_store, lyon_endpoint, django_assert_max_num_queries
):
    for n in range(5):
        emit_event(event_type="order.created", store_id=lyon_store.pk, data={}, event_id=f"evt_{n}")
    client.force_login(lyon_owner)

    # The admin's app list asks each one-row settings admin whether its row exists: three
    # more since issue 15 (settlement rules, store profiles, scorecards).
    with django_assert_max_num_queries(15):
        response = client.get(page_url(lyon_store))

    assert response.status_code == 200
    assert len(response.context["deliveries"]) == 5
    html = response.content.decode()
    assert "order.created" in html
    assert "En attente" in html


def test_owner_pauses_tests_and_removes_an_endpoint(client, lyon_owner, lyon_store, lyon_endpoint):
    client.force_login(lyon_owner)

    paused = client.post(page_url(lyon_store, f"{lyon_endpoint.pk}/toggle/"), follow=True)
    lyon_endpoint.refresh_from_db()
    assert lyon_endpoint.active is False
    assert "est en pause" in paused.content.decode()

    client.post(page_url(lyon_store, f"{lyon_endpoint.pk}/toggle/"))
    client.post(page_url(lyon_store, f"{lyon_endpoint.pk}/test/"))
    assert WebhookDelivery.objects.get().event_type == "webhook.ping"

    removed = client.post(page_url(lyon_store, f"{lyon_endpoint.pk}/delete/"), follow=True)
    assert not WebhookEndpoint.objects.exists()
    assert "est supprimé" in removed.content.decode()


def test_staff_member_sees_the_endpoints_but_cannot_change_them(
    client, lyon_staff, lyon_store, lyon_endpoint
):
    client.force_login(lyon_staff)

    page = client.get(page_url(lyon_store))
    assert page.status_code == 200
    assert "https://erp.lyon.example/hooks" in page.content.decode()
    assert "Ajouter le point de réception" not in page.content.decode()

    assert client.post(page_url(lyon_store), {"url": "https://x.example/h"}).status_code == 404
    for action in ("delete", "toggle", "test"):
        response = client.post(page_url(lyon_store, f"{lyon_endpoint.pk}/{action}/"))
        assert response.status_code == 404
    lyon_endpoint.refresh_from_db()
    assert lyon_endpoint.active is True


def test_another_stores_webhooks_are_not_found(client, paris_owner, lyon_store, lyon_endpoint):
    client.force_login(paris_owner)

    assert client.get(page_url(lyon_store)).status_code == 404
    assert client.post(page_url(lyon_store), {"url": "https://x.example/h"}).status_code == 404
    for action in ("delete", "toggle", "test"):
        response = client.post(page_url(lyon_store, f"{lyon_endpoint.pk}/{action}/"))
        assert response.status_code == 404
    assert WebhookEndpoint.objects.count() == 1


def test_an_endpoint_of_another_store_is_not_found_from_ones_own_page(
    client, paris_owner, paris_store, lyon_endpoint
):
    client.force_login(paris_owner)

    response = client.post(page_url(paris_store, f"{lyon_endpoint.pk}/delete/"))

    assert response.status_code == 404
    assert WebhookEndpoint.objects.exists()


def test_back_office_nav_links_to_the_webhooks_page(client, lyon_owner, lyon_store):
    client.force_login(lyon_owner)

    html = client.get(f"/store/{lyon_store.slug}/").content.decode()

    assert f'href="{page_url(lyon_store)}"' in html


# --- HQ admin -------------------------------------------------------------------------------


def test_hq_creates_an_endpoint_in_the_admin_and_sees_the_secret_once(client, hq_admin):
    client.force_login(hq_admin)

    response = client.post(
        "/admin/network_marketplace/webhookendpoint/add/",
        {
            "url": "https://bi.ardoise.example/hooks",
            "description": "BI",
            "event_types": ["*"],
            "active": "on",
        },
        follow=True,
    )

    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.store is None
    assert endpoint.event_types == ["*"]
    assert endpoint.created_by == hq_admin
    assert endpoint.secret in response.content.decode()
    change_page = client.get(f"/admin/network_marketplace/webhookendpoint/{endpoint.pk}/change/")
    assert change_page.status_code == 200
    assert endpoint.secret not in change_page.content.decode()


def test_hq_lists_endpoints_and_deliveries_in_the_admin(
    client, hq_admin, lyon_store, lyon_endpoint, django_assert_max_num_queries
):
    emit_event(event_type="order.created", store_id=lyon_store.pk, data={}, event_id="evt_adm")
    client.force_login(hq_admin)

    # The admin's app list asks each one-row settings admin whether its row exists: three
    # more since issue 15 (settlement rules, store profiles, scorecards).
    with django_assert_max_num_queries(15):
        endpoints = client.get("/admin/network_marketplace/webhookendpoint/")
    # The admin's app list asks each one-row settings admin whether its row exists: three
    # more since issue 15 (settlement rules, store profiles, scorecards).
    with django_assert_max_num_queries(15):
        deliveries = client.get(
            f"/admin/network_marketplace/webhookdelivery/?endpoint__id__exact={lyon_endpoint.pk}"
        )
    change_page = client.get(
        f"/admin/network_marketplace/webhookendpoint/{lyon_endpoint.pk}/change/"
    )

    assert endpoints.status_code == 200
    assert escape(lyon_store.name) in endpoints.content.decode()
    assert deliveries.status_code == 200
    assert "evt_adm" in deliveries.content.decode()
    assert "order.created" in change_page.content.decode()


def test_hq_sends_a_test_event_from_the_admin(client, hq_admin, lyon_endpoint):
    client.force_login(hq_admin)

    client.post(
        "/admin/network_marketplace/webhookendpoint/",
        {"action": "ping", "_selected_action": [lyon_endpoint.pk]},
    )

    assert WebhookDelivery.objects.get().event_type == "webhook.ping"


def test_an_endpoint_made_before_a_stricter_url_rule_can_still_be_paused(
    client, lyon_owner, lyon_store, settings
):
    endpoint = create_endpoint(
        store=lyon_store, url="http://127.0.0.1:9000/hooks", event_types=["*"], actor=lyon_owner
    ).endpoint
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    client.force_login(lyon_owner)

    response = client.post(page_url(lyon_store, f"{endpoint.pk}/toggle/"))

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.active is False


def test_pinging_a_paused_endpoint_says_so(client, lyon_owner, lyon_store, lyon_endpoint):
    lyon_endpoint.active = False
    lyon_endpoint.save()
    client.force_login(lyon_owner)

    response = client.post(page_url(lyon_store, f"{lyon_endpoint.pk}/test/"), follow=True)

    assert "Le point de réception est en pause." in response.content.decode()
    assert not WebhookDelivery.objects.exists()


def test_the_admin_refuses_an_eleventh_endpoint_for_a_store(client, hq_admin, lyon_store):
    for n in range(10):
        create_endpoint(
            store=lyon_store, url=f"https://x.example/{n}", event_types=["*"], actor=None
        )
    client.force_login(hq_admin)

    response = client.post(
        "/admin/network_marketplace/webhookendpoint/add/",
        {"store": lyon_store.pk, "url": "https://x.example/10", "event_types": ["*"]},
    )

    assert response.status_code == 200
    assert "au plus 10 points de réception" in response.content.decode()
    assert WebhookEndpoint.objects.count() == 10
