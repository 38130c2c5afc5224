"""The stores' terms (P2B art. 3): HQ publishes a version with 15 days' notice (less is refused
unless an art. 3(4) exception is recorded), every store is e-mailed the PDF and sees a banner
until it decides, HQ lists who has not accepted, the store reads every past version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from compliance.models import TermsDecision, TermsVersion
from compliance.selectors.terms import current_terms, stores_without_acceptance
from compliance.services.terms import (
    TermsAlreadyDecided,
    TermsExceptionWithoutReason,
    TermsNoticeTooShort,
    decide_terms,
    publish_terms,
)
from network_marketplace.models import AuditEvent, OutboxMessage
from network_marketplace.outbox import deliver_due_messages
from stores.models import Store
from tests.factories import PASSWORD, StoreFactory

TEXT = (
    "Article 1. Objet.\n\nLe magasin vend sur la place de marché du réseau.\n\n"
    "Article 2. Commission."
)


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def publish(actor, days=15, **extra):
    return publish_terms(
        title="Conditions 2027", body=TEXT, effective_on=in_days(days), actor=actor, **extra
    )


def client_for(user):
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_a_version_effective_in_10_days_is_refused_and_nothing_is_written(hq_admin, lyon_store):
    with pytest.raises(TermsNoticeTooShort) as refused:
        publish(hq_admin, days=10)

    assert "15" in refused.value.message
    assert TermsVersion.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_a_short_notice_needs_an_art_3_4_exception_with_its_reason(hq_admin, lyon_store):
    with pytest.raises(TermsExceptionWithoutReason):
        publish(hq_admin, days=2, exception="legal_obligation")

    version = publish(
        hq_admin,
        days=2,
        exception="legal_obligation",
        exception_reason="Loi n° 2026-12 applicable au 1er janvier.",
    )

    assert version.effective_on == in_days(2)
    audit = AuditEvent.objects.get(action="terms.published")
    assert audit.data["exception"] == "legal_obligation"
    assert audit.data["notice_days"] == 2


@pytest.mark.django_db(transaction=True)
def test_every_franchise_store_is_emailed_the_version_as_a_pdf(hq_admin, lyon_owner, paris_store):
    StoreFactory(kind=Store.Kind.WAREHOUSE, email="entrepot@example.com")
    StoreFactory(kind=Store.Kind.FRANCHISE, status=Store.Status.CLOSED, email="ferme@example.com")

    version = publish(hq_admin, days=20, changes_summary="La commission passe à 11 %.")
    deliver_due_messages()

    assert version.version == 1
    assert bytes(version.pdf).startswith(b"%PDF")
    recipients = sorted(tuple(sorted(message.to)) for message in mail.outbox)
    assert recipients == [
        ("lyon-presquile@stores.example.com", "owner.lyon@example.com"),
        ("paris-bastille@stores.example.com",),
    ]
    message = mail.outbox[0]
    assert "version 1" in message.subject
    assert "11 %" in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("conditions-magasins-v1.pdf", "application/pdf")
    assert content == bytes(version.pdf)


@pytest.mark.django_db
def test_every_store_sees_the_banner_until_it_decides(
    hq_admin, lyon_store, lyon_owner, lyon_staff, paris_store, paris_owner
):
    version = publish(hq_admin)
    lyon, staff, paris = client_for(lyon_owner), client_for(lyon_staff), client_for(paris_owner)
    pages = [f"/store/{lyon_store.slug}/", f"/store/{lyon_store.slug}/stock/"]

    for page in pages:
        assert 'data-testid="terms-banner"' in lyon.get(page).content.decode()
    assert 'data-testid="terms-banner"' in staff.get(pages[0]).content.decode()
    assert 'data-testid="terms-banner"' in paris.get(f"/store/{paris_store.slug}/").content.decode()

    response = lyon.post(
        f"/store/{lyon_store.slug}/terms/decide/", {"version": version.pk, "decision": "accepted"}
    )

    assert response.status_code == 302
    for page in pages:
        assert 'data-testid="terms-banner"' not in lyon.get(page).content.decode()
    assert 'data-testid="terms-banner"' in paris.get(f"/store/{paris_store.slug}/").content.decode()


@pytest.mark.django_db
def test_a_decision_is_recorded_once_with_who_and_when_by_the_owner_only(
    hq_admin, lyon_store, lyon_owner, lyon_staff
):
    version = publish(hq_admin)

    refused = client_for(lyon_staff).post(
        f"/store/{lyon_store.slug}/terms/decide/", {"version": version.pk, "decision": "accepted"}
    )
    assert refused.status_code == 404
    decision = decide_terms(
        store=lyon_store, version=version, decision="terminated", actor=lyon_owner
    )

    assert (decision.decided_by, decision.decided_by_label) == (lyon_owner, lyon_owner.email)
    assert decision.decided_at is not None
    with pytest.raises(TermsAlreadyDecided):
        decide_terms(store=lyon_store, version=version, decision="accepted", actor=lyon_owner)
    assert TermsDecision.objects.get().decision == "terminated"
    assert AuditEvent.objects.filter(action="terms.terminated", store_id=lyon_store.pk).exists()


@pytest.mark.django_db
def test_hq_lists_the_stores_that_have_not_accepted_before_the_effective_date(
    hq_admin, lyon_store, lyon_owner, paris_store, paris_owner
):
    version = publish(hq_admin)
    decide_terms(store=lyon_store, version=version, decision="accepted", actor=lyon_owner)

    assert list(stores_without_acceptance(version)) == [paris_store]
    admin = client_for(hq_admin)
    listing = admin.get(f"/admin/compliance/termsstanding/?not_accepted={version.pk}")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert paris_store.name in page
    assert lyon_store.name not in page
    everyone = admin.get("/admin/compliance/termsstanding/").content.decode()
    assert "Acceptées" in everyone
    assert "Pas de décision" in everyone
    versions = admin.get("/admin/compliance/termsversion/").content.decode()
    assert f"?not_accepted={version.pk}" in versions


@pytest.mark.django_db
def test_hq_publishes_in_admin_and_a_10_day_date_is_a_form_error(hq_admin, lyon_store):
    admin = client_for(hq_admin)
    data = {"title": "Conditions", "body": TEXT, "changes_summary": "", "exception": "",
            "exception_reason": "", "effective_on": in_days(10).isoformat()}  # fmt: skip

    refused = admin.post("/admin/compliance/termsversion/add/", data)

    assert refused.status_code == 200
    assert "15" in refused.content.decode()
    assert TermsVersion.objects.count() == 0
    published = admin.post(
        "/admin/compliance/termsversion/add/", {**data, "effective_on": in_days(15).isoformat()}
    )
    assert published.status_code == 302
    assert TermsVersion.objects.get().published_by == hq_admin


@pytest.mark.django_db
def test_the_store_reads_every_past_version_and_downloads_each_pdf(
    hq_admin, lyon_store, lyon_owner, paris_store
):
    first = publish(hq_admin)
    second = publish(hq_admin, days=40)
    owner = client_for(lyon_owner)

    page = owner.get(f"/store/{lyon_store.slug}/terms/").content.decode()

    assert "terms-pdf-1" in page
    assert "terms-pdf-2" in page
    for version in (first, second):
        pdf = owner.get(f"/store/{lyon_store.slug}/terms/v{version.version}.pdf")
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content == bytes(version.pdf)
    assert owner.get(f"/store/{paris_store.slug}/terms/").status_code == 404


@pytest.mark.django_db
def test_the_public_page_shows_the_version_in_force(hq_admin, lyon_store):
    old = publish(hq_admin)
    TermsVersion.objects.filter(pk=old.pk).update(effective_on=in_days(-3))
    publish(hq_admin, days=30)

    page = Client().get("/legal/store-terms/").content.decode()

    assert current_terms() == old
    assert "Version 1" in page
    assert "Le magasin vend sur la place de marché du réseau." in page
    assert "/legal/store-terms/v2.pdf" in page  # the announced one


@pytest.mark.django_db
def test_hq_s_p2b_admin_pages_open(hq_admin, lyon_store, lyon_owner):
    version = publish(hq_admin)
    decide_terms(store=lyon_store, version=version, decision="accepted", actor=lyon_owner)
    admin = client_for(hq_admin)

    for url in (
        "/admin/compliance/termsversion/",
        f"/admin/compliance/termsversion/{version.pk}/change/",
        "/admin/compliance/termsversion/add/",
        "/admin/compliance/termsdecision/",
        "/admin/compliance/termsstanding/",
        "/admin/compliance/storetermination/",
        "/admin/compliance/storetermination/add/",
        "/admin/compliance/mediator/",
        "/admin/compliance/storecomplaint/",
        "/admin/compliance/storedataexport/",
    ):
        assert admin.get(url).status_code == 200, url
    pdf = admin.get(f"/admin/compliance/termsversion/{version.pk}/pdf/")
    assert pdf.content == bytes(version.pdf)
