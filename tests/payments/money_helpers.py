"""Ledger states for the money tests, booked the way the commission contract books them: a
sale split (VT, reference `sale:fulfilment:<id>`), the transfer of the store's net to its
connected account (BQ), and a refund's reversal. So the payout, invoice and export tests
stand on their own, without the commission engine."""

from __future__ import annotations

from payments import ledger
from payments.ledger import credit, debit, post_entry
from payments.models import PaymentAccount

_counter = iter(range(1, 10**9))


def commission_vat(commission: int, rate_bp: int = 2000) -> int:
    return (commission * rate_bp + 5000) // 10000


def book_sale(
    store, *, gross=10_000, commission=1_500, rate_bp=2000, order=None, occurred_at=None,
    reference=None, catchment_store=None, catchment_share=0, transfer=True,
):  # fmt: skip
    """A sale of `gross` cents by `store`: HQ keeps `commission` excl. VAT plus its VAT, the
    store is owed the rest (less a catchment share paid to `catchment_store`), transferred to
    its connected account."""
    vat = commission_vat(commission, rate_bp)
    net = gross - commission - vat
    reference = reference or f"sale:fulfilment:{next(_counter)}"
    postings = [
        debit(ledger.CUSTOMER_PREPAYMENTS, gross),
        credit(ledger.STORE_PAYABLE, net, store_id=store.pk),
        credit(ledger.COMMISSION_REVENUE, commission),
        credit(ledger.VAT_COLLECTED, vat),
    ]
    if catchment_store is not None and catchment_share:
        postings += [
            debit(ledger.COMMISSION_REVENUE, catchment_share),
            credit(ledger.STORE_PAYABLE, catchment_share, store_id=catchment_store.pk),
        ]
    entry = post_entry(
        journal="VT", reference=reference, label=f"Sale {reference}", postings=postings,
        order=order, store=store, occurred_at=occurred_at,
    )  # fmt: skip
    if transfer:
        post_entry(
            journal="BQ", reference=f"transfer:{reference}", label="Transfer", store=store,
            occurred_at=occurred_at,
            postings=[debit(ledger.STORE_PROVIDER_BALANCE, net, store_id=store.pk),
                      credit(ledger.PLATFORM_BALANCE, net)],
        )  # fmt: skip
    return entry


def book_reversal(store, *, gross=10_000, commission=1_500, rate_bp=2000, order=None,
                  occurred_at=None, reference=None):  # fmt: skip
    """A refund of a whole sale: the split booked back, the store's net taken back."""
    vat = commission_vat(commission, rate_bp)
    net = gross - commission - vat
    reference = reference or f"refund:reversal:{next(_counter)}"
    return post_entry(
        journal="VT", reference=reference, label=f"Refund {reference}", order=order,
        store=store, occurred_at=occurred_at,
        postings=[
            credit(ledger.CUSTOMER_PREPAYMENTS, gross),
            debit(ledger.STORE_PAYABLE, net, store_id=store.pk),
            debit(ledger.COMMISSION_REVENUE, commission),
            debit(ledger.VAT_COLLECTED, vat),
        ],
    )  # fmt: skip


def book_marketing_charge(store, *, amount_excl=2_000, occurred_at=None):
    """A marketing-hub order of `amount_excl` cents excl. VAT, netted from the store's balance."""
    from payments.postings import book_marketing_charge as charge

    return charge(
        store=store, reference=str(next(_counter)), label="Marketing pack",
        amount_excl_vat_cents=amount_excl, actor="hub", occurred_at=occurred_at,
    )  # fmt: skip


def open_account(store, *, payouts_enabled=True, past_due=()):
    account, _created = PaymentAccount.objects.update_or_create(
        store=store,
        defaults={"provider": "dummy", "reference": f"dummy_acct_{store.slug}",
                  "charges_enabled": True, "payouts_enabled": payouts_enabled,
                  "details_submitted": True, "past_due": list(past_due)},
    )  # fmt: skip
    return account


def pdf_text(pdf: bytes) -> str:
    """The text drawn in a reportlab PDF (its content streams inflated, strings unescaped),
    enough to check what a document says without a PDF library."""
    import base64
    import re
    import zlib

    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, flags=re.DOTALL):
        try:
            content = zlib.decompress(
                base64.a85decode(stream.strip().removesuffix(b"~>"), adobe=False)
            )
        except (ValueError, zlib.error):
            continue
        for raw in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", content, flags=re.DOTALL):
            raw = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), raw)
            text.append(raw.replace(b"\\(", b"(").replace(b"\\)", b")").decode("cp1252"))
    return "\n".join(text)
