"""'Mes données' in Chromium, in French: Léa asks for her data (being prepared), downloads the
ready file, then closes her account (a wrong password is an error on its field); the store's
order desk then shows "Client supprimé" on her order."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compliance.models import PersonalDataExport
from compliance.services.gdpr import build_personal_data_export
from fulfillment.models import Fulfilment
from tests.browser.conftest import sign_in_to_admin
from tests.browser.test_pages import log_in
from tests.compliance.gdpr.conftest import bob, lea, orders  # noqa: F401 (fixtures)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

# The confirmation box's label, matched without its typographic apostrophe (ruff RUF001).
CONFIRM = re.compile(r"^Je comprends que la fermeture de mon compte")


@pytest.fixture
def worker_away(monkeypatch):
    """The export waits for the worker until the test runs it, to show it being prepared."""
    from compliance import tasks

    dispatched: list[int] = []
    monkeypatch.setattr(tasks.build_personal_data_export, "delay", dispatched.append)
    return dispatched


@pytest.mark.parametrize("width", [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")])
def test_she_asks_for_her_data_downloads_it_and_closes_her_account(
    transactional_db,
    page,
    screenshot,
    orders,  # noqa: F811
    lea,  # noqa: F811
    lyon_store,
    lyon_owner,
    worker_away,
    width,
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, lea.email)
    page.goto("/accounts/")
    page.get_by_role("link", name="Mes données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    screenshot(f"gdpr-data-{width}")

    # She asks: the page says it is being prepared, and a second click is not offered
    page.get_by_test_id("data-export").get_by_role("button", name="Télécharger mes données").click()
    expect(page.get_by_text("Nous préparons vos données.")).to_be_visible()
    expect(page.get_by_test_id("export-status")).to_contain_text("En préparation")
    expect(page.get_by_test_id("data-export").get_by_role("button")).to_have_count(0)
    screenshot(f"gdpr-export-pending-{width}")

    # The worker builds it; the page offers the file until the link expires
    build_personal_data_export(export_id=PersonalDataExport.objects.get(user=lea).pk)
    page.reload()
    expect(page.get_by_test_id("export-status")).to_contain_text("Prêt")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-export").click()
    download = download_info.value
    assert download.suggested_filename.startswith("mes-donnees-")
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        assert orders[0].number in archive.read("commandes.csv").decode("utf-8-sig")
    screenshot(f"gdpr-export-ready-{width}")

    # She closes her account: a wrong password is an error on its field, nothing closes
    page.get_by_test_id("account-closure").get_by_role("link", name="Fermer mon compte").click()
    page.get_by_label("Votre mot de passe").fill("pas-le-bon")
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="Fermer mon compte définitivement").click()
    expect(page.locator(".field-error")).to_contain_text("pas votre mot de passe")
    screenshot(f"gdpr-close-error-{width}")
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="Fermer mon compte définitivement").click()
    expect(page.get_by_text("Votre compte est fermé")).to_be_visible()
    expect(page.get_by_test_id("signed-in-as")).to_have_count(0)
    screenshot(f"gdpr-closed-{width}")

    # Lyon's order desk: her order is there, "Client supprimé" where she was
    log_in(page, lyon_owner.email)
    fulfilment = Fulfilment.objects.get(order=orders[0])
    page.goto(f"/store/{lyon_store.slug}/orders/{fulfilment.pk}/")
    expect(page.get_by_test_id("customer-name")).to_have_text("Client supprimé")
    screenshot(f"gdpr-order-desk-deleted-customer-{width}")


def test_hq_sees_the_export_requests_with_their_deadline_overdue_ones_highlighted(
    transactional_db,
    page,
    screenshot,
    hq_admin,
    lea,  # noqa: F811
    bob,  # noqa: F811
):
    now = timezone.now()
    PersonalDataExport.objects.create(
        user=lea, requested_by_label=lea.email, due_at=now - timedelta(days=2)
    )
    PersonalDataExport.objects.create(
        user=bob, requested_by_label=bob.email, due_at=now + timedelta(days=20, hours=1),
    )  # fmt: skip

    sign_in_to_admin(page, hq_admin, "/admin/compliance/personaldataexport/")

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=lea.email)).to_contain_text("En retard")
    expect(rows.filter(has_text=bob.email)).to_contain_text("20 jours restants")
    # The list's "deadline" filter (in the admin's filter panel) keeps the overdue one
    page.goto("/admin/compliance/personaldataexport/?deadline=overdue")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    screenshot("gdpr-admin-export-requests")
