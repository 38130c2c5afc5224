"""The back-office's catalogue pages: the list with its filters, the item page's proof editor
(errors under their field, nothing written), the proof files served to the store's own people
only (another store's proof is a 404), and the store's logo and photo."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from marketing_hub.models import MarketingItem, Proof
from marketing_hub.services.proofs import make_proof

from .catalogue_helpers import add_sample_artwork, make_campaign, make_item, offer, with_hours


@pytest.fixture
def flyer_item(lyon_store, paris_store):
    with_hours(lyon_store)
    with_hours(paris_store)
    item = make_item(name="Flyer A5 Printemps", campaign=make_campaign())
    add_sample_artwork(item, "flyer-a5")
    return item


def item_url(store, item):
    return reverse("backoffice:marketing-item", args=[store.slug, item.pk])


def test_the_catalogue_lists_the_items_with_price_and_lead_time(client, lyon_owner, flyer_item):
    make_item(name="Tote bag", kind=MarketingItem.Kind.GOODIES, tiers=((50, 12500),))
    client.force_login(lyon_owner)

    page = client.get(reverse("backoffice:marketing-catalogue", args=["lyon-presquile"]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Flyer A5 Printemps" in html
    assert "Tote bag" in html
    assert "À partir de 39,00\xa0€ HT" in html
    assert "Délai\xa0: 6 jours" in html
    assert "Printemps au jardin 2027" in html

    goodies = client.get(
        reverse("backoffice:marketing-catalogue", args=["lyon-presquile"]), {"kind": "goodies"}
    )
    assert "Tote bag" in goodies.content.decode()
    assert "Flyer A5 Printemps" not in goodies.content.decode()


def test_preview_makes_the_proof_and_shows_its_pages(client, lyon_owner, lyon_store, flyer_item):
    level = offer(lyon_store, name="Arrosoir 10 L")
    client.force_login(lyon_owner)

    response = client.post(
        item_url(lyon_store, flyer_item),
        {"product": level.variant.sku, "message": "Ateliers tous les samedis", "preview": "1"},
    )

    proof = Proof.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?proof={proof.pk}#proof")
    page = client.get(response["Location"]).content.decode()
    assert reverse("backoffice:marketing-proof-page", args=[lyon_store.slug, proof.pk, 2]) in page
    assert f'name="proof" value="{proof.pk}"' in page
    assert "Ateliers tous les samedis" in page  # the editor keeps the values


def test_a_refused_field_shows_its_error_under_it_and_writes_nothing(
    client, lyon_owner, lyon_store, flyer_item
):
    level = offer(lyon_store)
    client.force_login(lyon_owner)

    response = client.post(
        item_url(lyon_store, flyer_item),
        {"product": level.variant.sku, "product__reduced": "on", "message": "Hello"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="field-error-product"' in html
    assert "n&#x27;est pas un prix réduit" in html
    assert not Proof.objects.exists()


def test_the_editor_fetch_gets_the_page_without_a_redirect(
    client, lyon_owner, lyon_store, flyer_item
):
    level = offer(lyon_store)
    client.force_login(lyon_owner)

    response = client.post(
        item_url(lyon_store, flyer_item),
        {"product": level.variant.sku, "message": "Bonjour"},
        headers={"X-Requested-With": "fetch"},
    )

    assert response.status_code == 200
    assert 'id="proof-editor"' in response.content.decode()


def test_an_item_the_store_may_not_order_is_a_404(client, lyon_owner, flyer_item):
    hidden = make_item(name="Réservé aux succursales", for_franchises=False)
    client.force_login(lyon_owner)

    url = reverse("backoffice:marketing-item", args=["lyon-presquile", hidden.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("view", ["page", "pdf"])
def test_another_store_proof_is_a_404(client, lyon_store, paris_owner, flyer_item, view):
    proof = make_proof(
        store=lyon_store, artwork=flyer_item.artworks.get(), actor="t",
        values={"product": offer(lyon_store).variant.sku},
    )  # fmt: skip
    client.force_login(paris_owner)

    for slug in ("paris-bastille", "lyon-presquile"):
        if view == "page":
            url = reverse("backoffice:marketing-proof-page", args=[slug, proof.pk, 1])
        else:
            url = reverse("backoffice:marketing-proof-pdf", args=[slug, proof.pk])
        assert client.get(url).status_code == 404


def test_the_store_downloads_its_proof_pdf_and_pages(client, lyon_owner, lyon_store, flyer_item):
    proof = make_proof(
        store=lyon_store, artwork=flyer_item.artworks.get(), actor="t",
        values={"product": offer(lyon_store).variant.sku},
    )  # fmt: skip
    client.force_login(lyon_owner)

    pdf = client.get(reverse("backoffice:marketing-proof-pdf", args=[lyon_store.slug, proof.pk]))
    png = client.get(
        reverse("backoffice:marketing-proof-page", args=[lyon_store.slug, proof.pk, 1])
    )

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert png["Content-Type"] == "image/png"
    assert client.get(f"/media/{proof.pdf.name}").status_code == 404  # never public media


def test_the_owner_uploads_the_store_logo_and_a_non_image_is_refused(
    client, lyon_owner, lyon_store
):
    client.force_login(lyon_owner)
    url = reverse("backoffice:marketing-store-images", args=[lyon_store.slug])
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), (200, 80, 40)).save(buffer, format="PNG")

    refused = client.post(url, {"logo": SimpleUploadedFile("logo.png", b"not an image")})
    saved = client.post(url, {"logo": SimpleUploadedFile("logo.png", buffer.getvalue())})

    assert refused.status_code == 400
    assert "n&#x27;est pas une image" in refused.content.decode()
    assert saved.status_code == 302
    lyon_store.refresh_from_db()
    assert lyon_store.logo


def test_staff_members_may_not_change_the_store_images(client, lyon_staff, lyon_store):
    client.force_login(lyon_staff)
    url = reverse("backoffice:marketing-store-images", args=[lyon_store.slug])

    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 404


def test_the_product_chooser_finds_an_offer_by_name(client, lyon_owner, lyon_store, flyer_item):
    offer(lyon_store, name="Arrosoir galvanisé 10 L")
    offer(lyon_store, name="Bêche forgée")
    client.force_login(lyon_owner)

    page = client.get(item_url(lyon_store, flyer_item), {"q": "arrosoir"}).content.decode()

    assert "Arrosoir galvanisé 10 L" in page
    assert "Bêche forgée" not in page


def test_the_item_page_shows_its_vat_rate_in_per_cent(client, lyon_owner, lyon_store, flyer_item):
    """Kept in basis points: 550 is "5,5 %", not rounded to "6 %"."""
    flyer_item.vat_rate_bp = 550
    flyer_item.save()
    client.force_login(lyon_owner)

    page = client.get(item_url(lyon_store, flyer_item)).content.decode()

    assert '<td class="num">5,5\xa0%</td>' in page
