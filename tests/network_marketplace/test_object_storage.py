"""Files in object storage, against a real S3-compatible server (moto's standalone server, in a
process of its own, through the real boto3 client): each kind of file lands under its prefix
and reads back, private files only through signed URLs that expire, public media through a plain
(CDN-able) URL, and a catalogue import checked on one web host is applied on another with
nothing kept on the first one's disk."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import environ
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.s3_server import S3Server
from catalog.models import Variant
from compliance.models import PersonalDataExport
from compliance.services.gdpr import download_path, request_personal_data_export
from marketing_hub.models import Deliverable
from network_marketplace.storage import (
    exports_storage,
    imports_storage,
    invoices_storage,
    marketing_storage,
)
from network_marketplace.storage_settings import storages_from_env
from tests.catalog.factories import CategoryFactory, ean13
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(scope="session")
def s3_server():
    """One moto server per test session (per xdist worker), on a port the system picks."""
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def object_storage(s3_server, settings, monkeypatch):
    """The platform's files go to a fresh bucket of the S3 server for this test."""
    bucket = f"nm-test-{uuid.uuid4().hex[:12]}"
    s3_server.create_bucket(bucket)
    for name, value in s3_server.env(bucket).items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = storages_from_env(environ.Env(), debug=True)
    settings.SERVE_MEDIA = False
    return bucket


def keys_in(s3_server, bucket: str) -> list[str]:
    listed = s3_server.client().list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our test server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize(
    ("storage", "prefix"),
    [
        (lambda: default_storage, "media/"),
        (imports_storage, "imports/"),
        (invoices_storage, "invoices/"),
        (exports_storage, "exports/"),
        (marketing_storage, "marketing/"),
    ],
    ids=["public-media", "imports", "invoices", "exports", "marketing"],
)
def test_each_kind_of_file_lands_under_its_prefix_and_reads_back(
    object_storage, s3_server, storage, prefix
):
    name = storage().save("folder/file.bin", ContentFile(b"\x00bytes of the file\xff"))

    with storage().open(name, "rb") as handle:
        assert handle.read() == b"\x00bytes of the file\xff"
    assert keys_in(s3_server, object_storage) == [f"{prefix}{name}"]


