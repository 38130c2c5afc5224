import pytest
from django.utils.html import escape

from stores.models import ApiKey


def test_owner_lands_on_their_store_dashboard(client, lyon_owner, lyon_store):
    client.force_login(lyon_owner)

    response = client.get("/store/", follow=True)

    assert response.redirect_chain[-1][0] == f"/store/{lyon_store.slug}/"
    assert escape(lyon_store.name) in response.content.decode()


def test_another_stores_back_office_is_not_found(client, lyon_owner, paris_store):
    client.force_login(lyon_owner)

    assert client.get(f"/store/{paris_store.slug}/").status_code == 404
    assert client.get(f"/store/{paris_store.slug}/api-keys/").status_code == 404
    assert client.post(f"/store/{paris_store.slug}/api-keys/", {"name": "x"}).status_code == 404
    assert not ApiKey.objects.exists()


def test_hq_sees_every_store_in_the_back_office(client, hq_admin, lyon_store, paris_store):
    client.force_login(hq_admin)

    chooser = client.get("/store/")

    assert chooser.status_code == 200
    assert escape(lyon_store.name) in chooser.content.decode()
    assert escape(paris_store.name) in chooser.content.decode()
    assert client.get(f"/store/{paris_store.slug}/").status_code == 200


def test_back_office_asks_anonymous_visitors_to_log_in(client, lyon_store):
    response = client.get(f"/store/{lyon_store.slug}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_user_without_store_is_told_so(client, customer):
    client.force_login(customer)

    response = client.get("/store/")

    assert response.status_code == 200
    assert "rattaché à aucun magasin" in response.content.decode()


def test_owner_creates_a_key_and_sees_its_secret_once(client, lyon_owner, lyon_store):
    client.force_login(lyon_owner)

    created = client.post(f"/store/{lyon_store.slug}/api-keys/", {"name": "ERP stock sync"})
    api_key = ApiKey.objects.get()
    secret = created.context["issued"].secret
    later = client.get(f"/store/{lyon_store.slug}/api-keys/")

    assert created.status_code == 200
    assert secret in created.content.decode()
    assert api_key.store == lyon_store
    assert secret not in later.content.decode()
    assert api_key.prefix in later.content.decode()


def test_empty_key_name_is_a_form_error_and_creates_nothing(client, lyon_owner, lyon_store):
    client.force_login(lyon_owner)

    response = client.post(f"/store/{lyon_store.slug}/api-keys/", {"name": ""})

    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not ApiKey.objects.exists()


def test_staff_member_cannot_create_or_revoke_keys(client, lyon_staff, lyon_owner, lyon_store):
    from stores.services import issue_api_key

    issued = issue_api_key(store=lyon_store, name="Till", actor=lyon_owner)
    client.force_login(lyon_staff)

    listing = client.get(f"/store/{lyon_store.slug}/api-keys/")
    create = client.post(f"/store/{lyon_store.slug}/api-keys/", {"name": "mine"})
    revoke = client.post(f"/store/{lyon_store.slug}/api-keys/{issued.api_key.pk}/revoke/")

    assert listing.status_code == 200
    assert create.status_code == 404
    assert revoke.status_code == 404
    assert ApiKey.objects.active().count() == 1


def test_owner_revokes_a_key_from_the_back_office(client, lyon_owner, lyon_store):
    from stores.services import issue_api_key

    issued = issue_api_key(store=lyon_store, name="Till", actor=lyon_owner)
    client.force_login(lyon_owner)

    response = client.post(f"/store/{lyon_store.slug}/api-keys/{issued.api_key.pk}/revoke/")

    assert response.status_code == 302
    issued.api_key.refresh_from_db()
    assert issued.api_key.revoked_at is not None


@pytest.mark.parametrize("page", ["", "api-keys/"], ids=["dashboard", "api-keys"])
def test_back_office_pages_have_bounded_queries(
    client, lyon_owner, lyon_store, django_assert_max_num_queries, page
):
    from stores.services import issue_api_key

    for n in range(5):
        issue_api_key(store=lyon_store, name=f"key {n}", actor=lyon_owner)
    client.force_login(lyon_owner)

    # 13: the owner's pages also read the store's payment account (the past-due notice);
    # 14: and the terms awaiting the store's decision (the P2B banner).
    with django_assert_max_num_queries(14):
        response = client.get(f"/store/{lyon_store.slug}/{page}")
    assert response.status_code == 200
