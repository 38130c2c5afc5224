"""A store's marketing cart and orders: add, change and remove lines, preview the store's and
HQ's shares before placing, place (number, copies, budget and co-funding consumed, then the
approval rules), cancel before production, confirm receipt.

The cart is the store's one order in status "cart". A line keeps, from placing on, its own
copy of the item's reference, name, tier price, VAT rate, artwork version and proof: HQ editing
the item later changes none of it. Amounts are integer cents excl. VAT; a line's price is its
tier's price (the whole quantity).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import Actor
from network_marketplace.errors import DomainError, IllegalTransition
from network_marketplace.transitions import transition
from stores.models import Store

from ..models import (
    Artwork,
    Budget,
    MarketingItem,
    MarketingOrder,
    MarketingOrderLine,
    MarketingOrderNumberSeries,
    PriceTier,
    Proof,
)
from ..selectors.catalogue import (
    QuantityNotInTiers,
    current_artwork,
    orderable_items,
    tier_for,
)
from ..states import MARKETING_LINE_LIFECYCLE, MARKETING_ORDER_LIFECYCLE
from . import approval
from .budgets import (
    CoFunding,
    budget_for,
    cofunding_for,
    consume_budget,
    consume_cofunding,
    give_back,
)
from .charging import credit_charge, vat_of
from .progress import roll_up

MO = MarketingOrder.Status
ML = MarketingOrderLine.Status


class CartLineRefused(DomainError):
    """A line can't go in the cart as asked (quantity outside the tiers, bad option, proof
    missing or not the store's own): `fields` names what is wrong."""

    code = "invalid_line"
    http_status = 400

    @property
    def fields(self) -> dict[str, list[str]]:
        return dict(self.facts.get("fields") or {})


class OrderNotAllowed(DomainError):
    """The order can't do this now (an empty cart, already placed, in production...)."""

    code = "order_not_allowed"
    http_status = 409


def _user(actor: Actor) -> Any:
    """The user behind `actor`, None for an API key or a job."""
    return actor if isinstance(actor, get_user_model()) else None


# What a store may order


def may_order(*, store: Store, item: MarketingItem, on: date | None = None) -> bool:
    """HQ's "who may order it" and the item's ordering window (the catalogue's rule); digital
    packs are subscribed to, not ordered."""
    if item.kind == MarketingItem.Kind.DIGITAL_PACK:
        return False
    return MarketingItem.objects.filter(
        pk__in=orderable_items(store=store, today=on).values("pk"), pk=item.pk
    ).exists()


def _validated(
    *,
    store: Store,
    item: MarketingItem,
    quantity: int,
    proof: Proof | None,
    options: Mapping[str, str] | None,
) -> tuple[PriceTier, Artwork | None, dict[str, str]]:
    """Check a line; raise CartLineRefused naming each bad field."""
    errors: dict[str, list[str]] = {}
    if not may_order(store=store, item=item):
        raise CartLineRefused(
            _("%(item)s can't be ordered by this store now.") % {"item": item.name},
            fields={"item": [_("This item can't be ordered by this store now.")]},
        )
    tier: PriceTier | None = None
    try:
        tier = tier_for(item, quantity)
    except QuantityNotInTiers as exc:
        errors["quantity"] = [exc.message]
    chosen: dict[str, str] = {}
    given = {str(k): str(v) for k, v in (options or {}).items() if str(v).strip()}
    for name, values in (item.options or {}).items():
        value = given.pop(name, "")
        if value not in [str(v) for v in values]:
            errors[f"option_{name}"] = [
                _("Choose a %(option)s among: %(values)s.")
                % {"option": name, "values": ", ".join(str(v) for v in values)}
            ]
        else:
            chosen[name] = value
    for name in given:
        errors[f"option_{name}"] = [_("This item has no option “%(option)s”.") % {"option": name}]
    artwork = current_artwork(item)
    if artwork is not None:
        if proof is None:
            errors["proof"] = [_("Personalise the item and keep a proof before ordering it.")]
        elif proof.store_id != store.pk:
            errors["proof"] = [_("This proof is not one of your store's.")]
        elif proof.artwork_id != artwork.pk:
            errors["proof"] = [
                _("The artwork changed since this proof was made: make a new proof.")
            ]
    elif proof is not None:
        errors["proof"] = [_("This item takes no proof.")]
    if errors:
        raise CartLineRefused(_("The line can't be added: check the fields."), fields=errors)
    return tier, artwork, chosen  # type: ignore[return-value]  # None only with an error


# The cart


