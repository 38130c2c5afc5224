"""Approval by HQ's rules per item: auto-approved when only store fields change; HQ review for
free text, above a quantity or an amount, or always; approving charges each line and sends the
supplier its lines; rejecting needs a reason and books nothing; a late review tells the store
and reminds HQ once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from marketing_hub.models import MarketingOrder, MarketingOrderLine
from marketing_hub.services import approval
from marketing_hub.services.approval import ReviewRefused
from marketing_hub.tasks.orders import remind_overdue_reviews
from network_marketplace.models import WebhookDelivery, WebhookEndpoint
from network_marketplace.outbox import deliver_due_messages
from payments import ledger
from payments.models import Invoice, JournalEntry

from .order_helpers import make_item, make_proof, make_supplier, placed_order

pytestmark = pytest.mark.django_db
MO, ML = MarketingOrder.Status, MarketingOrderLine.Status


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.parametrize(
    ("item_kwargs", "quantity", "free_text", "reasons"),
    [
        ({}, 250, False, []),
        ({}, 250, True, ["free_text"]),
        ({"review_above_quantity": 500}, 1_000, False, ["quantity"]),
        ({"review_above_amount_cents": 5_000}, 1_000, False, ["amount"]),
        ({"always_review": True}, 250, False, ["always_review"]),
    ],
    ids=["store-fields-only", "free-text", "above-quantity", "above-amount", "always"],
)
def test_approval_rules(lyon_store, lyon_owner, item_kwargs, quantity, free_text, reasons):
    flyer = make_item(**item_kwargs)
    proof = make_proof(lyon_store, flyer, free_text=free_text)

    order = placed_order(lyon_store, lyon_owner, flyer, quantity=quantity, proof=proof)

    assert order.review_reasons == reasons
    assert order.status == (MO.IN_REVIEW if reasons else MO.APPROVED)
    if reasons:
        assert order.review_deadline > timezone.now()
        assert not JournalEntry.objects.exists()


def test_hq_approving_charges_each_line_and_sends_the_supplier_its_print_links(
    lyon_store, lyon_owner, hq_admin
):
    supplier = make_supplier()
    flyer = make_item(supplier=supplier, always_review=True)
    order = placed_order(lyon_store, lyon_owner, flyer)

    order = approval.approve_order(order=order, actor=hq_admin)
    approval.approve_order(order=order, actor=hq_admin)  # a double click changes nothing
    deliver_due_messages()

    assert (order.status, order.reviewed_by) == (MO.APPROVED, hq_admin)
    line = order.lines.get()
    assert line.status == ML.APPROVED
    assert line.invoice.number.startswith("FM")
    assert Invoice.objects.count() == 1
    assert ledger.store_balance_cents(lyon_store) == -4_680
    [email] = [m for m in mail.outbox if supplier.email in m.to]
    assert order.number in email.subject
    assert "/supplier/files/" in email.body


def test_rejecting_needs_a_reason_and_books_nothing(lyon_store, lyon_owner, hq_admin):
    order = placed_order(lyon_store, lyon_owner, make_item(always_review=True))

    with pytest.raises(ReviewRefused):
        approval.reject_order(order=order, reason="  ", actor=hq_admin)
    order = approval.reject_order(order=order, reason="Photo floue", actor=hq_admin)

    assert (order.status, order.rejection_reason) == (MO.REJECTED, "Photo floue")
    deliver_due_messages()
    [email] = mail.outbox
    assert email.to == [lyon_owner.email]
    assert "Photo floue" in email.body
    assert order.lines.get().status == ML.REJECTED
    assert not JournalEntry.objects.exists()
    assert not Invoice.objects.exists()


def test_a_late_review_tells_the_store_and_reminds_hq_once(lyon_store, lyon_owner, settings):
    order = placed_order(lyon_store, lyon_owner, make_item(always_review=True))
    later = order.review_deadline + timedelta(minutes=1)

    assert approval.remind_overdue_reviews(now=later) == 1
    assert approval.remind_overdue_reviews(now=later) == 0
    remind_overdue_reviews.delay()
    deliver_due_messages()

    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([lyon_owner.email, settings.MARKETING_HQ_EMAIL])


def test_the_review_deadline_counts_working_days():
    friday = timezone.now().replace(year=2026, month=12, day=4, hour=10)

    assert approval.add_working_days(friday, 2).weekday() == 1  # Tuesday


def test_each_move_sends_its_webhook(lyon_store, lyon_owner, hq_admin):
    WebhookEndpoint.objects.create(
        url="https://erp.example/hooks",
        store=lyon_store,
        event_types=["marketing_order.placed", "marketing_order.rejected"],
        secret="s3cret",
    )
    order = placed_order(lyon_store, lyon_owner, make_item(always_review=True))
    approval.reject_order(order=order, reason="Non", actor=hq_admin)

    assert sorted(WebhookDelivery.objects.values_list("event_type", "event_id")) == [
        ("marketing_order.placed", f"marketing_order.placed:{order.pk}"),
        ("marketing_order.rejected", f"marketing_order.rejected:{order.pk}"),
    ]
