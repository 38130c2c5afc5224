"""What the marketing orders' tests stand on: a supplier, items with price tiers (a personalised
flyer with its artwork, goodies with sizes), a store's proof, budgets and co-funding rules.
Made directly, so these tests don't depend on the proof stamping (part M1)."""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.files.base import ContentFile

from marketing_hub.models import (
    Artwork,
    Budget,
    Campaign,
    CoFundingRule,
    MarketingItem,
    PriceTier,
    Proof,
    Supplier,
)
from marketing_hub.services import orders

THIS_YEAR = date.today().year  # noqa: DTZ011 (a date range around today, whatever the zone)
YEAR_START, YEAR_END = date(THIS_YEAR, 1, 1), date(THIS_YEAR + 1, 12, 31)
FAKE_PDF = b"%PDF-1.4\n% a proof\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def make_supplier(name="Imprimerie du Rhône", email="commandes@imprimerie.example", **kwargs):
    return Supplier.objects.create(name=name, email=email, **kwargs)


def make_item(
    reference="FLY-A5",
    *,
    name="Flyer A5 recto verso",
    kind=MarketingItem.Kind.PRINT,
    tiers=((250, 3_900), (1_000, 9_900), (5_000, 29_900)),
    supplier=None,
    artwork=True,
    **kwargs,
):
    item = MarketingItem.objects.create(
        reference=reference, name=name, kind=kind, supplier=supplier, **kwargs
    )
    for quantity, price in tiers:
        PriceTier.objects.create(item=item, quantity=quantity, price_cents=price)
    if artwork:
        Artwork.objects.create(
            item=item,
            version=1,
            pdf=ContentFile(FAKE_PDF, name="artwork.pdf"),
            pdf_sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
        )
    return item


def make_goodies(reference="TSHIRT", **kwargs):
    kwargs.setdefault("name", "T-shirt Ardoise")
    kwargs.setdefault("tiers", ((10, 8_000), (50, 35_000)))
    return make_item(
        reference,
        kind=MarketingItem.Kind.GOODIES,
        artwork=False,
        options={"size": ["S", "M", "L"]},
        **kwargs,
    )


def make_proof(store, item, *, free_text=False, content=None):
    artwork = item.artworks.get(is_current=True)
    data = content or FAKE_PDF + f"% {store.slug} {Proof.objects.count()}\n".encode()
    return Proof.objects.create(
        store=store,
        artwork=artwork,
        number=Proof.objects.filter(store=store, artwork=artwork).count() + 1,
        values={"headline": "Offre de printemps"} if free_text else {},
        uses_free_text=free_text,
        pdf=ContentFile(data, name="proof.pdf"),
        pdf_sha256=hashlib.sha256(data).hexdigest(),
    )


def make_budget(store, amount_cents=100_000, *, starts_on=YEAR_START, ends_on=YEAR_END, **kw):
    return Budget.objects.create(
        store=store,
        period=Budget.Period.YEAR,
        starts_on=starts_on,
        ends_on=ends_on,
        amount_cents=amount_cents,
        **kw,
    )


def make_rule(
    *, percent_bp=5000, cap_cents=10_000, item=None, item_kind="", campaign=None, name="Co-op"
):
    return CoFundingRule.objects.create(
        name=name,
        percent_bp=percent_bp,
        item=item,
        item_kind=item_kind,
        campaign=campaign,
        cap_per_store_cents=cap_cents,
        starts_on=YEAR_START,
        ends_on=YEAR_END,
    )


def make_campaign(slug="printemps-2027", name="Printemps au jardin 2027"):
    return Campaign.objects.create(name=name, slug=slug, starts_on=YEAR_START, ends_on=YEAR_END)


def placed_order(store, actor, item, *, quantity=250, proof=None, options=None):
    """A cart with one line of `item`, placed."""
    if proof is None and item.artworks.filter(is_current=True).exists():
        proof = make_proof(store, item)
    orders.add_to_cart(
        store=store, item=item, quantity=quantity, proof=proof, options=options, actor=actor
    )
    cart = orders.open_cart(store=store, actor=actor)
    return orders.place_order(order=cart, actor=actor)
