"""The store's statement names each entry's journal in words: no internal code or reference
("VT · sale:fulfilment:9") on the page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from .money_helpers import book_sale, open_account


def test_the_statement_names_the_journal_in_words(client, lyon_store, lyon_owner):
    open_account(lyon_store)
    book_sale(lyon_store, gross=10_000, commission=1_500)
    client.force_login(lyon_owner)
    today = timezone.localdate()

    page = client.get(
        reverse("backoffice:money-statement", kwargs={"slug": lyon_store.slug}),
        {"start": today.replace(day=1).isoformat(), "end": today.isoformat()},
    )

    html = page.content.decode()
    line = page.context["statement"].lines[0]
    assert "Ventes et commissions" in html
    assert f"VT · <code>{line.reference}</code>" not in html
    assert line.reference not in html
