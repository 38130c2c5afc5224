"""Money between stores: what one store owes another when goods or work cross from one to the
other, as pure functions of plain numbers (payments/postings/settlements.py books them).

A franchise network's stores are separate businesses. Two events move goods or work from one
to another without a sale between them, and each is settled by HQ's rules
(`SettlementPolicy`, one row HQ edits):

1. **A return taken back by another location** (sold by A, brought back at B). B does the
   work (receives, inspects, refunds on A's behalf): A pays B the *return handling fee*. If B
   puts the units back into its stock, B now owns goods A paid for: B buys them back from A at
   the *transfer price*. When B is one of HQ's own locations (a branch, the warehouse), the
   units go back into the network's stock: HQ credits A the same transfer price.
2. **A store-to-store transfer** (source S sells, pickup store P hands over). A collected
   click & collect: P did the handover for S's sale: S pays P the *transfer handover fee*.
   A transfer that ends at P without S's sale (not collected, cancelled after it arrived, a
   reserve & collect not bought) leaves the units on sale at P; a reserve & collect bought at
   P is paid in P's till for S's goods: either way P buys the units from S at the transfer
   price, and no fee is due (P has the goods, or the sale).

**Transfer price**: the unit price the customer paid (VAT included) times HQ's transfer price
rate, per line, half up to the cent (payments/commission.py's `half_up`, the one rounding
rule): `half_up(unit_price * quantity * rate_bp / 10,000)`. Fees are fixed amounts per event.

**Parties**: a franchise store is paid and charged through its own account (what the network
owes it, 467100[store]); HQ's own locations are HQ (`HQ`, None here): what HQ pays or gets is
booked on HQ's accounts (the network's stock 607100, handling fees paid 622800 or earned
708800). A party owes itself nothing: an event within one party settles nothing.

Every settlement is a set of (payer, payee, amount) transfers between parties: it conserves
money by construction (what one pays, another gets, to the cent), which
tests/payments/test_settlement.py checks with hypothesis.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .commission import half_up

# HQ as a party: its own locations' money is HQ's.
HQ = None

BASIS_POINTS = 10_000


@dataclass(frozen=True)
class SettlementRules:
    """HQ's rules, as numbers (`SettlementPolicy.rules()` gives them)."""

    transfer_price_rate_bp: int
    return_handling_fee_cents: int
    transfer_handover_fee_cents: int


@dataclass(frozen=True)
class SettledLine:
    """Units of one order line in a settled event."""

    unit_price_cents: int
    quantity: int


@dataclass(frozen=True)
class Settlement:
    """One party pays another: `payer`/`payee` are store ids, or HQ (None)."""

    reason: str  # "buy_back" | "handling_fee" | "handover_fee"
    payer: int | None
    payee: int | None
    amount_cents: int


def transfer_price_cents(rules: SettlementRules, lines: list[SettledLine]) -> int:
    """What the units are bought back at: each line's price times the rate, half up."""
    return sum(
        half_up(
            Decimal(line.unit_price_cents * line.quantity)
            * rules.transfer_price_rate_bp
            / BASIS_POINTS
        )
        for line in lines
    )


def _kept(settlements: list[Settlement]) -> list[Settlement]:
    """Nothing moves within one party, nor for nothing."""
    return [s for s in settlements if s.payer != s.payee and s.amount_cents > 0]


def return_settlements(
    rules: SettlementRules,
    *,
    seller: int | None,
    handler: int | None,
    restocked: list[SettledLine],
) -> list[Settlement]:
    """A return of `seller`'s goods taken back by `handler`: the handling fee to the handler,
    and the buy-back of the units it put back into its stock."""
    return _kept(
        [
            Settlement("handling_fee", seller, handler, rules.return_handling_fee_cents),
            Settlement("buy_back", handler, seller, transfer_price_cents(rules, restocked)),
        ]
    )


def transfer_settlements(
    rules: SettlementRules,
    *,
    source: int | None,
    pickup: int | None,
    handed_over_for_source: bool,
    kept_at_pickup: list[SettledLine],
) -> list[Settlement]:
    """A transfer from `source` to `pickup` that ended: the handover fee when the pickup store
    handed the source's sale over; the buy-back of the units the pickup store kept (not
    collected) or sold itself (a reserve & collect paid in its till)."""
    settlements = [
        Settlement("buy_back", pickup, source, transfer_price_cents(rules, kept_at_pickup))
    ]
    if handed_over_for_source:
        settlements.append(
            Settlement("handover_fee", source, pickup, rules.transfer_handover_fee_cents)
        )
    return _kept(settlements)


def net_by_party(settlements: list[Settlement]) -> dict[int | None, int]:
    """What each party gains (+) or pays (-) in all: sums to zero."""
    net: dict[int | None, int] = {}
    for s in settlements:
        net[s.payee] = net.get(s.payee, 0) + s.amount_cents
        net[s.payer] = net.get(s.payer, 0) - s.amount_cents
    return net


# The words of a settlement line on a store's statement, by what its label starts with and
# whether the store was paid (credit) or paid out (debit).
SETTLEMENT_DESCRIPTIONS = {
    ("Goods bought back", True): gettext_lazy(
        "Your goods kept by another location, at the transfer price"
    ),
    ("Goods bought back", False): gettext_lazy(
        "Goods of another store you kept, at the transfer price"
    ),
    ("Return handling fee", True): gettext_lazy(
        "Handling fee: a return of another store you took back"
    ),
    ("Return handling fee", False): gettext_lazy(
        "Handling fee: your return taken back by another location"
    ),
    ("Transfer handover fee", True): gettext_lazy("Handover fee: a transfer you handed over"),
    ("Transfer handover fee", False): gettext_lazy(
        "Handover fee: your transfer handed over elsewhere"
    ),
}


def settlement_description(reference: str, label: str, *, credited: bool) -> str:
    """A settlement line of a store's statement in the reader's language: what it is, and the
    return's number or the two stores of the transfer."""
    what, _sep, detail = label.partition(" · ")
    settled = SETTLEMENT_DESCRIPTIONS.get((what, credited))
    if settled is None:
        return label
    if reference.startswith("settlement:return:"):
        detail = _("return %(number)s") % {"number": detail}
    return f"{settled} · {detail}"
