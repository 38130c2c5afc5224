"""The cart as the storefront shows it: each line priced, its availability re-checked now, what
stops it being ordered as it is (or the longer promise of a transfer), grouped by how it is
served; and the count in the header."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from catalog.models import Product
from orders.models import Cart, CartLine, FulfilmentMethod, OrderPolicy
from orders.pricing import LineQuote, LineRequest, Quote, quote
from orders.routing import Point
from orders.selectors import home_delivery_available
from stores.models import Store
from stores.selectors import available_to_reserve

from .preview import preview_checkout


@dataclass(frozen=True)
class CartItem:
    line: CartLine
    quote: LineQuote
    available: int
    problem: str = ""  # what stops this line being ordered as it is, in the customer's words
    # The chosen store lacks it but another store can send it there: the longer promise.
    transfer: str = ""

    @property
    def store(self) -> Store | None:
        return self.line.store


@dataclass(frozen=True)
class CartGroup:
    """Lines served the same way: home delivery, or one store and one collect method."""

    method: str
    store: Store | None
    items: list[CartItem]

    @property
    def key(self) -> str:
        return f"{self.method}-{self.store.pk if self.store else 'home'}"

    @property
    def title(self) -> str:
        if self.store is None:
            return str(FulfilmentMethod(self.method).label)
        if self.method == FulfilmentMethod.CLICK_COLLECT:
            return _("Click & collect at %(store)s") % {"store": self.store.name}
        return _("Reserve & collect at %(store)s") % {"store": self.store.name}

    @property
    def total_cents(self) -> int:
        return sum(item.quote.total_cents for item in self.items)


@dataclass(frozen=True)
class CartSummary:
    cart: Cart | None
    items: list[CartItem] = field(default_factory=list)
    quote: Quote = field(default_factory=Quote)

    @property
    def is_empty(self) -> bool:
        return not self.items

    @property
    def count(self) -> int:
        return sum(item.line.quantity for item in self.items)

    @property
    def problems(self) -> list[CartItem]:
        return [item for item in self.items if item.problem]

    @property
    def groups(self) -> list[CartGroup]:
        """Home delivery first, then each store (by name), click & collect before reserve."""
        order = {m: i for i, m in enumerate(FulfilmentMethod.values)}
        grouped: dict[tuple, list[CartItem]] = {}
        for item in self.items:
            grouped.setdefault((item.line.method, item.line.store_id), []).append(item)
        groups = [
            CartGroup(method=method, store=items[0].line.store, items=items)
            for (method, _store_id), items in grouped.items()
        ]
        return sorted(
            groups,
            key=lambda g: (g.store is not None, g.store.name if g.store else "", order[g.method]),
        )

    @property
    def has_home_delivery(self) -> bool:
        return any(i.line.method == FulfilmentMethod.HOME_DELIVERY for i in self.items)

    @property
    def pay_in_store_cents(self) -> int:
        """Reserve & collect is paid in store, if the customer buys."""
        return sum(
            item.quote.total_cents
            for item in self.items
            if item.line.method == FulfilmentMethod.RESERVE_COLLECT
        )

    @property
    def pay_online_cents(self) -> int:
        return self.quote.total_cents - self.pay_in_store_cents


def _line_problem(line: CartLine, available: int) -> str:
    variant, store, method = line.variant, line.store, line.method
    if not variant.is_active or variant.product.status != Product.Status.PUBLISHED:
        return _("This item is no longer sold.")
    if store is not None:
        if store.status != Store.Status.ACTIVE:
            return _("%(store)s is not taking orders at the moment.") % {"store": store.name}
        if not store.offers(method):
            return _("%(store)s no longer offers %(method)s.") % {
                "store": store.name,
                "method": FulfilmentMethod(method).label.lower(),
            }
    if available >= line.quantity:
        return ""
    if store is None:
        if available == 0:
            return _("No longer available for home delivery.")
        return _("Only %(count)s left for home delivery.") % {"count": available}
    if available == 0:
        return _("No longer available at %(store)s.") % {"store": store.name}
    return _("Only %(count)s left at %(store)s.") % {"count": available, "store": store.name}


def cart_summary(
    cart: Cart | None, *, policy: OrderPolicy | None = None, near: Point | None = None
) -> CartSummary:
    """A cart's lines, priced by pricing.quote, each with its availability re-checked now and
    what, if anything, stops it being ordered (home delivery counted from `near`, the
    customer's place, when known). Four queries whatever the number of lines (lines, collect
    availability, home availability, store prices)."""
    if cart is None:
        return CartSummary(cart=None)
    lines = list(
        cart.lines.select_related("variant__product", "store").order_by("created_at", "id")
    )
    if not lines:
        return CartSummary(cart=cart)
    collect_pairs = [(line.store_id, line.variant_id) for line in lines if line.store_id]
    in_stores = available_to_reserve(collect_pairs) if collect_pairs else {}
    home_ids = [line.variant_id for line in lines if line.store_id is None]
    for_home = home_delivery_available(home_ids, near=near) if home_ids else {}
    priced = quote(
        [LineRequest(line.variant, line.quantity, line.method, line.store) for line in lines],
        policy=policy,
    )
    items = []
    for line, line_quote in zip(lines, priced.lines, strict=True):
        available = (
            in_stores.get((line.store_id, line.variant_id), 0)
            if line.store_id
            else for_home.get(line.variant_id, 0)
        )
        problem, transfer = _line_problem(line, available), ""
        if problem and line.store_id and available < line.quantity:
            transfer = _transfer_offer(line)
            problem = "" if transfer else problem
        items.append(CartItem(line, line_quote, available, problem, transfer))
    return CartSummary(cart=cart, items=items, quote=priced)


def _transfer_offer(line: CartLine) -> str:
    """The promise of a collect line its store can't serve from its own stock, when another
    store can send it there (as place_order would route it), else ""."""
    request = LineRequest(line.variant, line.quantity, line.method, line.store)
    point = Point(float(line.store.latitude), float(line.store.longitude))
    [preview] = preview_checkout(lines=[request], point=point).lines
    return preview.transfer_message or ""


def cart_count(cart_id: int | None) -> int:
    if cart_id is None:
        return 0
    return CartLine.objects.filter(cart_id=cart_id).aggregate(n=Sum("quantity"))["n"] or 0


def guest_cart_count(token: str) -> int:
    lines = CartLine.objects.filter(cart__token=token, cart__customer__isnull=True)
    return lines.aggregate(n=Sum("quantity"))["n"] or 0


def customer_cart_count(user: Any) -> int:
    return CartLine.objects.filter(cart__customer=user).aggregate(n=Sum("quantity"))["n"] or 0
