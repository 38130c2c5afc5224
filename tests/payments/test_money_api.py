"""The money API: a store key reads only its own payouts, invoices, balance, commissions and
statement (another store's: 404); HQ reads all and the network's exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from payments import invoices, payouts
from payments.models import Invoice, Payout
from tests.api_clients import api_client

from .money_helpers import book_sale, open_account

TODAY = timezone.localdate()
MONTH = {"start": TODAY.replace(day=1).isoformat(), "end": TODAY.isoformat()}


@pytest.fixture
def money(lyon_store, paris_store):
    """Both stores sold in November, were paid out and invoiced."""
    for store, gross in ((lyon_store, 10_000), (paris_store, 6_000)):
        open_account(store)
        book_sale(store, gross=gross, commission=gross // 10)
    payouts.run_payouts(force=True)
    invoices.issue_commission_invoices(period=TODAY)
    return {
        "lyon_payout": Payout.objects.get(store=lyon_store),
        "paris_payout": Payout.objects.get(store=paris_store),
        "lyon_invoice": Invoice.objects.get(store=lyon_store),
        "paris_invoice": Invoice.objects.get(store=paris_store),
    }


def test_a_store_key_lists_only_its_own_payouts_and_invoices(money, lyon_key, lyon_store):
    client = api_client(key=lyon_key)

    payouts_page = client.get("/api/v1/payments/payouts/").json()
    invoices_page = client.get("/api/v1/payments/invoices/").json()

    assert [p["id"] for p in payouts_page["results"]] == [money["lyon_payout"].pk]
    assert [i["number"] for i in invoices_page["results"]] == [money["lyon_invoice"].number]
    assert invoices_page["results"][0]["buyer"]["vat_number"] == lyon_store.vat_number


def test_hq_lists_every_store_s_payouts_and_filters_by_store(money, hq_key, paris_store):
    client = api_client(key=hq_key)

    everything = client.get("/api/v1/payments/payouts/").json()
    paris = client.get("/api/v1/payments/payouts/", {"store": paris_store.slug}).json()

    assert everything["count"] == 2
    assert [p["id"] for p in paris["results"]] == [money["paris_payout"].pk]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/payments/payouts/{paris_payout}/",
        "/api/v1/payments/invoices/{paris_invoice}/",
        "/api/v1/payments/invoices/{paris_invoice}/pdf/",
        "/api/v1/payments/stores/paris-bastille/balance/",
        "/api/v1/payments/stores/paris-bastille/commissions/",
        "/api/v1/payments/stores/paris-bastille/statement/",
        "/api/v1/payments/stores/paris-bastille/statement/?download=csv",
        "/api/v1/payments/exports/payouts/?store=paris-bastille",
        "/api/v1/payments/exports/commissions/?store=paris-bastille",
    ],
    ids=["payout", "invoice", "invoice-pdf", "balance", "commissions", "statement",
         "statement-csv", "payouts-csv", "commissions-csv"],
)  # fmt: skip
def test_another_store_s_money_is_a_404_for_a_store_key(money, lyon_key, hq_key, url):
    url = url.format(
        paris_payout=money["paris_payout"].pk, paris_invoice=money["paris_invoice"].number
    )

    assert api_client(key=lyon_key).get(url).status_code == 404
    assert api_client(key=hq_key).get(url).status_code == 200


def test_a_store_member_reads_its_own_balance_by_session(money, lyon_owner, lyon_store):
    response = api_client(user=lyon_owner).get(
        f"/api/v1/payments/stores/{lyon_store.slug}/balance/"
    )

    assert response.status_code == 200
    assert response.json()["balance_cents"] == 0  # paid out
    assert (
        api_client(user=lyon_owner)
        .get("/api/v1/payments/stores/paris-bastille/balance/")
        .status_code
        == 404
    )


def test_a_store_reads_its_commission_per_order_and_its_statement(money, lyon_key, lyon_store):
    client = api_client(key=lyon_key)

    commissions = client.get(f"/api/v1/payments/stores/{lyon_store.slug}/commissions/", MONTH)
    statement = client.get(f"/api/v1/payments/stores/{lyon_store.slug}/statement/", MONTH).json()

    assert [(r["commission_cents"], r["vat_cents"]) for r in commissions.json()] == [(1_000, 200)]
    assert statement["opening_cents"] == 0
    assert statement["lines"][0]["credit_cents"] == 10_000 - 1_200
    assert statement["closing_cents"] == 0


def test_the_statement_downloads_as_csv_and_pdf(money, lyon_key, lyon_store):
    client = api_client(key=lyon_key)
    url = f"/api/v1/payments/stores/{lyon_store.slug}/statement/"

    as_csv = client.get(url, {**MONTH, "download": "csv"})
    as_pdf = client.get(url, {**MONTH, "download": "pdf"})

    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert rows[0][:3] == ["date", "journal", "reference"]
    assert rows[1][3] == "opening balance"
    assert rows[-1][3] == "closing balance"
    assert as_pdf["Content-Type"] == "application/pdf"
    assert as_pdf.content.startswith(b"%PDF")


def test_the_fec_and_orders_exports_are_hq_s_only(money, lyon_key, hq_key):
    assert api_client(key=lyon_key).get("/api/v1/payments/exports/fec/", MONTH).status_code == 403
    assert (
        api_client(key=lyon_key).get("/api/v1/payments/exports/orders/", MONTH).status_code == 403
    )

    response = api_client(key=hq_key).get("/api/v1/payments/exports/fec/", MONTH)

    assert response.status_code == 200
    assert f'filename="912345678FEC{TODAY:%Y%m%d}.txt"' in response["Content-Disposition"]
    assert response.content.decode().startswith("JournalCode\tJournalLib\tEcritureNum")


def test_a_store_key_exports_only_its_own_payouts(money, lyon_key, lyon_store):
    response = api_client(key=lyon_key).get("/api/v1/payments/exports/payouts/", MONTH)

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["store"] for row in rows} == {lyon_store.slug}


def test_a_period_ending_before_it_starts_is_a_400(money, lyon_key, lyon_store):
    response = api_client(key=lyon_key).get(
        f"/api/v1/payments/stores/{lyon_store.slug}/statement/",
        {"start": "2026-11-30", "end": "2026-11-01"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_the_payouts_list_stays_within_a_few_queries(money, hq_key, django_assert_max_num_queries):
    client = api_client(key=hq_key)

    with django_assert_max_num_queries(8):
        client.get("/api/v1/payments/payouts/")
    with django_assert_max_num_queries(9):
        client.get("/api/v1/payments/invoices/")
