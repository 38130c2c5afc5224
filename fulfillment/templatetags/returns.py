"""The return number as a QR code for the store's desk scanner, on pages (e-mails attach theirs)."""

from __future__ import annotations

import segno
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def qr_svg(text: str, title: str = "") -> str:
    """An inline SVG QR code of `text` (scales with its box; `title` is its accessible name)."""
    qr = segno.make(str(text), error="m")
    svg = qr.svg_inline(scale=6, border=2, title=title or None, omitsize=True)
    return mark_safe(svg)  # noqa: S308 -- segno's own markup; `text` and `title` are escaped by it
