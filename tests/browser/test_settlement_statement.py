"""The Lyon owner reads, on the store's statement, the money settled with Paris for a return of
Paris's drills that Lyon took back and restocked: each line in words and in euros."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import log_in
from tests.payments.test_settlement import sold_and_brought_back

pytestmark = pytest.mark.browser


@pytest.fixture
def settled_return(lyon_store, paris_store, lyon_owner):
    return sold_and_brought_back(paris_store, lyon_store, lyon_owner, quantity=2, price=8990)


def test_the_settlement_lines_are_on_the_statement(
    page, screenshot, settled_return, lyon_store, lyon_owner
):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/")
    page.get_by_test_id("nav-money").click()
    page.get_by_role("link", name="Relevés").click()

    table = page.get_by_test_id("statement-table")
    expect(table).to_contain_text(
        "Articles d\u2019un autre magasin que vous gardez, au prix de cession"
    )
    expect(table).to_contain_text(
        "Frais de traitement\u00a0: retour d\u2019un autre magasin que vous avez repris"
    )
    expect(table).to_contain_text("107,88")
    expect(table).to_contain_text("3,00")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    text = table.inner_text()
    # in euros, in words: no amount in cents (10788, 300), no English, no code
    assert not re.search(r"\b(10788|300)\b", text), text
    assert not re.search(r"\b(Settlement|Return|Transfer|handling|fee)\b", text), text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text
    screenshot("backoffice-statement-settlement")
