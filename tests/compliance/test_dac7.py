"""DAC7: the stores' tax data checked by the libraries (a wrong key is a field error, nothing
saved), their figures per quarter from the ledger, the exclusion thresholds, the annual XML
valid against the DGFiP's XSD with the stores' copies, and the reminders then payout hold."""

from __future__ import annotations

from datetime import date

import pytest
import xmlschema
from dac7.core import DAC7_SCHEMA
from dac7.naming import validate_filename
from django.db.models import Sum
from lxml import etree

from compliance.models import Dac7Declaration, Dac7Notice, Dac7SellerData, Dac7SellerReport
from compliance.selectors.dac7 import seller_year
from compliance.services.dac7 import (
    Dac7DataInvalid,
    check_seller_data,
    missing_dac7_data,
    prepare_declaration,
    run_dac7_calendar,
    save_dac7_data,
)
from network_marketplace.models import AuditEvent, OutboxMessage
from payments import ledger
from payments.models import JournalLine, PayoutHold
from payments.payouts import store_availability
from stores.models import Store
from tests.payments.money_helpers import book_reversal, book_sale, commission_vat

from .dac7_helpers import BAD_KEY_IBAN, IBAN, at, dac7_values, franchise_store, siren_of, wrong_key

NS = {"dpi": "urn:oecd:ties:dpi"}


# The data and its checks (acceptance 6)


def test_a_store_s_valid_data_is_saved_on_the_store_and_its_dac7_row(db):
    store = franchise_store()
    values = dac7_values(store, iban="fr76 3000 6000 0112 3456 7890 189", bic="BNPAFRPP")

    save_dac7_data(store=store, actor="owner", values=values)

    data = Dac7SellerData.objects.get(store=store)
    assert (data.tin, data.tin_country, data.iban, data.bic) == (
        siren_of(store), "FR", IBAN, "BNPAFRPP",
    )  # fmt: skip
    assert missing_dac7_data(store) == []
    event = AuditEvent.objects.get(action="dac7.data_updated")
    assert IBAN not in str(event.data)  # the trail names fields, never the account


def test_a_siren_with_a_wrong_key_is_a_field_error_and_nothing_changes(db):
    store = franchise_store()
    before = Store.objects.get(pk=store.pk)
    bad = wrong_key(siren_of(store))
    values = dac7_values(
        store, tin=bad, company_name="Autre nom SAS",
        registration_number=f"RCS Lyon {bad}", vat_number=store.vat_number,
    )  # fmt: skip

    with pytest.raises(Dac7DataInvalid) as caught:
        save_dac7_data(store=store, actor="owner", values=values)

    assert set(caught.value.errors) == {"tin", "registration_number"}
    assert "clé" in caught.value.errors["tin"]
    assert not Dac7SellerData.objects.exists()
    store.refresh_from_db()
    assert store.company_name == before.company_name  # the store's identity untouched
    assert not AuditEvent.objects.filter(action__startswith="dac7").exists()


def test_an_iban_with_a_wrong_checksum_is_a_field_error(db):
    store = franchise_store()

    checked = check_seller_data(dac7_values(store, iban=BAD_KEY_IBAN))

    assert list(checked.errors) == ["iban"]
    with pytest.raises(Dac7DataInvalid):
        save_dac7_data(store=store, actor="owner", values=dac7_values(store, iban=BAD_KEY_IBAN))
    assert not Dac7SellerData.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"vat_number": "FR00{siren}"}, "vat_number"),  # a key that does not match
        ({"vat_number": "FR68812340131"}, "vat_number"),  # valid, but another SIREN's
        ({"registration_number": "RCS Lyon"}, "registration_number"),
        ({"bic": "DEUTDEFF"}, "bic"),  # a German bank for a French IBAN
        ({"legal_address": "Zone artisanale"}, "legal_address"),
        ({"tin_country": "US"}, "tin_country"),
        ({"seller_kind": "individual", "first_name": "Léa", "last_name": "Martin",
          "birth_city": "Lyon", "birth_country": "FR", "birth_date": None}, "birth_date"),
    ],
)  # fmt: skip
def test_each_bad_field_is_named(db, overrides, field):
    store = franchise_store()
    overrides = {k: v.format(siren=siren_of(store)) if isinstance(v, str) else v
                 for k, v in overrides.items()}  # fmt: skip
    checked = check_seller_data(dac7_values(store, **overrides))
    assert field in checked.errors


# Figures from the ledger


