"""What the digital packs produce from the platform's own data: the Google Business Profile
bulk upload sheet (XLSX and CSV), the local inventory feed and campaign brief, the month's
social posts (images and text in a ZIP); each rebuilt only when its source changed."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from catalog.models import PriceHistory
from marketing_hub.models import Deliverable, SocialPostTemplate
from marketing_hub.services.deliverables import gbp, generate_deliverables, refresh_deliverables
from stores.models import StoreSpecialDay
from stores.services import update_offer
from tests.factories import StockLevelFactory, VariantFactory

from .subscriptions_fixtures import make_plans, subscribed

pytestmark = pytest.mark.django_db
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
TODAY = date(2026, 12, 6)
K = Deliverable.Kind


@pytest.fixture
def plans(db):
    return make_plans()


@pytest.fixture
def lyon(lyon_store):
    lyon_store.opening_hours = {
        "mon": [["14:00", "19:00"]],
        "tue": [["09:00", "12:00"], ["14:00", "19:00"]],
        "wed": [["09:00", "19:00"]],
        "thu": [["09:00", "19:00"]],
        "fri": [["09:00", "19:30"]],
        "sat": [["09:00", "19:30"]],
        "sun": [],
    }
    lyon_store.phone = "+33 4 78 00 11 22"
    lyon_store.catchment_radius_km = 12
    lyon_store.offers_reserve_collect = False
    lyon_store.save()
    StoreSpecialDay.objects.create(store=lyon_store, day=date(2026, 12, 25), closed=True)
    StoreSpecialDay.objects.create(
        store=lyon_store, day=date(2026, 12, 31), closed=False, opens=time(9), closes=time(16)
    )
    StoreSpecialDay.objects.create(store=lyon_store, day=date(2026, 1, 1), closed=True)  # past
    return lyon_store


@pytest.fixture
def stock(lyon, paris_store):
    """Lyon's offers: plenty of secateurs at its own price, 2 rakes at the RRP, no gloves;
    and a Paris offer that must not appear."""
    secateur = VariantFactory(sku="SEC-001", product__name="Sécateur Expert", rrp_cents=3_990)
    rake = VariantFactory(sku="RAT-002", product__name="Râteau bois", rrp_cents=2_450)
    gloves = VariantFactory(sku="GAN-003", product__name="Gants cuir", rrp_cents=1_290)
    StockLevelFactory(store=lyon, variant=secateur, on_hand=14, price_cents=3_490)
    StockLevelFactory(store=lyon, variant=rake, on_hand=2)
    StockLevelFactory(store=lyon, variant=gloves, on_hand=0)
    StockLevelFactory(store=paris_store, variant=VariantFactory(sku="PAR-999"), on_hand=50)
    return secateur, rake, gloves


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_the_gbp_sheet_is_the_bulk_upload_spreadsheet_with_the_stores_listing(lyon, plans):
    subscription = subscribed(lyon, plans.gbp_basic, on=TODAY)

    (sheet,) = generate_deliverables(subscription=subscription, today=TODAY)

    assert sheet.kind == K.GBP_SHEET
    rows = list(load_workbook(io.BytesIO(read(sheet.file))).active.iter_rows(values_only=True))
    assert list(rows[0]) == gbp.HEADERS
    assert rows[0][:3] == ("Store code", "Business name", "Address line 1")
    assert "Sunday hours" in rows[0]
    assert "Special hours" in rows[0]
    listing = dict(zip(rows[0], rows[1], strict=True))
    assert listing["Store code"] == "lyon-presquile"
    assert listing["Business name"] == "Ardoise Lyon Presqu'île"
    assert listing["Address line 1"] == lyon.address_line
    assert (listing["Locality"], listing["Postal code"], listing["Country / Region"]) == (
        "Lyon", "69002", "FR"
    )  # fmt: skip
    assert listing["Primary phone"] == "+33 4 78 00 11 22"
    assert listing["Website"] == "http://127.0.0.1:8000/stores/lyon-presquile/"
    assert listing["Monday hours"] == "14:00-19:00"
    assert listing["Tuesday hours"] == "09:00-12:00,14:00-19:00"
    assert listing["Sunday hours"] is None  # closed: left empty
    assert listing["Special hours"] == "2026-12-25: x, 2026-12-31: 09:00-16:00"
    assert "Click & collect" in listing["From the business"]
    assert "Reserve & collect" not in listing["From the business"]
    # The same listing as CSV
    csv_rows = list(csv.reader(io.StringIO(read(sheet.extra_file).decode())))
    assert csv_rows[0] == gbp.HEADERS
    assert csv_rows[1] == [value or "" for value in rows[1]]


def test_the_gbp_sheet_is_rebuilt_only_when_the_stores_data_changes(lyon, plans):
    subscription = subscribed(lyon, plans.gbp_basic, on=TODAY)
    first = generate_deliverables(subscription=subscription, today=TODAY)[0]

    assert generate_deliverables(subscription=subscription, today=TODAY) == []
    assert refresh_deliverables(today=TODAY) == []

    lyon.phone = "+33 4 78 99 99 99"
    lyon.save()
    (rebuilt,) = refresh_deliverables(today=TODAY)

    assert rebuilt.pk == first.pk
    assert rebuilt.source_digest != first.source_digest
    assert "+33 4 78 99 99 99" in read(rebuilt.extra_file).decode()
    assert Deliverable.objects.filter(store=lyon, kind=K.GBP_SHEET).count() == 1


def test_the_local_inventory_feed_lists_the_stores_own_stock_in_merchant_centers_columns(
    lyon, plans, stock
):
    subscription = subscribed(lyon, plans.local_ads, on=TODAY)

    feed, brief = generate_deliverables(subscription=subscription, today=TODAY)

    assert (feed.kind, brief.kind) == (K.LOCAL_INVENTORY, K.CAMPAIGN_BRIEF)
    lines = read(feed.file).decode().splitlines()
    assert lines[0].split("\t") == [
        "store_code", "id", "gtin", "price", "quantity", "availability", "pickup_method",
        "pickup_sla",
    ]  # fmt: skip
    secateur, _rake, _gloves = stock
    rows = {line.split("\t")[1]: line.split("\t") for line in lines[1:]}
    assert set(rows) == {"SEC-001", "RAT-002", "GAN-003"}  # not Paris's
    assert rows["SEC-001"] == [
        "lyon-presquile", "SEC-001", secateur.gtin, "34.90 EUR", "14", "in_stock", "buy",
        "same_day",
    ]  # fmt: skip
    assert rows["RAT-002"][3:6] == ["24.50 EUR", "2", "limited_availability"]
    assert rows["GAN-003"][4:7] == ["0", "out_of_stock", "not_supported"]


def test_the_campaign_brief_gives_the_catchment_dates_budget_and_products_in_stock(
    lyon, plans, stock
):
    subscription = subscribed(lyon, plans.local_ads, on=TODAY)

    brief = generate_deliverables(subscription=subscription, today=TODAY)[1]

    html = read(brief.file).decode()
    assert "12 km" in html
    assert "99,00" in html  # the month's budget
    assert "1 décembre 2026" in html
    assert "Sécateur Expert" in html
    assert "Râteau bois" in html
    assert "Gants cuir" not in html  # out of stock


def test_the_social_calendar_personalises_the_months_posts_for_the_store(lyon, plans, stock):
    picture = io.BytesIO()
    Image.new("RGB", (1600, 900), (200, 120, 40)).save(picture, format="JPEG")
    spring = SocialPostTemplate(
        month=date(2026, 12, 1), day=5, title="Noël au jardin",
        text="{store} à {city} vous attend : {product} à {price} !",
    )  # fmt: skip
    spring.image.save("noel.jpg", ContentFile(picture.getvalue()), save=True)
    SocialPostTemplate.objects.create(
        month=date(2026, 12, 1), day=20, title="Offre", text="Cette semaine : {offer}."
    )
    SocialPostTemplate.objects.create(month=date(2026, 11, 1), title="Autre mois", text="x")
    subscription = subscribed(lyon, plans.social_posts, on=TODAY)

    (calendar,) = generate_deliverables(subscription=subscription, today=TODAY)

    archive = zipfile.ZipFile(io.BytesIO(read(calendar.file)))
    posts = list(csv.DictReader(io.StringIO(archive.read("posts.csv").decode())))
    assert [(p["day"], p["title"]) for p in posts] == [
        ("2026-12-05", "Noël au jardin"), ("2026-12-20", "Offre"),
    ]  # fmt: skip
    assert posts[0]["text"] == (
        "Ardoise Lyon Presqu'île à Lyon vous attend : Sécateur Expert à 34,90 € !"
    )
    assert posts[1]["text"] == "Cette semaine : Râteau bois à 24,50 €."
    png = archive.read(posts[0]["image"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "marketing-social-post.png").write_bytes(png)  # to look at
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (1080, 1080))
    assert archive.read(posts[1]["image"].replace(".png", ".txt")).decode().startswith("Offre")


def test_the_posts_offer_is_the_stores_running_reduction_against_its_30_day_reference(
    lyon, plans, stock, lyon_owner
):
    _secateur, rake, _gloves = stock
    PriceHistory.objects.create(
        variant=rake, store_id=lyon.pk, price_cents=2_450, source="test",
        started_at=timezone.now() - timedelta(days=20),
    )  # fmt: skip
    update_offer(
        store=lyon, variant=rake, price_cents=1_990, reduction=True, source="backoffice",
        actor=lyon_owner,
    )  # fmt: skip
    SocialPostTemplate.objects.create(
        month=date(2026, 12, 1), day=12, title="Promo", text="Chez {store} : {offer} !"
    )
    subscription = subscribed(lyon, plans.social_posts, on=TODAY)

    (calendar,) = generate_deliverables(subscription=subscription, today=TODAY)

    archive = zipfile.ZipFile(io.BytesIO(read(calendar.file)))
    (post,) = csv.DictReader(io.StringIO(archive.read("posts.csv").decode()))
    assert post["text"] == (
        "Chez Ardoise Lyon Presqu'île : Râteau bois à 19,90 € au lieu de 24,50 € !"
    )
