"""Stamping a store's fields onto the designer's PDF, and rendering page previews.

The overlay is drawn with reportlab (brand TrueType fonts, embedded as subsets; the QR code as
vector squares; images as they are) on pages of the designer's size, then added to each
designer page as a Form XObject drawn after the page's own content. The designer's content
streams, resources, colours and boxes (Media, Trim, Bleed) are left byte for byte as they were:
the page only gains one resource and two tiny content streams around its own (a q/Q pair, so
the designer's graphics state never leaks into the overlay).
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass, field
from typing import cast

import pypdfium2
import segno
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)
from reportlab.lib.colors import CMYKColor, Color, HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from marketing_hub import fonts

from .layout import FittedBlock, line_step
from .pdf import PageBoxes, mm_to_pt

STAMP_NAME = "/NMStamp"
_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
_CMYK = re.compile(r"^cmyk\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$")
# pdfium is not thread-safe: one render at a time per process.
_pdfium_lock = threading.Lock()


def parse_colour(value: str) -> Color | None:
    """ "#RRGGBB" (screen colours) or "cmyk(c, m, y, k)" in percent (print colours); None when
    the value is neither."""
    value = (value or "").strip()
    if match := _HEX.match(value):
        return HexColor(f"#{match.group(1)}")
    if match := _CMYK.match(value):
        parts = [int(group) for group in match.groups()]
        if all(part <= 100 for part in parts):
            return CMYKColor(*(part / 100 for part in parts))
    return None


@dataclass(frozen=True)
class Box:
    """A field's box in mm, from the page's (MediaBox) lower-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def pt(self) -> tuple[float, float, float, float]:
        return (mm_to_pt(self.x), mm_to_pt(self.y), mm_to_pt(self.width), mm_to_pt(self.height))


@dataclass(frozen=True)
class TextElement:
    page: int  # 1-based
    box: Box
    block: FittedBlock
    colour: str = "#000000"
    align: str = "left"


@dataclass(frozen=True)
class QRElement:
    page: int
    box: Box
    data: str
    colour: str = "#000000"


@dataclass(frozen=True)
class ImageElement:
    page: int
    box: Box
    image: bytes


Element = TextElement | QRElement | ImageElement


@dataclass
class Overlay:
    pages: list[PageBoxes]
    elements: list[Element] = field(default_factory=list)


def _draw_text(canvas: Canvas, element: TextElement) -> None:
    x, y, width, height = element.box.pt
    canvas.setFillColor(parse_colour(element.colour) or HexColor("#000000"))
    lines = element.block.lines
    if not lines:
        return
    baseline = y + height - fonts.ascent(lines[0].font) * lines[0].size
    for index, line in enumerate(lines):
        if index:
            baseline -= line_step(lines[index - 1], line)
        canvas.setFont(fonts.register(line.font), line.size)
        if element.align == "center":
            canvas.drawCentredString(x + width / 2, baseline, line.text)
        elif element.align == "right":
            canvas.drawRightString(x + width, baseline, line.text)
        else:
            canvas.drawString(x, baseline, line.text)


def _draw_qr(canvas: Canvas, element: QRElement) -> None:
    x, y, width, height = element.box.pt
    qr = segno.make(element.data, error="m", micro=False)
    border = 2
    modules = qr.symbol_size(scale=1, border=border)[0]
    side = min(width, height)
    module = side / modules
    left = x + (width - side) / 2
    top = y + (height + side) / 2
    canvas.setFillColor(HexColor("#FFFFFF"))
    canvas.rect(left, top - side, side, side, stroke=0, fill=1)
    canvas.setFillColor(parse_colour(element.colour) or HexColor("#000000"))
    path = canvas.beginPath()
    for row_index, row in enumerate(qr.matrix_iter(scale=1, border=border)):
        start = None
        for column, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(
                    left + start * module,
                    top - (row_index + 1) * module,
                    (column - start) * module,
                    module,
                )
                start = None
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_image(canvas: Canvas, element: ImageElement) -> None:
    x, y, width, height = element.box.pt
    canvas.drawImage(
        ImageReader(io.BytesIO(element.image)),
        x,
        y,
        width,
        height,
        preserveAspectRatio=True,
        anchor="c",
        mask="auto",
    )