def test_the_figures_per_quarter_equal_the_ledger_s_entries(db, paris_store):
    store = franchise_store()
    book_sale(store, gross=10_000, commission=1_500, occurred_at=at(2026, 1, 1, 0))  # Q1
    book_sale(store, gross=20_000, commission=2_000, occurred_at=at(2026, 3, 31, 23))  # Q1
    book_sale(store, gross=5_000, commission=500, occurred_at=at(2026, 4, 1, 0))  # Q2
    book_reversal(store, gross=5_000, commission=500, occurred_at=at(2026, 8, 2))  # Q3
    book_sale(store, gross=8_000, commission=800, occurred_at=at(2026, 11, 5),
              catchment_store=paris_store, catchment_share=100)  # fmt: skip
    book_sale(store, gross=9_999, commission=999, occurred_at=at(2027, 1, 1, 0))  # next year
    book_sale(paris_store, gross=7_000, commission=700, occurred_at=at(2026, 5, 5))

    figures = seller_year(store, 2026)

    def net(gross, commission):
        return gross - commission - commission_vat(commission)

    assert [q.as_dict() for q in figures.quarters] == [
        {"quarter": 1, "consideration_cents": net(10_000, 1_500) + net(20_000, 2_000),
         "activities": 2, "fees_cents": 1_500 + 300 + 2_000 + 400},
        {"quarter": 2, "consideration_cents": net(5_000, 500), "activities": 1,
         "fees_cents": 600},
        {"quarter": 3, "consideration_cents": -net(5_000, 500), "activities": 0,
         "fees_cents": -600},
        {"quarter": 4, "consideration_cents": net(8_000, 800), "activities": 1,
         "fees_cents": 960},
    ]  # fmt: skip
    # The year's consideration is what the ledger credited the store for its sales in 2026
    own = JournalLine.objects.filter(
        account__code=ledger.STORE_PAYABLE, account__store=store, entry__store=store,
        entry__occurred_at__gte=at(2026, 1, 1, 0), entry__occurred_at__lt=at(2027, 1, 1, 0),
    ).aggregate(credit=Sum("credit_cents"), debit=Sum("debit_cents"))  # fmt: skip
    assert figures.consideration_cents == own["credit"] - own["debit"]
    # Paris's catchment share is not consideration for its own sales
    assert seller_year(paris_store, 2026).consideration_cents == net(7_000, 700)