def open_cart(*, store: Store, actor: Actor) -> MarketingOrder:
    """The store's cart, made on first use (one per store: a racing request gets the same)."""
    cart = MarketingOrder.objects.filter(store=store, status=MO.CART, is_cart=True).first()
    if cart is not None:
        return cart
    user = _user(actor)
    try:
        with transaction.atomic():
            return MarketingOrder.objects.create(store=store, created_by=user)
    except IntegrityError:
        return MarketingOrder.objects.get(store=store, status=MO.CART, is_cart=True)


def add_to_cart(
    *,
    store: Store,
    item: MarketingItem,
    quantity: int,
    actor: Actor,
    proof: Proof | None = None,
    options: Mapping[str, str] | None = None,
) -> MarketingOrderLine:
    """Put `quantity` of `item` (with its proof and options) in the store's cart. Raises
    CartLineRefused, changing nothing, when the line is not valid."""
    tier, artwork, chosen = _validated(
        store=store, item=item, quantity=quantity, proof=proof, options=options
    )
    with transaction.atomic():
        cart = open_cart(store=store, actor=actor)
        return _new_line(cart, item, quantity, tier, artwork, proof, chosen)


def _new_line(
    order: MarketingOrder,
    item: MarketingItem,
    quantity: int,
    tier: PriceTier,
    artwork: Artwork | None,
    proof: Proof | None,
    chosen: dict[str, str],
) -> MarketingOrderLine:
    return MarketingOrderLine.objects.create(
        order=order,
        item=item,
        item_reference=item.reference,
        item_name=item.name,
        artwork=artwork,
        proof=proof,
        options=chosen,
        quantity=quantity,
        price_cents=tier.price_cents,
        vat_rate_bp=item.vat_rate_bp,
        store_share_cents=tier.price_cents,
        supplier_id=item.supplier_id,
    )


@dataclass(frozen=True)
class LineRequest:
    """One line asked for through the API."""

    item: MarketingItem
    quantity: int
    proof: Proof | None = None
    options: Mapping[str, str] | None = None


def draft_order(
    *,
    store: Store,
    lines: list[LineRequest],
    actor: Actor,
    note: str = "",
    idempotency_key: str = "",
    request_fingerprint: str = "",
) -> MarketingOrder:
    """An order with `lines`, ready to place (the API's way: not the back-office cart, so a
    store may have several at once). Every line is checked first: CartLineRefused names the bad
    fields of each line by index ("lines.0.quantity") and nothing is made."""
    if not lines:
        raise CartLineRefused(
            _("An order needs at least one line."), fields={"lines": [_("Add a line.")]}
        )
    checked, errors = [], {}
    for index, request in enumerate(lines):
        try:
            checked.append(
                _validated(
                    store=store,
                    item=request.item,
                    quantity=request.quantity,
                    proof=request.proof,
                    options=request.options,
                )
            )
        except CartLineRefused as exc:
            errors.update({f"lines.{index}.{name}": msgs for name, msgs in exc.fields.items()})
    if errors:
        raise CartLineRefused(_("Some lines can't be ordered: check the fields."), fields=errors)
    user = _user(actor)
    with transaction.atomic():
        order = MarketingOrder.objects.create(
            store=store,
            is_cart=False,
            created_by=user,
            note=note[:500],
            idempotency_key=idempotency_key[:100],
            request_fingerprint=request_fingerprint,
        )
        for request, (tier, artwork, chosen) in zip(lines, checked, strict=True):
            _new_line(order, request.item, request.quantity, tier, artwork, request.proof, chosen)
    return order


def _cart_line(line: MarketingOrderLine) -> MarketingOrderLine:
    line = MarketingOrderLine.objects.select_related("order", "item", "proof").get(pk=line.pk)
    if line.order.status != MO.CART:
        raise OrderNotAllowed(_("This order is placed: its lines can't change any more."))
    return line


def update_cart_line(
    *,
    line: MarketingOrderLine,
    actor: Actor,
    quantity: int | None = None,
    options: Mapping[str, str] | None = None,
) -> MarketingOrderLine:
    """Change a cart line's quantity or options (checked like a new line)."""
    line = _cart_line(line)
    quantity = line.quantity if quantity is None else quantity
    tier, _artwork, chosen = _validated(
        store=line.order.store,
        item=line.item,
        quantity=quantity,
        proof=line.proof,
        options=line.options if options is None else options,
    )
    line.quantity, line.options, line.price_cents = quantity, chosen, tier.price_cents
    line.store_share_cents, line.hq_share_cents = tier.price_cents, 0
    line.save(
        update_fields=["quantity", "options", "price_cents", "store_share_cents", "hq_share_cents"]
    )
    return line


