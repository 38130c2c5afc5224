"""Designer artwork made by the project, for the demo and the tests: print-ready PDFs with 3 mm
of bleed (MediaBox = trim + bleed, TrimBox and BleedBox set), in CMYK brand colours, with the
fields each one declares for the stores (positions in mm from the page's lower-left corner,
bleed included, like every ArtworkField).

    from marketing_hub.artwork.samples import SAMPLES, sample_pdf
    pdf = sample_pdf("flyer-a5")            # bytes of the designer's PDF
    SAMPLES["flyer-a5"].fields              # what to create as ArtworkField rows
    SAMPLES["flyer-a5"].field_rows()        # the same as dicts of ArtworkField's columns
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas

from marketing_hub import fonts

from .pdf import mm_to_pt

BLEED_MM = 3.0

# The brand: a deep garden green, a warm terracotta, cream paper, a sunny yellow.
GREEN = CMYKColor(0.85, 0.20, 0.75, 0.35)
LEAF = CMYKColor(0.55, 0.0, 0.70, 0.05)
TERRACOTTA = CMYKColor(0.05, 0.70, 0.80, 0.05)
CREAM = CMYKColor(0.0, 0.03, 0.12, 0.0)
SUN = CMYKColor(0.0, 0.20, 0.90, 0.0)
INK = CMYKColor(0.70, 0.50, 0.50, 0.80)
WHITE = CMYKColor(0, 0, 0, 0)


@dataclass(frozen=True)
class FieldSpec:
    """One ArtworkField to declare on the sample (same names as the model's columns)."""

    key: str
    label: str
    kind: str
    page: int
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    font: str = "sans"
    size_min_pt: float = 6
    size_max_pt: float = 14
    colour: str = "#000000"
    align: str = "left"
    max_length: int | None = None
    editable: bool = False
    default_text: str = ""
    position: int = 0


@dataclass(frozen=True)
class Sample:
    key: str
    name: str
    kind: str  # MarketingItem.Kind value
    print_format: str  # MarketingItem.PrintFormat value ("" for goodies)
    trim_mm: tuple[float, float]
    headline: str
    draw: Callable[[Canvas, int, float, float, Sample], None]
    pages: int = 1
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)

    def field_rows(self) -> list[dict]:
        return [asdict(spec) for spec in self.fields]


def _pt(value_mm: float) -> float:
    return mm_to_pt(value_mm)


def _text(
    canvas: Canvas, text: str, x_mm: float, y_mm: float, size: float, *, font: str = "sans-bold"
) -> None:
    canvas.setFont(fonts.register(font), size)
    canvas.drawString(_pt(x_mm), _pt(y_mm), text)


def _centred(
    canvas: Canvas, text: str, x_mm: float, y_mm: float, size: float, *, font: str = "sans-bold"
) -> None:
    canvas.setFont(fonts.register(font), size)
    canvas.drawCentredString(_pt(x_mm), _pt(y_mm), text)


def _leaves(canvas: Canvas, cx: float, cy: float, r: float) -> None:
    """A few overlapping discs: the brand's foliage motif (mm)."""
    for dx, dy, k, colour in (
        (0, 0, 1.0, LEAF),
        (0.7, 0.35, 0.65, GREEN),
        (-0.6, 0.5, 0.55, SUN),
        (0.2, -0.7, 0.45, TERRACOTTA),
    ):
        canvas.setFillColor(colour)
        canvas.circle(_pt(cx + dx * r), _pt(cy + dy * r), _pt(r * k), stroke=0, fill=1)


def _panel(canvas: Canvas, x: float, y: float, w: float, h: float, colour: CMYKColor) -> None:
    canvas.setFillColor(colour)
    canvas.roundRect(_pt(x), _pt(y), _pt(w), _pt(h), _pt(min(w, h) * 0.06), stroke=0, fill=1)


def _background(canvas: Canvas, width: float, height: float) -> None:
    canvas.setFillColor(CREAM)
    canvas.rect(0, 0, _pt(width), _pt(height), stroke=0, fill=1)


