"""HQ's catalogue admin: a designer's PDF uploaded on the item's page becomes the next artwork
version (a bad file is a form error, nothing made), an artwork field outside its page is an
error on the inline naming the field, and proofs are shown read-only with their pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketing_hub.artwork.samples import sample_pdf
from marketing_hub.models import Artwork, MarketingItem
from marketing_hub.services.proofs import make_proof

from .catalogue_helpers import add_sample_artwork, make_item, offer, with_hours


def item_form(item: MarketingItem, **extra) -> dict:
    data = {
        "kind": item.kind, "print_format": item.print_format, "reference": item.reference,
        "name": item.name, "description": "", "is_active": "on", "vat_rate_bp": "20",
        "lead_time_days": "6", "options": "{}", "for_franchises": "on", "for_branches": "on",
        "tiers-TOTAL_FORMS": "0", "tiers-INITIAL_FORMS": "0",
        "pictures-TOTAL_FORMS": "0", "pictures-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(extra)
    return data


@pytest.fixture
def hq(client, hq_admin):
    client.force_login(hq_admin)
    return client


def test_hq_uploads_the_designer_pdf_on_the_item_page(hq, db):
    item = make_item()
    url = reverse("admin:marketing_hub_marketingitem_change", args=[item.pk])

    response = hq.post(
        url,
        item_form(
            item,
            artwork_pdf=SimpleUploadedFile("flyer.pdf", sample_pdf("flyer-a5")),
            keep_fields="on",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    artwork = Artwork.objects.get(item=item)
    assert (artwork.version, artwork.is_current, artwork.page_count) == (1, True, 2)


def test_a_file_that_is_not_a_pdf_is_a_form_error(hq, db):
    item = make_item()
    url = reverse("admin:marketing_hub_marketingitem_change", args=[item.pk])

    response = hq.post(
        url, item_form(item, artwork_pdf=SimpleUploadedFile("flyer.pdf", b"GIF89a nope"))
    )

    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas un PDF." in response.content.decode()
    assert not Artwork.objects.exists()


def test_a_field_outside_its_page_is_an_error_on_the_inline(hq, db):
    artwork = add_sample_artwork(make_item(), "flyer-a5")
    artwork.fields.all().delete()
    url = reverse("admin:marketing_hub_artwork_change", args=[artwork.pk])
    data = {
        "fields-TOTAL_FORMS": "1", "fields-INITIAL_FORMS": "0",
        "fields-0-key": "promo", "fields-0-label": "Bandeau promo", "fields-0-kind": "free_text",
        "fields-0-position": "0", "fields-0-page": "1", "fields-0-x_mm": "120",
        "fields-0-y_mm": "10", "fields-0-width_mm": "60", "fields-0-height_mm": "20",
        "fields-0-font": "sans", "fields-0-size_min_pt": "6", "fields-0-size_max_pt": "14",
        "fields-0-colour": "#000000", "fields-0-align": "left", "fields-0-default_text": "",
    }  # fmt: skip

    refused = hq.post(url, data)
    data["fields-0-x_mm"] = "20"
    saved = hq.post(url, data)

    assert refused.status_code == 200
    assert "«\xa0Bandeau promo\xa0»\xa0: le cadre" in refused.content.decode()
    assert saved.status_code == 302
    assert artwork.fields.get().key == "promo"


def test_the_admin_pages_of_the_catalogue_open(hq, lyon_store, db):
    with_hours(lyon_store)
    item = make_item()
    artwork = add_sample_artwork(item, "flyer-a5")
    proof = make_proof(
        store=lyon_store, artwork=artwork, actor="t",
        values={"product": offer(lyon_store).variant.sku},
    )  # fmt: skip

    for name in ("supplier", "campaign", "marketingitem", "artwork", "proof"):
        assert hq.get(reverse(f"admin:marketing_hub_{name}_changelist")).status_code == 200, name
    assert hq.get(reverse("admin:marketing_hub_marketingitem_add")).status_code == 200
    artwork_page = hq.get(reverse("admin:marketing_hub_artwork_change", args=[artwork.pk]))
    assert "154 \u00d7 216 mm" in artwork_page.content.decode()
    proof_page = hq.get(reverse("admin:marketing_hub_proof_change", args=[proof.pk]))
    html = proof_page.content.decode()
    assert reverse("admin:marketing_hub_proof_page", args=[proof.pk, 2]) in html
    assert "Ardoise Lyon Presqu" in html
    png = hq.get(reverse("admin:marketing_hub_proof_page", args=[proof.pk, 1]))
    assert png["Content-Type"] == "image/png"
    template = hq.get(reverse("admin:marketing_hub_artwork_page", args=[artwork.pk, 2]))
    assert template.content.startswith(b"\x89PNG")
