"""Acceptance 3: the DAC7 declaration for a year of the demo's stores. The demo network and
its tax data are loaded through the demo loader (demo/loader.py, demo/tax.py: the stores'
real identities, checked by the same service as the back-office page); a year of their sales
is booked in the ledger. The XML validates against the XSD the dac7 package ships, the stores
under the thresholds and HQ's own locations are absent, the figures are the ledger's."""

from __future__ import annotations

from collections import defaultdict

import xmlschema
from dac7.core import DAC7_SCHEMA
from django.db.models import Sum
from lxml import etree

from compliance.models import Dac7SellerData, Dac7SellerReport
from compliance.services.dac7 import prepare_declaration
from demo.loader import load_network
from demo.tax import WITHOUT_DATA, load_tax_data
from payments import ledger
from payments.models import JournalLine
from stores.models import Store
from tests.payments.money_helpers import book_reversal, book_sale

from .dac7_helpers import at

NS = {"dpi": "urn:oecd:ties:dpi"}


def test_the_demo_year_s_declaration_is_valid_and_its_figures_are_the_ledger_s(db):
    load_network()
    assert load_tax_data() > 0
    franchises = list(Store.objects.filter(kind=Store.Kind.FRANCHISE).order_by("pk"))
    own = list(Store.objects.exclude(kind=Store.Kind.FRANCHISE))
    # A year of sales: every other franchise store sells a lot (one refund each), the others
    # a little (under the thresholds), the store without tax data too; HQ's branches sell.
    big = [s for i, s in enumerate(franchises) if i % 2 == 0 and s.slug != WITHOUT_DATA]
    small = [s for s in franchises if s not in big]
    for store in big:
        for n in range(32):
            book_sale(
                store,
                gross=4_990 + n * 10,
                commission=600,
                occurred_at=at(2026, 1 + n % 12, 1 + n % 28),
            )
        book_reversal(store, gross=4_990, commission=600, occurred_at=at(2026, 12, 30))
    for store in small:
        for n in range(3):
            book_sale(store, gross=2_500, commission=300, occurred_at=at(2026, 6, 10 + n))
    for store in own:
        book_sale(store, gross=90_000, commission=0, occurred_at=at(2026, 6, 10))

    declaration = prepare_declaration(year=2026)

    xmlschema.XMLSchema10(DAC7_SCHEMA).validate(declaration.xml)
    tree = etree.fromstring(declaration.xml.encode())
    reported = {
        seller.xpath("string(.//dpi:TIN)", namespaces=NS): seller
        for seller in tree.xpath("//dpi:ReportableSeller", namespaces=NS)
    }
    tins = {s.pk: Dac7SellerData.objects.get(store=s).tin for s in big}
    assert set(reported) == set(tins.values())  # the small ones and HQ's own are absent
    assert not Dac7SellerReport.objects.filter(store__in=own).exists()
    assert Dac7SellerReport.objects.filter(store__in=small, reported=False).count() == len(small)

    # The declared figures are the ledger's, quarter by quarter (in whole euros)
    for store in big:
        seller = reported[tins[store.pk]]
        by_quarter = defaultdict(int)
        lines = JournalLine.objects.filter(
            account__code=ledger.STORE_PAYABLE, account__store=store, entry__store=store,
            entry__journal="VT",
        ).values("entry__occurred_at", "credit_cents", "debit_cents")  # fmt: skip
        for line in lines:
            quarter = (
                line["entry__occurred_at"].astimezone(at(2026, 1, 1).tzinfo).month - 1
            ) // 3 + 1
            by_quarter[quarter] += line["credit_cents"] - line["debit_cents"]
        for quarter in (1, 2, 3, 4):
            declared = int(seller.xpath(f"string(.//dpi:ConsQ{quarter})", namespaces=NS))
            assert declared == (by_quarter[quarter] + 50) // 100
        fees = JournalLine.objects.filter(
            account__code__in=[ledger.COMMISSION_REVENUE, ledger.VAT_COLLECTED], entry__store=store
        ).aggregate(credit=Sum("credit_cents"), debit=Sum("debit_cents"))
        copy = Dac7SellerReport.objects.get(declaration=declaration, store=store)
        assert copy.fees_cents == fees["credit"] - fees["debit"]
        assert copy.activities == 32
        assert (
            sum(int(seller.xpath(f"string(.//dpi:NumbQ{q})", namespaces=NS)) for q in (1, 2, 3, 4))
            == 32
        )