def _draw_flyer(canvas: Canvas, page: int, width: float, height: float, sample: Sample) -> None:
    b = BLEED_MM
    _background(canvas, width, height)
    if page == 1:
        canvas.setFillColor(GREEN)
        canvas.rect(0, _pt(height * 0.58), _pt(width), _pt(height * 0.42), stroke=0, fill=1)
        _leaves(canvas, width - 22, height - 30, 26)
        canvas.setFillColor(WHITE)
        _text(canvas, "Printemps", b + 10, height - 45, 34)
        _text(canvas, "au jardin", b + 10, height - 60, 34)
        canvas.setFillColor(SUN)
        _text(canvas, "Du 1er mars au 30 avril", b + 10, height - 72, 12, font="sans")
        _panel(canvas, b + 8, b + 40, width - 2 * b - 16, 70, WHITE)
        canvas.setFillColor(TERRACOTTA)
        _text(canvas, "NOTRE SÉLECTION", b + 14, b + 102, 9)
        canvas.setFillColor(GREEN)
        canvas.rect(0, 0, _pt(width), _pt(b + 30), stroke=0, fill=1)
    else:
        canvas.setFillColor(GREEN)
        canvas.rect(0, _pt(height - b - 42), _pt(width), _pt(b + 42), stroke=0, fill=1)
        canvas.setFillColor(SUN)
        _text(canvas, "VOTRE MAGASIN", b + 11, height - b - 14, 11)
        _leaves(canvas, width - 20, 22, 18)
        _panel(canvas, b + 8, b + 58, width - 2 * b - 16, 98, WHITE)
        canvas.setFillColor(TERRACOTTA)
        _text(canvas, "HORAIRES", b + 11, b + 100, 9)
        _text(canvas, "NOUS TROUVER", b + 11, b + 146, 9)


def _draw_poster(canvas: Canvas, page: int, width: float, height: float, sample: Sample) -> None:
    b = BLEED_MM
    _background(canvas, width, height)
    canvas.setFillColor(GREEN)
    canvas.rect(0, _pt(height * 0.55), _pt(width), _pt(height * 0.45), stroke=0, fill=1)
    _leaves(canvas, width - width * 0.18, height - height * 0.16, width * 0.16)
    canvas.setFillColor(WHITE)
    scale = width / 148
    _text(canvas, sample.headline, b + 10 * scale, height - 60 * scale, 30 * scale)
    canvas.setFillColor(SUN)
    _text(canvas, "Offres valables en magasin", b + 10 * scale, height - 74 * scale, 11 * scale)
    _panel(canvas, b + 8 * scale, b + 30 * scale, width - 2 * b - 16 * scale, 70 * scale, WHITE)
    canvas.setFillColor(TERRACOTTA)
    canvas.rect(0, 0, _pt(width), _pt(b + 20 * scale), stroke=0, fill=1)


def _draw_rollup(canvas: Canvas, page: int, width: float, height: float, sample: Sample) -> None:
    b = BLEED_MM
    _background(canvas, width, height)
    canvas.setFillColor(GREEN)
    canvas.rect(0, _pt(height - 700), _pt(width), _pt(700), stroke=0, fill=1)
    _leaves(canvas, width * 0.75, height - 330, 220)
    canvas.setFillColor(WHITE)
    _text(canvas, "Printemps", b + 60, height - 420, 260)
    _text(canvas, "au jardin", b + 60, height - 520, 260)
    canvas.setFillColor(TERRACOTTA)
    canvas.rect(0, 0, _pt(width), _pt(b + 260), stroke=0, fill=1)
    _panel(canvas, b + 50, b + 300, width - 2 * b - 100, 600, WHITE)


def _draw_goodie(canvas: Canvas, page: int, width: float, height: float, sample: Sample) -> None:
    """A mock-up: the object's silhouette, with the printable area where the fields go."""
    _background(canvas, width, height)
    canvas.setFillColor(LEAF if sample.key != "goodies-mug" else TERRACOTTA)
    cx = width / 2
    if sample.key == "goodies-mug":
        canvas.roundRect(_pt(cx - 60), _pt(40), _pt(120), _pt(140), _pt(10), stroke=0, fill=1)
        canvas.setStrokeColor(TERRACOTTA)
        canvas.setLineWidth(_pt(12))
        canvas.circle(_pt(cx + 70), _pt(110), _pt(32), stroke=1, fill=0)
    elif sample.key == "goodies-tshirt":
        path = canvas.beginPath()
        for index, (x, y) in enumerate(
            (
                (-40, 180),
                (-90, 150),
                (-70, 115),
                (-50, 125),
                (-50, 20),
                (50, 20),
                (50, 125),
                (70, 115),
                (90, 150),
                (40, 180),
                (0, 165),
            )
        ):
            (path.moveTo if index == 0 else path.lineTo)(_pt(cx + x), _pt(y + 20))
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
    else:  # tote bag
        canvas.rect(_pt(cx - 70), _pt(25), _pt(140), _pt(150), stroke=0, fill=1)
        canvas.setStrokeColor(GREEN)
        canvas.setLineWidth(_pt(6))
        canvas.arc(_pt(cx - 40), _pt(140), _pt(cx + 40), _pt(215), 0, 180)
    canvas.setFillColor(GREEN)
    _centred(canvas, sample.headline, cx, height - 18, 14)


