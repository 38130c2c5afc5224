"""The brand fonts shipped with the project (marketing_hub/fonts/, with their licences) and the
one place that registers them with reportlab.

An artwork field names a font by its key here; the stamped PDF embeds the glyphs it uses (a
TrueType subset), so a print file never depends on the printer's fonts. A text with a character
the font has no glyph for is refused rather than printed as a blank box.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class BrandFont:
    key: str
    label: str | Promise
    file: str

    @property
    def path(self) -> Path:
        return FONTS_DIR / self.file

    @property
    def pdf_name(self) -> str:
        """The name reportlab knows the font by (and the PDF's BaseFont carries, prefixed)."""
        return f"Brand-{self.key}"


FONTS: dict[str, BrandFont] = {
    font.key: font
    for font in (
        BrandFont("sans", _("Sans (DejaVu Sans)"), "DejaVuSans.ttf"),
        BrandFont("sans-bold", _("Sans bold (DejaVu Sans Bold)"), "DejaVuSans-Bold.ttf"),
        BrandFont("serif", _("Serif (DejaVu Serif)"), "DejaVuSerif.ttf"),
        BrandFont("serif-bold", _("Serif bold (DejaVu Serif Bold)"), "DejaVuSerif-Bold.ttf"),
    )
}
DEFAULT_FONT = "sans"
DEFAULT_BOLD_FONT = "sans-bold"

_lock = threading.Lock()
# A registered font is one object per process, and it reads its TrueType file through one
# shared cursor when a document embeds the subset it used: two documents at once (two threads)
# mixed their reads (a KeyError on a glyph, a proof refused). One document at a time.
embedding = threading.Lock()


class UnknownFont(KeyError):
    pass


def brand_font(key: str) -> BrandFont:
    """The font of `key` ("" means the default); UnknownFont when it is not one of ours."""
    try:
        return FONTS[key or DEFAULT_FONT]
    except KeyError:
        raise UnknownFont(key) from None


def font_choices() -> list[tuple[str, str | Promise]]:
    return [(font.key, font.label) for font in FONTS.values()]


@cache
def _ttfont(key: str) -> TTFont:
    font = brand_font(key)
    return TTFont(font.pdf_name, str(font.path))


def register(key: str) -> str:
    """Register the font with reportlab once per process (thread-safe); its reportlab name."""
    font = brand_font(key)
    with _lock:
        if font.pdf_name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(_ttfont(font.key))
    return font.pdf_name


def missing_glyphs(key: str, text: str) -> list[str]:
    """The characters of `text` the font cannot draw, each once, in order (line breaks and
    spaces aside)."""
    covered = _ttfont(brand_font(key).key).face.charToGlyph
    missing: list[str] = []
    for char in text:
        if char in "\n\r\t" or ord(char) in covered or char in missing:
            continue
        missing.append(char)
    return missing


# The top of accented capitals ("Å", "Ǻ": 0.93 em in DejaVu), above the fonts' declared ascent
# (0.76 em): a first line placed under its box's top by this much keeps its accents inside.
ACCENTED_TOP = 0.94


def ascent(key: str) -> float:
    """How far above a baseline the font's letters reach, accents included, as a fraction of
    its size (to place a first baseline under a box's top)."""
    return max(float(_ttfont(brand_font(key).key).face.ascent) / 1000, ACCENTED_TOP)


def descent(key: str) -> float:
    """The font's descent as a positive fraction of its size."""
    return -float(_ttfont(brand_font(key).key).face.descent) / 1000
