"""A store's proofs: the designer's artwork stamped with the store's fields, checked, stored.

`make_proof` resolves each field (store fields from the store's own record, free text and
products from what the store typed or chose on the editable fields; a non-editable field ignores
the store's input), refuses what cannot be printed (a text that does not fit even at the
smallest size, a character the font lacks, a text over its maximum length, a "reduction" that
is not one), stamps the PDF and renders a PNG of each page, and keeps them as the next version
for the store and artwork. A proof is never edited: M2 sends an approved proof's PDF to print
byte for byte (`proof_pdf_bytes` checks it against its sha256). `preview_proof` does the same
work without writing anything, for the live editor and the API's preview.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from catalog.money import format_cents
from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import User
from network_marketplace.public_urls import public_url
from network_marketplace.storage import marketing_storage
from stores.models import Store
from stores.opening_hours import day_ranges

from .. import fonts
from ..artwork.layout import Span, fit_block
from ..artwork.pdf import mm_to_pt
from ..artwork.stamping import (
    Box,
    Element,
    ImageElement,
    Overlay,
    QRElement,
    TextElement,
    render_previews,
    stamp,
)
from ..models import Artwork, ArtworkField, Proof
from ..selectors.catalogue import ProductChoice, product_choices
from .artwork import page_boxes

Kind = ArtworkField.Kind
OMNIBUS_FLOOR_PT = 6.0
PRICE_SCALE = 1.8
OMNIBUS_SCALE = 0.6
DASH = "\u2013"


class ProofRefused(DomainError):
    """Some fields cannot be printed as they are."""

    code = "proof_refused"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(" ".join(messages[0] for messages in errors.values()))
        self.errors = errors


class ArtworkReplaced(DomainError):
    """HQ has replaced this artwork: personalise the current version."""

    code = "artwork_replaced"
    http_status = 409


@dataclass(frozen=True)
class RenderedProof:
    values: dict[str, Any]  # what the store gave, cleaned (editable fields only)
    rendered: dict[str, Any]  # what was printed in each field
    uses_free_text: bool
    pdf: bytes
    previews: list[bytes]  # one PNG per page


def clean_values(artwork: Artwork, values: Mapping[str, Any]) -> dict[str, Any]:
    """The store's input for the artwork's editable fields only, normalised: text as a
    string; a product as {"sku": ..., "reduced": True/False/None (as the offer runs)}."""
    cleaned: dict[str, Any] = {}
    for field in artwork.fields.all():
        if not field.editable or field.key not in values:
            continue
        raw = values[field.key]
        if field.kind == Kind.PRODUCT:
            if isinstance(raw, Mapping):
                sku, reduced = raw.get("sku") or raw.get("variant") or "", raw.get("reduced")
            else:
                sku, reduced = raw, values.get(f"{field.key}__reduced")
            cleaned[field.key] = {
                "sku": str(sku or "").strip(),
                "reduced": None if reduced in (None, "") else _truthy(reduced),
            }
        elif field.kind == Kind.FREE_TEXT:
            cleaned[field.key] = str(raw if raw is not None else "").replace("\r\n", "\n").strip()
    return cleaned


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes", "oui"}
    return bool(value)


def store_page_url(store: Store) -> str:
    return public_url(reverse("stores:detail", args=[store.slug]))


def hours_text(opening_hours: Any) -> str:
    """The week's hours, consecutive days with the same hours on one line ("Mar-ven :
    09:00-19:00", with en dashes), or "" when the store published none."""
    groups: list[list[Any]] = []
    for day in range(7):
        ranges = day_ranges(opening_hours, day)
        if groups and groups[-1][2] == ranges:
            groups[-1][1] = day
        else:
            groups.append([day, day, ranges])
    if not any(group[2] for group in groups):
        return ""
    abbr = [str(WEEKDAYS_ABBR[day]).capitalize() for day in range(7)]
    lines = []
    for first, last, ranges in groups:
        days = abbr[first] if first == last else f"{abbr[first]}{DASH}{abbr[last].lower()}"
        hours = ", ".join(
            f"{r.opens.strftime('%H:%M')}{DASH}{r.closes.strftime('%H:%M')}" for r in ranges
        )
        lines.append(_("%(days)s: %(hours)s") % {"days": days, "hours": hours or _("closed")})
    return "\n".join(lines)