def _overlay_pdf(overlay: Overlay) -> bytes:
    buffer = io.BytesIO()
    # The initial font would otherwise be Helvetica, listed (not embedded) on every page.
    initial_font = fonts.register(fonts.DEFAULT_FONT)
    with fonts.embedding:
        canvas = Canvas(buffer, invariant=True, pageCompression=1, initialFontName=initial_font)
        for number, page in enumerate(overlay.pages, start=1):
            canvas.setPageSize((mm_to_pt(page.width), mm_to_pt(page.height)))
            for element in overlay.elements:
                if element.page != number:
                    continue
                if isinstance(element, TextElement):
                    _draw_text(canvas, element)
                elif isinstance(element, QRElement):
                    _draw_qr(canvas, element)
                else:
                    _draw_image(canvas, element)
            canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _page_resources(page: PageObject) -> DictionaryObject:
    """The page's own /Resources dictionary; inherited ones are copied onto the page first so
    that adding our XObject does not hide them."""
    resources = page.get("/Resources")
    if resources is None:
        inherited = page.get_inherited("/Resources")
        own = DictionaryObject(dict(inherited.get_object())) if inherited else DictionaryObject()
        page[NameObject("/Resources")] = own
        return own
    return cast(DictionaryObject, resources.get_object())


def stamp(designer_pdf: bytes, overlay: Overlay) -> bytes:
    """The designer's PDF with the overlay's elements drawn on top of its pages."""
    used = {element.page for element in overlay.elements}
    overlay_reader = PdfReader(io.BytesIO(_overlay_pdf(overlay)))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(designer_pdf)))
    for index, page in enumerate(writer.pages):
        if index + 1 not in used:
            continue
        layer = overlay_reader.pages[index]
        boxes = overlay.pages[index]
        form = DecodedStreamObject()
        layer_content = layer.get_contents()
        form.set_data(layer_content.get_data() if layer_content is not None else b"")
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [
                        FloatObject(0),
                        FloatObject(0),
                        FloatObject(mm_to_pt(boxes.width)),
                        FloatObject(mm_to_pt(boxes.height)),
                    ]
                ),
                NameObject("/Resources"): layer["/Resources"].clone(writer),
            }
        )
        form_ref = writer._add_object(form.flate_encode())
        resources = _page_resources(page)
        found = resources.get("/XObject")
        xobjects = cast(DictionaryObject, found.get_object()) if found is not None else None
        if xobjects is None:
            xobjects = DictionaryObject()
            resources[NameObject("/XObject")] = xobjects
        xobjects[NameObject(STAMP_NAME)] = form_ref
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else ArrayObject()
        streams = list(existing) if isinstance(existing, ArrayObject) else [contents]
        before = DecodedStreamObject()
        before.set_data(b"q\n")
        after = DecodedStreamObject()
        ox, oy = boxes.origin_pt
        after.set_data(f"Q\nq 1 0 0 1 {ox:.4f} {oy:.4f} cm {STAMP_NAME} Do Q\n".encode())
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(before), *streams, writer._add_object(after)]
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def render_previews(pdf: bytes, *, max_px: int) -> list[bytes]:
    """A PNG of each page (its CropBox), scaled so that its longer side is `max_px` pixels at
    most (a roll-up and a flyer both fit the screen)."""
    images = []
    with _pdfium_lock:
        document = pypdfium2.PdfDocument(pdf)
        try:
            for page in document:
                width, height = page.get_size()
                scale = min(max_px / max(width, height), 150 / 72)
                bitmap = page.render(scale=scale)
                buffer = io.BytesIO()
                bitmap.to_pil().save(buffer, format="PNG", optimize=False)
                images.append(buffer.getvalue())
                page.close()
        finally:
            document.close()
    return images
