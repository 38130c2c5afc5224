"""HQ's artwork: the designer's print-ready PDF (each upload a new version of the item's
artwork) and the fields declared on it, checked against the page they sit on.

A field's box is in mm from its page's lower-left corner (the MediaBox's, bleed included). A
box that leaves its page, a page the PDF does not have, a font that is not one of the brand's,
sizes out of order or a colour that is not one are refused with a message naming the field.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import User
from network_marketplace.storage import marketing_storage

from .. import fonts
from ..artwork.pdf import ArtworkRefused, PageBoxes, read_pdf
from ..artwork.samples import SAMPLES, sample_pdf
from ..artwork.stamping import parse_colour, render_previews
from ..models import Artwork, ArtworkField, MarketingItem

__all__ = [
    "ArtworkRefused",
    "FieldRefused",
    "artwork_page_png",
    "check_field",
    "inspect_artwork_pdf",
    "install_sample_artwork",
    "page_boxes",
    "save_artwork_field",
    "upload_artwork",
]

TEXT_KINDS = {
    ArtworkField.Kind.STORE_NAME,
    ArtworkField.Kind.STORE_ADDRESS,
    ArtworkField.Kind.STORE_PHONE,
    ArtworkField.Kind.STORE_HOURS,
    ArtworkField.Kind.FREE_TEXT,
    ArtworkField.Kind.PRODUCT,
}
MIN_SIZE_PT = Decimal("4")
MAX_SIZE_PT = Decimal("600")
MIN_QR_MM = Decimal("12")
MIN_BOX_MM = Decimal("2")


class FieldRefused(DomainError):
    """A field of the artwork is not valid."""

    code = "artwork_field_refused"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.values()))[0] if errors else ""
        super().__init__(first)
        self.errors = errors


def inspect_artwork_pdf(data: bytes) -> list[PageBoxes]:
    """The pages of a designer's PDF, or ArtworkRefused (not a PDF, encrypted, too large)."""
    return read_pdf(data, max_bytes=settings.MARKETING_ARTWORK_MAX_BYTES)


def page_boxes(artwork: Artwork) -> list[PageBoxes]:
    return [PageBoxes.from_json(page) for page in artwork.pages]


def _mm(value: float) -> str:
    """Millimetres for a message, in the active language's figures ("12,5" in French)."""
    return number_format(value, 0 if float(value).is_integer() else 1)


def check_field(field: ArtworkField, pages: list[PageBoxes]) -> dict[str, list[str]]:
    """What is wrong with `field` on these pages, by model attribute ({} when it is fine).
    Every message names the field."""
    errors: dict[str, list[str]] = {}
    name = field.label or field.key

    def refuse(attribute: str, message: str) -> None:
        errors.setdefault(attribute, []).append(message)

    if field.page is None or not 1 <= field.page <= len(pages):
        refuse(
            "page",
            _("“%(field)s”: the artwork has no page %(page)s (it has %(count)s).")
            % {"field": name, "page": field.page, "count": len(pages)},
        )
    values = [field.x_mm, field.y_mm, field.width_mm, field.height_mm]
    if any(value is None for value in values):
        return errors
    x, y, width, height = (Decimal(value) for value in values)
    if width < MIN_BOX_MM or height < MIN_BOX_MM:
        refuse(
            "width_mm",
            _("“%(field)s”: the box is too small (at least %(min)s mm each side).")
            % {"field": name, "min": MIN_BOX_MM},
        )
    if not errors.get("page"):
        page = pages[field.page - 1]
        if (
            x < 0
            or y < 0
            or x + width > Decimal(str(page.width)) + Decimal("0.01")
            or (y + height > Decimal(str(page.height)) + Decimal("0.01"))
        ):
            refuse(
                "x_mm",
                _(
                    "“%(field)s”: the box (%(x)s, %(y)s, %(w)s x %(h)s mm) goes outside page "
                    "%(page)s (%(pw)s x %(ph)s mm)."
                )
                % {
                    "field": name,
                    "x": _mm(float(x)),
                    "y": _mm(float(y)),
                    "w": _mm(float(width)),
                    "h": _mm(float(height)),
                    "page": field.page,
                    "pw": _mm(page.width),
                    "ph": _mm(page.height),
                },
            )
    if field.kind == ArtworkField.Kind.STORE_URL_QR and min(width, height) < MIN_QR_MM:
        refuse(
            "width_mm",
            _("“%(field)s”: a QR code needs a box of at least %(min)s mm each side.")
            % {"field": name, "min": MIN_QR_MM},
        )
    if field.kind in TEXT_KINDS:
        if field.font and field.font not in fonts.FONTS:
            refuse(
                "font",
                _("“%(field)s”: “%(font)s” is not one of the brand fonts.")
                % {"field": name, "font": field.font},
            )
        low, high = Decimal(field.size_min_pt or 0), Decimal(field.size_max_pt or 0)
        if low < MIN_SIZE_PT or high > MAX_SIZE_PT or low > high:
            refuse(
                "size_min_pt",
                _(
                    "“%(field)s”: sizes must go from %(low)s pt up to %(high)s pt at most, the "
                    "minimum not above the maximum."
                )
                % {"field": name, "low": MIN_SIZE_PT, "high": MAX_SIZE_PT},
            )
    if parse_colour(field.colour) is None:
        refuse(
            "colour",
            _("“%(field)s”: “%(colour)s” is not a colour (#RRGGBB or cmyk(c, m, y, k) in %%).")
            % {"field": name, "colour": field.colour},
        )
    if field.default_text and field.kind == ArtworkField.Kind.FREE_TEXT:
        known = field.font in fonts.FONTS or not field.font
        missing = fonts.missing_glyphs(field.font, field.default_text) if known else []
        if missing:
            refuse(
                "default_text",
                _("“%(field)s”: the font has no character for %(chars)s.")
                % {"field": name, "chars": " ".join(missing)},
            )
        if field.max_length and len(field.default_text) > field.max_length:
            refuse(
                "default_text",
                _("“%(field)s”: the default text is longer than %(max)s characters.")
                % {"field": name, "max": field.max_length},
            )
    return errors