def _store_text(field: ArtworkField, store: Store) -> tuple[str, str]:
    """The store field's text, and the message when the store has none."""
    if field.kind == Kind.STORE_NAME:
        return store.name, ""
    if field.kind == Kind.STORE_ADDRESS:
        return f"{store.address_line}\n{store.postal_code} {store.city}".strip(), _(
            "your store has no address"
        )
    if field.kind == Kind.STORE_PHONE:
        return store.phone.strip(), _("your store has no phone number in its details")
    return hours_text(store.opening_hours), _("your store has published no opening hours")


class _Resolver:
    """Resolves each field of one artwork for one store, gathering the errors by field key."""

    def __init__(self, *, store: Store, artwork: Artwork, values: dict[str, Any]) -> None:
        self.store = store
        self.artwork = artwork
        self.values = values
        self.errors: dict[str, list[str]] = {}
        self.elements: list[Element] = []
        self.rendered: dict[str, Any] = {}
        self.uses_free_text = False
        self._products: dict[str, ProductChoice] | None = None

    def refuse(self, field: ArtworkField, message: str) -> None:
        self.errors.setdefault(field.key, []).append(
            _("“%(field)s”: %(message)s") % {"field": field.label, "message": message}
        )

    def box(self, field: ArtworkField) -> Box:
        return Box(
            float(field.x_mm), float(field.y_mm), float(field.width_mm), float(field.height_mm)
        )

    def products(self) -> dict[str, ProductChoice]:
        if self._products is None:
            wanted = [
                value.get("sku", "") for value in self.values.values() if isinstance(value, dict)
            ]
            wanted += [
                field.default_text
                for field in self.artwork.fields.all()
                if field.kind == Kind.PRODUCT and field.default_text
            ]
            choices = product_choices(store=self.store, skus=[sku for sku in wanted if sku])
            self._products = {choice.sku: choice for choice in choices}
        return self._products

    def resolve(self) -> None:
        for field in self.artwork.fields.all():
            if field.kind == Kind.STORE_URL_QR:
                url = store_page_url(self.store)
                self.elements.append(QRElement(field.page, self.box(field), url, field.colour))
                self.rendered[field.key] = {"kind": field.kind, "url": url}
            elif field.kind in (Kind.STORE_LOGO, Kind.STORE_PHOTO):
                self.image(field)
            elif field.kind == Kind.PRODUCT:
                self.product(field)
            elif field.kind == Kind.FREE_TEXT:
                text = self.values.get(field.key, field.default_text) if field.editable else None
                text = (field.default_text if text is None else text).strip()
                if field.editable and text and text != field.default_text.strip():
                    self.uses_free_text = True
                if field.max_length and len(text) > field.max_length:
                    self.refuse(
                        field,
                        _("at most %(max)s characters (%(count)s typed).")
                        % {"max": field.max_length, "count": len(text)},
                    )
                    continue
                if text:
                    self.text(field, [Span(text, field.font or fonts.DEFAULT_FONT)], text)
                else:
                    self.rendered[field.key] = {"kind": field.kind, "text": ""}
            else:
                text, missing = _store_text(field, self.store)
                if not text:
                    self.refuse(field, missing)
                    continue
                self.text(field, [Span(text, field.font or fonts.DEFAULT_FONT)], text)

    def text(self, field: ArtworkField, spans: list[Span], text: str, **extra: Any) -> None:
        lacking = []
        for span in spans:
            lacking += [c for c in fonts.missing_glyphs(span.font, span.text) if c not in lacking]
        if lacking:
            self.refuse(
                field,
                _("the font cannot print %(chars)s: remove or replace these characters.")
                % {"chars": " ".join(f"“{char}”" for char in lacking)},
            )
            return
        box = self.box(field)
        block = fit_block(
            spans,
            width=mm_to_pt(box.width),
            height=mm_to_pt(box.height),
            size_max=float(field.size_max_pt),
            size_min=float(field.size_min_pt),
        )
        if block is None:
            self.refuse(
                field,
                _(
                    "the text does not fit its box, even at the smallest size (%(size)s pt): "
                    "shorten it."
                )
                % {"size": f"{float(field.size_min_pt):g}"},
            )
            return
        self.elements.append(TextElement(field.page, box, block, field.colour, field.align))
        self.rendered[field.key] = {
            "kind": field.kind,
            "text": text,
            "size_pt": block.size,
            "lines": [line.text for line in block.lines],
            **extra,
        }

    def image(self, field: ArtworkField) -> None:
        image = self.store.logo if field.kind == Kind.STORE_LOGO else self.store.photo
        if not image:
            self.refuse(
                field,
                _(
                    "your store has no logo yet: add it on the Marketing section's store images "
                    "page."
                )
                if field.kind == Kind.STORE_LOGO
                else _(
                    "your store has no photo yet: add it on the Marketing section's store "
                    "images page."
                ),
            )
            return
        with image.storage.open(str(image.name), "rb") as file:
            data = file.read()
        self.elements.append(ImageElement(field.page, self.box(field), data))
        self.rendered[field.key] = {
            "kind": field.kind,
            "image": image.name,
            "sha256": hashlib.sha256(data).hexdigest(),
        }

    def product(self, field: ArtworkField) -> None:
        chosen = self.values.get(field.key) if field.editable else None
        sku = (chosen or {}).get("sku") or ("" if field.editable else field.default_text)
        reduced = (chosen or {}).get("reduced")
        if not sku:
            self.refuse(field, _("choose one of your products."))
            return
        choice = self.products().get(sku)
        if choice is None:
            self.refuse(field, _("%(sku)s is not one of your store's products.") % {"sku": sku})
            return
        reduction = choice.reduction
        if reduced and reduction is None:
            self.refuse(
                field,
                _(
                    "%(price)s is not a reduced price: it is not below the lowest price of the "
                    "last 30 days. Print it without announcing a reduction."
                )
                % {"price": format_cents(choice.price_cents)},
            )
            return
        announce = reduction is not None and reduced is not False
        font = field.font or fonts.DEFAULT_FONT
        bold = font if font.endswith("-bold") else f"{font}-bold"
        bold = bold if bold in fonts.FONTS else font
        price = format_cents(choice.price_cents)
        spans = [Span(choice.label, font), Span(price, bold, PRICE_SCALE)]
        omnibus = ""
        if announce and reduction is not None:
            omnibus = _("Lowest price of the last 30 days: %(reference)s (-%(percent)s %%)") % {
                "reference": format_cents(reduction.reference_cents),
                "percent": reduction.percent,
            }
            spans.append(Span(omnibus, fonts.DEFAULT_FONT, OMNIBUS_SCALE, OMNIBUS_FLOOR_PT))
        self.text(
            field,
            spans,
            "\n".join(span.text for span in spans),
            sku=choice.sku,
            price_cents=choice.price_cents,
            reduced=announce,
            reference_cents=reduction.reference_cents if announce and reduction else None,
            omnibus=omnibus,
        )