def remove_cart_line(*, line: MarketingOrderLine, actor: Actor) -> None:
    _cart_line(line).delete()


# The preview


@dataclass
class LinePreview:
    line: MarketingOrderLine
    price_cents: int
    hq_share_cents: int
    store_share_cents: int
    vat_cents: int
    cofunding: CoFunding
    problem: str = ""


@dataclass
class OrderPreview:
    """What placing the cart now would cost the store, what HQ would pay and what would be left
    of the budget. `problems` says why it can't be placed (over budget, a line no longer valid)."""

    order: MarketingOrder
    lines: list[LinePreview] = field(default_factory=list)
    budget: Budget | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def total_excl_vat_cents(self) -> int:
        return sum(line.price_cents for line in self.lines)

    @property
    def hq_share_cents(self) -> int:
        return sum(line.hq_share_cents for line in self.lines)

    @property
    def store_share_cents(self) -> int:
        return sum(line.store_share_cents for line in self.lines)

    @property
    def vat_cents(self) -> int:
        return sum(line.vat_cents for line in self.lines)

    @property
    def store_total_incl_vat_cents(self) -> int:
        return self.store_share_cents + self.vat_cents

    @property
    def budget_left_cents(self) -> int | None:
        return self.budget.left_cents if self.budget else None

    @property
    def budget_left_after_cents(self) -> int | None:
        return self.budget.left_cents - self.store_share_cents if self.budget else None

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.store_share_cents > self.budget.left_cents

    @property
    def can_place(self) -> bool:
        return bool(self.lines) and not self.problems


def preview_order(order: MarketingOrder, *, on: date | None = None) -> OrderPreview:
    """The cart's totals with the shares co-funding would give now (caps as they are now)."""
    on = on or timezone.localdate()
    preview = OrderPreview(order=order, budget=budget_for(store=order.store, on=on))
    lines = order.lines.select_related("item", "proof", "order__store").order_by("pk")
    for line in lines:
        problem = ""
        try:
            tier, _artwork, _chosen = _validated(
                store=order.store,
                item=line.item,
                quantity=line.quantity,
                proof=line.proof,
                options=line.options,
            )
            price = tier.price_cents
        except CartLineRefused as exc:
            price = line.price_cents
            problem = "; ".join(
                str(message) for messages in exc.fields.values() for message in messages
            ) or str(exc)
        cofunding = cofunding_for(store=order.store, item=line.item, amount_cents=price, on=on)
        store_share = price - cofunding.hq_share_cents
        preview.lines.append(
            LinePreview(
                line=line,
                price_cents=price,
                hq_share_cents=cofunding.hq_share_cents,
                store_share_cents=store_share,
                vat_cents=vat_of(store_share, line.vat_rate_bp),
                cofunding=cofunding,
                problem=problem,
            )
        )
        if problem:
            preview.problems.append(f"{line.item_name}: {problem}")
    if preview.over_budget:
        preview.problems.append(
            _("Over budget: this order needs %(needed)s and %(left)s is left.")
            % {
                "needed": _euros(preview.store_share_cents),
                "left": _euros(preview.budget_left_cents or 0),
            }
        )
    return preview


# Placing


def _next_number(year: int) -> str:
    MarketingOrderNumberSeries.objects.bulk_create(
        [MarketingOrderNumberSeries(year=year)], ignore_conflicts=True
    )
    MarketingOrderNumberSeries.objects.filter(year=year).update(last_number=F("last_number") + 1)
    last = MarketingOrderNumberSeries.objects.get(year=year).last_number
    return f"MK-{year}-{last:05d}"