A5 = (148.0, 210.0)
A3 = (297.0, 420.0)
A1 = (594.0, 841.0)
ROLLUP = (850.0, 2000.0)
GOODIE = (240.0, 240.0)
DARK, WHITE_TEXT, GREEN_TEXT, RED_TEXT = "#1f2933", "#ffffff", "#1f4d2b", "#b5532f"


def _f(
    key: str,
    label: str,
    kind: str,
    page: int,
    box: tuple[float, float, float, float],
    font: str = "sans",
    sizes: tuple[float, float] = (6, 14),
    colour: str = "#000000",
    **extra: Any,
) -> FieldSpec:
    x, y, width, height = box
    return FieldSpec(
        key, label, kind, page, x, y, width, height, font, sizes[0], sizes[1], colour, **extra
    )


_FLYER_FIELDS = (
    _f(
        "product",
        "Produit",
        "product",
        1,
        (14, 46, 118, 52),
        "sans-bold",
        (9, 20),
        GREEN_TEXT,
        editable=True,
        position=1,
    ),
    _f(
        "store_name",
        "Nom du magasin",
        "store_name",
        1,
        (14, 12, 120, 16),
        "sans-bold",
        (8, 18),
        WHITE_TEXT,
        position=2,
    ),
    _f(
        "store_name_verso",
        "Nom du magasin",
        "store_name",
        2,
        (14, 177, 126, 16),
        "sans-bold",
        (8, 18),
        WHITE_TEXT,
        position=1,
    ),
    _f(
        "address",
        "Adresse",
        "store_address",
        2,
        (14, 122, 116, 20),
        "sans",
        (7, 11),
        DARK,
        position=2,
    ),
    _f(
        "phone",
        "Téléphone",
        "store_phone",
        2,
        (14, 112, 116, 7),
        "sans-bold",
        (7, 11),
        DARK,
        position=3,
    ),
    _f("hours", "Horaires", "store_hours", 2, (14, 64, 78, 34), "sans", (6, 9), DARK, position=4),
    _f("qr", "Page du magasin (QR)", "store_url_qr", 2, (96, 64, 34, 34), position=5),
    _f(
        "message",
        "Message libre",
        "free_text",
        2,
        (14, 14, 100, 34),
        "serif",
        (7, 13),
        GREEN_TEXT,
        max_length=140,
        editable=True,
        position=6,
        default_text="Toute l'équipe vous accueille pour préparer le printemps !",
    ),
)
_POSTER_FIELDS = (
    _f(
        "product",
        "Produit",
        "product",
        1,
        (25, 70, 180, 120),
        "sans-bold",
        (14, 40),
        GREEN_TEXT,
        editable=True,
        position=1,
    ),
    _f("qr", "Page du magasin (QR)", "store_url_qr", 1, (215, 72, 64, 64), position=2),
    _f(
        "store_name",
        "Nom du magasin",
        "store_name",
        1,
        (20, 12, 260, 26),
        "sans-bold",
        (12, 34),
        WHITE_TEXT,
        position=3,
    ),
    _f(
        "address",
        "Adresse",
        "store_address",
        1,
        (215, 145, 64, 55),
        "sans",
        (9, 16),
        DARK,
        position=4,
    ),
)
_PLV_FIELDS = (
    _f(
        "product",
        "Produit",
        "product",
        1,
        (50, 140, 480, 200),
        "sans-bold",
        (24, 80),
        GREEN_TEXT,
        editable=True,
        position=1,
    ),
    _f(
        "store_name",
        "Nom du magasin",
        "store_name",
        1,
        (40, 12, 520, 60),
        "sans-bold",
        (24, 70),
        WHITE_TEXT,
        position=2,
    ),
    _f(
        "message",
        "Accroche",
        "free_text",
        1,
        (50, 350, 480, 50),
        "serif",
        (18, 48),
        RED_TEXT,
        max_length=60,
        editable=True,
        default_text="Tout pour le jardin, près de chez vous",
        position=3,
    ),
)
_ROLLUP_FIELDS = (
    _f(
        "store_name",
        "Nom du magasin",
        "store_name",
        1,
        (60, 120, 730, 120),
        "sans-bold",
        (40, 160),
        WHITE_TEXT,
        align="center",
        position=1,
    ),
    _f("qr", "Page du magasin (QR)", "store_url_qr", 1, (540, 360, 240, 240), position=2),
    _f(
        "address",
        "Adresse",
        "store_address",
        1,
        (90, 700, 440, 160),
        "sans",
        (30, 80),
        DARK,
        position=3,
    ),
    _f(
        "phone",
        "Téléphone",
        "store_phone",
        1,
        (90, 640, 440, 50),
        "sans-bold",
        (30, 70),
        DARK,
        position=4,
    ),
    _f(
        "hours",
        "Horaires",
        "store_hours",
        1,
        (90, 330, 440, 290),
        "sans",
        (20, 50),
        DARK,
        position=5,
    ),
)


