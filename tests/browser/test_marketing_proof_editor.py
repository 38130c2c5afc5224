"""The Lyon owner personalises a spring flyer in a real browser: the catalogue, the item page's
template, a refused text shown under its field, then the proof with a reduced price and its
Omnibus line, added to the cart with the quantity chosen."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from marketing_hub.artwork.samples import SAMPLES, sample_pdf
from marketing_hub.models import ArtworkField, MarketingItem, Proof
from marketing_hub.services.proofs import make_proof
from network_marketplace.storage import marketing_storage
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_pages import log_in
from tests.marketing_hub.catalogue_helpers import (
    add_sample_artwork,
    make_campaign,
    make_item,
    offer,
    reduce,
    with_hours,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def spring_catalogue(lyon_store):
    with_hours(lyon_store)
    spring = make_campaign()
    flyer = make_item(name="Flyer A5 Printemps au jardin", campaign=spring)
    add_sample_artwork(flyer, "flyer-a5")
    poster = make_item(
        name="Affiche A3 Printemps", campaign=spring, print_format="poster",
        tiers=((10, 2900), (50, 9900)),
    )  # fmt: skip
    add_sample_artwork(poster, "poster-a3")
    tote = make_item(
        name="Tote bag Ardoise", kind=MarketingItem.Kind.GOODIES, print_format="",
        tiers=((50, 12500), (200, 39000)), options={"couleur": ["Naturel", "Vert"]},
    )  # fmt: skip
    add_sample_artwork(tote, "goodies-tote")
    secateur = reduce(
        offer(lyon_store, name="Sécateur de précision Ardoise", price_cents=3490, rrp_cents=3490),
        to_cents=2990,
    )
    offer(lyon_store, name="Arrosoir galvanisé 10 L", price_cents=2490, rrp_cents=2490)
    return flyer, secateur


def images_loaded(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('main img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )


def test_lyon_owner_personalises_a_flyer_and_sees_the_proof(
    page, screenshot, lyon_owner, lyon_store, spring_catalogue
):
    flyer, secateur = spring_catalogue
    log_in(page, lyon_owner.email)

    # The catalogue: cards with price from, lead time and campaign dates
    page.goto(f"/store/{lyon_store.slug}/marketing/catalogue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue marketing")
    expect(page.get_by_test_id("marketing-item-card")).to_have_count(3)
    card = page.get_by_test_id("marketing-item-card").filter(has_text="Flyer A5")
    expect(card).to_contain_text("À partir de 39,00\u00a0€ HT")
    expect(card).to_contain_text("Printemps au jardin 2027")
    images_loaded(page)
    screenshot("marketing-catalogue")
    page.get_by_label("Type").select_option("goodies")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_test_id("marketing-item-card")).to_have_count(1)
    expect(page.get_by_test_id("marketing-item-card")).to_contain_text("Tote bag")
    page.get_by_role("link", name="Réinitialiser").click()

    # The item page shows the designer's template
    page.get_by_test_id("marketing-item-card").filter(has_text="Flyer A5").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(flyer.name)
    expect(page.get_by_role("img", name="Modèle, page 2")).to_be_visible()
    images_loaded(page)
    screenshot("marketing-item-template")

    # A word too wide for its box, even at the smallest size, is refused under its field
    page.get_by_label("Produit", exact=True).select_option(secateur.variant.sku)
    page.get_by_label("Message libre").fill(
        "www.ardoise-jardin.example.fr/lyon-presquile/ateliers-de-printemps/"
        "rempotage-semis-et-boutures/inscription-gratuite"
    )
    page.get_by_test_id("proof-preview").click()
    expect(page.get_by_test_id("field-error-message")).to_contain_text(
        "ne tient pas dans son cadre, même à la plus petite taille (7 pt)"
    )
    assert not Proof.objects.exists()
    screenshot("marketing-proof-refused")

    # A valid message and the reduced price: the proof, with its Omnibus line
    page.get_by_label("Message libre").fill("Atelier rempotage gratuit samedi 14 mars !")
    page.get_by_label("Annoncer un prix réduit").check()
    page.get_by_test_id("proof-preview").click()
    expect(page.get_by_role("heading", name="BAT n° 1")).to_be_visible()
    expect(page.get_by_test_id("proof-page")).to_have_count(2)
    expect(page.locator("#proof")).to_contain_text(
        "prix le plus bas des 30 derniers jours : 34,90\u00a0€"
    )
    proof = Proof.objects.get()
    expect(page).to_have_url(
        f"/store/{lyon_store.slug}/marketing/catalogue/{flyer.pk}/?proof={proof.pk}"
    )
    cart = page.get_by_test_id("cart-add-form")
    expect(cart.locator('input[name="proof"]')).to_have_value(str(proof.pk))
    expect(cart.get_by_label("Quantité")).to_contain_text("1000 · 89,00\u00a0€ HT")
    images_loaded(page)
    screenshot("marketing-proof-preview")
    for number, name in enumerate(proof.previews, start=1):
        with (
            marketing_storage().open(name, "rb") as source,
            open(SCREENSHOTS / f"marketing-proof-page-{number}.png", "wb") as target,
        ):
            shutil.copyfileobj(source, target)
    assert proof.rendered["product"]["reference_cents"] == 3490

    # The same values again: the same proof, no new version (wait for the new page, or the
    # quantity below would be chosen on the old one and lost when the new one arrives)
    with page.expect_navigation():
        page.get_by_test_id("proof-preview").click()
    expect(page.get_by_role("heading", name="BAT n° 1")).to_be_visible()
    assert Proof.objects.count() == 1

    # The proof goes into the cart with the quantity chosen (the cart is part M2's page)
    cart.get_by_label("Quantité").select_option("1000")
    cart.get_by_test_id("cart-add").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Panier marketing")
    expect(page.get_by_test_id("cart-lines")).to_contain_text(flyer.name)
    expect(page.get_by_test_id("cart-lines")).to_contain_text("89,00\u00a0€")

    # The store's logo and photo page
    page.goto(f"/store/{lyon_store.slug}/marketing/store-images/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logo et photo")
    screenshot("marketing-store-images")


def test_hq_uploads_the_artwork_and_reads_a_store_proof_in_the_admin(
    page, screenshot, hq_admin, lyon_store, tmp_path
):
    with_hours(lyon_store)
    item = make_item(name="Affiche A3 Printemps")
    designer = tmp_path / "affiche-a3.pdf"
    designer.write_bytes(sample_pdf("poster-a3"))
    log_in(page, hq_admin.email)

    # A file that is not a PDF is a form error; the designer's PDF becomes version 1
    page.goto(f"/admin/marketing_hub/marketingitem/{item.pk}/change/")
    not_a_pdf = tmp_path / "affiche.pdf"
    not_a_pdf.write_bytes(b"GIF89a")
    page.get_by_label("Nouvelle maquette (PDF prêt à imprimer)").set_input_files(str(not_a_pdf))
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("Ce fichier n'est pas un PDF.")
    page.get_by_label("Nouvelle maquette (PDF prêt à imprimer)").set_input_files(str(designer))
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    artwork = item.artworks.get()
    assert (artwork.version, artwork.page_count) == (1, 1)

    # The version's page: boxes in mm and the template's preview
    for row in SAMPLES["poster-a3"].field_rows():
        ArtworkField.objects.create(artwork=artwork, **row)
    page.goto(f"/admin/marketing_hub/artwork/{artwork.pk}/change/")
    expect(page.locator("body")).to_contain_text("303 \u00d7 426 mm")
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    screenshot("marketing-admin-artwork")

    # A store's proof, read-only, with its pages
    proof = make_proof(
        store=lyon_store, artwork=artwork, actor="test",
        values={"product": offer(lyon_store).variant.sku},
    )  # fmt: skip
    page.goto(f"/admin/marketing_hub/proof/{proof.pk}/change/")
    expect(page.locator("body")).to_contain_text("Ardoise Lyon Presqu'île")
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    screenshot("marketing-admin-proof")
