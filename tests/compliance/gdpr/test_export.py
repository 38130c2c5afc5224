"""A customer's export of her data (GDPR art. 15 and 20): the ZIP holds her data and no one
else's, with its cover page; the link is hers alone and expires; two requests at once make one
job; a real Celery worker builds it."""

from __future__ import annotations

import json
import re
import threading
from datetime import timedelta
from html import escape

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from compliance.models import PersonalDataExport
from compliance.services.gdpr import (
    ExportAlreadyRequested,
    build_personal_data_export,
    download_path,
    request_personal_data_export,
)
from network_marketplace.models import AuditEvent, OutboxMessage
from network_marketplace.outbox import deliver_due_messages

from .conftest import client_for, files_of

pytestmark = pytest.mark.django_db(transaction=True)


def ready_export_of(user) -> PersonalDataExport:
    export = request_personal_data_export(user=user, actor=user)
    export.refresh_from_db()
    assert export.status == PersonalDataExport.Status.READY, export.error
    return export


def test_her_export_holds_her_orders_with_their_stores_and_not_another_customer_s(
    orders, lea, lyon_store, paris_store
):
    lea_lyon, lea_paris, bob_paris = orders
    page = client_for(lea)

    response = page.post("/accounts/data/export/", follow=True)

    assert "Nous préparons vos données" in response.content.decode()
    export = PersonalDataExport.objects.get(user=lea)
    assert export.status == PersonalDataExport.Status.READY
    assert export.archive.name.startswith("gdpr-exports/")
    files = files_of(page.get(download_path(export)).getvalue())
    assert {"LISEZMOI.html", "donnees.json", "compte.csv", "adresses.csv", "commandes.csv",
            "articles.csv", "preparations.csv", "retours.csv", "consentements.csv",
            "messages.csv", "signalements.csv", "reclamations.csv"} <= set(files)  # fmt: skip
    data = json.loads(files["donnees.json"])
    numbers = {row["order"] for row in data["commandes"]}
    assert numbers == {lea_lyon.number, lea_paris.number}
    assert bob_paris.number not in files["commandes.csv"] + files["articles.csv"]
    assert "bob.durand@example.com" not in "".join(files.values())
    sellers = {row["order"]: row["sold_by"] for row in data["commandes"]}
    assert sellers[lea_lyon.number] == lyon_store.name
    assert sellers[lea_paris.number] == paris_store.name
    assert data["compte"][0]["phone"] == "0611223344"
    assert data["adresses"][0]["address"] == "3 rue Mercière"
    assert data["messages"]
    assert all(lea.email in row["to"] for row in data["messages"])
    assert files["commandes.csv"].startswith("order;placed_at;")


def test_the_cover_page_says_purposes_recipients_retention_and_source_in_french(
    orders, lea, lyon_store, paris_store
):
    export = ready_export_of(lea)

    cover = files_of(client_for(lea).get(download_path(export)).getvalue())["LISEZMOI.html"]

    assert '<html lang="fr">' in cover
    for heading in ("Pourquoi nous les détenons", "Qui les reçoit", "Combien de temps",
                    "D\u2019où elles viennent"):  # fmt: skip
        assert heading in cover, heading
    assert escape(lyon_store.name) in cover
    assert escape(paris_store.name) in cover
    assert "3\u00a0ans" in cover  # inactive accounts
    assert "10\u00a0ans" in cover  # what the law keeps


def test_the_link_is_e_mailed_and_works_only_for_her_signed_in(orders, lea, bob, client):
    export = ready_export_of(lea)
    deliver_due_messages()
    [email] = [m for m in mail.outbox if "prêtes" in m.subject]
    assert email.to == [lea.email]
    [path] = re.findall(r"https?://[^/\s]+(/accounts/data/exports/[^/\s]+/)", email.body)
    assert path.startswith(f"/accounts/data/exports/{export.pk}.{lea.pk}:")

    anonymous = client.get(path)
    other = client_for(bob).get(path)
    hers = client_for(lea).get(path)

    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert other.status_code == 404
    assert "Ce lien a expiré ou n\u2019est pas le vôtre" in other.content.decode()
    assert hers.status_code == 200
    assert hers["Content-Type"] == "application/zip"
    export.refresh_from_db()
    assert export.downloads == 1
    downloads = AuditEvent.objects.filter(action="personal_export.downloaded", actor_user=lea)
    assert downloads.count() == 1


def test_the_link_expires_after_the_setting_s_days(orders, lea, settings):
    settings.GDPR_EXPORT_LINK_DAYS = 7
    export = ready_export_of(lea)
    path = download_path(export)

    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client_for(lea).get(path).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        late = client_for(lea).get(path)

    assert late.status_code == 404
    assert "expiré" in late.content.decode()


def test_a_forged_link_is_refused(orders, lea):
    export = ready_export_of(lea)
    path = download_path(export)

    assert client_for(lea).get(path[:-3] + "abc/").status_code == 404
    assert client_for(lea).get("/accounts/data/exports/1.2:abc:def/").status_code == 404


def test_the_zip_is_never_served_as_public_media(orders, lea, client):
    export = ready_export_of(lea)

    assert client.get(f"/media/{export.archive.name}").status_code == 404


@pytest.fixture
def worker_away(monkeypatch):
    """The worker is not reached: the outbox's dispatch to it is counted, not run, so that a
    request stays pending."""
    from compliance import tasks

    dispatched: list[int] = []
    monkeypatch.setattr(tasks.build_personal_data_export, "delay", dispatched.append)
    return dispatched


def test_a_second_request_while_one_is_prepared_is_refused_and_the_page_says_so(lea, worker_away):
    request_personal_data_export(user=lea, actor=lea)
    with pytest.raises(ExportAlreadyRequested):
        request_personal_data_export(user=lea, actor=lea)

    response = client_for(lea).post("/accounts/data/export/", follow=True)

    html = response.content.decode()
    assert "déjà en préparation" in html
    assert 'data-testid="export-status"' in html
    assert "En préparation" in html
    assert PersonalDataExport.objects.filter(user=lea).count() == 1


def test_two_requests_at_the_same_time_make_one_job(lea, worker_away):
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def ask():
        try:
            barrier.wait()
            request_personal_data_export(user=lea, actor="test")
            outcomes.append("made")
        except ExportAlreadyRequested:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["made", "refused", "refused", "refused"]
    assert PersonalDataExport.objects.filter(user=lea).count() == 1
    assert OutboxMessage.objects.filter(kind="compliance.personal_data_export").count() == 1
    assert len(worker_away) == 1


def test_building_twice_builds_once(orders, lea):
    export = ready_export_of(lea)
    name = export.archive.name

    again = build_personal_data_export(export_id=export.pk)

    assert again.archive.name == name
    e_mails = OutboxMessage.objects.filter(dedupe_key=f"email:personal-export-ready:{export.pk}")
    assert e_mails.count() == 1
