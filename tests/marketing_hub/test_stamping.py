"""Stamping a store's proof onto the designer's flyer (acceptance 2): each field lands inside its
box (read back from the PDF with character positions), the fonts are embedded, the designer's
pages keep their size, boxes and content, a text too long for its box is refused (never cut),
a reduced price prints its Omnibus reference and a "reduction" that is not one is refused."""

from __future__ import annotations

import io
import re
import string
import sys
import threading

import pypdfium2
import pytest
from pypdf import PdfReader

from marketing_hub.artwork.layout import Span, fit_block
from marketing_hub.artwork.pdf import PageBoxes, mm_to_pt
from marketing_hub.artwork.stamping import Box, Overlay, TextElement, _overlay_pdf
from marketing_hub.services.proofs import ProofRefused, make_proof, preview_proof

from .catalogue_helpers import add_sample_artwork, field_of, make_item, offer, reduce, with_hours

GLYPHS = string.ascii_letters + "éàçÉ€"
RUNS = 80  # each thread's proofs: without the lock, a failure in nearly every run


@pytest.fixture
def flyer(db):
    return add_sample_artwork(make_item(), "flyer-a5")


@pytest.fixture
def lyon(lyon_store):
    lyon_store.phone = "04 72 10 20 30"
    lyon_store.save()
    return with_hours(lyon_store)


