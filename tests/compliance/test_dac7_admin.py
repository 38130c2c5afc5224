"""DAC7 in HQ's admin: the year picker prepares the declaration (a bad year or a store without
its data is a 400 with the reason, nothing stored), the XML downloads under its DGFiP name, the
declaration page lists each store's copy."""

from __future__ import annotations

import xmlschema
from dac7.core import DAC7_SCHEMA
from django.urls import reverse

from compliance.models import Dac7Declaration
from compliance.services.dac7 import save_dac7_data
from tests.payments.money_helpers import book_sale

from .dac7_helpers import at, dac7_values, franchise_store


def test_hq_prepares_a_year_and_downloads_the_xml(admin_client):
    store = franchise_store(name="Ardoise Chambéry")
    save_dac7_data(store=store, actor="owner", values=dac7_values(store))
    for day in range(30):
        book_sale(store, occurred_at=at(2025, 9, 1 + day))

    response = admin_client.post(reverse("admin:compliance_dac7_prepare"), {"year": 2025})

    declaration = Dac7Declaration.objects.get()
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "Ardoise Chambéry" in page
    assert declaration.filename in page
    download = admin_client.get(reverse("admin:compliance_dac7_xml", args=[declaration.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{declaration.filename}"'
    xmlschema.XMLSchema10(DAC7_SCHEMA).validate(download.content.decode())


def test_a_future_year_or_a_store_without_data_is_refused_with_the_reason(admin_client):
    store = franchise_store(name="Ardoise Aix-les-Bains")
    for day in range(30):
        book_sale(store, occurred_at=at(2025, 9, 1 + day))
    url = reverse("admin:compliance_dac7_prepare")

    future = admin_client.post(url, {"year": 2999})
    missing = admin_client.post(url, {"year": 2025})

    assert future.status_code == missing.status_code == 400
    assert "Ardoise Aix-les-Bains" in missing.content.decode()
    assert not Dac7Declaration.objects.exists()
    assert admin_client.get(url).status_code == 200
    assert (
        admin_client.get(reverse("admin:compliance_dac7declaration_changelist")).status_code == 200
    )