@pytest.mark.parametrize(
    ("sales", "gross", "excluded"),
    [
        (29, 6_896, True),  # 29 sales, 1 999,84 € net: left out
        (30, 100, False),  # 30 sales: reported, whatever the amount
        (1, 2_000_00 * 100 // 88 + 50, False),  # one sale above 2 000 €: reported
    ],
)
def test_the_exclusion_thresholds_as_dac7_states_them(db, sales, gross, excluded):
    store = franchise_store()
    for day in range(sales):
        book_sale(store, gross=gross, commission=gross // 10, occurred_at=at(2026, 2, 1 + day % 27))
    assert seller_year(store, 2026).excluded is excluded


def test_exactly_2000_euros_with_29_sales_is_left_out(db):
    store = franchise_store()
    for day in range(28):
        book_sale(store, gross=5_000, commission=0, occurred_at=at(2026, 6, 1 + day))
    book_sale(store, gross=200_000 - 28 * 5_000, commission=0, occurred_at=at(2026, 6, 29))
    figures = seller_year(store, 2026)
    assert (figures.activities, figures.consideration_cents) == (29, 200_000)
    assert figures.excluded
    book_sale(store, gross=1, commission=0, transfer=False, occurred_at=at(2026, 6, 30))
    assert not seller_year(store, 2026).excluded  # 30 sales now


# The declaration (acceptance 3 with a built year; the demo's in test_dac7_demo.py)


def test_the_declaration_is_valid_against_the_xsd_and_leaves_out_who_dac7_leaves_out(db):
    big, small, no_sales = franchise_store(), franchise_store(), franchise_store()
    branch = franchise_store(kind=Store.Kind.BRANCH)
    for store in (big, small, no_sales):
        save_dac7_data(store=store, actor="owner", values=dac7_values(store))
    for day in range(31):
        book_sale(big, gross=12_345, commission=1_481, occurred_at=at(2026, 1 + day % 12, 3))
    book_sale(small, gross=50_000, commission=6_000, occurred_at=at(2026, 5, 5))
    book_sale(branch, gross=500_000, commission=0, occurred_at=at(2026, 5, 5))

    declaration = prepare_declaration(year=2026, actor="hq")

    xmlschema.XMLSchema10(DAC7_SCHEMA).validate(declaration.xml)
    tree = etree.fromstring(declaration.xml.encode())
    sellers = tree.xpath("//dpi:ReportableSeller", namespaces=NS)
    assert [s.xpath("string(.//dpi:TIN)", namespaces=NS) for s in sellers] == [siren_of(big)]
    # The figures are the ledger's, in whole euros (rounded half up, as the schema wants)
    figures = seller_year(big, 2026)
    declared = {
        f"Q{q}": int(sellers[0].xpath(f"string(.//dpi:ConsQ{q})", namespaces=NS))
        for q in (1, 2, 3, 4)
    }
    assert declared == {
        f"Q{q.quarter}": round_half_up(q.consideration_cents) for q in figures.quarters
    }
    assert int(sellers[0].xpath("string(.//dpi:NumbQ1)", namespaces=NS)) == 9
    assert (
        sellers[0].xpath("string(.//dpi:FinancialIdentifier/dpi:Identifier)", namespaces=NS) == IBAN
    )
    # The file is named as the DGFiP wants, and the package agrees with its content
    assert declaration.filename.startswith("DPIDAC7_2026_912345678_001_")
    validate_filename(
        __import__("pathlib").Path(declaration.filename),
        message_ref_id=declaration.message_ref_id,
        timestamp=tree.xpath("string(//dpi:Timestamp)", namespaces=NS),
    )
    # Every franchise store that sold has its copy; the small one says why it is left out
    copies = {r.store_id: r for r in Dac7SellerReport.objects.filter(declaration=declaration)}
    assert set(copies) == {big.pk, small.pk}
    assert copies[big.pk].reported
    assert copies[big.pk].total("activities") == 31
    assert not copies[small.pk].reported
    assert "1 vente (moins de 30)" in copies[small.pk].excluded_reason
    assert (declaration.reported_count, declaration.excluded_count) == (1, 2)
    # The reported store is told its copy is ready
    assert Dac7Notice.objects.filter(store=big, kind="copy").exists()
    assert not Dac7Notice.objects.filter(store=small, kind="copy").exists()


def round_half_up(cents: int) -> int:
    return (max(cents, 0) + 50) // 100


def test_preparing_a_year_again_files_the_next_declaration_of_that_year(db):
    store = franchise_store()
    save_dac7_data(store=store, actor="owner", values=dac7_values(store))
    for day in range(30):
        book_sale(store, occurred_at=at(2026, 3, 1 + day))
    first = prepare_declaration(year=2026)
    second = prepare_declaration(year=2026)
    assert (first.declaration_id, second.declaration_id) == (1, 2)
    assert second.filename.startswith("DPIDAC7_2026_912345678_002_")


def test_a_reportable_store_without_data_stops_the_declaration_and_nothing_is_stored(db):
    store = franchise_store()
    for day in range(30):
        book_sale(store, occurred_at=at(2026, 3, 1 + day))
    with pytest.raises(Exception, match=store.name):
        prepare_declaration(year=2026)
    assert not Dac7Declaration.objects.exists()


# Reminders, then payouts held, then released


def test_two_reminders_then_the_payouts_are_held_and_released_once_the_data_is_given(db, settings):
    settings.DAC7_REMINDER_DATES = ["12-01", "12-15"]
    settings.DAC7_HOLD_AFTER_DAYS = 15
    store = franchise_store()
    complete = franchise_store()
    save_dac7_data(store=complete, actor="owner", values=dac7_values(complete))
    branch = franchise_store(kind=Store.Kind.BRANCH)

    def run(day, month=12, year=2026):
        return run_dac7_calendar(today=date(year, month, day))

    assert run(30, month=11).reminded == []
    assert run(1).reminded == [(store.slug, "reminder_1")]
    assert run(2).reminded == []  # once
    assert run(15).reminded == [(store.slug, "reminder_2")]
    assert run(29).held == []
    assert "DAC7" not in store_availability(store).blocked_reason
    report = run(30)
    assert report.held == [store.slug]
    hold = PayoutHold.objects.active().get(store=store)
    assert hold.reference == f"compliance.dac7:{store.pk}:2026"
    assert "DAC7" in hold.reason
    assert "DAC7" in store_availability(store).blocked_reason
    assert run(31).held == []  # idempotent
    notices = Dac7Notice.objects.filter(store=store).order_by("sent_at")
    kinds = list(notices.values_list("kind", flat=True))
    assert kinds == ["reminder_1", "reminder_2", "payouts_held"]
    assert not Dac7Notice.objects.filter(store__in=[complete, branch]).exists()
    emails = OutboxMessage.objects.filter(kind="email", dedupe_key__startswith="email:dac7-notice:")
    assert emails.count() == 3

    # When the owner gives the data, the hold is lifted at once
    save_dac7_data(store=store, actor="owner", values=dac7_values(store))

    assert not PayoutHold.objects.active().filter(store=store).exists()
    assert Dac7Notice.objects.filter(store=store, kind="payouts_released").exists()
    assert "DAC7" not in store_availability(store).blocked_reason
    assert emails.count() == 4  # the release is told too