def _goodie(key: str, name: str, area: tuple[float, float, float, float]) -> Sample:
    store_name = _f(
        "store_name",
        "Nom du magasin",
        "store_name",
        1,
        area,
        "sans-bold",
        (8, 22),
        WHITE_TEXT,
        align="center",
        position=1,
    )
    return Sample(key, name, "goodies", "", GOODIE, name, _draw_goodie, fields=(store_name,))


SAMPLES: dict[str, Sample] = {
    sample.key: sample
    for sample in (
        Sample(
            "flyer-a5",
            "Flyer A5 recto verso",
            "print",
            "flyer",
            A5,
            "Printemps au jardin",
            _draw_flyer,
            pages=2,
            fields=_FLYER_FIELDS,
        ),
        Sample(
            "poster-a3",
            "Affiche A3",
            "print",
            "poster",
            A3,
            "Printemps au jardin",
            _draw_poster,
            fields=_POSTER_FIELDS,
        ),
        Sample(
            "plv-a1",
            "PLV A1 sur pied",
            "print",
            "plv",
            A1,
            "Printemps au jardin",
            _draw_poster,
            fields=_PLV_FIELDS,
        ),
        Sample(
            "rollup",
            "Roll-up 85 x 200 cm",
            "print",
            "rollup",
            ROLLUP,
            "Printemps au jardin",
            _draw_rollup,
            fields=_ROLLUP_FIELDS,
        ),
        _goodie("goodies-tote", "Tote bag", (83.0, 70.0, 80.0, 40.0)),
        _goodie("goodies-mug", "Mug", (73.0, 90.0, 100.0, 40.0)),
        _goodie("goodies-tshirt", "T-shirt", (88.0, 100.0, 70.0, 30.0)),
    )
}


@cache
def sample_pdf(key: str) -> bytes:
    """The designer's PDF of sample `key` (see SAMPLES), with bleed, TrimBox and BleedBox."""
    sample = SAMPLES[key]
    trim_w, trim_h = sample.trim_mm
    width, height = trim_w + 2 * BLEED_MM, trim_h + 2 * BLEED_MM
    buffer = io.BytesIO()
    initial_font = fonts.register(fonts.DEFAULT_FONT)
    with fonts.embedding:
        canvas = Canvas(
            buffer, pagesize=(_pt(width), _pt(height)), invariant=True, initialFontName=initial_font
        )
        canvas.setTitle(sample.name)
        canvas.setAuthor("Studio Ardoise")
        for page in range(1, sample.pages + 1):
            trim = (_pt(BLEED_MM), _pt(BLEED_MM), _pt(BLEED_MM + trim_w), _pt(BLEED_MM + trim_h))
            canvas.setTrimBox(trim)
            canvas.setBleedBox((0, 0, _pt(width), _pt(height)))
            sample.draw(canvas, page, width, height, sample)
            canvas.showPage()
        canvas.save()
    return buffer.getvalue()
