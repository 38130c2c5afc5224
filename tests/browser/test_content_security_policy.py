"""The Content-Security-Policy in a real browser (issue 17): every browser test already fails on
a violation (conftest's autouse fixture); these check the pages nothing else opens, and that the
policy really refuses what an injection would add."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_work_under_the_policy(page, screenshot):
    page.goto("/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Network Marketplace API")
    expect(page.locator(".opblock").first).to_be_visible()
    screenshot("csp_api_docs")


def test_an_injected_inline_script_is_refused(page, no_content_security_policy_violation):
    """A script smuggled into a page (what a stored XSS would do) does not run, and the
    fixture that every browser test uses sees the violation."""

    def inject(route):
        response = route.fetch()
        body = response.text().replace(
            "</body>", "<script>document.body.dataset.injected = 'yes';</script></body>"
        )
        route.fulfill(response=response, body=body)

    page.route(re.compile(r".*/$"), inject)

    page.goto("/")

    expect(page.locator("body")).not_to_have_attribute("data-injected", "yes")
    assert any("script-src" in v for v in no_content_security_policy_violation)
    no_content_security_policy_violation.clear()  # seen, and expected here
