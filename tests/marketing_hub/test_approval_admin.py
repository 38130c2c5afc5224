"""HQ's admin for marketing orders: the review queue (deadline first) with approve and reject
(a reason required), orders with lines and moves, supplier lines, budgets, co-funding, and a
supplier's API key shown once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketing_hub.models import MarketingOrder, Supplier

from .order_helpers import make_budget, make_item, make_rule, make_supplier, placed_order

pytestmark = pytest.mark.django_db
MO = MarketingOrder.Status


@pytest.fixture
def in_review(lyon_store, lyon_owner):
    return placed_order(
        lyon_store, lyon_owner, make_item(always_review=True, supplier=make_supplier())
    )


def test_the_review_queue_lists_orders_to_review_and_hq_approves_one(client, hq_admin, in_review):
    client.force_login(hq_admin)

    queue = client.get(reverse("admin:marketing_hub_orderinreview_changelist"))
    confirm = client.get(reverse("admin:marketing_hub_orderinreview_approve", args=[in_review.pk]))
    done = client.post(reverse("admin:marketing_hub_orderinreview_approve", args=[in_review.pk]))

    assert in_review.number in queue.content.decode()
    assert confirm.status_code == 200
    assert done.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == MO.APPROVED


def test_rejecting_in_the_admin_needs_a_reason(client, hq_admin, in_review):
    client.force_login(hq_admin)
    url = reverse("admin:marketing_hub_orderinreview_reject", args=[in_review.pk])

    refused = client.post(url, {"reason": ""})
    in_review.refresh_from_db()
    assert (refused.status_code, in_review.status) == (400, MO.IN_REVIEW)

    client.post(url, {"reason": "Visuel hors charte"})
    in_review.refresh_from_db()
    assert (in_review.status, in_review.rejection_reason) == (MO.REJECTED, "Visuel hors charte")


def test_the_reject_action_rejects_the_selected_orders_with_a_reason(client, hq_admin, in_review):
    client.force_login(hq_admin)

    client.post(
        reverse("admin:marketing_hub_orderinreview_changelist"),
        {
            "action": "reject_selected",
            "_selected_action": [in_review.pk],
            "apply": "1",
            "reason": "Non",
        },
    )

    in_review.refresh_from_db()
    assert in_review.status == MO.REJECTED


@pytest.mark.parametrize(
    "name",
    [
        "marketingorder_changelist",
        "supplierline_changelist",
        "budget_changelist",
        "cofundingrule_changelist",
        "cofundingusage_changelist",
        "supplier_changelist",
    ],
)
def test_the_marketing_admin_pages_open(client, hq_admin, in_review, lyon_store, name):
    make_budget(lyon_store)
    make_rule(item_kind="print")
    client.force_login(hq_admin)

    assert client.get(reverse(f"admin:marketing_hub_{name}")).status_code == 200


def test_an_order_page_shows_its_lines_and_moves(client, hq_admin, in_review):
    client.force_login(hq_admin)

    page = client.get(reverse("admin:marketing_hub_marketingorder_change", args=[in_review.pk]))

    assert page.status_code == 200
    assert "FLY-A5" in page.content.decode()


def test_a_supplier_api_key_is_shown_once_and_only_its_hash_kept(client, hq_admin):
    supplier = make_supplier()
    client.force_login(hq_admin)

    page = client.post(
        reverse("admin:marketing_hub_supplier_changelist"),
        {"action": "generate_api_key", "_selected_action": [supplier.pk]},
        follow=True,
    )

    supplier = Supplier.objects.get(pk=supplier.pk)
    assert supplier.api_key_hash
    assert f"nmsup_{supplier.api_key_prefix}_" in page.content.decode()
    assert supplier.api_key_hash not in page.content.decode()
