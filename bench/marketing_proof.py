"""A store's proof of a two-page A5 flyer (recto: product with a reduced price and its Omnibus
line, store name; verso: address, phone, opening hours, QR code of the store page, free text),
through the service the pages and the API call: p50 / p95 / max over --runs, after --warmup.

Side by side, in the same run, the parts of it and a baseline:
  make_proof      the whole thing: check, stamp, 2 page PNGs, files saved, proof row written
  stamp only      render_proof without previews (fields resolved, overlay drawn, merged)
  previews only   the two page PNGs of an already stamped PDF (pypdfium2)
  merge alone     baseline: the designer's PDF with a ready overlay merged in (pypdf), no
                  field resolved, no text laid out, no database

    createdb -h 127.0.0.1 -U postgres nm_bench_marketing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_bench_marketing python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_bench_marketing \\
        python bench/marketing_proof.py [--runs 50] [--warmup 3]

Files go to a temporary MEDIA_ROOT, removed at the end; the rows it creates (a store
"bench-marketing", its offer, an item "BENCH-FLYER-A5", an artwork version per run and the
proofs) stay in the database.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def measure(name: str, runs: int, warmup: int, work: Callable[[], object]) -> list[float]:
    for _ in range(warmup):
        work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{name:<14} p50 {statistics.median(times):7.1f} ms   p95 {percentile(times, 0.95):7.1f} ms"
        f"   max {max(times):7.1f} ms   ({runs} runs)"
    )
    return times


def setup_data():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from catalog.models import Category, PriceHistory, Product, Variant
    from marketing_hub.artwork.samples import SAMPLES, sample_pdf
    from marketing_hub.models import ArtworkField, MarketingItem, PriceTier
    from marketing_hub.services.artwork import upload_artwork
    from stores.models import Store
    from stores.services import update_offer

    store, _ = Store.objects.update_or_create(
        slug="bench-marketing",
        defaults={
            "name": "Ardoise Lyon Presqu'île", "kind": Store.Kind.FRANCHISE,
            "status": Store.Status.ACTIVE, "address_line": "12 rue de la République",
            "postal_code": "69002", "city": "Lyon", "latitude": Decimal("45.7640"),
            "longitude": Decimal("4.8357"), "phone": "04 72 10 20 30",
            "opening_hours": {
                day: [["09:00", "12:30"], ["14:00", "19:00"]]
                for day in ("tue", "wed", "thu", "fri", "sat")
            },
        },
    )  # fmt: skip
    category, _ = Category.objects.get_or_create(slug="bench-jardin", defaults={"name": "Jardin"})
    product, _ = Product.objects.get_or_create(
        slug="bench-secateur",
        defaults={"name": "Sécateur de précision Ardoise", "category": category},
    )
    product.status = Product.Status.PUBLISHED
    product.save()
    variant, created = Variant.objects.get_or_create(
        sku="BENCH-SEC-01", defaults={"product": product, "rrp_cents": 3490}
    )
    if created:
        update_offer(store=store, variant=variant, on_hand=40, price_cents=3490, source="bench",
                     actor="bench")  # fmt: skip
        PriceHistory.objects.filter(variant=variant).update(
            started_at=timezone.now() - timedelta(days=40)
        )
        update_offer(store=store, variant=variant, price_cents=2990, reduction=True,
                     source="bench", actor="bench")  # fmt: skip
    item, created = MarketingItem.objects.get_or_create(
        reference="BENCH-FLYER-A5",
        defaults={"kind": "print", "print_format": "flyer", "name": "Flyer A5 (bench)"},
    )
    if created:
        PriceTier.objects.create(item=item, quantity=250, price_cents=3900)
    # A new version each run: its file lands in this run's temporary MEDIA_ROOT.
    first = not item.artworks.exists()
    artwork = upload_artwork(
        item=item, data=sample_pdf("flyer-a5"), filename="flyer.pdf", actor="bench"
    )
    if first:
        for row in SAMPLES["flyer-a5"].field_rows():
            ArtworkField.objects.create(artwork=artwork, **row)
    return store, artwork, variant


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    media = tempfile.TemporaryDirectory(prefix="bench-marketing-")
    os.environ["MEDIA_ROOT"] = media.name
    import django

    django.setup()
    from django.conf import settings
    from pypdf import PdfReader, PdfWriter

    from marketing_hub.artwork.stamping import render_previews
    from marketing_hub.services.proofs import make_proof, render_proof

    settings.MEDIA_ROOT = media.name
    store, artwork, variant = setup_data()
    values = {
        "product": {"sku": variant.sku, "reduced": True},
        "message": "Atelier rempotage gratuit samedi 14 mars !",
    }
    with artwork.pdf.open("rb") as file:
        designer = file.read()
    stamped = render_proof(store=store, artwork=artwork, values=values, previews=False).pdf
    overlay = PdfReader(io.BytesIO(stamped))

    def merge_alone() -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(designer)))
        for page, layer in zip(writer.pages, overlay.pages, strict=True):
            page.merge_page(layer)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    load = os.getloadavg()
    print(
        f"proof of a two-page A5 flyer; {os.cpu_count()} CPUs, load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; preview {settings.MARKETING_PREVIEW_MAX_PX} px"
    )
    full = measure(
        "make_proof", args.runs, args.warmup,
        lambda: make_proof(store=store, artwork=artwork, values=values, actor="bench"),
    )  # fmt: skip
    measure(
        "stamp only", args.runs, args.warmup,
        lambda: render_proof(store=store, artwork=artwork, values=values, previews=False),
    )  # fmt: skip
    measure(
        "previews only", args.runs, args.warmup,
        lambda: render_previews(stamped, max_px=settings.MARKETING_PREVIEW_MAX_PX),
    )  # fmt: skip
    measure("merge alone", args.runs, args.warmup, merge_alone)
    target = 1000
    verdict = "within" if percentile(full, 0.95) < target else "OVER"
    print(f"make_proof p95 {percentile(full, 0.95):.1f} ms: {verdict} the {target} ms target")
    media.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
