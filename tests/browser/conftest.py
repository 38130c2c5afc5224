"""A real Chromium (Debian's package) driven by Playwright; screenshots land in artifacts/."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

# The password field's label, not the confirmation's ("Mot de passe (confirmation) :").
PASSWORD_LABEL = re.compile(r"^Mot de passe\s*:?$")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    return path


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in the test thread; the ORM calls of the test
    # itself are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


# Chromium reports every blocked script, style, image, form target or frame on the console.
CSP_VIOLATION = re.compile(r"Content[ -]Security[ -]Policy", re.IGNORECASE)
# And the page's own `securitypolicyviolation` events, for what the console words otherwise.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("Content Security Policy violation: " + event.violatedDirective + " blocked "
    + (event.blockedURI || "inline code") + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


@pytest.fixture(autouse=True)
def no_content_security_policy_violation(request):
    """Every browser test fails on any violation of the Content-Security-Policy seen by any of
    its pages: a blocked script or style is a page that half works."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []

    def watch(watched) -> None:
        watched.on(
            "console",
            lambda message: (
                violations.append(f"{watched.url}: {message.text}")
                if CSP_VIOLATION.search(message.text)
                else None
            ),
        )

    page.context.add_init_script(REPORT_VIOLATIONS)
    page.context.on("page", watch)
    watch(page)
    yield violations
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in_to_admin(page, user, next_path: str = "/admin/") -> None:
    """HQ signs in to the admin through the site's sign-in page (the one that asks for a second
    factor when the account has one: stores/second_factor.py), then lands on `next_path`."""
    page.goto(f"/admin/login/?next={next_path}")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.locator("form").get_by_role("button", name="Connexion").click()