def test_a_private_file_is_given_by_a_signed_url_that_expires_after_the_setting(
    object_storage, settings
):
    """moto checks neither signatures nor their expiry (AWS S3, MinIO and the others do): what
    is checked here is the URL the platform hands out, signed and valid S3_SIGNED_URL_SECONDS
    from the moment it was signed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "invoices": {
            **settings.STORAGES["invoices"],
            "OPTIONS": {**settings.STORAGES["invoices"]["OPTIONS"], "querystring_expire": 120},
        },
    }
    name = invoices_storage().save("FA-2026-0001.pdf", ContentFile(b"%PDF-1.7 invoice"))
    before = datetime.now(UTC).replace(microsecond=0)

    url = invoices_storage().url(name)

    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert len(query["X-Amz-Signature"][0]) == 64
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    expires_at = signed_at + timedelta(seconds=int(query["X-Amz-Expires"][0]))
    assert before <= signed_at
    assert expires_at == signed_at + timedelta(seconds=120)
    assert fetch(url) == (200, b"%PDF-1.7 invoice")
    assert fetch(url.split("?")[0])[0] == 403  # without its signature: refused


def test_private_files_are_signed_for_five_minutes_by_default(object_storage):
    url = marketing_storage().url(marketing_storage().save("proofs/p.pdf", ContentFile(b"%PDF")))

    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["300"]


def test_public_media_has_a_plain_url_with_no_signature(object_storage):
    name = default_storage.save("products/beche.svg", ContentFile(b"<svg/>"))

    url = default_storage.url(name)

    assert "X-Amz" not in url
    assert "Signature" not in url
    assert fetch(url) == (200, b"<svg/>")


def test_public_media_urls_name_the_cdn_when_one_is_set(s3_server, settings, monkeypatch):
    for name, value in s3_server.env("nm-cdn").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("S3_CUSTOM_DOMAIN", "cdn.ardoise.example")
    settings.STORAGES = storages_from_env(environ.Env(), debug=True)

    assert default_storage.url("products/beche.svg") == (
        "https://cdn.ardoise.example/media/products/beche.svg"
    )


CSV = (
    "product_slug,product_name,category_slug,sku,gtin,option_size,rrp\n"
    f'beche,Bêche,outils,BEC-S,{ean13(1)},S,"29,90"\n'
    f'beche,Bêche,outils,BEC-L,{ean13(2)},L,"32,50"\n'
)


def signed_in(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_a_catalogue_import_checked_on_one_host_is_applied_on_another(
    object_storage, s3_server, hq_admin, settings, tmp_path
):
    CategoryFactory(name="Outils", slug="outils")
    web1 = signed_in(hq_admin)
    settings.MEDIA_ROOT = str(tmp_path / "web1")
    checked = web1.post(
        reverse("admin:catalog_product_import"),
        {"file": SimpleUploadedFile("catalogue.csv", CSV.encode(), content_type="text/csv")},
    )
    assert checked.status_code == 200
    token = checked.context["token"]
    assert keys_in(s3_server, object_storage) == [f"imports/catalogue/{token}.upload"]

    # The second host: another disk (nothing of web 1's), the same session store and bucket.
    settings.MEDIA_ROOT = str(tmp_path / "web2")
    web2 = Client()
    web2.cookies = web1.cookies
    applied = web2.post(reverse("admin:catalog_product_import_apply"), {"token": token})

    assert applied.status_code == 302
    assert set(Variant.objects.values_list("sku", flat=True)) == {"BEC-S", "BEC-L"}
    assert keys_in(s3_server, object_storage) == []  # the spent upload is gone
    assert not any(Path(tmp_path).rglob("*.upload"))


@pytest.mark.django_db(transaction=True)
def test_her_data_export_is_handed_out_by_a_signed_redirect_only_to_her(object_storage, s3_server):
    lea = UserFactory(email="lea.martin@example.com")
    bob = UserFactory(email="bob.durand@example.com")
    export = request_personal_data_export(user=lea, actor=lea)
    export.refresh_from_db()
    assert export.status == PersonalDataExport.Status.READY, export.error
    assert keys_in(s3_server, object_storage) == [f"exports/{export.archive.name}"]

    hers = signed_in(lea).get(download_path(export))
    other = signed_in(bob).get(download_path(export))

    assert other.status_code == 404
    assert hers.status_code == 302
    assert hers["Cache-Control"] == "private, no-store"
    query = parse_qs(urlsplit(hers["Location"]).query)
    assert "X-Amz-Signature" in query
    assert "attachment" in query["response-content-disposition"][0]
    status, body = fetch(hers["Location"])
    assert status == 200
    assert body[:2] == b"PK"  # the ZIP itself


@pytest.mark.django_db
def test_a_store_s_deliverable_is_a_signed_redirect_for_its_team_only(
    object_storage, s3_server, client, lyon_store, lyon_owner, paris_owner
):
    deliverable = Deliverable(
        store=lyon_store,
        kind=Deliverable.Kind.GBP_SHEET,
        period_start=date(2026, 12, 1),
        generated_at=timezone.now(),
    )
    deliverable.file.save("fiche-gbp.xlsx", ContentFile(b"PK sheet"), save=True)
    assert keys_in(s3_server, object_storage) == [f"marketing/{deliverable.file.name}"]
    url = reverse("backoffice:marketing-deliverable", args=[lyon_store.slug, deliverable.pk])
    other = Client()
    other.force_login(paris_owner)

    refused = other.get(url)
    client.force_login(lyon_owner)
    hers = client.get(url)

    assert refused.status_code == 404
    assert hers.status_code == 302
    assert "X-Amz-Signature" in parse_qs(urlsplit(hers["Location"]).query)
    assert fetch(hers["Location"]) == (200, b"PK sheet")
