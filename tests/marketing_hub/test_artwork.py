"""HQ's artwork upload and fields: a designer's PDF becomes a new current version with its page
boxes read; a file that is not a PDF, is encrypted or too large, a field box outside its page,
and a store image that is not an image or too large are refused clearly, changing nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from marketing_hub.artwork.pdf import ArtworkRefused, mm_to_pt
from marketing_hub.artwork.samples import SAMPLES, sample_pdf
from marketing_hub.models import Artwork, ArtworkField
from marketing_hub.services.artwork import (
    FieldRefused,
    check_field,
    page_boxes,
    save_artwork_field,
    upload_artwork,
)
from marketing_hub.services.proofs import ProofRefused, preview_proof
from stores.services.images import ImageRefused, set_store_images

from .catalogue_helpers import add_sample_artwork, make_item, offer, with_hours


def encrypted(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png(size=(40, 20), colour=(30, 120, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_upload_reads_the_page_boxes_in_millimetres(db):
    item = make_item()

    artwork = upload_artwork(item=item, data=sample_pdf("poster-a3"), filename="a.pdf", actor="hq")

    assert (artwork.version, artwork.is_current, artwork.page_count) == (1, True, 1)
    assert artwork.pages[0]["media"] == [303.0, 426.0]  # A3 + 3 mm of bleed each side
    assert artwork.pages[0]["trim"] == [3.0, 3.0, 300.0, 423.0]
    assert artwork.pages[0]["bleed"] == [0.0, 0.0, 303.0, 426.0]
    assert artwork.pdf.name.startswith("artwork/")
    assert len(artwork.pdf_sha256) == 64


def test_a_new_upload_is_a_new_current_version_that_keeps_the_fields(db):
    item = make_item()
    first = add_sample_artwork(item, "flyer-a5")

    second = upload_artwork(item=item, data=sample_pdf("flyer-a5"), filename="v2.pdf", actor="hq")

    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.version) == (False, True, 2)
    assert sorted(second.fields.values_list("key", flat=True)) == sorted(
        spec.key for spec in SAMPLES["flyer-a5"].fields
    )
    assert first.fields.count() == len(SAMPLES["flyer-a5"].fields)  # the old version is kept


def test_a_new_version_whose_pages_no_longer_hold_a_field_is_refused(db):
    item = make_item()
    add_sample_artwork(item, "poster-a3")

    with pytest.raises(FieldRefused) as refused:
        upload_artwork(item=item, data=sample_pdf("flyer-a5"), filename="a5.pdf", actor="hq")

    assert "Produit" in " ".join(refused.value.errors["product"])
    assert Artwork.objects.get(item=item, is_current=True).version == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not a pdf at all", "n'est pas un PDF"),
        (b"%PDF-1.7\n garbage that is no PDF structure", "illisible"),
        (encrypted(sample_pdf("flyer-a5")), "chiffré"),
    ],
    ids=["not-a-pdf", "damaged", "encrypted"],
)
def test_a_file_that_is_not_a_usable_pdf_is_refused(db, data, message):
    item = make_item()

    with pytest.raises(ArtworkRefused) as refused:
        upload_artwork(item=item, data=data, filename="x.pdf", actor="hq")

    assert message in refused.value.message
    assert not Artwork.objects.exists()


def test_a_pdf_over_the_size_limit_is_refused(db, settings):
    settings.MARKETING_ARTWORK_MAX_BYTES = 10_000

    with pytest.raises(ArtworkRefused) as refused:
        upload_artwork(item=make_item(), data=sample_pdf("flyer-a5"), filename="x", actor="hq")

    assert "trop lourd" in refused.value.message


def test_a_field_box_outside_its_page_is_refused_naming_the_field(db):
    artwork = add_sample_artwork(make_item(), "flyer-a5")
    field = ArtworkField(
        artwork=artwork, key="promo", label="Bandeau promo", kind="free_text", page=1,
        x_mm=Decimal(120), y_mm=Decimal(10), width_mm=Decimal(60), height_mm=Decimal(20),
    )  # fmt: skip

    with pytest.raises(FieldRefused) as refused:
        save_artwork_field(field=field, actor="hq")

    assert refused.value.errors["x_mm"] == [
        "«\xa0Bandeau promo\xa0»\xa0: le cadre (120, 10, 60 \u00d7 20 mm) sort de la page 1 "
        "(154 \u00d7 216 mm)."
    ]
    assert not artwork.fields.filter(key="promo").exists()


@pytest.mark.parametrize(
    ("changes", "attribute", "message"),
    [
        ({"page": 3}, "page", "pas de page 3"),
        ({"font": "comic-sans"}, "font", "n'est pas une police de la marque"),
        ({"size_min_pt": Decimal(20), "size_max_pt": Decimal(10)}, "size_min_pt", "minimum"),
        ({"colour": "vert"}, "colour", "n'est pas une couleur"),
        ({"kind": "store_url_qr", "width_mm": Decimal(8)}, "width_mm", "QR code"),
        ({"default_text": "Fête 春"}, "default_text", "春"),
    ],
    ids=["page", "font", "sizes", "colour", "qr-too-small", "glyph"],
)
def test_a_field_that_cannot_be_printed_is_refused(db, changes, attribute, message):
    artwork = add_sample_artwork(make_item(), "flyer-a5")
    field = artwork.fields.get(key="message")
    for name, value in changes.items():
        setattr(field, name, value)

    errors = check_field(field, page_boxes(artwork))

    assert message in " ".join(errors[attribute])
    assert "Message libre" in " ".join(errors[attribute])


def test_a_valid_field_is_saved(db):
    artwork = add_sample_artwork(make_item(), "flyer-a5")
    field = artwork.fields.get(key="message")
    field.colour = "cmyk(0, 70, 80, 5)"

    save_artwork_field(field=field, actor="hq")

    assert artwork.fields.get(key="message").colour == "cmyk(0, 70, 80, 5)"


# The store's own images ------------------------------------------------------------------------


def test_a_store_logo_is_kept_and_printed(lyon_store, lyon_owner):
    logo = SimpleUploadedFile("logo.png", png(), content_type="image/png")

    set_store_images(store=lyon_store, logo=logo, actor=lyon_owner)

    lyon_store.refresh_from_db()
    assert lyon_store.logo.name.startswith("stores/logos/lyon-presquile-logo")


def test_a_store_image_that_is_not_an_image_is_refused(lyon_store, lyon_owner):
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")

    with pytest.raises(ImageRefused) as refused:
        set_store_images(store=lyon_store, logo=fake, actor=lyon_owner)

    assert "n'est pas une image" in refused.value.message
    lyon_store.refresh_from_db()
    assert not lyon_store.logo


def test_a_store_image_over_the_size_limit_is_refused(lyon_store, lyon_owner, settings):
    settings.MARKETING_IMAGE_MAX_BYTES = 100
    big = SimpleUploadedFile("photo.png", png((400, 400)), content_type="image/png")

    with pytest.raises(ImageRefused) as refused:
        set_store_images(store=lyon_store, photo=big, actor=lyon_owner)

    assert "trop lourde" in refused.value.message
    lyon_store.refresh_from_db()
    assert not lyon_store.photo


# The project's sample artwork (the demo's items) -------------------------------------------------


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_every_sample_artwork_has_bleed_and_fields_that_fit(lyon_store, key):
    with_hours(lyon_store)
    level = offer(lyon_store)
    artwork = add_sample_artwork(make_item(name=SAMPLES[key].name), key)

    boxes = page_boxes(artwork)
    assert len(boxes) == SAMPLES[key].pages
    assert all(box.has_bleed for box in boxes)
    assert all(check_field(field, boxes) == {} for field in artwork.fields.all())
    values = {"product": level.variant.sku}
    proof = preview_proof(store=lyon_store, artwork=artwork, values=values)
    assert len(proof.previews) == SAMPLES[key].pages


def test_a_logo_field_prints_the_store_logo_inside_its_box(lyon_store, lyon_owner):
    artwork = add_sample_artwork(make_item(), "goodies-tote")
    ArtworkField.objects.create(
        artwork=artwork, key="logo", label="Logo du magasin", kind="store_logo", page=1,
        x_mm=Decimal(20), y_mm=Decimal(20), width_mm=Decimal(40), height_mm=Decimal(40),
    )  # fmt: skip

    with pytest.raises(ProofRefused) as refused:
        preview_proof(store=lyon_store, artwork=artwork, values={})
    assert "pas encore de logo" in refused.value.errors["logo"][0]

    red = SimpleUploadedFile("logo.png", png((200, 200), (220, 20, 20)), content_type="image/png")
    set_store_images(store=lyon_store, logo=red, actor=lyon_owner)
    proof = preview_proof(store=lyon_store, artwork=artwork, values={})

    image = Image.open(io.BytesIO(proof.previews[0])).convert("RGB")
    scale = image.width / mm_to_pt(artwork.pages[0]["media"][0])
    centre = (mm_to_pt(40) * scale, image.height - mm_to_pt(40) * scale)
    outside = (mm_to_pt(70) * scale, image.height - mm_to_pt(70) * scale)
    assert image.getpixel(tuple(map(int, centre))) == (220, 20, 20)
    assert image.getpixel(tuple(map(int, outside))) != (220, 20, 20)
