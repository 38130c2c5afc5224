"""The store back-office's Money pages: a store user sees only their own store's money
(another store's pages are a 404), HQ sees every store's; list pages stay within a bounded
number of queries; statements and invoices download as PDF and CSV."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from payments import invoices, payouts
from payments.models import Invoice

from .money_helpers import book_marketing_charge, book_sale, open_account, pdf_text

TODAY = timezone.localdate()


@pytest.fixture
def lyon_money(lyon_store, paris_store):
    open_account(lyon_store)
    open_account(paris_store, past_due=["individual.verification.document"])
    for _ in range(3):
        book_sale(lyon_store, gross=10_000, commission=1_500)
    payouts.run_payouts(force=True)
    book_sale(lyon_store, gross=5_000, commission=500)
    book_marketing_charge(lyon_store, amount_excl=1_000)
    book_sale(paris_store, gross=5_000, commission=500)
    invoices.issue_commission_invoices(period=TODAY)
    return lyon_store


PAGES = [
    ("backoffice:money", {}),
    ("backoffice:money-statement", {}),
    ("backoffice:money-invoices", {}),
    ("backoffice:money-commissions", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[name for name, _ in PAGES])
def test_a_store_user_sees_their_money_pages_and_another_store_s_are_a_404(
    client, lyon_money, lyon_owner, paris_owner, hq_admin, name, kwargs
):
    url = reverse(name, kwargs={"slug": lyon_money.slug, **kwargs})

    client.force_login(lyon_owner)
    assert client.get(url).status_code == 200
    client.force_login(paris_owner)
    assert client.get(url).status_code == 404
    client.force_login(hq_admin)
    assert client.get(url).status_code == 200


def test_another_store_s_invoice_pdf_is_a_404(client, lyon_money, paris_owner, lyon_owner):
    invoice = Invoice.objects.get(store=lyon_money)
    url = reverse(
        "backoffice:money-invoice", kwargs={"slug": lyon_money.slug, "number": invoice.number}
    )
    paris_url = reverse(
        "backoffice:money-invoice", kwargs={"slug": "paris-bastille", "number": invoice.number}
    )

    client.force_login(paris_owner)
    assert client.get(url).status_code == 404
    assert client.get(paris_url).status_code == 404  # its own store, not its invoice
    client.force_login(lyon_owner)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert invoice.number in pdf_text(response.content)


def test_the_money_page_shows_the_balance_the_next_payout_and_what_is_held_back(
    client, lyon_money, lyon_owner
):
    client.force_login(lyon_owner)

    page = client.get(reverse("backoffice:money", kwargs={"slug": lyon_money.slug}))

    html = page.content.decode()
    # 50 € - 5 € - 1 € VAT of the new sale, less the 12 € marketing charge (incl. VAT)
    assert "32,00\u00a0€" in html
    assert page.context["availability"].available_cents == 3_200
    assert page.context["page"].paginator.count == 1
    assert 'data-testid="payouts-blocked"' not in html


def test_a_store_whose_account_has_requirements_past_due_sees_why_its_payouts_are_held(
    client, lyon_money, paris_owner
):
    client.force_login(paris_owner)

    page = client.get(reverse("backoffice:money", kwargs={"slug": "paris-bastille"}))

    assert "individual.verification.document" in page.content.decode()
    assert not page.context["availability"].can_receive_payouts


def test_the_statement_shows_opening_entries_and_closing_and_downloads(
    client, lyon_money, lyon_owner
):
    client.force_login(lyon_owner)
    url = reverse("backoffice:money-statement", kwargs={"slug": lyon_money.slug})
    period = {"start": TODAY.replace(day=1).isoformat(), "end": TODAY.isoformat()}

    page = client.get(url, period)
    as_pdf = client.get(url, {**period, "download": "pdf"})
    as_csv = client.get(url, {**period, "download": "csv"})

    statement = page.context["statement"]
    assert statement.opening_cents == 0
    assert len(statement.lines) == 3 + 1 + 1 + 1  # 3 sales, the payout, a sale, a charge
    assert statement.closing_cents == 3_200
    assert "Solde d'ouverture" in pdf_text(as_pdf.content) or "Opening" in pdf_text(as_pdf.content)
    assert as_csv.content.decode().splitlines()[-1].endswith("32.00")


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"start": "le premier"}, "Saisissez une date valide."),
        ({"start": "2026-03-01", "end": "2026-02-01"}, "La fin est avant le début."),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "Une période dure au plus un an."),
    ],
    ids=["not-a-date", "end-before-start", "longer-than-a-year"],
)
def test_a_wrong_statement_period_is_explained_and_no_file_is_made(
    client, lyon_money, lyon_owner, hq_admin, period, message
):
    client.force_login(lyon_owner)
    url = reverse("backoffice:money-statement", kwargs={"slug": lyon_money.slug})

    page = client.get(url, period)
    download = client.get(url, {**period, "download": "pdf"})

    assert page.status_code == download.status_code == 400
    assert message in page.content.decode()
    client.force_login(hq_admin)
    dashboard = client.get(reverse("admin:payments_money_dashboard"), period)
    assert dashboard.status_code == 400
    assert message in dashboard.content.decode()


def test_the_commission_page_lists_each_order_s_commission(client, lyon_money, lyon_owner):
    client.force_login(lyon_owner)

    page = client.get(reverse("backoffice:money-commissions", kwargs={"slug": lyon_money.slug}))

    assert [row.commission_cents for row in page.context["rows"]] == [1_500] * 3 + [500]
    assert page.context["totals"]["commission_cents"] == 5_000


@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[name for name, _ in PAGES])
def test_money_pages_stay_within_a_bounded_number_of_queries(
    client, lyon_money, lyon_owner, django_assert_max_num_queries, name, kwargs
):
    for _ in range(20):
        book_sale(lyon_money, gross=1_000, commission=100)
    client.force_login(lyon_owner)
    url = reverse(name, kwargs={"slug": lyon_money.slug, **kwargs})

    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
