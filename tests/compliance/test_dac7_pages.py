"""The store's "Tax data (DAC7)" page: the owner saves valid data; a SIREN with a wrong key or
an IBAN with a wrong checksum is an error under its field (HTTP 400) and nothing changes; staff
read; another store's page and copies are not found; the banner after a reminder."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.models import Dac7SellerData, Dac7SellerReport
from compliance.services.dac7 import prepare_declaration, run_dac7_calendar, save_dac7_data
from stores.models import StoreMembership
from tests.factories import MembershipFactory
from tests.payments.money_helpers import book_sale

from .dac7_helpers import BAD_KEY_IBAN, IBAN, at, dac7_values, franchise_store, siren_of, wrong_key


@pytest.fixture
def store(db):
    return franchise_store(name="Ardoise Annecy", slug="annecy")


@pytest.fixture
def owner(store):
    return MembershipFactory(store=store, role=StoreMembership.Role.OWNER).user


def url(store) -> str:
    return f"/store/{store.slug}/compliance/tax-data/"


def form_data(store, **overrides) -> dict:
    values = dac7_values(store, **overrides)
    return {k: "" if v is None else v for k, v in values.items()}


def test_the_owner_saves_the_tax_data(client, store, owner):
    client.force_login(owner)

    response = client.post(url(store), form_data(store))

    assert response.status_code == 302
    assert Dac7SellerData.objects.get(store=store).iban == IBAN
    page = client.get(url(store)).content.decode()
    assert 'data-testid="dac7-complete"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tin", "wrong-key", "clé"),
        ("iban", BAD_KEY_IBAN, "IBAN"),
    ],
)
def test_a_wrong_key_is_a_400_with_the_error_under_its_field_and_nothing_changes(
    client, store, owner, field, value, message
):
    client.force_login(owner)
    if value == "wrong-key":
        value = wrong_key(siren_of(store))
    before = (store.company_name, store.vat_number)

    response = client.post(
        url(store), form_data(store, company_name="Nouveau nom", **{field: value})
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page
    assert message in page.split(f'id="id_{field}-error"')[1].split("</p>")[0]
    assert 'data-testid="dac7-errors"' in page
    assert not Dac7SellerData.objects.filter(store=store).exists()
    store.refresh_from_db()
    assert (store.company_name, store.vat_number) == before


def test_staff_read_the_page_but_may_not_save(client, store):
    staff = MembershipFactory(store=store, role=StoreMembership.Role.STAFF).user
    client.force_login(staff)

    assert client.get(url(store)).status_code == 200
    assert client.post(url(store), form_data(store)).status_code == 403
    assert not Dac7SellerData.objects.exists()


def test_another_store_s_page_and_copies_are_not_found(client, store, owner):
    other = franchise_store()
    save_dac7_data(store=other, actor="owner", values=dac7_values(other))
    for day in range(30):
        book_sale(other, occurred_at=at(2026, 4, 1 + day))
    prepare_declaration(year=2026)
    copy = Dac7SellerReport.objects.get(store=other)
    client.force_login(owner)

    assert client.get(url(other)).status_code == 404
    assert client.get(f"{url(store)}copy/{copy.pk}/").status_code == 404
    assert client.post(url(other), form_data(other)).status_code == 404


def test_the_store_reads_its_copy(client, store, owner):
    save_dac7_data(store=store, actor="owner", values=dac7_values(store))
    for day in range(30):
        book_sale(store, gross=10_000, commission=1_500, occurred_at=at(2026, 4, 1 + day))
    prepare_declaration(year=2026)
    copy = Dac7SellerReport.objects.get(store=store)
    client.force_login(owner)

    page = client.get(f"{url(store)}copy/{copy.pk}/").content.decode()

    assert "DPIDAC7_2026_912345678_001_" in page
    assert "<td>T2</td>" in page
    flat = page.replace("\u202f", " ").replace("\u00a0", " ")
    assert "2460,00 €" in flat  # 30 sales of 82,00 € net, in the second quarter


def test_the_banner_shows_on_every_back_office_page_after_a_reminder(
    client, store, owner, settings
):
    settings.DAC7_REMINDER_DATES = ["12-01", "12-15"]
    client.force_login(owner)
    assert 'data-testid="dac7-banner"' not in client.get(f"/store/{store.slug}/").content.decode()

    run_dac7_calendar(today=date(2026, 12, 1))

    page = client.get(f"/store/{store.slug}/").content.decode()
    assert 'data-testid="dac7-banner"' in page
    save_dac7_data(store=store, actor="owner", values=dac7_values(store))
    assert 'data-testid="dac7-banner"' not in client.get(f"/store/{store.slug}/").content.decode()
