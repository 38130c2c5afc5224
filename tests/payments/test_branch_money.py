"""A company-owned branch's money pages say what its money is (HQ's own sales: no commission,
no balance, no payout) instead of empty payouts and a commission tab with "no sale"; HQ's
money dashboard names the franchised stores that have no payment account yet."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from payments import ledger
from payments.ledger import credit, debit, post_entry
from stores.models import StoreMembership
from tests.factories import MembershipFactory, StoreFactory

from .money_helpers import open_account


def book_branch_sale(branch, *, gross: int, reference: str, refund: bool = False) -> None:
    """A branch's sale as payments.postings books it: HQ's own goods sales and VAT."""
    vat = gross - gross * 100 // 120
    postings = [
        debit(ledger.CUSTOMER_PREPAYMENTS, gross),
        credit(ledger.HQ_GOODS_SALES, gross - vat),
        credit(ledger.VAT_COLLECTED, vat),
    ]
    if refund:
        postings = [
            ledger.Posting(
                account=p.account, debit_cents=p.credit_cents, credit_cents=p.debit_cents
            )
            for p in postings
        ]
    post_entry(journal="VT", reference=reference, label=reference, postings=postings, store=branch)


@pytest.fixture
def branch(db):
    branch = StoreFactory(name="Ardoise Villeurbanne", slug="villeurbanne", kind="branch")
    for number, gross in enumerate((9_990, 5_608, 5_500)):
        book_branch_sale(branch, gross=gross, reference=f"sale:fulfilment:{number}")
    return branch


@pytest.fixture
def branch_manager(branch):
    return MembershipFactory(
        store=branch, user__email="manager.villeurbanne@example.com",
        role=StoreMembership.Role.MANAGER,
    ).user  # fmt: skip


def test_a_branch_money_page_says_its_sales_are_hqs_own_without_payouts(
    client, branch, branch_manager
):
    client.force_login(branch_manager)

    html = client.get(reverse("backoffice:money", kwargs={"slug": branch.slug})).content.decode()

    own = html[html.index('data-testid="hq-own-money"') :]
    assert "210,98" in own
    assert "3 ventes" in own
    assert 'data-testid="reserve"' not in html  # no "Held back 0,00 €"
    assert 'data-testid="payouts-table"' not in html
    assert 'data-testid="payouts-blocked"' not in html


def test_a_branch_commission_tab_explains_there_is_no_commission(client, branch, branch_manager):
    book_branch_sale(branch, gross=5_500, reference="refund:reversal:1", refund=True)
    client.force_login(branch_manager)

    response = client.get(reverse("backoffice:money-commissions", kwargs={"slug": branch.slug}))

    html = response.content.decode()
    note = html[html.index('data-testid="hq-own-commissions"') :]
    assert "aucune commission" in note
    assert re.search(r"155,98\s€", note)  # three sales less the refund
    assert "Aucune vente ce mois-ci" not in html


def test_hq_dashboard_names_franchised_stores_without_a_payment_account(
    admin_client, lyon_store, paris_store, branch
):
    open_account(paris_store)

    html = admin_client.get(reverse("admin:payments_money_dashboard")).content.decode()

    missing = html[html.index('data-testid="stores-without-account"') :]
    missing = missing[: missing.index("</p>")]
    assert lyon_store.name.replace("'", "&#x27;") in missing
    assert paris_store.name not in missing
    assert branch.name not in missing  # a branch is never paid out
    assert 'data-testid="every-store-payable"' not in html


def test_hq_dashboard_says_every_store_can_be_paid_only_when_it_is_true(admin_client, lyon_store):
    open_account(lyon_store)

    html = admin_client.get(reverse("admin:payments_money_dashboard")).content.decode()

    assert 'data-testid="every-store-payable"' in html
    assert 'data-testid="stores-without-account"' not in html