def read(file) -> bytes:
    with file.open("rb") as opened:
        return opened.read()


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def characters(pdf: bytes, page: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each printed character of the page with its box (left, bottom, right, top) in pt."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        text_page = document[page - 1].get_textpage()
        found = []
        for index in range(text_page.count_chars()):
            char = text_page.get_text_range(index, 1)
            if char.strip():
                found.append((char, text_page.get_charbox(index)))
        return found
    finally:
        document.close()


def box_pt(field) -> tuple[float, float, float, float]:
    left, bottom = mm_to_pt(float(field.x_mm)), mm_to_pt(float(field.y_mm))
    return (
        left,
        bottom,
        left + mm_to_pt(float(field.width_mm)),
        bottom + mm_to_pt(float(field.height_mm)),
    )


def text_inside(pdf: bytes, field) -> str:
    """The characters of the field's page whose box lies wholly inside the field's box."""
    left, bottom, right, top = box_pt(field)
    tolerance = 0.5
    inside = [
        char
        for char, (c_left, c_bottom, c_right, c_top) in characters(pdf, field.page)
        if c_left >= left - tolerance
        and c_right <= right + tolerance
        and c_bottom >= bottom - tolerance
        and c_top <= top + tolerance
    ]
    return "".join(inside)


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u00a0", ""))


def test_each_field_lands_inside_its_box(lyon, flyer):
    level = offer(lyon, name="Sécateur de précision Ardoise", price_cents=2990, rrp_cents=2990)

    proof = make_proof(
        store=lyon, artwork=flyer, actor="test",
        values={"product": {"sku": level.variant.sku}, "message": "Venez nous voir au printemps !"},
    )  # fmt: skip

    pdf = read(proof.pdf)
    expected = {
        "store_name": "Ardoise Lyon Presqu'île",
        "store_name_verso": "Ardoise Lyon Presqu'île",
        "address": "1 place Bellecour 69002 Lyon",
        "phone": "04 72 10 20 30",
        "message": "Venez nous voir au printemps !",
        "product": "Sécateur de précision Ardoise 29,90 €",
    }
    for key, text in expected.items():
        assert squashed(text) in squashed(text_inside(pdf, field_of(flyer, key))), key
    hours = squashed(text_inside(pdf, field_of(flyer, "hours")))
    assert squashed("Mar\u2013jeu : 09:00\u201312:30, 14:00\u201319:00") in hours
    assert squashed("Ven\u2013sam : 09:00\u201319:00") in hours
    assert squashed("Dim : fermé") in hours


def test_the_store_page_qr_code_is_drawn_inside_its_box(lyon, flyer):
    level = offer(lyon)
    proof = make_proof(
        store=lyon, artwork=flyer, actor="test", values={"product": level.variant.sku}
    )

    assert proof.rendered["qr"]["url"].endswith("/stores/lyon-presquile/")
    qr = field_of(flyer, "qr")
    document = pypdfium2.PdfDocument(read(proof.pdf))
    page = document[qr.page - 1]
    scale = 4
    image = page.render(scale=scale).to_pil().convert("L")
    left, bottom, right, top = box_pt(qr)
    height = page.get_height()
    inside = image.crop(
        (int(left * scale) + 2, int((height - top) * scale) + 2,
         int(right * scale) - 2, int((height - bottom) * scale) - 2)
    )  # fmt: skip
    dark = sum(1 for value in inside.getdata() if value < 60)
    assert dark > inside.width * inside.height * 0.2  # a QR code is about half dark modules
    document.close()


def test_the_fonts_of_the_proof_are_embedded(lyon, flyer):
    level = offer(lyon)
    proof = make_proof(
        store=lyon, artwork=flyer, actor="test", values={"product": level.variant.sku}
    )

    reader = PdfReader(io.BytesIO(read(proof.pdf)))
    fonts = []

    def collect(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            fonts.append(font.get_object())
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                collect(xobject.get("/Resources"))

    for page in reader.pages:
        collect(page.get("/Resources"))
    assert fonts
    for font in fonts:
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:  # a composite font: its descendant carries the file
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        descriptor = descriptor.get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font["/BaseFont"]


def test_the_designer_pages_keep_their_size_boxes_and_content(lyon, flyer):
    level = offer(lyon)
    proof = make_proof(
        store=lyon, artwork=flyer, actor="test", values={"product": level.variant.sku}
    )

    designer = PdfReader(io.BytesIO(read(flyer.pdf)))
    stamped = PdfReader(io.BytesIO(read(proof.pdf)))
    assert len(stamped.pages) == len(designer.pages) == 2
    for original, page in zip(designer.pages, stamped.pages, strict=True):
        for box in ("mediabox", "trimbox", "bleedbox", "cropbox"):
            assert list(getattr(page, box)) == list(getattr(original, box)), box
        original_stream = original.get_contents().get_data()
        streams = [stream.get_object().get_data() for stream in page["/Contents"]]
        assert original_stream in streams  # the designer's drawing, byte for byte
    # A5 with 3 mm of bleed: 154 x 216 mm; the trim is A5.
    assert flyer.pages[0]["media"] == [154.0, 216.0]
    assert flyer.pages[0]["trim"] == [3.0, 3.0, 151.0, 213.0]


def test_a_text_too_long_for_its_box_shrinks_then_is_refused_naming_the_field(lyon, flyer):
    level = offer(lyon)
    message = field_of(flyer, "message")
    message.max_length = None
    message.height_mm = 20
    message.save()
    fits_smaller = (
        "Toute l'équipe du magasin vous accueille du mardi au samedi pour préparer ensemble "
        "le printemps : conseils, ateliers de rempotage, graines à partager, café offert le "
        "samedi matin et un petit cadeau pour les enfants jardiniers !"
    )

    proof = make_proof(
        store=lyon, artwork=flyer, actor="test",
        values={"product": level.variant.sku, "message": fits_smaller},
    )  # fmt: skip
    assert proof.rendered["message"]["size_pt"] < float(message.size_max_pt)
    assert squashed(fits_smaller) in squashed(text_inside(read(proof.pdf), message))

    with pytest.raises(ProofRefused) as refused:
        preview_proof(
            store=lyon,
            artwork=flyer,
            values={"product": level.variant.sku, "message": "Jardin " * 150},
        )
    assert list(refused.value.errors) == ["message"]
    assert "Message libre" in refused.value.errors["message"][0]
    assert "ne tient pas" in refused.value.errors["message"][0]


def test_a_reduced_price_prints_the_lowest_price_of_the_last_30_days(lyon, flyer):
    level = reduce(offer(lyon, price_cents=3490, rrp_cents=3490), to_cents=2990)

    proof = make_proof(
        store=lyon, artwork=flyer, actor="test",
        values={"product": {"sku": level.variant.sku, "reduced": True}},
    )  # fmt: skip

    printed = squashed(text_inside(read(proof.pdf), field_of(flyer, "product")))
    assert squashed("29,90 €") in printed
    assert squashed("Prix le plus bas des 30 derniers jours : 34,90 € (\u221214 %)") in printed
    assert proof.rendered["product"]["reference_cents"] == 3490


def test_a_reduction_that_is_not_one_is_refused(lyon, flyer):
    level = offer(lyon, price_cents=2990, rrp_cents=2990)

    with pytest.raises(ProofRefused) as refused:
        make_proof(
            store=lyon, artwork=flyer, actor="test",
            values={"product": {"sku": level.variant.sku, "reduced": True}},
        )  # fmt: skip

    assert "n'est pas un prix réduit" in refused.value.errors["product"][0]
    assert not lyon.marketing_proofs.exists()


def test_a_character_the_font_lacks_is_refused(lyon, flyer):
    level = offer(lyon)

    with pytest.raises(ProofRefused) as refused:
        preview_proof(
            store=lyon, artwork=flyer, values={"product": level.variant.sku, "message": "Fête 春"}
        )

    assert "“春”" in refused.value.errors["message"][0]


def test_a_text_over_its_maximum_length_is_refused(lyon, flyer):
    level = offer(lyon)

    with pytest.raises(ProofRefused) as refused:
        preview_proof(
            store=lyon, artwork=flyer, values={"product": level.variant.sku, "message": "a" * 141}
        )

    assert "140" in refused.value.errors["message"][0]


def test_a_product_must_be_chosen_among_the_store_own_offers(lyon, paris_store, flyer):
    elsewhere = offer(paris_store)

    with pytest.raises(ProofRefused) as refused:
        preview_proof(store=lyon, artwork=flyer, values={"product": elsewhere.variant.sku})
    assert "n'est pas un des produits de votre magasin" in refused.value.errors["product"][0]

    with pytest.raises(ProofRefused) as refused:
        preview_proof(store=lyon, artwork=flyer, values={})
    assert "choisissez" in refused.value.errors["product"][0]


def test_a_field_the_store_may_not_edit_ignores_its_input(lyon, flyer):
    level = offer(lyon)

    proof = make_proof(
        store=lyon, artwork=flyer, actor="test",
        values={"product": level.variant.sku, "store_name": "Le magasin d'en face"},
    )  # fmt: skip

    assert "store_name" not in proof.values
    assert proof.rendered["store_name"]["text"] == "Ardoise Lyon Presqu'île"
    assert "enface" not in squashed(text_inside(read(proof.pdf), field_of(flyer, "store_name")))


def test_overlays_stamped_at_once_in_several_threads_each_print_their_own_text():
    """The fonts are shared by the process and embed their glyphs through one file cursor: two
    proofs stamped at once (threads switching often) once mixed their reads and a proof failed
    with a KeyError on a glyph."""
    page = PageBoxes(width=148, height=210, trim=(0, 0, 148, 210), bleed=(0, 0, 148, 210))
    texts = {
        (thread, run): "".join(
            GLYPHS[(thread * 31 + run * 7 + k * k) % len(GLYPHS)] for k in range(40)
        )
        for thread in range(4)
        for run in range(RUNS)
    }
    stamped, errors = {}, []

    def stamp_all(thread: int) -> None:
        for run in range(RUNS):
            spans = [Span(texts[thread, run], "sans")]
            block = fit_block(spans, width=400, height=300, size_max=12, size_min=6)
            try:
                stamped[thread, run] = _overlay_pdf(
                    Overlay([page], [TextElement(1, Box(10, 10, 120, 80), block)])
                )
            except Exception as error:
                errors.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=stamp_all, args=(index,)) for index in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)

    assert errors == []
    for key in [(0, 0), (1, 7), (2, 13), (3, RUNS - 1)]:
        printed = "".join(char for char, _box in characters(stamped[key], 1))
        assert printed == texts[key].replace(" ", "")