def _designer_pdf(artwork: Artwork) -> bytes:
    # Through the storage by name: a FieldFile keeps one file object, which threads sharing
    # the row (or a request reading it twice) would close under each other.
    with artwork.pdf.storage.open(str(artwork.pdf.name), "rb") as file:
        return bytes(file.read())


def render_proof(
    *, store: Store, artwork: Artwork, values: Mapping[str, Any], previews: bool = True
) -> RenderedProof:
    """Check and stamp the store's proof of `artwork` (nothing written); ProofRefused with the
    errors by field key when a field cannot be printed."""
    cleaned = clean_values(artwork, values)
    resolver = _Resolver(store=store, artwork=artwork, values=cleaned)
    resolver.resolve()
    if resolver.errors:
        raise ProofRefused(resolver.errors)
    pdf = stamp(_designer_pdf(artwork), Overlay(page_boxes(artwork), resolver.elements))
    images = render_previews(pdf, max_px=settings.MARKETING_PREVIEW_MAX_PX) if previews else []
    return RenderedProof(
        values=cleaned,
        rendered=resolver.rendered,
        uses_free_text=resolver.uses_free_text,
        pdf=pdf,
        previews=images,
    )


def preview_proof(*, store: Store, artwork: Artwork, values: Mapping[str, Any]) -> RenderedProof:
    """The live preview: the proof as it would be made, with its page PNGs; no row written."""
    return render_proof(store=store, artwork=artwork, values=values)


