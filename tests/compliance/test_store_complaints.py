"""Stores' complaints to HQ (P2B art. 11-12): opened in the back-office within the window, a
thread both ways, handled by HQ in admin with a deadline and an outcome; the mediators shown;
the annual report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from compliance.models import Mediator, StoreComplaint
from compliance.selectors.store_complaints import complaint_report
from compliance.services.store_complaints import (
    ComplaintClosed,
    ComplaintTooLate,
    add_complaint_message,
    close_store_complaint,
    open_store_complaint,
)
from network_marketplace.models import OutboxMessage
from tests.factories import PASSWORD


def client_for(user):
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def complain(store, actor, **extra):
    fields = {"kind": "hq_conduct", "subject": "Commande réattribuée", "occurred_on": days_ago(3),
              "message": "Une commande acceptée a été donnée à un autre magasin."}  # fmt: skip
    return open_store_complaint(store=store, actor=actor, **{**fields, **extra})


@pytest.mark.django_db
def test_a_store_complains_hq_answers_and_decides_with_a_deadline(
    lyon_store, lyon_owner, hq_admin, settings
):
    settings.P2B_COMPLAINT_HANDLING_DAYS = 30
    owner = client_for(lyon_owner)

    response = owner.post(
        f"/store/{lyon_store.slug}/complaints/",
        {"kind": "technical", "subject": "Flux de stock bloqué", "occurred_on": days_ago(2),
         "message": "Le flux est refusé depuis mardi."},
    )  # fmt: skip

    complaint = StoreComplaint.objects.get()
    assert response.status_code == 302
    assert (complaint.status, complaint.opened_by) == ("open", lyon_owner)
    assert timezone.localdate(complaint.due_at) == timezone.localdate() + timedelta(days=30)
    admin = client_for(hq_admin)
    queue = admin.get("/admin/compliance/storecomplaint/").content.decode()
    assert complaint.reference in queue
    admin.post(
        f"/admin/compliance/storecomplaint/{complaint.pk}/answer/",
        {"body": "Nous regardons le flux."},
    )
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    admin.post(
        f"/admin/compliance/storecomplaint/{complaint.pk}/close/",
        {"outcome": "upheld", "outcome_note": "Le flux est rétabli."},
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == ("closed", "upheld")
    assert complaint.handled_by_label == hq_admin.email
    thread = owner.get(f"/store/{lyon_store.slug}/complaints/{complaint.pk}/").content.decode()
    assert "Nous regardons le flux." in thread
    assert "Le flux est rétabli." in thread
    told = [m.payload["context"] for m in OutboxMessage.objects.filter(kind="email").order_by("pk")]
    assert [(c["reference"], c["outcome"]) for c in told] == [
        (complaint.reference, ""),
        (complaint.reference, "Fondée"),
    ]


@pytest.mark.django_db
def test_a_late_complaint_is_a_clear_form_error_and_nothing_is_written(
    lyon_store, lyon_owner, settings
):
    settings.P2B_COMPLAINT_WINDOW_DAYS = 365

    response = client_for(lyon_owner).post(
        f"/store/{lyon_store.slug}/complaints/",
        {"kind": "regulation_breach", "subject": "Conditions", "occurred_on": days_ago(400),
         "message": "Les conditions ont changé sans préavis."},
    )  # fmt: skip

    assert response.status_code == 400
    assert "365" in response.content.decode()
    assert StoreComplaint.objects.count() == 0
    with pytest.raises(ComplaintTooLate):
        complain(lyon_store, lyon_owner, occurred_on=days_ago(366))


@pytest.mark.django_db
def test_another_store_s_complaint_is_a_404(lyon_store, lyon_owner, paris_store, paris_owner):
    complaint = complain(lyon_store, lyon_owner)
    paris = client_for(paris_owner)

    assert paris.get(f"/store/{paris_store.slug}/complaints/{complaint.pk}/").status_code == 404
    assert paris.get(f"/store/{lyon_store.slug}/complaints/{complaint.pk}/").status_code == 404
    assert (
        complaint.reference
        not in paris.get(f"/store/{paris_store.slug}/complaints/").content.decode()
    )


@pytest.mark.django_db
def test_a_closed_complaint_takes_no_more_messages(lyon_store, lyon_owner, hq_admin):
    complaint = complain(lyon_store, lyon_owner)
    close_store_complaint(
        complaint=complaint, outcome="rejected", note="Hors délai.", actor=hq_admin
    )

    with pytest.raises(ComplaintClosed):
        add_complaint_message(
            complaint=complaint, body="Pourtant…", from_hq=False, actor=lyon_owner
        )


@pytest.mark.django_db
def test_the_mediators_named_in_the_terms_are_shown_to_the_store(lyon_store, lyon_owner):
    Mediator.objects.create(name="CMAP", website="https://www.cmap.fr")
    Mediator.objects.create(name="Ancien médiateur", is_active=False)

    page = client_for(lyon_owner).get(f"/store/{lyon_store.slug}/complaints/").content.decode()

    assert "CMAP" in page
    assert "Ancien médiateur" not in page


@pytest.mark.django_db
def test_the_annual_report_counts_types_outcomes_and_average_handling_time(
    lyon_store, lyon_owner, paris_store, paris_owner, hq_admin
):
    first = complain(lyon_store, lyon_owner)
    complain(paris_store, paris_owner, kind="technical")
    complain(lyon_store, lyon_owner, kind="technical")
    close_store_complaint(
        complaint=first, outcome="upheld", note="Réattribution annulée.", actor=hq_admin
    )
    StoreComplaint.objects.filter(pk=first.pk).update(
        closed_at=first.created_at + timedelta(days=4)
    )
    year = timezone.localdate().year

    report = complaint_report(year)

    assert report.total == 3
    assert report.by_kind == {"regulation_breach": 0, "technical": 2, "hq_conduct": 1}
    assert report.by_outcome["upheld"] == 1
    assert report.still_open == 2
    assert report.average_handling_days == pytest.approx(4.0)
    csv = client_for(hq_admin).get(f"/admin/compliance/storecomplaint/report/?year={year}")
    assert csv["Content-Type"] == "text/csv"
    assert f"{year},handling,average_days,4.0" in csv.content.decode()
    assert f"{year},type,technical,2" in csv.content.decode()
