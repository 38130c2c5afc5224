"""The site's own error pages in a real browser, with DEBUG off as in production and the demo:
a wrong address in French, then in English once the visitor switches; a crash."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def production_errors(settings):
    settings.DEBUG = False
    # The project's URLs plus a view that crashes (tests/network_marketplace/test_error_pages.py)
    settings.ROOT_URLCONF = "tests.network_marketplace.test_error_pages"


def test_a_wrong_address_shows_the_site_s_404_page_in_french_then_english(
    page, screenshot, production_errors, db
):
    response = page.goto("/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(page.get_by_role("search")).to_be_visible()  # the storefront's header, to go on
    screenshot("error-404-fr")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("error-404-fr-phone")

    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.get_by_role("link", name="Back to the home page").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))


def test_a_crash_shows_the_site_s_500_page(page, screenshot, production_errors, db):
    response = page.goto("/test-crash/")

    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("de notre côté$"))
    screenshot("error-500-fr")