def make_proof(
    *,
    store: Store,
    artwork: Artwork,
    values: Mapping[str, Any],
    actor: Any,
    reuse_identical: bool = False,
) -> Proof:
    """The store's next proof of `artwork` (the current version only), kept with its PDF and
    page previews under private/. With `reuse_identical`, the store's latest proof is
    returned instead when it printed exactly the same (a second click on "Preview")."""
    if not artwork.is_current:
        raise ArtworkReplaced()
    result = render_proof(store=store, artwork=artwork, values=values)
    digest = hashlib.sha256(result.pdf).hexdigest()
    saved: list[str] = []
    try:
        with transaction.atomic():
            # Versions are numbered per store and artwork: one numbering at a time per artwork.
            Artwork.objects.select_for_update().filter(pk=artwork.pk).get()
            proofs = Proof.objects.filter(store=store, artwork=artwork)
            if reuse_identical:
                latest = proofs.order_by("-number").first()
                if (
                    latest is not None
                    and latest.values == result.values
                    and latest.rendered == result.rendered
                ):
                    return latest
            number = (proofs.aggregate(top=Max("number"))["top"] or 0) + 1
            stem = f"{store.slug}-{artwork.item.reference}-v{artwork.version}-{number}"
            folder = f"proofs/{store.pk}"
            proof = Proof(
                store=store,
                artwork=artwork,
                number=number,
                values=result.values,
                rendered=result.rendered,
                uses_free_text=result.uses_free_text,
                pdf_sha256=digest,
                created_by=actor if isinstance(actor, User) else None,
            )
            proof.pdf.save(f"{stem}.pdf", ContentFile(result.pdf), save=False)
            saved.append(proof.pdf.name or "")
            token = uuid.uuid4().hex[:8]
            for page, image in enumerate(result.previews, start=1):
                name = marketing_storage().save(
                    f"{folder}/{stem}-{token}-p{page}.png", ContentFile(image)
                )
                saved.append(name)
            proof.previews = saved[1:]
            proof.save()
            record_audit_event(
                actor=actor,
                action="marketing.proof_made",
                target=proof,
                store_id=store.pk,
                data={"item": artwork.item.reference, "version": artwork.version, "number": number},
            )
    except BaseException:
        for name in saved:
            marketing_storage().delete(name)
        raise
    return proof


class ProofTampered(DomainError):
    """The proof's file no longer matches the file approved."""

    code = "proof_tampered"
    http_status = 409


def proof_pdf_bytes(proof: Proof) -> bytes:
    """The proof's PDF exactly as stamped (what goes to print), checked against its sha256."""
    with proof.pdf.storage.open(str(proof.pdf.name), "rb") as file:
        data = file.read()
    if hashlib.sha256(data).hexdigest() != proof.pdf_sha256:
        raise ProofTampered(proof=proof.pk)
    return data


def proof_preview_bytes(proof: Proof, page: int) -> bytes | None:
    """The PNG of page `page` (from 1) of the proof, None when it has no such page."""
    if not 1 <= page <= len(proof.previews):
        return None
    with marketing_storage().open(proof.previews[page - 1], "rb") as file:
        return bytes(file.read())
