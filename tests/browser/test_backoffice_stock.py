"""The Lyon owner manages stock and prices in the back-office, in a real browser."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from stores.models import StockLevel
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_pages import log_in
from tests.factories import CategoryFactory, ProductFactory, StockLevelFactory, VariantFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def lyon_shelves(lyon_store):
    """A few garden items in Lyon; stores may price between 90 % and 110 % of the RRP."""
    garden = CategoryFactory(
        name="Jardin", min_price_percent=Decimal("90"), max_price_percent=Decimal("110")
    )
    items = [
        ("Sécateur Ardoise", "ARD-SEC-01", 2990, {}, 8, None),
        ("Arrosoir 10 L", "ARD-ARR-10", 1200, {"couleur": "Vert"}, 0, 1250),
        ("Gants de jardin", "ARD-GAN-M", 1490, {"taille": "M"}, 14, None),
        ("Gants de jardin", "ARD-GAN-L", 1490, {"taille": "L"}, 3, 1390),
        ("Bêche forgée", "ARD-BEC-01", 4590, {}, 2, None),
    ]
    levels = {}
    for name, sku, rrp, options, on_hand, price in items:
        product = ProductFactory(name=name, category=garden)
        variant = VariantFactory(product=product, sku=sku, rrp_cents=rrp, options=options)
        levels[sku] = StockLevelFactory(
            store=lyon_store, variant=variant, on_hand=on_hand, price_cents=price
        )
    return levels


def row(page, sku):
    return page.get_by_test_id(f"stock-row-{sku}")


def test_lyon_owner_prices_inline_and_imports_a_stock_file(
    page, screenshot, lyon_owner, lyon_store, lyon_shelves
):
    # The dashboard leads to the stock page
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/")
    expect(page.get_by_test_id("stock-card")).to_be_visible()
    screenshot("backoffice-dashboard-stock-card")
    page.get_by_test_id("stock-card").get_by_role("link", name="Stock et prix").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stock et prix")
    expect(row(page, "ARD-SEC-01")).to_contain_text("26,91\u00a0€ \u2013 32,89\u00a0€")
    screenshot("backoffice-stock-list")

    # A price within HQ's bounds is saved in place
    row(page, "ARD-SEC-01").get_by_label("Prix magasin de ARD-SEC-01").fill("27,90")
    row(page, "ARD-SEC-01").get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#stock-status")).to_have_text("ARD-SEC-01 enregistré.")
    expect(row(page, "ARD-SEC-01").get_by_label("Prix magasin de ARD-SEC-01")).to_have_value(
        "27,90"
    )
    assert StockLevel.objects.get(pk=lyon_shelves["ARD-SEC-01"].pk).price_cents == 2790
    screenshot("backoffice-stock-price-saved")

    # A price above HQ's highest price is refused, with the bound, next to the row
    row(page, "ARD-BEC-01").get_by_label("Stock de ARD-BEC-01").fill("5")
    row(page, "ARD-BEC-01").get_by_label("Prix magasin de ARD-BEC-01").fill("60")
    row(page, "ARD-BEC-01").get_by_role("button", name="Enregistrer").click()
    expect(row(page, "ARD-BEC-01").get_by_test_id("price-error")).to_contain_text("50,49\xa0€")
    expect(page.locator("#stock-status")).to_have_text("ARD-BEC-01 n'a pas été enregistré.")
    level = StockLevel.objects.get(pk=lyon_shelves["ARD-BEC-01"].pk)
    assert (level.on_hand, level.price_cents) == (2, None)
    screenshot("backoffice-stock-price-refused")

    # A stock file: first with errors (nothing applied), then a good one
    page.get_by_role("navigation", name="Back-office").get_by_role(
        "link", name="Import de stock"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer un fichier de stock")
    page.get_by_label("Fichier de stock (CSV ou XLSX)").set_input_files(
        files=[
            {
                "name": "caisse-erreurs.csv",
                "mimeType": "text/csv",
                "buffer": b"sku;on_hand;price;sequence\n"
                b"ARD-GAN-M;12;;5\nARD-INCONNU;3;;5\nARD-GAN-L;deux;;5\nARD-ARR-10;4;20,00;5\n",
            }
        ]
    )
    page.get_by_role("button", name="Vérifier et appliquer le fichier").click()
    errors = page.get_by_test_id("feed-errors")
    expect(errors).to_contain_text("3 erreurs")
    expect(errors).to_contain_text("rien n'a été appliqué")
    expect(errors.locator("tbody tr")).to_have_count(3)
    assert StockLevel.objects.get(pk=lyon_shelves["ARD-GAN-M"].pk).on_hand == 14
    screenshot("backoffice-stock-import-errors")

    page.get_by_label("Fichier de stock (CSV ou XLSX)").set_input_files(
        files=[
            {
                "name": "caisse.csv",
                "mimeType": "text/csv",
                "buffer": b"sku;on_hand;price;sequence\n"
                b"ARD-GAN-M;12;;5\nARD-GAN-L;2;;5\nARD-ARR-10;4;12,90;5\n",
            }
        ]
    )
    page.get_by_role("button", name="Vérifier et appliquer le fichier").click()
    report = page.get_by_test_id("feed-report")
    expect(report).to_contain_text("« caisse.csv » est appliqué.")
    expect(report).to_contain_text("Lignes appliquées")
    assert StockLevel.objects.get(pk=lyon_shelves["ARD-ARR-10"].pk).price_cents == 1290
    screenshot("backoffice-stock-import-report")

    # The movements the file wrote
    report.get_by_role("link", name="Voir les mouvements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mouvements de stock")
    expect(page.locator("tbody tr")).to_have_count(3)
    screenshot("backoffice-stock-movements")


def test_stock_page_works_without_javascript_and_on_a_phone(
    browser, live_server, lyon_owner, lyon_store, lyon_shelves
):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        log_in(page, lyon_owner.email)
        page.goto(f"/store/{lyon_store.slug}/stock/")

        row(page, "ARD-GAN-M").get_by_label("Prix magasin de ARD-GAN-M").fill("10,00")
        row(page, "ARD-GAN-M").get_by_role("button", name="Enregistrer").click()
        expect(row(page, "ARD-GAN-M").get_by_test_id("price-error")).to_contain_text("13,41\xa0€")

        row(page, "ARD-GAN-M").get_by_label("Prix magasin de ARD-GAN-M").fill("15,50")
        row(page, "ARD-GAN-M").get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("status").first).to_contain_text("ARD-GAN-M enregistré.")
        assert StockLevel.objects.get(pk=lyon_shelves["ARD-GAN-M"].pk).price_cents == 1550
        page.screenshot(path=str(SCREENSHOTS / "backoffice-stock-phone-no-js.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("width", "height"), [(1280, 900), (390, 844)], ids=["desktop-1280", "phone-390"]
)
def test_every_rows_save_button_is_on_screen_without_scrolling_sideways(
    browser, live_server, lyon_owner, lyon_store, lyon_shelves, width, height
):
    # Given a store with a long stock list (more than one page)
    product = ProductFactory(name="Vis à bois tête fraisée Pozi")
    for n in range(60):
        StockLevelFactory(
            store=lyon_store,
            variant=VariantFactory(product=product, sku=f"ARD-VIS-{n:03d}", rrp_cents=690),
        )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        log_in(page, lyon_owner.email)
        page.goto(f"/store/{lyon_store.slug}/stock/?per_page=25")

        # The header is the back-office's own: the store's pages, not the customer's orders
        header = page.get_by_test_id("backoffice-header-menu")
        expect(header.get_by_role("link", name="Commandes du magasin")).to_be_visible()
        expect(header.get_by_role("link", name="Mes commandes")).to_have_count(0)

        # Then the page does not scroll sideways and every Save and History is within its width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        rows = page.get_by_test_id("stock-rows").locator("> li")
        expect(rows).to_have_count(25)
        for sku in ("ARD-ARR-10", "ARD-SEC-01", "ARD-VIS-000"):
            save = row(page, sku).get_by_role("button", name="Enregistrer")
            save.scroll_into_view_if_needed()
            box = save.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= width
            history = row(page, sku).get_by_role("link", name="Historique")
            expect(history).to_be_visible()
            box = history.bounding_box()
            assert box["x"] + box["width"] <= width
        page.screenshot(
            path=str(SCREENSHOTS / f"backoffice-stock-rows-{width}.png"), full_page=False
        )

        # When a price is refused, the error shows next to the product's name, still on screen
        row(page, "ARD-SEC-01").get_by_label("Prix magasin de ARD-SEC-01").fill("99")
        row(page, "ARD-SEC-01").get_by_role("button", name="Enregistrer").click()
        expect(row(page, "ARD-SEC-01").get_by_test_id("price-error")).to_contain_text("32,89")
        name = row(page, "ARD-SEC-01").get_by_text("Sécateur Ardoise")
        expect(name).to_be_in_viewport()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        row(page, "ARD-SEC-01").screenshot(
            path=str(SCREENSHOTS / f"backoffice-stock-row-error-{width}.png")
        )

        # And the pages go on with the filters kept; "secateur" finds the "Sécateur"
        page.get_by_role("link", name="Suivant").click()
        expect(page).to_have_url(re.compile(r"per_page=25.*page=2"))
        expect(rows).to_have_count(25)
        page.get_by_label("Rechercher").fill("secateur")
        page.get_by_role("button", name="Filtrer").click()
        expect(rows).to_have_count(1)
        expect(row(page, "ARD-SEC-01")).to_be_visible()
    finally:
        context.close()
