"""The customer's account in Chromium, at 1280 and 390 px: she fills her profile and address
book (a bad input is shown on its field), chooses her store and finds it first on a product
page, and reaches allauth's own pages (e-mail addresses, sessions) in the same layout."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Address
from tests.browser.test_pages import log_in
from tests.stores.factories import build_network

pytestmark = pytest.mark.browser

# The typographic apostrophe of French labels, matched without writing it (ruff RUF001).
ADDRESS_NAME = re.compile(r"^Nom de l.adresse")
ADD_ADDRESS = re.compile(r"^Ajouter l.adresse$")
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")]


@pytest.fixture
def network(transactional_db):
    return build_network()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def box(locator) -> dict:
    return locator.bounding_box()


def centre_y(locator) -> float:
    found = box(locator)
    return found["y"] + found["height"] / 2


@pytest.mark.parametrize("width", WIDTHS)
def test_customer_fills_her_account_and_her_store_comes_first(
    page, screenshot, customer, network, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, customer.email)
    page.get_by_role("link", name="Mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")

    # Profile: a bad phone number is an error on its field; then it is saved
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Moreau")
    page.get_by_label("Téléphone").fill("06 12")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".field-error")).to_contain_text("numéro de téléphone")
    screenshot(f"account-profile-error-{width}")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos coordonnées sont enregistrées.")).to_be_visible()
    expect(page.locator(".account-nav__who")).to_contain_text("Léa Moreau")
    assert no_sideways_scroll(page)
    screenshot(f"account-profile-{width}")

    # Address book: an unknown postal code is refused, two addresses are kept
    page.get_by_role("link", name="Adresses", exact=True).click()
    page.get_by_label(ADDRESS_NAME).fill("Maison")
    page.get_by_label("Adresse", exact=True).fill("3 rue de la Charité")
    page.get_by_label("Code postal").fill("99999")
    page.get_by_label("Ville").fill("Lyon")
    page.get_by_role("button", name=ADD_ADDRESS).click()
    expect(page.locator(".field-error")).to_contain_text("Nous ne connaissons pas ce code postal")
    assert Address.objects.count() == 0
    page.get_by_label("Code postal").fill("69002")
    page.get_by_role("button", name=ADD_ADDRESS).click()
    page.get_by_label(ADDRESS_NAME).fill("Bureau")
    page.get_by_label("Adresse", exact=True).fill("8 rue de la Roquette")
    page.get_by_label("Code postal").fill("75011")
    page.get_by_label("Ville").fill("Paris")
    page.get_by_role("button", name=ADD_ADDRESS).click()
    book = page.get_by_test_id("address-book")
    expect(book.locator("li")).to_have_count(2)
    expect(book.locator("li").first).to_contain_text("Par défaut")
    expect(book.locator("li").first).to_contain_text("Maison")
    # The checkbox sits on its label's line
    check = page.get_by_label("Utiliser cette adresse par défaut pour commander")
    label = page.locator("label.check", has=check)
    assert (
        abs(
            box(check)["y"]
            + box(check)["height"] / 2
            - (box(label)["y"] + box(label)["height"] / 2)
        )
        < 8
    )
    assert no_sideways_scroll(page)
    screenshot(f"account-addresses-{width}")

    # Her store: Paris Bastille, first on the product page although she is in no place
    page.get_by_role("link", name="Mon magasin").first.click()
    page.get_by_label("Votre magasin").select_option(label="Paris · Ardoise Paris Bastille")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_test_id("favourite-store")).to_contain_text("Ardoise Paris Bastille")
    screenshot(f"account-store-{width}")
    page.goto("/p/secateur-pro-20/")
    first = page.get_by_test_id("nearby-stores").locator("li").first
    expect(first).to_contain_text("Ardoise Paris Bastille")
    expect(first.get_by_test_id("your-store")).to_have_text("Votre magasin")
    expect(page.get_by_test_id("nearby-stores")).to_be_visible()
    screenshot(f"account-store-first-on-product-{width}")

    # The data page offers the export and the closure (tests/browser/test_gdpr_pages.py)
    page.goto("/accounts/data/")
    expect(page.get_by_test_id("data-export")).to_contain_text("Télécharger mes données")
    expect(page.get_by_test_id("account-closure")).to_contain_text("Fermer mon compte")
    assert no_sideways_scroll(page)
    screenshot(f"account-data-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_allauth_pages_sit_in_the_account_layout_without_collisions(
    page, screenshot, customer, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    remember = page.get_by_label("Se souvenir de moi")
    remember_label = page.locator("label[for=id_remember]")
    assert box(remember)["x"] < box(remember_label)["x"]
    assert abs(centre_y(remember) - centre_y(remember_label)) < 8
    screenshot(f"account-login-{width}")
    log_in(page, customer.email)

    page.goto("/accounts/email/")
    expect(page.locator(".account-nav")).to_be_visible()
    radio = page.locator("input[type=radio][name=email]").first
    label = page.locator("label.check", has=radio)
    expect(label).to_contain_text(customer.email)
    radio_box, label_box = box(radio), box(label)
    # The radio button is on its label's line, left of the address
    assert (
        label_box["y"]
        <= radio_box["y"] + radio_box["height"] / 2
        <= label_box["y"] + label_box["height"]
    )
    # The buttons end above the next heading
    buttons = page.locator(".form-actions").first
    heading = page.get_by_role("heading", level=2).first
    assert box(buttons)["y"] + box(buttons)["height"] < box(heading)["y"]
    assert no_sideways_scroll(page)
    screenshot(f"account-email-{width}")

    page.get_by_role("link", name="Appareils connectés").click()
    expect(page.get_by_test_id("sessions")).to_contain_text("Cet appareil")
    assert no_sideways_scroll(page)
    screenshot(f"account-sessions-{width}")

    page.get_by_role("link", name="Mot de passe", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/password/change/$"))
    expect(page.locator(".account-nav a[aria-current=page]")).to_have_text("Mot de passe")
    screenshot(f"account-password-{width}")
