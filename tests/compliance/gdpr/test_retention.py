"""The retention engine: each clock removes what is past it, once (a second run reports 0),
records the run and what each purpose removed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from compliance.models import (
    InactiveAccountWarning,
    PersonalDataExport,
    RetainedPersonalData,
    RetentionRun,
)
from compliance.services.gdpr import apply_retention, close_account, request_personal_data_export
from fulfillment.models import Fulfilment
from network_marketplace.audit import record_audit_event
from network_marketplace.models import AuditEvent, OutboxMessage, User
from network_marketplace.storage import exports_storage
from orders.models import Cart
from tests.factories import UserFactory

DAY = timedelta(days=1)


def later(days: float):
    return time_machine.travel(timezone.now() + timedelta(days=days), tick=False)


@pytest.mark.django_db
def test_sent_e_mails_go_after_their_clock_once(orders, settings):
    settings.GDPR_RETENTION_DAYS = {**settings.GDPR_RETENTION_DAYS, "notifications": 365}
    OutboxMessage.objects.filter(kind="email").update(status="sent", sent_at=timezone.now())

    with later(364):
        before = apply_retention()
    with later(366):
        first = apply_retention()
        second = apply_retention()

    assert before.removed["notifications"] == 0
    assert first.removed["notifications"] == 3
    assert second.removed["notifications"] == 0
    assert not OutboxMessage.objects.filter(kind="email").exists()


@pytest.mark.django_db
def test_guest_carts_go_and_a_customer_s_cart_stays(lea):
    guest = Cart.objects.create()
    hers = Cart.objects.create(customer=lea)

    with later(31):
        first = apply_retention()
        second = apply_retention()

    assert (first.removed["abandoned_carts"], second.removed["abandoned_carts"]) == (1, 0)
    assert not Cart.objects.filter(pk=guest.pk).exists()
    assert Cart.objects.filter(pk=hers.pk).exists()


@pytest.mark.django_db
def test_pickup_code_digests_of_ended_fulfilments_are_blanked(orders):
    Fulfilment.objects.update(pickup_code_digest="ab" * 32, pickup_code_salt="cd" * 8)
    open_one = Fulfilment.objects.first()
    Fulfilment.objects.filter(pk=open_one.pk).update(status=Fulfilment.Status.READY_FOR_PICKUP)

    with later(31):
        first = apply_retention()
        second = apply_retention()

    assert first.removed["pickup_code_digests"] == Fulfilment.objects.count() - 1
    assert second.removed["pickup_code_digests"] == 0
    assert Fulfilment.objects.get(pk=open_one.pk).pickup_code_digest == "ab" * 32


@pytest.mark.django_db
def test_webhook_payloads_and_personal_data_audit_rows_go(lea):
    OutboxMessage.objects.create(kind="webhook", payload={"order": {"email": "x@example.com"}},
                                 dedupe_key="webhook:1", status="sent",
                                 sent_at=timezone.now())  # fmt: skip
    OutboxMessage.objects.create(kind="webhook", payload={}, dedupe_key="webhook:2",
                                 status="pending")  # fmt: skip
    record_audit_event(actor=lea, action="account.profile_updated", target=lea)
    record_audit_event(actor=lea, action="order.placed", target=lea)

    with later(366):
        first = apply_retention()
        second = apply_retention()

    assert first.removed["webhook_payloads"] == 1
    assert first.removed["personal_data_audit"] >= 1
    assert (second.removed["webhook_payloads"], second.removed["personal_data_audit"]) == (0, 0)
    assert OutboxMessage.objects.filter(dedupe_key="webhook:2").exists()  # still to deliver
    assert AuditEvent.objects.filter(action="order.placed").exists()  # not personal data's


@pytest.mark.django_db(transaction=True)
def test_an_export_s_zip_is_deleted_when_its_link_expires(orders, lea):
    export = request_personal_data_export(user=lea, actor=lea)
    export.refresh_from_db()
    name = export.archive.name
    assert exports_storage().exists(name)

    with later(8):
        first = apply_retention()
        second = apply_retention()

    export.refresh_from_db()
    assert (first.removed["data_exports"], second.removed["data_exports"]) == (1, 0)
    assert export.status == PersonalDataExport.Status.EXPIRED
    assert not export.archive
    assert not exports_storage().exists(name)


@pytest.mark.django_db
def test_what_the_law_kept_is_deleted_after_ten_years(orders, lea):
    close_account(user=lea, actor=lea)
    assert RetainedPersonalData.objects.count() == 2

    with later(10 * 365 - 10):
        early = apply_retention()
    with later(10 * 365 + 10):
        first = apply_retention()
        second = apply_retention()

    assert early.removed["retained_legal_data"] == 0
    assert first.removed["retained_legal_data"] == 2
    assert second.removed["retained_legal_data"] == 0
    assert not RetainedPersonalData.objects.exists()


@pytest.mark.django_db
def test_an_inactive_account_is_warned_a_month_before_then_closed(settings, lyon_owner):
    sleeper = UserFactory(email="dormeur@example.com", first_name="Paul")
    User.objects.filter(pk=sleeper.pk).update(last_login=timezone.now())
    active = UserFactory(email="active@example.com")
    staff = lyon_owner  # a store member's account is the store's business

    with later(3 * 365 - 31):
        too_early = apply_retention()
    with later(3 * 365 - 29):
        User.objects.filter(pk=active.pk).update(last_login=timezone.now())
        warned = apply_retention()
        warned_again = apply_retention()
    with later(3 * 365 + 1):
        closed = apply_retention()
        closed_again = apply_retention()

    assert too_early.removed["inactive_account_warnings"] == 0
    assert warned.removed["inactive_account_warnings"] == 1
    assert warned_again.removed["inactive_account_warnings"] == 0
    assert (
        OutboxMessage.objects.filter(
            dedupe_key__startswith="email:account-inactive:", payload__to=["dormeur@example.com"]
        ).count()
        == 1
    )
    assert InactiveAccountWarning.objects.get().user_id == sleeper.pk
    assert closed.removed["inactive_accounts"] == 1
    assert closed_again.removed["inactive_accounts"] == 0
    sleeper.refresh_from_db()
    assert sleeper.email.endswith("@erased.invalid")
    assert User.objects.get(pk=active.pk).is_active
    assert User.objects.get(pk=staff.pk).is_active


@pytest.mark.django_db
def test_signing_in_after_the_warning_keeps_the_account(settings):
    sleeper = UserFactory(email="dormeur@example.com")

    with later(3 * 365 - 20):
        apply_retention()
        User.objects.filter(pk=sleeper.pk).update(last_login=timezone.now())
    with later(3 * 365 + 20):
        run = apply_retention()

    assert run.removed["inactive_accounts"] == 0
    assert User.objects.get(pk=sleeper.pk).is_active


@pytest.mark.django_db
def test_each_run_is_recorded_with_what_it_removed(admin_client, lea):
    Cart.objects.create()

    with later(31):
        run = apply_retention()

    assert RetentionRun.objects.get() == run
    assert run.finished_at is not None
    assert run.total == 1
    page = admin_client.get(f"/admin/compliance/retentionrun/{run.pk}/change/").content.decode()
    assert "Paniers de visiteurs laissés à l\u2019abandon" in page
