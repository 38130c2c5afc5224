"""HQ's admin for money: the dashboard by store and period, payouts retried and paid out by
action, invoices credited by action (never edited), the ledger read-only."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from network_marketplace.models import AuditEvent
from payments import invoices, payouts
from payments.models import Invoice, JournalEntry, Payment, Payout, PayoutPolicy
from tests.factories import StoreFactory
from tests.fulfillment.conftest import home, network, order_for  # noqa: F401 (fixture)

from .money_helpers import book_reversal, book_sale, open_account

TODAY = timezone.localdate()


@pytest.fixture
def network_money(lyon_store, paris_store):
    open_account(lyon_store)
    open_account(paris_store, past_due=["external_account"])
    book_sale(lyon_store, gross=10_000, commission=1_000)
    book_sale(lyon_store, gross=4_000, commission=400)
    book_reversal(lyon_store, gross=4_000, commission=400)
    book_sale(paris_store, gross=6_000, commission=600)
    payouts.run_payouts(force=True)
    invoices.issue_commission_invoices(period=TODAY)


def test_hq_s_dashboard_shows_gmv_commission_refunds_and_payouts_by_store(
    admin_client, network_money, lyon_store, django_assert_max_num_queries
):
    for _ in range(10):
        book_sale(StoreFactory(), gross=1_000, commission=100)

    # The admin's app list asks each one-row settings admin whether a row exists (has_add_
    # permission); three more since issue 15 (settlement rules, store profiles, scorecards).
    with django_assert_max_num_queries(18):
        page = admin_client.get(reverse("admin:payments_money_dashboard"))

    rows = {row.store_slug: row for row in page.context["rows"]}
    lyon = rows[lyon_store.slug]
    assert (lyon.gmv_cents, lyon.commission_cents, lyon.refunds_cents) == (14_000, 1_000, 4_000)
    assert lyon.payouts_cents == 10_000 - 1_000 - 200
    assert page.context["total"].gmv_cents == 14_000 + 6_000 + 10 * 1_000
    assert [a.store.slug for a in page.context["on_hold"]] == ["paris-bastille"]


def test_the_dashboard_is_for_hq_only(client, network_money, lyon_owner):
    client.force_login(lyon_owner)

    response = client.get(reverse("admin:payments_money_dashboard"))

    assert response.status_code == 302  # to the admin login


def test_hq_credits_an_invoice_by_action_with_a_reason(admin_client, network_money, lyon_store):
    invoice = Invoice.objects.get(store=lyon_store)
    url = reverse("admin:payments_invoice_changelist")

    asked = admin_client.post(url, {"action": "credit", ACTION_CHECKBOX_NAME: [invoice.pk]})
    done = admin_client.post(url, {"action": "credit", ACTION_CHECKBOX_NAME: [invoice.pk],
                                   "apply": "1", "reason": "Wrong period"})  # fmt: skip

    assert asked.status_code == 200
    assert done.status_code == 302
    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert (note.credited_invoice, note.reason) == (invoice, "Wrong period")
    assert admin_client.get(
        reverse("admin:payments_invoice_pdf", args=[note.pk])
    ).content.startswith(b"%PDF")


def test_invoices_payouts_and_the_ledger_are_read_only_in_admin(admin_client, network_money):
    invoice = Invoice.objects.first()
    entry = JournalEntry.objects.first()

    assert admin_client.get(reverse("admin:payments_invoice_add")).status_code == 403
    assert admin_client.get(reverse("admin:payments_journalentry_add")).status_code == 403
    page = admin_client.get(reverse("admin:payments_journalentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert (
        admin_client.post(
            reverse("admin:payments_invoice_change", args=[invoice.pk]), {"reason": "edited"}
        ).status_code
        == 403
    )
    for name in ("payout", "journalline", "payoutpolicy"):
        assert admin_client.get(reverse(f"admin:payments_{name}_changelist")).status_code == 200


def test_hq_retries_a_failed_payout_by_action(admin_client, network_money, lyon_store):
    payout = Payout.objects.get(store=lyon_store)
    payouts.mark_payout_failed(payout=payout, reason="Bank refused", actor="provider")

    admin_client.post(reverse("admin:payments_payout_changelist"),
                      {"action": "retry", ACTION_CHECKBOX_NAME: [payout.pk]})  # fmt: skip

    assert list(Payout.objects.filter(store=lyon_store).values_list("attempt", "status")) == [
        (2, "pending"), (1, "failed"),
    ]  # fmt: skip


def test_changing_the_payout_policy_is_audited(admin_client, db):
    policy = PayoutPolicy.current()
    url = reverse("admin:payments_payoutpolicy_change", args=[policy.pk])

    # HQ types the minimum in euros; it is kept in cents
    admin_client.post(url, {"frequency": "monthly", "weekday": 1, "day_of_month": 5,
                            "minimum_payout_cents": "20,00", "hold_open_returns": "on",
                            "hold_withdrawal_period": "on"})  # fmt: skip

    policy.refresh_from_db()
    assert (policy.frequency, policy.day_of_month, policy.minimum_payout_cents) == (
        "monthly", 5, 2_000,
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="payout_policy.changed").exists()


def test_hq_reads_a_payment_s_moves_on_its_admin_page(admin_client, network):  # noqa: F811
    # Given an order paid online at the checkout
    order = order_for(home(network.secateur))
    payment = Payment.objects.get(order=order)

    # When HQ opens the payment in admin
    page = admin_client.get(reverse("admin:payments_payment_change", args=[payment.pk]))

    # Then its events say who moved it from where to where
    assert page.status_code == 200
    events = [(e.from_status, e.to_status) for e in payment.events.order_by("created_at", "id")]
    assert events == [("", "pending"), ("pending", "succeeded")]
    # in the states' human names
    assert "En attente → Payé" in page.content.decode()
