"""Data access (P2B art. 9): the page says who sees what; a store exports its own data (orders
it served, those customers' order data, stock, money) as a ZIP of CSVs built by the worker, with
its progress; another store's export is a 404."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from compliance.models import StoreDataExport
from compliance.services.data_access import (
    ExportAlreadyRunning,
    purge_old_exports,
    request_store_export,
)
from tests.factories import PASSWORD, StockLevelFactory
from tests.fulfillment.returns_helpers import Sold, received_order


def client_for(user):
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def served(lyon_store, paris_store):
    """An order Lyon served (Léa) and one Paris served (Bob), and some stock in each."""
    StockLevelFactory(store=lyon_store, on_hand=7, variant__sku="LYON-SKU")
    StockLevelFactory(store=paris_store, on_hand=3, variant__sku="PARIS-SKU")
    lyon = received_order(Sold(lyon_store, unit_price_cents=3990), email="lea@example.com")
    paris = received_order(Sold(paris_store, unit_price_cents=1290), email="bob@example.com")
    return lyon, paris


def archive_of(response) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


@pytest.mark.django_db(transaction=True)
def test_a_store_exports_its_own_data_as_a_zip_of_csvs(served, lyon_store, lyon_owner):
    lyon_order, paris_order = served
    owner = client_for(lyon_owner)

    response = owner.post(f"/store/{lyon_store.slug}/data/exports/")

    assert response.status_code == 302
    export = StoreDataExport.objects.get()
    status = owner.get(f"/store/{lyon_store.slug}/data/exports/{export.pk}/").json()
    assert status["status"] == "ready"
    assert status["progress"] == 100
    files = archive_of(owner.get(status["download"]))
    assert set(files) == {
        "orders.csv", "customers.csv", "stock.csv", "stock_movements.csv", "sales.csv",
        "payouts.csv", "invoices.csv",
    }  # fmt: skip
    assert lyon_order.number in files["orders.csv"]
    assert paris_order.number not in files["orders.csv"]
    assert "lea@example.com" in files["customers.csv"]
    assert "bob@example.com" not in files["customers.csv"]
    assert "LYON-SKU" in files["stock.csv"]
    assert "PARIS-SKU" not in files["stock.csv"]
    assert files["orders.csv"].startswith("order;placed_at;")


@pytest.mark.django_db(transaction=True)
def test_another_store_s_export_is_a_404(served, lyon_store, lyon_owner, paris_store, paris_owner):
    export = request_store_export(store=lyon_store, actor=lyon_owner)
    paris = client_for(paris_owner)

    for url in (
        f"/store/{paris_store.slug}/data/exports/{export.pk}/",
        f"/store/{paris_store.slug}/data/exports/{export.pk}/download/",
        f"/store/{lyon_store.slug}/data/exports/{export.pk}/download/",
    ):
        assert paris.get(url).status_code == 404
    assert (
        client_for(lyon_owner)
        .get(f"/store/{lyon_store.slug}/data/exports/{export.pk}/download/")
        .status_code
        == 200
    )


@pytest.mark.django_db
def test_a_second_export_while_one_is_being_built_is_refused(lyon_store, lyon_owner):
    first = request_store_export(store=lyon_store, actor=lyon_owner)  # not built: no commit yet

    with pytest.raises(ExportAlreadyRunning):
        request_store_export(store=lyon_store, actor=lyon_owner)
    page = client_for(lyon_owner).get(f"/store/{lyon_store.slug}/data/")
    assert f"/data/exports/{first.pk}/" in page.content.decode()  # the page polls its progress
    assert StoreDataExport.objects.count() == 1


@pytest.mark.django_db
def test_staff_may_not_export_the_store_s_data(lyon_store, lyon_staff):
    response = client_for(lyon_staff).post(f"/store/{lyon_store.slug}/data/exports/")

    assert response.status_code == 404
    assert StoreDataExport.objects.count() == 0


@pytest.mark.django_db
def test_the_data_access_page_says_what_each_party_sees(lyon_store, lyon_owner):
    public = Client().get("/legal/data-access/").content.decode()
    backoffice = client_for(lyon_owner).get(f"/store/{lyon_store.slug}/data/").content.decode()

    for page in (public, backoffice):
        assert page.count('data-testid="data-party"') == 3


@pytest.mark.django_db(transaction=True)
def test_old_archives_are_dropped_and_the_request_stays_on_record(lyon_store, lyon_owner, settings):
    settings.P2B_EXPORT_KEEP_DAYS = 7
    export = request_store_export(store=lyon_store, actor=lyon_owner)
    assert StoreDataExport.objects.get(pk=export.pk).archive is not None

    assert purge_old_exports(now=timezone.now() + timedelta(days=6)) == 0
    assert purge_old_exports(now=timezone.now() + timedelta(days=8)) == 1

    export.refresh_from_db()
    assert (export.status, export.archive) == ("ready", None)
