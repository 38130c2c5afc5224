"""Misuse (DSA art. 23): HQ marks manifestly illegal content and manifestly unfounded notices or
complaints per account; past HQ's thresholds a warning, then a time-limited suspension, each
with its reasons; marking a decision twice counts once; the policy is on the terms page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import Measure, MeasureKind, MisuseKind, NotifierSuspension
from compliance.services.misuse import InvalidMisuseMark, mark_misuse, notices_suspended_for
from network_marketplace.models import OutboxMessage
from stores.models import Store
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def policy(settings):
    settings.MISUSE_WARNING_THRESHOLD = 2
    settings.MISUSE_SUSPENSION_THRESHOLD = 3
    settings.MISUSE_SUSPENSION_DAYS = 30
    settings.MISUSE_WINDOW_DAYS = 365


def mark_content(store, n, actor, **extra):
    return mark_misuse(
        kind=MisuseKind.ILLEGAL_CONTENT, source=f"measure:{n}", store=store, actor=actor, **extra
    )


def test_below_the_warning_threshold_nothing_happens(lyon_store, hq_admin):
    outcome = mark_content(lyon_store, 1, hq_admin)

    assert (outcome.count, outcome.action) == (1, "")
    assert not Measure.objects.filter(source="misuse").exists()


def test_a_store_is_warned_then_suspended_for_a_time_each_with_a_statement(lyon_store, hq_admin):
    mark_content(lyon_store, 1, hq_admin)

    warning = mark_content(lyon_store, 2, hq_admin)
    assert warning.action == "warning"
    assert warning.measure.kind == MeasureKind.WARNING
    assert "article 23" in warning.measure.statement.legal_ground
    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.ACTIVE

    suspension = mark_content(lyon_store, 3, hq_admin)
    assert suspension.action == "suspension"
    measure = suspension.measure
    assert measure.kind == MeasureKind.STORE_SELLING_SUSPENDED
    assert measure.source == "misuse"
    assert measure.ends_at - measure.started_at == timedelta(days=30)
    assert measure.statement.terms_clause
    lyon_store.refresh_from_db()
    assert lyon_store.status == Store.Status.SUSPENDED


def test_a_store_already_suspended_is_not_suspended_twice(lyon_store, hq_admin):
    for n in range(1, 4):
        mark_content(lyon_store, n, hq_admin)

    fourth = mark_content(lyon_store, 4, hq_admin)

    assert fourth.action == ""
    assert Measure.objects.filter(source="misuse", kind="store_selling_suspended").count() == 1


def test_marking_the_same_decision_twice_counts_once(lyon_store, hq_admin):
    mark_content(lyon_store, 1, hq_admin)

    again = mark_content(lyon_store, 1, hq_admin)

    assert again.count == 1
    assert again.action == ""


def test_marks_older_than_the_window_are_not_counted(lyon_store, hq_admin):
    long_ago = timezone.now() - timedelta(days=400)
    mark_content(lyon_store, 1, hq_admin, now=long_ago)

    outcome = mark_content(lyon_store, 2, hq_admin)

    assert (outcome.count, outcome.action) == (1, "")


def test_a_user_account_is_suspended_not_a_store(hq_admin):
    seller = UserFactory(email="vendeur@example.com")
    for n in range(1, 4):
        outcome = mark_misuse(
            kind=MisuseKind.ILLEGAL_CONTENT, source=f"notice:{n}", user=seller, actor=hq_admin
        )

    assert outcome.measure.kind == MeasureKind.ACCOUNT_SUSPENDED
    seller.refresh_from_db()
    assert not seller.is_active


def test_a_notifier_sending_unfounded_notices_is_warned_then_not_heard_for_a_time(hq_admin):
    email = "Troll@Example.com"

    mark_misuse(kind=MisuseKind.UNFOUNDED_NOTICE, source="notice:1", email=email, actor=hq_admin)
    warned = mark_misuse(
        kind=MisuseKind.UNFOUNDED_COMPLAINT, source="complaint:1", email=email, actor=hq_admin
    )
    suspended = mark_misuse(
        kind=MisuseKind.UNFOUNDED_NOTICE, source="notice:2", email=email, actor=hq_admin
    )

    assert warned.action == "warning"
    assert suspended.action == "suspension"
    suspension = notices_suspended_for("troll@example.com")
    assert suspension is not None
    assert suspension.ends_at - suspension.starts_at == timedelta(days=30)
    assert notices_suspended_for("troll@example.com", now=suspension.ends_at) is None
    told = OutboxMessage.objects.filter(payload__template="compliance/misuse_notifier")
    assert told.count() == 2  # the warning, then the suspension, each with its reasons


def test_a_mark_without_an_account_is_refused_and_writes_nothing(hq_admin):
    with pytest.raises(InvalidMisuseMark):
        mark_misuse(kind=MisuseKind.UNFOUNDED_NOTICE, source="notice:9", actor=hq_admin)
    with pytest.raises(InvalidMisuseMark):
        mark_misuse(
            kind=MisuseKind.ILLEGAL_CONTENT, source="notice:9", email="a@b.example", actor=hq_admin
        )

    assert not NotifierSuspension.objects.exists()


def test_the_terms_page_states_the_policy_with_the_thresholds(client, settings):
    settings.MISUSE_SUSPENSION_DAYS = 45

    page = client.get(reverse("legal:page", args=["terms"]))

    text = page.content.decode()
    assert 'data-testid="misuse-policy"' in text
    assert "45" in text


def test_hq_marks_unfounded_notices_from_the_notice_admin(client, hq_admin):
    from compliance.models import MisuseRecord, Notice

    notices = [
        Notice.objects.create(
            reference=f"N-{n}",
            received_at=timezone.now(),
            deadline_at=timezone.now() + timedelta(days=7),
            notifier_email="troll@example.com",
            category="other",
            explanation="!",
            urls=["http://testserver/"],
            target_kind="store",
            good_faith=True,
        )
        for n in range(2)
    ]
    client.force_login(hq_admin)

    response = client.post(
        reverse("admin:compliance_notice_changelist"),
        {"action": "mark_unfounded_notices", "_selected_action": [n.pk for n in notices]},
        follow=True,
    )

    assert response.status_code == 200
    assert MisuseRecord.objects.filter(email="troll@example.com").count() == 2
    assert OutboxMessage.objects.filter(payload__template="compliance/misuse_notifier").exists()


def test_a_suspended_notifiers_new_notice_is_refused_with_a_clear_error(hq_admin):
    from compliance.models import Notice
    from compliance.services import submit_notice
    from compliance.services.notices import InvalidNotice

    NotifierSuspension.objects.create(
        email="troll@example.com", kind=MisuseKind.UNFOUNDED_NOTICE, starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=30), reasons="3 unfounded", decided_by_label="HQ",
    )  # fmt: skip

    with pytest.raises(InvalidNotice) as refused:
        submit_notice(
            category="other", explanation="Again", urls=["http://testserver/"],
            notifier_email="Troll@example.com", good_faith=True,
        )  # fmt: skip

    assert "notifier_email" in refused.value.fields
    assert not Notice.objects.exists()


def test_a_suspended_notifiers_complaint_is_refused_with_a_clear_error(
    lyon_store, lyon_owner, hq_admin
):
    from compliance.models import Complaint
    from compliance.services import submit_complaint
    from compliance.services.complaints import InvalidComplaint
    from compliance.services.measures import apply_measure
    from tests.factories import StockLevelFactory

    offer = StockLevelFactory(store=lyon_store)
    measure = apply_measure(
        kind="offer_disabled", target=offer, source="own_initiative", facts="Unsafe",
        legal_ground="L. 421-3", actor=hq_admin,
    )  # fmt: skip
    NotifierSuspension.objects.create(
        email=lyon_owner.email, kind=MisuseKind.UNFOUNDED_COMPLAINT, starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=30), reasons="3 unfounded", decided_by_label="HQ",
    )  # fmt: skip

    with pytest.raises(InvalidComplaint):
        submit_complaint(
            complainant="store", text="Wrong", contact_email=lyon_owner.email, measure=measure,
            store=lyon_store,
        )  # fmt: skip

    assert not Complaint.objects.exists()
