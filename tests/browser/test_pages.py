import pytest
from playwright.sync_api import expect

from stores.models import ApiKey
from tests.browser.conftest import PASSWORD_LABEL
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.locator("form").get_by_role("button", name="Connexion").click()
    expect(page.get_by_test_id("signed-in-as")).to_have_text(email)


def test_storefront_home_and_store_pages(page, screenshot, lyon_store, paris_store):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ardoise")
    expect(page.get_by_role("link", name=lyon_store.name)).to_be_visible()
    screenshot("home")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("home-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("searchbox", name="Rechercher").fill("Paris")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name=paris_store.name)).to_be_visible()
    expect(page.get_by_role("link", name=lyon_store.name)).to_have_count(0)
    screenshot("search")

    page.get_by_role("link", name=paris_store.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(paris_store.name)
    screenshot("store-page")


def test_store_owner_issues_and_revokes_an_api_key(page, screenshot, lyon_owner, lyon_store):
    log_in(page, lyon_owner.email)
    page.get_by_role("link", name="Back-office magasin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lyon_store.name)
    screenshot("backoffice-dashboard")

    page.get_by_role("link", name="Clés d'API").first.click()
    page.get_by_label("Nom de la clé").fill("Caisse du magasin")
    page.get_by_role("button", name="Créer la clé").click()
    secret = page.get_by_test_id("new-api-key").inner_text()
    assert secret.startswith("nmk_")
    screenshot("backoffice-api-key-created")

    page.get_by_role("button", name="Révoquer").click()
    expect(page.get_by_text("Révoquée", exact=True)).to_be_visible()
    assert ApiKey.objects.get().revoked_at is not None
    screenshot("backoffice-api-key-revoked")


def test_hq_admin_and_api_docs(page, screenshot, hq_admin, lyon_store):
    log_in(page, hq_admin.email)
    page.goto("/admin/stores/store/")
    expect(page.get_by_role("link", name=lyon_store.name)).to_be_visible()
    screenshot("admin-stores")

    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .title")).to_contain_text("Network Marketplace API")
    screenshot("api-docs")
