"""Trader traceability (DSA art. 30): a franchise store certifies and gives its evidence; one
whose data becomes incomplete stops selling, with a statement of reasons, until it is fixed;
a store's trader data is anonymised 6 months after it left the network."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from compliance.models import (
    Measure,
    MeasureKind,
    StatementOfReasons,
    TraderCertification,
    TraderEvidence,
)
from compliance.services.traders import (
    StaleCertificationText,
    certify_trader,
    current_certification_text,
    enforce_all_trader_data,
    enforce_trader_data,
    erase_departed_traders,
    missing_trader_data,
    review_trader_evidence,
    update_trader_evidence,
)
from network_marketplace.models import AuditEvent
from stores.models import Store
from stores.services import change_store_status
from tests.factories import PASSWORD, StoreFactory

VERSION = settings.TRADER_CERTIFICATION_VERSION


def give_evidence(store, actor, enforce=True, **overrides):
    values = {
        "legal_representative": "Camille Martin",
        "id_document_reference": "CNI 180469012345",
        "bank_account_holder": "SARL Ardoise Lyon",
        "bank_evidence_reference": "FR76 3000 4000 0312 3456 7890 143",
        **overrides,
    }
    return update_trader_evidence(store=store, actor=actor, enforce=enforce, **values)


@pytest.fixture
def certified_lyon(lyon_store, lyon_owner):
    give_evidence(lyon_store, lyon_owner, enforce=False)
    certify_trader(store=lyon_store, actor=lyon_owner, text_version=VERSION)
    lyon_store.refresh_from_db()
    return lyon_store


def trader_measures(store):
    return Measure.objects.filter(
        store=store, kind=MeasureKind.STORE_SELLING_SUSPENDED, source="trader_data"
    )


@pytest.mark.django_db
def test_a_complete_trader_keeps_selling(certified_lyon):
    assert missing_trader_data(certified_lyon) == []
    assert certified_lyon.status == Store.Status.ACTIVE
    assert not trader_measures(certified_lyon).exists()


@pytest.mark.django_db
def test_each_certification_is_a_new_version_with_its_text_who_and_when(certified_lyon, lyon_owner):
    again = certify_trader(store=certified_lyon, actor=lyon_owner, text_version=VERSION)

    versions = list(TraderCertification.objects.filter(store=certified_lyon))
    assert [row.version for row in versions] == [2, 1]
    assert again.certified_by == lyon_owner
    assert again.certified_by_label == "owner.lyon@example.com"
    assert again.text == current_certification_text()[1]  # the wording, kept as it was shown
    assert again.text_version == VERSION


@pytest.mark.django_db
def test_certifying_a_wording_that_changed_meanwhile_is_refused(lyon_store, lyon_owner):
    with pytest.raises(StaleCertificationText):
        certify_trader(store=lyon_store, actor=lyon_owner, text_version="2019-01")

    assert not TraderCertification.objects.exists()


@pytest.mark.django_db
def test_blanking_evidence_suspends_the_store_with_a_statement_naming_what_is_missing(
    certified_lyon, lyon_owner
):
    give_evidence(certified_lyon, lyon_owner, bank_evidence_reference="")

    certified_lyon.refresh_from_db()
    assert certified_lyon.status == Store.Status.SUSPENDED
    measure = trader_measures(certified_lyon).get()
    statement = StatementOfReasons.objects.get(measure=measure)
    label = str(TraderEvidence._meta.get_field("bank_evidence_reference").verbose_name)
    assert label in statement.facts
    assert "30" in statement.legal_ground


@pytest.mark.django_db
def test_fixing_the_data_lifts_the_suspension(certified_lyon, lyon_owner):
    give_evidence(certified_lyon, lyon_owner, bank_evidence_reference="")

    give_evidence(certified_lyon, lyon_owner)

    certified_lyon.refresh_from_db()
    assert certified_lyon.status == Store.Status.ACTIVE
    assert trader_measures(certified_lyon).get().status == Measure.Status.LIFTED


@pytest.mark.django_db
def test_hq_rejecting_the_evidence_suspends_until_new_evidence(certified_lyon, hq_admin):
    evidence = TraderEvidence.objects.get(store=certified_lyon)

    review_trader_evidence(
        evidence=evidence, accepted=False, note="The RIB is not the company's", actor=hq_admin
    )

    certified_lyon.refresh_from_db()
    assert certified_lyon.status == Store.Status.SUSPENDED
    assert "RIB" in trader_measures(certified_lyon).get().statement.facts


@pytest.mark.django_db
def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(certified_lyon, hq_admin):
    from network_marketplace.errors import DomainError

    evidence = TraderEvidence.objects.get(store=certified_lyon)
    with pytest.raises(DomainError):
        review_trader_evidence(evidence=evidence, accepted=False, note=" ", actor=hq_admin)

    evidence.refresh_from_db()
    assert evidence.hq_check == TraderEvidence.Check.PENDING


@pytest.mark.django_db
def test_the_daily_job_suspends_a_store_whose_identity_was_blanked_elsewhere_once(
    certified_lyon,
):
    Store.objects.filter(pk=certified_lyon.pk).update(registration_number="")

    assert enforce_all_trader_data() == 1
    assert enforce_all_trader_data() == 0

    assert trader_measures(certified_lyon).count() == 1
    certified_lyon.refresh_from_db()
    assert certified_lyon.status == Store.Status.SUSPENDED


@pytest.mark.django_db
def test_hq_branches_are_not_traders_and_are_never_suspended_for_it(db):
    branch = StoreFactory(kind=Store.Kind.BRANCH)

    assert enforce_trader_data(store=branch) is None
    branch.refresh_from_db()
    assert branch.status == Store.Status.ACTIVE


@pytest.mark.django_db
def test_trader_data_is_anonymised_six_months_after_the_store_left_once(certified_lyon, hq_admin):
    change_store_status(store=certified_lyon, status=Store.Status.CLOSED, actor=hq_admin)
    left = timezone.now()

    assert erase_departed_traders(now=left + timedelta(days=100)) == 0
    later = left + timedelta(days=settings.TRADER_DATA_RETENTION_DAYS + 1)
    assert erase_departed_traders(now=later) == 1
    assert erase_departed_traders(now=later) == 0

    certified_lyon.refresh_from_db()
    assert certified_lyon.registration_number == ""
    assert certified_lyon.legal_address == ""
    evidence = TraderEvidence.objects.get(store=certified_lyon)
    assert evidence.id_document_reference == ""
    assert evidence.bank_evidence_reference == ""
    assert evidence.anonymised_at is not None
    certification = TraderCertification.objects.get(store=certified_lyon)
    assert certification.certified_by is None
    assert certification.certified_by_label == "—"
    assert AuditEvent.objects.filter(action="trader.data_erased").count() == 1


@pytest.mark.django_db
def test_a_store_still_in_the_network_is_never_anonymised(certified_lyon):
    assert erase_departed_traders(now=timezone.now() + timedelta(days=4000)) == 0


# --- The back-office page and HQ's admin ------------------------------------------------------


@pytest.mark.django_db
def test_the_owner_certifies_and_fills_the_evidence_on_the_back_office_page(
    client, lyon_store, lyon_owner
):
    client.login(email=lyon_owner.email, password=PASSWORD)
    url = reverse("backoffice:compliance-trader", args=[lyon_store.slug])

    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="certification-text"' in page.content.decode()

    response = client.post(
        url,
        {
            "legal_representative": "Camille Martin",
            "id_document_reference": "CNI 180469012345",
            "bank_account_holder": "SARL Ardoise Lyon",
            "bank_evidence_reference": "FR76 3000 4000 0312 3456 7890 143",
            "certify": "on",
            "text_version": VERSION,
        },
    )

    assert response.status_code == 302
    assert missing_trader_data(lyon_store) == []
    assert TraderCertification.objects.get(store=lyon_store).certified_by == lyon_owner


@pytest.mark.django_db
def test_the_page_refuses_a_blank_reference_with_a_form_error_and_changes_nothing(
    client, lyon_store, lyon_owner
):
    client.login(email=lyon_owner.email, password=PASSWORD)
    url = reverse("backoffice:compliance-trader", args=[lyon_store.slug])

    response = client.post(
        url,
        {
            "legal_representative": "Camille Martin",
            "id_document_reference": "",
            "bank_account_holder": "SARL Ardoise Lyon",
            "bank_evidence_reference": "FR76",
            "text_version": VERSION,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["id_document_reference"]
    assert not TraderEvidence.objects.filter(store=lyon_store).exists()


@pytest.mark.django_db
def test_staff_of_the_store_may_read_but_not_certify(client, lyon_store, lyon_staff):
    client.login(email=lyon_staff.email, password=PASSWORD)
    url = reverse("backoffice:compliance-trader", args=[lyon_store.slug])

    assert client.get(url).status_code == 200
    assert client.post(url, {"text_version": VERSION, "certify": "on"}).status_code == 403


@pytest.mark.django_db
def test_another_stores_owner_gets_a_404(client, lyon_store, paris_owner):
    client.login(email=paris_owner.email, password=PASSWORD)

    url = reverse("backoffice:compliance-trader", args=[lyon_store.slug])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_hq_accepts_the_evidence_from_the_admin(client, certified_lyon, hq_admin):
    client.force_login(hq_admin)
    evidence = TraderEvidence.objects.get(store=certified_lyon)

    response = client.post(
        reverse("admin:compliance_traderevidence_changelist"),
        {"action": "accept_evidence", "_selected_action": [evidence.pk]},
        follow=True,
    )

    assert response.status_code == 200
    evidence.refresh_from_db()
    assert evidence.hq_check == TraderEvidence.Check.ACCEPTED
    assert evidence.checked_by == hq_admin


@pytest.mark.django_db
def test_hq_sees_every_franchise_stores_missing_trader_data(
    client, certified_lyon, paris_store, hq_admin
):
    client.force_login(hq_admin)

    page = client.get(reverse("admin:compliance_trader_overview"))

    rows = {row["store"]: row["missing"] for row in page.context["rows"]}
    assert rows[certified_lyon] == []
    assert any(
        "self-certification" in item or "auto-certification" in item for item in rows[paris_store]
    )
