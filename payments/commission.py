"""The split of every sale: what the customer paid, HQ's commission and its VAT, the catchment
store's share, the provider fee's share, and the store's net. The parts add up to the cent.

One piece is split at a time: the units of one order line served by one fulfilment (a
`FulfilmentLine`), or one home-delivery fulfilment's share of the delivery fee.

**Rounding rule** (the only one; tests/payments/test_commission_split.py checks it):

1. Order-level amounts are spread over the order's lines paid online by largest remainder,
   weighted by each line's price (ties to the earlier line): the provider fee (over the lines
   and the delivery fee), the fixed fee per order (over the lines), the delivery fee (over the
   home-delivery lines). Each spread sums exactly to the amount.
2. A line's part of a spread amount is handed to the fulfilments that serve its units
   cumulatively: units [a, a+q) of a line of Q units get half_up(x*(a+q)/Q) - half_up(x*a/Q),
   so the parts of all its units sum exactly to x, whatever the order the fulfilments complete.
3. Within a piece, each part is rounded half up to the cent: commission excl. VAT =
   half_up(gross * rate) + fixed fee part (capped so that the commission and its VAT never
   exceed the gross), VAT = half_up(commission * VAT rate), catchment share =
   half_up(commission * share). The store's net is the remainder: gross - commission - VAT.
   So gross = net + commission + VAT exactly, and no part is ever negative.

**Who bears what**: the commission is taken on the price paid (VAT included) and HQ bears the
provider fee (booked as HQ's expense at capture, recovered through the commission): the fee's
share per piece is shown for HQ's margin, it does not reduce the store's net. Customer paid =
sum of the stores' nets (and catchment shares) + HQ's commission kept + its VAT + provider fee.

HQ's own locations (branches, the warehouse) pay no commission: their sale is HQ's (net =
gross, of which the goods' VAT); the catchment store still gets its share, taken on the
commission it would have paid itself, as HQ's expense. The delivery fee bears no commission.
Reserve & collect lines are paid in the store's till, not online: they are never split here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(amount_cents: int, percent: Decimal) -> int:
    """`percent` % of an amount, half up to the cent."""
    return half_up(Decimal(amount_cents) * Decimal(percent) / HUNDRED)


def allocate(total_cents: int, weights: list[int]) -> list[int]:
    """Spread `total_cents` over `weights` by largest remainder (ties to the earlier weight).
    The parts sum to the total; with no weight at all, nothing is spread (all zeros)."""
    weight_sum = sum(weights)
    if weight_sum <= 0 or total_cents == 0:
        return [0] * len(weights)
    floors = [total_cents * weight // weight_sum for weight in weights]
    remainders = [total_cents * weight % weight_sum for weight in weights]
    left = total_cents - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda index: (-remainders[index], index))
    for index in by_remainder[:left]:
        floors[index] += 1
    return floors


def unit_slice(total_cents: int, *, before: int, units: int, quantity: int) -> int:
    """The part of `total_cents` (a line's share) that units [before, before+units) of its
    `quantity` units carry: every unit of the line taken together gets exactly the total."""
    if quantity <= 0:
        return 0

    def upto(count: int) -> int:
        return half_up(Decimal(total_cents) * count / quantity)

    return upto(before + units) - upto(before)


@dataclass(frozen=True)
class SellerTerms:
    """Who sold a piece and on what terms. `catchment_percent` is 0 when no share applies (no
    attributed store, the attributed store served it, or it is one of HQ's own)."""

    sold_by_hq: bool = False
    rate_percent: Decimal = Decimal(0)
    catchment_percent: Decimal = Decimal(0)
    # For HQ's own sales: the rate the catchment store's share is taken on.
    catchment_rate_percent: Decimal = Decimal(0)
    commission_vat_percent: Decimal = Decimal(20)


@dataclass(frozen=True)
class Split:
    """One piece's split, in cents: gross = net + commission + commission_vat."""

    gross_cents: int
    net_cents: int
    commission_cents: int = 0
    commission_vat_cents: int = 0
    catchment_cents: int = 0
    fee_cents: int = 0
    sale_vat_cents: int = 0
    sold_by_hq: bool = False

    @property
    def to_stores_cents(self) -> int:
        """What the stores receive of it: the seller's net (unless HQ sold it) + catchment."""
        return (0 if self.sold_by_hq else self.net_cents) + self.catchment_cents

    @property
    def hq_keeps_cents(self) -> int:
        """HQ's margin excl. VAT after the catchment share and the fee it bears (may be < 0)."""
        earned = self.net_cents - self.sale_vat_cents if self.sold_by_hq else self.commission_cents
        return earned - self.catchment_cents - self.fee_cents

    @property
    def vat_cents(self) -> int:
        return self.commission_vat_cents + self.sale_vat_cents


def split_piece(
    *,
    gross_cents: int,
    seller: SellerTerms,
    fixed_fee_cents: int = 0,
    fee_cents: int = 0,
    sale_vat_cents: int = 0,
    commissionable: bool = True,
) -> Split:
    """Split one piece (rule 3 of the module docstring)."""
    if seller.sold_by_hq:
        notional = percent_of(gross_cents, seller.catchment_rate_percent) if commissionable else 0
        return Split(
            gross_cents=gross_cents,
            net_cents=gross_cents,
            fee_cents=fee_cents,
            catchment_cents=percent_of(notional, seller.catchment_percent),
            sale_vat_cents=sale_vat_cents,
            sold_by_hq=True,
        )
    vat_percent = seller.commission_vat_percent
    commission = 0
    if commissionable:
        commission = percent_of(gross_cents, seller.rate_percent) + fixed_fee_cents
        # The largest commission whose VAT still fits in the gross.
        ceiling = int(
            (Decimal(gross_cents) * HUNDRED / (HUNDRED + vat_percent)).to_integral_value(
                rounding=ROUND_FLOOR
            )
        )
        while ceiling > 0 and ceiling + percent_of(ceiling, vat_percent) > gross_cents:
            ceiling -= 1
        commission = min(commission, ceiling)
    vat = percent_of(commission, vat_percent)
    return Split(
        gross_cents=gross_cents,
        net_cents=gross_cents - commission - vat,
        commission_cents=commission,
        commission_vat_cents=vat,
        catchment_cents=percent_of(commission, seller.catchment_percent),
        fee_cents=fee_cents,
    )


@dataclass(frozen=True)
class LineTerms:
    """An order line as the split needs it. `online`: paid at checkout (not reserve & collect)."""

    key: int
    quantity: int
    unit_price_cents: int
    vat_cents: int = 0
    home_delivery: bool = False
    online: bool = True

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity


@dataclass(frozen=True)
class OrderTerms:
    lines: list[LineTerms]
    shipping_cents: int = 0
    provider_fee_cents: int = 0
    fixed_fee_cents: int = 0
    delivery_vat_percent: Decimal = Decimal(20)


@dataclass
class OrderSplitter:
    """The order-level spreads (rules 1 and 2), computed once per order, and the split of
    each piece from them."""

    order: OrderTerms
    fee: dict[int, int] = field(init=False)
    fee_on_delivery: dict[int, int] = field(init=False)
    fixed_fee: dict[int, int] = field(init=False)
    delivery: dict[int, int] = field(init=False)

    def __post_init__(self) -> None:
        online = [line for line in self.order.lines if line.online]
        weights = [line.total_cents for line in online]
        home = [line for line in online if line.home_delivery]
        home_weights = [line.total_cents for line in home]
        # A delivery fee is paid only with home-delivery lines.
        shipping = self.order.shipping_cents if home else 0
        *fees, delivery_fee = allocate(self.order.provider_fee_cents, [*weights, shipping])
        self.fee = {line.key: part for line, part in zip(online, fees, strict=True)}
        self.fixed_fee = {
            line.key: part
            for line, part in zip(
                online, allocate(self.order.fixed_fee_cents, weights), strict=True
            )
        }
        self.delivery = dict(
            zip([line.key for line in home], allocate(shipping, home_weights), strict=True)
        )
        self.fee_on_delivery = dict(
            zip([line.key for line in home], allocate(delivery_fee, home_weights), strict=True)
        )
        self._lines = {line.key: line for line in self.order.lines}

    def goods(self, *, line_key: int, before: int, units: int, seller: SellerTerms) -> Split:
        """The split of units [before, before+units) of a line, sold by `seller`."""
        line = self._lines[line_key]

        def part(amounts: dict[int, int] | int) -> int:
            total = amounts if isinstance(amounts, int) else amounts.get(line_key, 0)
            return unit_slice(total, before=before, units=units, quantity=line.quantity)

        return split_piece(
            gross_cents=line.unit_price_cents * units,
            seller=seller,
            fixed_fee_cents=0 if seller.sold_by_hq else part(self.fixed_fee),
            fee_cents=part(self.fee),
            sale_vat_cents=part(line.vat_cents),
        )

    def delivery_of(self, *, served: list[tuple[int, int, int]], seller: SellerTerms) -> Split:
        """The split of the delivery fee's share of home-delivery units `served`
        ([(line key, before, units)]) shipped by one fulfilment."""
        gross = fee = 0
        for line_key, before, units in served:
            quantity = self._lines[line_key].quantity
            gross += unit_slice(
                self.delivery.get(line_key, 0), before=before, units=units, quantity=quantity
            )
            fee += unit_slice(
                self.fee_on_delivery.get(line_key, 0), before=before, units=units, quantity=quantity
            )
        vat = half_up(
            Decimal(gross)
            * self.order.delivery_vat_percent
            / (HUNDRED + self.order.delivery_vat_percent)
        )
        return split_piece(
            gross_cents=gross,
            seller=seller,
            fee_cents=fee,
            sale_vat_cents=vat if seller.sold_by_hq else 0,
            commissionable=False,
        )


def reverse_in_proportion(amount_cents: int, remaining: list[int]) -> list[int]:
    """Take `amount_cents` back from parts whose unreversed amounts are `remaining`, in
    proportion (largest remainder): the parts taken sum to the amount and none exceeds what is
    left of it, so successive partial reversals never take back more than was split."""
    left = sum(remaining)
    amount = min(amount_cents, left)
    if amount == left:
        return list(remaining)
    return allocate(amount, remaining)


class UnitCounter:
    """How many units of each line earlier pieces already took (for rule 2)."""

    def __init__(self, initial: dict[int, int] | None = None) -> None:
        self.taken: dict[int, int] = defaultdict(int, initial or {})

    def take(self, line_key: int, units: int) -> int:
        before = self.taken[line_key]
        self.taken[line_key] += units
        return before
