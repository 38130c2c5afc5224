"""Fitting text into a field's box: wrap on spaces, shrink from the largest size down to the
smallest, and say so when even the smallest does not fit. A word is never cut and a line never
dropped: a text either fits whole or is refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from reportlab.pdfbase.pdfmetrics import stringWidth

from marketing_hub import fonts

LEADING = 1.2  # line height, as a multiple of the size
SIZE_STEP = 0.5  # pt


@dataclass(frozen=True)
class Span:
    """A paragraph group of a block, drawn at `scale` times the block's size (a price larger
    than the product's name), never below `floor` pt."""

    text: str
    font: str
    scale: float = 1.0
    floor: float = 0.0


@dataclass(frozen=True)
class Line:
    text: str
    font: str
    size: float
    width: float  # pt


@dataclass(frozen=True)
class FittedBlock:
    size: float  # the block's size (pt); each line's own size follows its span's scale
    lines: tuple[Line, ...]
    height: float  # pt, from the first line's top to the last one's descent


_BEFORE_PUNCTUATION = re.compile(r" +([!?:;»%€])")
_AFTER_QUOTE = re.compile(r"« +")


def _glued(text: str) -> str:
    """French typography: no line break before "!", "?", ":", ";", "»", "%" or "€" nor after
    "«" (the space becomes a no-break space)."""
    return _AFTER_QUOTE.sub("«\u00a0", _BEFORE_PUNCTUATION.sub("\u00a0\\1", text))


def _wrap(text: str, font_name: str, size: float, width: float) -> list[str] | None:
    """Greedy wrap of `text` (its line breaks kept) into lines no wider than `width`, or None
    when a single word is wider than the box."""
    lines: list[str] = []
    for paragraph in _glued(text).splitlines() or [""]:
        words = [word for word in paragraph.split(" ") if word]
        current = ""
        for word in words:
            if stringWidth(word, font_name, size) > width:
                return None
            candidate = f"{current} {word}" if current else word
            if stringWidth(candidate, font_name, size) <= width:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return lines


def _layout(spans: list[Span], size: float, width: float) -> list[Line] | None:
    lines: list[Line] = []
    for span in spans:
        span_size = max(size * span.scale, span.floor)
        font_name = fonts.register(span.font)
        wrapped = _wrap(span.text, font_name, span_size, width)
        if wrapped is None:
            return None
        lines += [
            Line(text, span.font, span_size, stringWidth(text, font_name, span_size))
            for text in wrapped
        ]
    return lines


def line_step(previous: Line, line: Line) -> float:
    """From one baseline to the next: the previous line's descent, this line's ascent (accents
    included) and a small gap, so that a small line under a large one never touches it."""
    gap = (LEADING - 1) * min(previous.size, line.size)
    return fonts.descent(previous.font) * previous.size + fonts.ascent(line.font) * line.size + gap


def block_height(lines: list[Line] | tuple[Line, ...]) -> float:
    if not lines:
        return 0.0
    first, last = lines[0], lines[-1]
    height = fonts.ascent(first.font) * first.size
    for previous, line in pairwise(lines):
        height += line_step(previous, line)
    return height + fonts.descent(last.font) * last.size


def fit_block(
    spans: list[Span], *, width: float, height: float, size_max: float, size_min: float
) -> FittedBlock | None:
    """The largest size from `size_max` down to `size_min` (by half points) at which every
    span fits the box whole; None when none does (the caller refuses the text)."""
    size = size_max
    while size >= size_min - 1e-9:
        lines = _layout(spans, size, width)
        if lines is not None:
            total = block_height(lines)
            if total <= height + 1e-6:
                return FittedBlock(size=size, lines=tuple(lines), height=total)
        size = round(size - SIZE_STEP, 2)
    return None