def save_artwork_field(*, field: ArtworkField, actor: Any) -> ArtworkField:
    """Create or change a field of an artwork version after checking it; FieldRefused (by
    attribute) otherwise, with nothing saved."""
    errors = check_field(field, page_boxes(field.artwork))
    if errors:
        raise FieldRefused(errors)
    field.save()
    record_audit_event(
        actor=actor,
        action="marketing.artwork_field_saved",
        target=field.artwork,
        data={"field": field.key},
    )
    return field


def upload_artwork(
    *,
    item: MarketingItem,
    data: bytes,
    filename: str,
    actor: Any,
    keep_fields: bool = True,
) -> Artwork:
    """A new version of the item's artwork from the designer's PDF `data`, made current (the
    previous versions stay, with the proofs and order lines made on them). With `keep_fields`
    the fields of the previous current version are copied, each checked on the new pages:
    one that no longer fits refuses the upload (FieldRefused naming it), nothing changed."""
    pages = inspect_artwork_pdf(data)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        MarketingItem.objects.select_for_update().filter(pk=item.pk).get()
        previous = Artwork.objects.filter(item=item, is_current=True).first()
        version = (Artwork.objects.filter(item=item).aggregate(top=Max("version"))["top"] or 0) + 1
        Artwork.objects.filter(item=item, is_current=True).update(is_current=False)
        artwork = Artwork(
            item=item,
            version=version,
            pdf_sha256=digest,
            page_count=len(pages),
            pages=[page.as_json() for page in pages],
            is_current=True,
            uploaded_by=actor if isinstance(actor, User) else None,
        )
        stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0][:60] or "artwork"
        artwork.pdf.save(f"{item.reference}-v{version}-{stem}.pdf", ContentFile(data), save=False)
        try:
            artwork.save()
            if keep_fields and previous is not None:
                _copy_fields(previous, artwork, pages)
        except FieldRefused:
            artwork.pdf.delete(save=False)
            raise
        record_audit_event(
            actor=actor,
            action="marketing.artwork_uploaded",
            target=artwork,
            data={"item": item.reference, "version": version, "sha256": digest},
        )
    return artwork


def _copy_fields(previous: Artwork, artwork: Artwork, pages: list[PageBoxes]) -> None:
    errors: dict[str, list[str]] = {}
    copies = []
    for field in previous.fields.all():
        field.pk = None
        field.artwork = artwork
        for messages in check_field(field, pages).values():
            errors.setdefault(field.key, []).extend(messages)
        copies.append(field)
    if errors:
        raise FieldRefused(errors)
    ArtworkField.objects.bulk_create(copies)


def artwork_page_png(artwork: Artwork, page: int) -> bytes | None:
    """The PNG of page `page` (from 1) of the designer's artwork, before any field is stamped
    (made once per artwork file, kept in the private marketing storage); None when there is no
    such page."""
    if not 1 <= page <= artwork.page_count:
        return None
    storage = marketing_storage()
    name = f"artwork/previews/{artwork.pdf_sha256}-p{page}.png"
    if not storage.exists(name):
        with artwork.pdf.open("rb") as file:
            images = render_previews(file.read(), max_px=settings.MARKETING_PREVIEW_MAX_PX)
        for number, image in enumerate(images, start=1):
            target = f"artwork/previews/{artwork.pdf_sha256}-p{number}.png"
            if not storage.exists(target):
                storage.save(target, ContentFile(image))
    with storage.open(name, "rb") as file:
        return bytes(file.read())


def install_sample_artwork(*, item: MarketingItem, sample: str, actor: Any) -> Artwork:
    """A new artwork version of `item` from the project's sample `sample` (see
    marketing_hub.artwork.samples.SAMPLES), with its fields, each checked like HQ's: what the
    demo loader calls for its items."""
    design = SAMPLES[sample]
    artwork = upload_artwork(
        item=item, data=sample_pdf(sample), filename=f"{sample}.pdf", actor=actor, keep_fields=False
    )
    for row in design.field_rows():
        save_artwork_field(field=ArtworkField(artwork=artwork, **row), actor=actor)
    return artwork
