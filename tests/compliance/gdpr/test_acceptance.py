"""Acceptance 1 of issue 13, end to end: Léa exports her data (her orders, not Bob's), closes her
account; the stores' order desks and HQ's admin show "Client supprimé" on her orders, which stay;
the retention job run twice removes each expired item once. And the export built by a real
Celery worker on Redis."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from compliance.models import PersonalDataExport, RetainedPersonalData
from compliance.services.gdpr import apply_retention, download_path
from fulfillment.models import Fulfilment
from network_marketplace.models import OutboxMessage
from orders.models import Order
from tests.factories import PASSWORD
from tests.fulfillment.conftest import start_worker  # noqa: F401 (the fixture)
from tests.fulfillment.test_timeout_worker import wait_for

from .conftest import client_for, files_of

CLIENT_SUPPRIME = "Client supprimé"


@pytest.mark.django_db(transaction=True)
def test_she_exports_then_closes_her_account_and_the_law_s_part_stays_for_stores_and_hq(
    orders, lea, bob, lyon_store, lyon_owner, paris_owner, hq_admin
):
    lea_lyon, lea_paris, bob_paris = orders
    lea_page = client_for(lea)

    # She asks for her data; the worker builds it; her link gives her orders, not Bob's
    lea_page.post("/accounts/data/export/")
    export = PersonalDataExport.objects.get(user=lea)
    files = files_of(lea_page.get(download_path(export)).getvalue())
    numbers = {row["order"] for row in json.loads(files["donnees.json"])["commandes"]}
    assert numbers == {lea_lyon.number, lea_paris.number}
    assert bob_paris.number not in "".join(files.values())

    # She closes her account
    closed = lea_page.post("/accounts/data/close/", {"password": PASSWORD, "confirm": "on"})
    assert closed.status_code == 302

    # Lyon's order desk still has her order, with "Client supprimé" where she was
    lyon_fulfilment = Fulfilment.objects.get(order=lea_lyon)
    desk = client_for(lyon_owner).get(f"/store/{lyon_store.slug}/orders/{lyon_fulfilment.pk}/")
    html = desk.content.decode()
    assert desk.status_code == 200
    assert lea_lyon.number in html
    assert CLIENT_SUPPRIME in html
    assert "Martin" not in html
    assert "lea.martin@example.com" not in html
    # Paris's history too; Bob's order is untouched
    paris_history = client_for(paris_owner).get("/store/paris-bastille/orders/?tab=history")
    assert CLIENT_SUPPRIME in paris_history.content.decode()
    assert "Bob Durand" in paris_history.content.decode()
    # HQ's admin: the list and the order
    admin = client_for(hq_admin)
    order_list = admin.get("/admin/orders/order/").content.decode()
    assert CLIENT_SUPPRIME in order_list
    assert "lea.martin@example.com" not in order_list
    assert "bob.durand@example.com" in order_list
    order_page = admin.get(f"/admin/orders/order/{lea_lyon.pk}/change/")
    assert order_page.status_code == 200
    assert CLIENT_SUPPRIME in order_page.content.decode()
    assert Order.objects.get(pk=lea_lyon.pk).total_cents == lea_lyon.total_cents
    # What the law keeps is apart, for HQ only
    assert RetainedPersonalData.objects.filter(order__in=[lea_lyon, lea_paris]).count() == 2
    kept = admin.get("/admin/compliance/retainedpersonaldata/").content.decode()
    assert lea_lyon.number in kept
    assert client_for(lyon_owner).get("/admin/compliance/retainedpersonaldata/").status_code == 302

    # The retention job, run twice at each step of time, removes each expired item once
    OutboxMessage.objects.filter(kind="email", status="pending").update(
        status="sent", sent_at=timezone.now()
    )
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        week_first, week_second = apply_retention(), apply_retention()
    with time_machine.travel(timezone.now() + timedelta(days=10 * 366), tick=False):
        decade_first, decade_second = apply_retention(), apply_retention()

    assert week_first.removed["data_exports"] == 1
    assert week_second.total == 0
    assert decade_first.removed["retained_legal_data"] == 2
    assert decade_first.removed["notifications"] >= 1
    assert decade_second.total == 0
    assert not RetainedPersonalData.objects.exists()
    assert Order.objects.filter(pk__in=[lea_lyon.pk, lea_paris.pk]).count() == 2


@pytest.mark.xdist_group("celery-worker")
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_builds_her_export_and_e_mails_the_link(
    orders,
    lea,
    settings,
    monkeypatch,
    start_worker,  # noqa: F811
):
    # The worker writes the ZIP where this test reads it.
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    start_worker()
    page = client_for(lea)

    page.post("/accounts/data/export/")

    export = PersonalDataExport.objects.get(user=lea)
    wait_for(
        lambda: PersonalDataExport.objects.get(pk=export.pk).status == "ready",
        message="the worker to build the export",
    )
    export.refresh_from_db()
    wait_for(
        lambda: OutboxMessage.objects.filter(
            dedupe_key=f"email:personal-export-ready:{export.pk}", status="sent"
        ).exists(),
        message="the link's e-mail to be sent",
    )
    files = files_of(page.get(download_path(export)).getvalue())
    assert orders[0].number in files["commandes.csv"]
    assert orders[2].number not in files["commandes.csv"]
    assert [event.actor_label for event in export.events.order_by("pk")] == [
        "gdpr-export-worker",
        "gdpr-export-worker",
    ]
