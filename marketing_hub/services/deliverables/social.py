"""The social posts pack: HQ's post templates of the month, personalised for the store (its
name, city, an offer, a product it has in stock with its price), as images (Pillow: the
template's image, or the brand's colour, with the text drawn on it) and text, in one ZIP with a
calendar (CSV) of what to post when."""

from __future__ import annotations

import csv
import io
import re
import textwrap
import zipfile
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from stores.models import Store

from ...fonts import DEFAULT_BOLD_FONT, DEFAULT_FONT, FONTS
from ...models import SocialPostTemplate
from ..periods import days_in_month
from .local_ads import InventoryRow

SIZE = (1080, 1080)
BRAND = (31, 77, 58)
INK = (255, 255, 255)


@dataclass(frozen=True)
class Post:
    day: date
    title: str
    text: str
    template: SocialPostTemplate

    @property
    def slug(self) -> str:
        return f"{self.day:%Y-%m-%d}-{self.template.pk}"


def euros(cents: int) -> str:
    whole, part = divmod(cents, 100)
    return f"{whole},{part:02d} €"


def month_templates(period: date) -> list[SocialPostTemplate]:
    return list(SocialPostTemplate.objects.filter(month=period).order_by("day", "pk"))


def personalise(
    *,
    store: Store,
    templates: list[SocialPostTemplate],
    period: date,
    rows: list[InventoryRow],
    reductions: dict[int, tuple[int, int]] | None = None,
) -> list[Post]:
    """Each template's text with the store's words; products in stock are taken in turn (the
    best stocked first), so two posts of the month show two products when it has them. The
    offer is a running reduction of the store when it has one ("at X instead of Y", Y the
    lowest price of the 30 days before, as the Omnibus rule wants), else a product's price."""
    reductions = reductions or {}
    in_stock = sorted(
        (row for row in rows if row.quantity > 0), key=lambda row: (-row.quantity, row.id)
    )
    reduced = [row for row in in_stock if row.variant_id in reductions]
    posts = []
    for index, template in enumerate(templates):
        product = in_stock[index % len(in_stock)] if in_stock else None
        if reduced:
            offer_row = reduced[index % len(reduced)]
            price, reference = reductions[offer_row.variant_id]
            offer = f"{offer_row.product_name} à {euros(price)} au lieu de {euros(reference)}"
        elif product is not None:
            offer = f"{product.product_name} à {euros(product.price_cents)}"
        else:
            offer = store.name
        values = {
            "store": store.name,
            "city": store.city,
            "network": settings.NETWORK_NAME,
            "product": product.product_name if product else "",
            "price": euros(product.price_cents) if product else "",
            "offer": offer,
        }
        day = period.replace(day=min(max(template.day, 1), days_in_month(period)))
        posts.append(
            Post(
                day=day,
                title=template.title,
                text=template.text.format_map(_Missing(values)),
                template=template,
            )
        )
    return posts


class _Missing(dict):
    """Unknown placeholders stay as written rather than failing the month's calendar."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The brand's font (the one the print files embed), so posts speak French: accents, €."""
    return ImageFont.truetype(str(FONTS[DEFAULT_BOLD_FONT if bold else DEFAULT_FONT].path), size)


def post_image(post: Post, *, store: Store) -> bytes:
    """A square PNG: the template's image (cropped to the square) or the brand colour, a band
    at the bottom with the post's text, the store's name on top."""
    canvas = Image.new("RGB", SIZE, BRAND)
    if post.template.image:
        try:
            with post.template.image.open("rb") as handle, Image.open(handle) as opened:
                picture = opened.convert("RGB")
                scale = max(SIZE[0] / picture.width, SIZE[1] / picture.height)
                resized = picture.resize(
                    (round(picture.width * scale), round(picture.height * scale))
                )
                left = (resized.width - SIZE[0]) // 2
                top = (resized.height - SIZE[1]) // 2
                canvas.paste(resized.crop((left, top, left + SIZE[0], top + SIZE[1])))
        except (OSError, ValueError):
            pass  # an unreadable image: the brand colour
    draw = ImageDraw.Draw(canvas, "RGBA")
    draw.rectangle((0, 0, SIZE[0], 110), fill=(*BRAND, 230))
    draw.text((48, 30), store.name, font=_font(44, bold=True), fill=INK)
    # French punctuation keeps its space: a line never starts with ":", "!", "?" or ";".
    text = re.sub(r" ([:!?;»])", "\u00a0\\1", post.text).replace("« ", "«\u00a0")
    lines = textwrap.wrap(text, width=42)[:8]
    band_top = SIZE[1] - 60 - 52 * len(lines) - 80
    draw.rectangle((0, band_top, SIZE[0], SIZE[1]), fill=(0, 0, 0, 170))
    draw.text((48, band_top + 30), post.title, font=_font(48, bold=True), fill=INK)
    for number, line in enumerate(lines):
        draw.text((48, band_top + 100 + 52 * number), line, font=_font(36), fill=INK)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def calendar_zip(posts: list[Post], *, store: Store) -> bytes:
    """posts.csv (day, title, text, image) + one PNG and one .txt per post."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        calendar = io.StringIO()
        writer = csv.writer(calendar)
        writer.writerow(["day", "title", "text", "image"])
        for post in posts:
            image_name = f"{post.slug}.png"
            writer.writerow([post.day.isoformat(), post.title, post.text, image_name])
            archive.writestr(image_name, post_image(post, store=store))
            archive.writestr(f"{post.slug}.txt", f"{post.title}\n\n{post.text}\n")
        archive.writestr("posts.csv", calendar.getvalue())
    return buffer.getvalue()
