import pytest
from django.core.management import call_command
from django.utils.html import escape

from stores.models import Store

STOREFRONT_PAGES = ["/", "/stores/", "/search/?q=Lyon", "/legal/notice/", "/accounts/login/"]


@pytest.mark.parametrize("url", STOREFRONT_PAGES)
def test_storefront_pages_share_the_layout(client, lyon_store, url):
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in html
    assert 'href="/accounts/login/"' in html
    for legal in ("notice", "terms", "privacy", "cookies", "report"):
        assert f'href="/legal/{legal}/"' in html


def test_storefront_speaks_french_by_default_even_to_english_browsers(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "fr"
    assert "Se connecter" in response.content.decode()


def test_visitor_can_switch_the_storefront_to_english(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.get("/")

    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def test_search_finds_stores_by_city_and_postal_code(client, lyon_store, paris_store):
    by_city = client.get("/search/", {"q": "paris"}).content.decode()
    by_postal_code = client.get("/search/", {"q": "690"}).content.decode()

    assert escape(paris_store.name) in by_city
    assert escape(lyon_store.name) not in by_city
    assert escape(lyon_store.name) in by_postal_code


def test_store_page_shows_address_and_seller(client, lyon_store):
    html = client.get(f"/stores/{lyon_store.slug}/").content.decode()

    assert escape(lyon_store.address_line) in html
    assert escape(lyon_store.company_name) in html


def test_closed_store_has_no_storefront_page(client, lyon_store):
    Store.objects.filter(pk=lyon_store.pk).update(status=Store.Status.CLOSED)

    assert client.get(f"/stores/{lyon_store.slug}/").status_code == 404


def test_unknown_legal_page_is_404(client, db):
    assert client.get("/legal/nothing-here/").status_code == 404


def test_home_page_query_count_does_not_grow_with_the_network(
    client, db, django_assert_max_num_queries
):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    # 4 for the network, the rest for the shelves of products (stores.selectors.home): each one
    # query and its images, one for all their reductions, the departments, the most sold.
    with django_assert_max_num_queries(14):
        response = client.get("/")
    assert response.status_code == 200


def test_admin_sends_to_the_sign_in_page_that_asks_for_a_second_factor(client, db):
    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    assert 'name="login"' in response.content.decode()


def test_api_root_lists_the_endpoints(client, db):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert "stores" in response.json()


def test_api_schema_is_valid_openapi_3(client, db):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()

    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert "/api/v1/stores/" in schema["paths"]
    assert "ApiKeyAuth" in schema["components"]["securitySchemes"]


def test_api_docs_page_is_self_hosted(client, db):
    html = client.get("/api/docs/").content.decode()

    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html
