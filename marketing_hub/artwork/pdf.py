"""Reading a designer's print-ready PDF: refuse what is not one (or is encrypted, or too large),
and read each page's boxes in millimetres, relative to the page's MediaBox origin."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from network_marketplace.errors import DomainError

PT_PER_MM = 72 / 25.4


def mm_to_pt(value: float) -> float:
    return value * PT_PER_MM


def pt_to_mm(value: float) -> float:
    return value / PT_PER_MM


class ArtworkRefused(DomainError):
    """The artwork file cannot be used."""

    code = "artwork_refused"


@dataclass(frozen=True)
class PageBoxes:
    """One page's size and boxes in mm, from the MediaBox's lower-left corner (the origin of
    the fields' positions). `trim` and `bleed` are (x0, y0, x1, y1); without a TrimBox the trim
    is the whole page (no bleed)."""

    width: float
    height: float
    trim: tuple[float, float, float, float]
    bleed: tuple[float, float, float, float]
    origin_pt: tuple[float, float] = (0.0, 0.0)

    def as_json(self) -> dict:
        return {
            "media": [round(self.width, 2), round(self.height, 2)],
            "trim": [round(value, 2) for value in self.trim],
            "bleed": [round(value, 2) for value in self.bleed],
            "origin_pt": [round(value, 3) for value in self.origin_pt],
        }

    @classmethod
    def from_json(cls, data: dict) -> PageBoxes:
        origin = data.get("origin_pt") or [0, 0]
        return cls(
            width=float(data["media"][0]),
            height=float(data["media"][1]),
            trim=tuple(float(value) for value in data["trim"]),  # type: ignore[arg-type]
            bleed=tuple(float(value) for value in data["bleed"]),  # type: ignore[arg-type]
            origin_pt=(float(origin[0]), float(origin[1])),
        )

    @property
    def has_bleed(self) -> bool:
        return self.bleed != self.trim


def _box_mm(box: object, origin: tuple[float, float]) -> tuple[float, float, float, float]:
    left, bottom, right, top = (float(value) for value in box)  # type: ignore[attr-defined]
    return (
        pt_to_mm(left - origin[0]),
        pt_to_mm(bottom - origin[1]),
        pt_to_mm(right - origin[0]),
        pt_to_mm(top - origin[1]),
    )


def read_pdf(data: bytes, *, max_bytes: int) -> list[PageBoxes]:
    """The pages of a designer's PDF, or ArtworkRefused with the reason a person can act on."""
    if len(data) > max_bytes:
        raise ArtworkRefused(
            _("The file is too large (%(size)s MB; at most %(limit)s MB).")
            % {"size": round(len(data) / 1_000_000, 1), "limit": round(max_bytes / 1_000_000, 1)}
        )
    if b"%PDF-" not in data[:1024]:
        raise ArtworkRefused(_("This file is not a PDF."))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ArtworkRefused(
                _("This PDF is encrypted (password-protected): export it again without protection.")
            )
        pages = []
        for page in reader.pages:
            media = page.mediabox
            origin = (float(media.left), float(media.bottom))
            trim = _box_mm(page.trimbox, origin)
            bleed = _box_mm(page.bleedbox, origin)
            pages.append(
                PageBoxes(
                    width=pt_to_mm(float(media.width)),
                    height=pt_to_mm(float(media.height)),
                    trim=trim,
                    bleed=bleed,
                    origin_pt=origin,
                )
            )
    except ArtworkRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ArtworkRefused(_("This PDF cannot be read (damaged file?).")) from error
    if not pages:
        raise ArtworkRefused(_("This PDF has no page."))
    return pages
