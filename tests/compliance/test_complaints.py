"""Internal complaints (DSA art. 20) and issue 12's acceptance 1, end to end through the pages:
an anonymous notice about an offer, HQ removes it, the store reads the statement and complains,
HQ upholds, the offer is back; one audit trail."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from compliance.models import Complaint, Measure, Notice, StatementOfReasons
from compliance.selectors import case_trail, complaints_upheld, measures_applied
from compliance.services import (
    ComplaintWindowClosed,
    InvalidComplaint,
    apply_measure,
    complaint_token,
    decide_complaint,
    decide_notice,
    submit_complaint,
    submit_notice,
)
from network_marketplace.outbox import deliver_due_messages

NEAR_LYON = "?lat=45.7578&lng=4.832"


def nearby_page(product):
    return Client().get(f"/p/{product.slug}/{NEAR_LYON}").content.decode()


@pytest.mark.django_db
def test_acceptance_1_notice_removal_complaint_upheld_offer_back_one_audit_trail(
    lyon_offer, lyon_owner, hq_admin, mediation_body
):
    product, store = lyon_offer.variant.product, lyon_offer.store
    assert "add-click-collect" in nearby_page(product)

    # An anonymous visitor reports the Lyon store's offer.
    visitor = Client()
    response = visitor.post(
        f"/legal/notices/new/?kind=product&id={product.pk}",
        {
            "category": "unsafe_products",
            "urls": f"http://testserver/p/{product.slug}/",
            "store": str(store.pk),
            "explanation": "Sold without its blade guard: dangerous.",
            "notifier_name": "Camille Martin",
            "notifier_email": "camille.martin@example.net",
            "good_faith": "on",
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    deliver_due_messages()
    assert mail.outbox[-1].to == ["camille.martin@example.net"]

    # HQ removes the offer from the admin.
    hq = Client()
    hq.force_login(hq_admin)
    response = hq.post(
        f"/admin/compliance/notice/{notice.pk}/decide/",
        {
            "measure_kind": "offer_disabled",
            "decision_text": "The offer is removed.",
            "facts": "The mower is sold without its blade guard.",
            "legal_ground": "Art. L. 421-3 du code de la consommation",
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert "add-click-collect" not in nearby_page(product)
    assert 'data-testid="no-nearby-store"' in nearby_page(product)

    # The store reads the statement in its back-office, and complains.
    owner = Client()
    owner.force_login(lyon_owner)
    listing = owner.get(f"/store/{store.slug}/compliance/").content.decode()
    assert 'data-testid="statement-row"' in listing
    statement = measure.statement
    detail_url = f"/store/{store.slug}/compliance/statements/{statement.uuid}/"
    assert "blade guard" in owner.get(detail_url).content.decode()
    response = owner.post(
        detail_url,
        {"text": "The guard is fitted; photo attached.", "contact_email": lyon_owner.email},
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.complainant_store == store

    # HQ upholds it: the offer is back, in the same transaction.
    response = hq.post(
        f"/admin/compliance/complaint/{complaint.pk}/decide/",
        {"outcome": "upheld", "decision_text": "The guard is fitted: the offer is back."},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    measure.refresh_from_db()
    assert (complaint.status, complaint.decided_by) == (Complaint.Status.UPHELD, hq_admin)
    assert measure.status == Measure.Status.LIFTED
    assert "add-click-collect" in nearby_page(product)
    deliver_due_messages()
    outcome = [m for m in mail.outbox if complaint.reference in m.subject][-1]
    assert "Médiateur du e-commerce" in outcome.body

    # One audit trail, in order; the report's records count each step.
    actions = [event.action for event in case_trail(notice=notice)]
    assert actions == [
        "notice.received",
        "offer.moderated",
        "measure.applied",
        "notice.action_taken",
        "complaint.received",
        "complaint.upheld",
        "measure.lifted",
        "offer.moderated",
    ]
    year = timezone.now().replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    next_year = year.replace(year=year.year + 1)
    assert measures_applied(year, next_year).filter(source="notice").count() == 1
    assert complaints_upheld(year, next_year).count() == 1


@pytest.mark.django_db
def test_a_complaint_after_its_window_is_refused_with_a_clear_message(
    lyon_offer, lyon_owner, hq_admin, settings
):
    settings.DSA_COMPLAINT_WINDOW_DAYS = 183
    long_ago = timezone.now() - timedelta(days=200)
    measure = apply_measure(
        kind="offer_disabled",
        target=lyon_offer,
        source="own_initiative",
        facts="Facts",
        legal_ground="Law",
        actor=hq_admin,
        now=long_ago,
    )
    owner = Client()
    owner.force_login(lyon_owner)
    url = f"/store/{lyon_offer.store.slug}/compliance/statements/{measure.statement.uuid}/"

    response = owner.post(url, {"text": "Please review", "contact_email": lyon_owner.email})

    assert response.status_code == 400
    assert 'data-testid="complaint-error"' in response.content.decode()
    assert not Complaint.objects.exists()
    with pytest.raises(ComplaintWindowClosed):
        submit_complaint(
            complainant="store",
            text="Again",
            contact_email=lyon_owner.email,
            measure=measure,
            store=lyon_offer.store,
        )


@pytest.mark.django_db
def test_the_notifier_contests_no_action_through_the_signed_link_and_the_case_reopens(
    lyon_offer, hq_admin
):
    notice = submit_notice(
        category="scams_and_fraud",
        explanation="Fake",
        urls=[f"http://testserver/p/{lyon_offer.variant.product.slug}/"],
        notifier_email="camille.martin@example.net",
        good_faith=True,
    )
    decide_notice(notice=notice, actor=hq_admin, decision_text="Not illegal.")
    token = complaint_token(notice=notice, who="notifier")

    page = Client().get(f"/legal/complaints/{token}/")
    assert page.status_code == 200
    response = Client().post(
        f"/legal/complaints/{token}/",
        {"text": "It is a scam, here is why.", "contact_email": "camille.martin@example.net"},
        follow=True,
    )
    assert 'data-testid="complaint-sent"' in response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.complainant == "notifier"

    decide_complaint(
        complaint=complaint, upheld=True, decision_text="We look again.", actor=hq_admin
    )

    notice.refresh_from_db()
    assert notice.status == Notice.Status.IN_REVIEW


@pytest.mark.django_db
def test_a_forged_complaint_link_is_not_found(db):
    assert Client().get("/legal/complaints/not-a-signed-token/").status_code == 404


@pytest.mark.django_db
def test_only_a_person_of_hq_decides_a_complaint(lyon_offer, hq_admin, lyon_owner):
    measure = apply_measure(
        kind="offer_demoted",
        target=lyon_offer,
        source="own_initiative",
        facts="Facts",
        terms_clause="Terms 4.2",
        actor=hq_admin,
    )
    complaint = submit_complaint(
        complainant="store",
        text="Wrong",
        contact_email=lyon_owner.email,
        measure=measure,
        store=lyon_offer.store,
    )

    for robot in ("compliance.auto", lyon_owner):
        with pytest.raises(InvalidComplaint):
            decide_complaint(complaint=complaint, upheld=True, decision_text="ok", actor=robot)

    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.RECEIVED
    assert Measure.objects.get().is_active
    assert StatementOfReasons.objects.count() == 1


@pytest.mark.django_db
def test_a_suspended_user_contests_through_the_link_of_the_statement_and_is_reinstated(
    customer, hq_admin
):
    measure = apply_measure(
        kind="account_suspended",
        target=customer,
        source="misuse",
        facts="Many manifestly unfounded notices",
        terms_clause="Terms 9.3",
        actor=hq_admin,
    )
    deliver_due_messages()
    statement_mail = next(m for m in mail.outbox if m.to == [customer.email])
    link = urlsplit(
        next(word for word in statement_mail.body.split() if "/legal/complaints/" in word)
    ).path

    response = Client().post(
        link, {"text": "I sent one notice only.", "contact_email": customer.email}, follow=True
    )

    assert 'data-testid="complaint-sent"' in response.content.decode()
    complaint = Complaint.objects.get()
    assert (complaint.complainant, complaint.measure) == ("user", measure)
    decide_complaint(complaint=complaint, upheld=True, decision_text="Agreed", actor=hq_admin)
    customer.refresh_from_db()
    assert customer.is_active
