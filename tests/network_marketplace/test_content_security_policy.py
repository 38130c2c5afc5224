"""The Content-Security-Policy header (issue 17): enforced, strict on scripts, one nonce per
response, on pages, the admin and the API alike."""

import re

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_pages_are_served_with_an_enforced_strict_policy(client):
    response = client.get("/")

    assert "Content-Security-Policy-Report-Only" not in response
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"][0] == "'self'"
    assert set(policy["img-src"]) >= {"'self'", "data:", "https://tile.openstreetmap.org"}
    assert "'unsafe-inline'" not in policy["style-src-elem"]


def test_inline_code_carries_the_nonce_of_its_response(client, hq_admin):
    client.force_login(hq_admin)

    first, second = client.get("/api/docs/"), client.get("/api/docs/")

    nonce = re.search(r"'nonce-([^']+)'", first["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in first.content.decode()
    assert nonce not in second["Content-Security-Policy"]


def test_the_admin_alone_lets_its_theme_evaluate_and_style(client, hq_admin):
    # django-unfold's Alpine.js evaluates its attributes; its own <style> elements have no nonce
    client.force_login(hq_admin)

    admin_policy = directives(client.get("/admin/"))
    site_policy = directives(client.get("/"))

    assert admin_policy["script-src"][:1] == ["'self'"]
    assert "'unsafe-eval'" in admin_policy["script-src"]
    assert "'unsafe-inline'" not in admin_policy["script-src"]
    assert admin_policy["style-src-elem"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in site_policy["script-src"]
    assert "'unsafe-inline'" not in site_policy["style-src-elem"]


def test_the_api_is_covered_too(client):
    response = client.get("/api/v1/")

    assert directives(response)["frame-ancestors"] == ["'none'"]
