"""The Content-Security-Policy in a real browser (issue 17): every browser test already fails on
a violation (conftest's autouse fixture); these check the pages nothing else opens, and that the
policy really refuses what an injection would add."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from compliance.models import TermsDecision
from compliance.services.terms import publish_terms
from tests.browser.test_pages import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_work_under_the_policy(page, screenshot):
    page.goto("/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Network Marketplace API")
    expect(page.locator(".opblock").first).to_be_visible()
    screenshot("csp_api_docs")


def test_the_browsable_api_works_under_the_policy(page, screenshot, lyon_store, lyon_owner):
    log_in(page, lyon_owner.email)

    page.goto("/api/v1/stores/")

    expect(page.locator(".response-info")).to_contain_text(lyon_store.slug)
    page.locator(".format-selection .dropdown-toggle").click()  # jQuery and Bootstrap run
    expect(page.locator(".format-selection .dropdown-menu")).to_be_visible()
    screenshot("csp_browsable_api")


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


def test_terminating_the_contract_still_asks_first(
    page, screenshot, lyon_store, lyon_owner, hq_admin
):
    """The question that was an inline `onclick` is asked by static/js/site.js: answered no,
    nothing is sent; answered yes, the decision is recorded."""
    publish_terms(
        title="Conditions magasins 2027", body="Article 1 - Objet", actor=hq_admin,
        effective_on=timezone.localdate() + timedelta(days=15),
    )  # fmt: skip
    log_in(page, lyon_owner.email)
    page.goto(reverse("backoffice:p2b-terms", args=[lyon_store.slug]))
    questions = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_test_id("terminate-terms").click()

    expect(page.get_by_test_id("terms-decision")).to_be_visible()
    assert questions == ["Résilier le contrat avec la tête de réseau\u00a0?"]
    assert not TermsDecision.objects.exists()
    screenshot("csp-terms-confirm-dismissed")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("terminate-terms").click()

    expect(page.get_by_test_id("terms-decision")).to_have_count(0)
    assert TermsDecision.objects.get().decision == TermsDecision.Decision.TERMINATED


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/stores/",
        "/legal/notices/new/",
        "/legal/transparency/",
    ],
)
def test_pages_a_visitor_opens_work_under_the_policy(page, path, lyon_store):
    response = page.goto(path)

    assert response.ok, path
    expect(page.locator("main")).to_be_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/store/{store}/stock/import/",
        "/store/{store}/stock/movements/",
        "/store/{store}/api-keys/",
        "/store/{store}/webhooks/",
        "/store/{store}/money/",
    ],
)
def test_pages_a_store_owner_opens_work_under_the_policy(page, path, lyon_store, lyon_owner):
    log_in(page, lyon_owner.email)

    response = page.goto(path.format(store=lyon_store.slug))

    assert response.ok, path
    expect(page.locator("main")).to_be_visible()
