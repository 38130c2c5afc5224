"""What a visitor sees when something goes wrong, with DEBUG off as in production and the demo:
the site's own pages in their language, never Django's technical pages; the API keeps its JSON."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path

from config import urls as project_urls
from config.error_views import bad_request, server_error


def crash(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    *project_urls.urlpatterns,
    path("test-crash/", crash),
    path("test-forbidden/", forbidden),
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture
def production_errors(settings, client):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    ("language", "heading", "home"),
    [
        ("fr", "Page introuvable", "Retour à l\N{RIGHT SINGLE QUOTATION MARK}accueil"),
        ("en", "Page not found", "Back to the home page"),
    ],
    ids=["french", "english"],
)
def test_a_wrong_address_gets_the_site_s_own_404_page(
    production_errors, db, language, heading, home
):
    production_errors.cookies["django_language"] = language

    response = production_errors.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert home in page
    assert 'class="site-header"' in page  # the storefront's layout: search, menu, footer
    assert "URLconf" not in page  # never Django's list of every URL


def test_a_crash_gets_the_site_s_own_500_page_in_the_visitor_s_language(production_errors, db):
    production_errors.cookies["django_language"] = "en"

    response = production_errors.get("/test-crash/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Something went wrong on our side</h1>" in page
    assert "Ardoise" in page
    assert "RuntimeError" not in page


def test_the_500_page_needs_nothing_from_the_request(rf):
    response = server_error(rf.get("/cart/"))

    assert response.status_code == 500
    assert "produite de notre côté</h1>" in response.content.decode()


def test_a_refused_page_gets_the_site_s_own_403_page(production_errors, db):
    response = production_errors.get("/test-forbidden/")

    assert response.status_code == 403
    assert "<h1>Accès refusé</h1>" in response.content.decode()


def test_an_unreadable_request_gets_the_site_s_own_400_page(rf):
    response = bad_request(rf.get("/"), Exception())

    assert response.status_code == 400
    assert "<h1>Requête incomprise</h1>" in response.content.decode()


def test_the_api_keeps_its_json_errors(production_errors, db):
    response = production_errors.get("/api/v1/no-such-endpoint/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