def place_order(*, order: MarketingOrder, actor: Actor) -> MarketingOrder:
    """Place the cart: copies taken on each line, co-funding caps and the budget consumed
    (conditional UPDATEs: concurrent orders never overspend), a number given, then the
    approval rules (HQ review or approved at once, charged). One transaction: OverBudget,
    CartLineRefused or OrderNotAllowed leave everything as it was."""
    with transaction.atomic():
        order = MarketingOrder.objects.select_for_update().select_related("store").get(pk=order.pk)
        if order.status != MO.CART:
            raise OrderNotAllowed(_("This order is already placed."))
        store, today = order.store, timezone.localdate()
        lines = list(order.lines.select_related("item", "proof").order_by("pk"))
        if not lines:
            raise OrderNotAllowed(_("The cart is empty."))
        shares: list[tuple[MarketingOrderLine, CoFunding]] = []
        for line in lines:
            tier, artwork, chosen = _validated(
                store=store,
                item=line.item,
                quantity=line.quantity,
                proof=line.proof,
                options=line.options,
            )
            item = line.item
            line.item_reference, line.item_name = item.reference, item.name
            line.price_cents, line.vat_rate_bp = tier.price_cents, item.vat_rate_bp
            line.artwork, line.options, line.supplier_id = artwork, chosen, item.supplier_id
            shares.append(
                (
                    line,
                    cofunding_for(store=store, item=item, amount_cents=tier.price_cents, on=today),
                )
            )
        # Caps in rule order (one lock order for every placer), then the budget.
        for line, cofunding in sorted(
            shares, key=lambda s: (s[1].rule.pk if s[1].rule else 0, s[0].pk)
        ):
            taken = 0
            if cofunding.rule is not None:
                taken = consume_cofunding(
                    store=store, rule=cofunding.rule, wanted_cents=cofunding.hq_share_cents
                )
            line.hq_share_cents = taken
            line.cofunding_rule = cofunding.rule if taken else None
            line.store_share_cents = line.price_cents - taken
        MarketingOrderLine.objects.bulk_update(
            lines,
            [
                "item_reference",
                "item_name",
                "price_cents",
                "vat_rate_bp",
                "artwork",
                "options",
                "supplier",
                "hq_share_cents",
                "cofunding_rule",
                "store_share_cents",
            ],
        )
        store_share = sum(line.store_share_cents for line in lines)
        budget = budget_for(store=store, on=today)
        if budget is not None:
            consume_budget(budget=budget, order=order, amount_cents=store_share)
        now = timezone.now()
        order = transition(
            MARKETING_ORDER_LIFECYCLE,
            order,
            MO.PLACED,
            actor=actor,
            locked=True,
            changes={
                "number": _next_number(timezone.localdate(now).year),
                "placed_at": now,
                "budget": budget,
                "total_excl_vat_cents": sum(line.price_cents for line in lines),
                "hq_share_cents": sum(line.hq_share_cents for line in lines),
                "store_share_cents": store_share,
                "vat_cents": sum(vat_of(ln.store_share_cents, ln.vat_rate_bp) for ln in lines),
                "created_by": order.created_by or _user(actor),
            },
        ).row
        return approval.route_placed_order(order=order, actor=actor)


# Cancelling, receiving, rolling up


def cancel_order(*, order: MarketingOrder, actor: Actor, reason: str = "") -> MarketingOrder:
    """The store cancels its order before production: its lines cancelled, budget and
    co-funding given back, and a credit note for each line already charged. Raises
    IllegalTransition once production started (or the order is over)."""
    with transaction.atomic():
        order = MarketingOrder.objects.select_for_update().get(pk=order.pk)
        if order.status == MO.CANCELLED:
            return order
        MARKETING_ORDER_LIFECYCLE.check_move(order, MO.CANCELLED)
        lines = list(
            order.lines.select_for_update(of=("self",))
            .filter(status__in=[ML.PENDING, ML.APPROVED])
            .select_related("cofunding_rule", "order")
            .order_by("pk")
        )
        reason = reason or _("Cancelled by the store.")
        for line in lines:
            charged = line.status == ML.APPROVED
            transition(MARKETING_LINE_LIFECYCLE, line, ML.CANCELLED, actor=actor, reason=reason)
            if charged:
                note = credit_charge(reference=f"mkline:{line.pk}", reason=reason, actor=actor)
                if note is not None:
                    MarketingOrderLine.objects.filter(pk=line.pk).update(credit_note=note)
        give_back(order=order, lines=lines)
        return transition(
            MARKETING_ORDER_LIFECYCLE, order, MO.CANCELLED, actor=actor, reason=reason, locked=True
        ).row


def confirm_receipt(
    *, order: MarketingOrder, actor: Actor, line: MarketingOrderLine | None = None
) -> MarketingOrder:
    """The store received `line` (or every shipped line of the order). Raises
    IllegalTransition for a line not shipped yet."""
    with transaction.atomic():
        order = MarketingOrder.objects.select_for_update().get(pk=order.pk)
        if line is not None:
            if line.order_id != order.pk:
                raise OrderNotAllowed(_("This line is not one of this order's."))
            targets = [line]
        else:
            targets = list(order.lines.filter(status=ML.SHIPPED).order_by("pk"))
            if not targets:
                raise IllegalTransition(_("Nothing of this order was shipped yet."))
        now = timezone.now()
        for target in targets:
            transition(
                MARKETING_LINE_LIFECYCLE,
                target,
                ML.RECEIVED,
                actor=actor,
                changes={"received_at": now},
            )
        return roll_up(order=order, actor=actor)


def _euros(cents: int) -> str:
    return f"{cents // 100:,}".replace(",", "\u202f") + f",{cents % 100:02d} €"
