"""Fulfilments: the part of an order that one location (store or warehouse) serves.

A fulfilment waits for the store's acceptance until `accept_deadline`; its lifecycle is in
fulfillment/states.py and every change writes a FulfilmentEvent.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network_marketplace.models import StatusEvent
from orders.models import FulfilmentMethod, Order, OrderLine
from stores.models import Store


class FulfilmentQuerySet(models.QuerySet):
    def for_store(self, store: Store) -> FulfilmentQuerySet:
        """The tenancy rule for fulfilments: a store sees the ones it serves (its stock) and the
        transfers coming to it for pickup, of placed orders (a checkout awaiting or refused its
        payment is not the store's business)."""
        return self.filter(Q(store=store) | Q(pickup_store=store), order__placed_at__isnull=False)

    def open(self) -> FulfilmentQuerySet:
        from .states import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)


class Fulfilment(models.Model):
    class Status(models.TextChoices):
        AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
        ACCEPTED = "accepted", _("Accepted")
        PICKED = "picked", _("Picked")
        # Store-to-store transfer: sent by the source store, then arrived at the pickup store.
        IN_TRANSIT = "in_transit", _("On its way to the pickup store")
        RECEIVED = "received", pgettext_lazy("fulfilment status", "Received at the pickup store")
        READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
        COLLECTED = "collected", _("Collected")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", pgettext_lazy("fulfilment status", "Delivered")
        PURCHASED_IN_STORE = "purchased_in_store", _("Purchased in store")
        NOT_PURCHASED = "not_purchased", _("Not purchased")
        REJECTED = "rejected", _("Rejected")
        TIMED_OUT = "timed_out", _("Not accepted in time")
        UNCOLLECTED = "uncollected", _("Not collected in time")
        CANCELLED = "cancelled", _("Cancelled")

    # Indexed by `fulfilment_order_idx` below, which also carries method, status and location.
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="fulfilments",
        db_index=False,
        verbose_name=_("order"),
    )
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="fulfilments", verbose_name=_("location")
    )
    # A store-to-store transfer: `store` sells its stock (the sale and the commission are its)
    # and sends the goods to `pickup_store`, which receives them and hands them over. Empty
    # when the customer collects where the stock is.
    pickup_store = models.ForeignKey(
        Store,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_transfers",
        verbose_name=_("pickup store"),
    )
    method = models.CharField(_("method"), max_length=20, choices=FulfilmentMethod.choices)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.AWAITING_ACCEPTANCE
    )
    accept_deadline = models.DateTimeField(_("accept before"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    ready_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ready at"))
    collect_before = models.DateTimeField(_("collect before"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    # Transfer: when the source store sent the goods, when the pickup store received them.
    transfer_shipped_at = models.DateTimeField(
        _("sent to the pickup store at"), null=True, blank=True
    )
    transfer_received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # When the carrier delivered a home-delivery parcel (the withdrawal period starts then).
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # Reserve & collect: when the customer was told the hold ends soon (once).
    expiry_reminder_sent_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("expiry reminder sent at")
    )

    # Pickup code: only its digest is kept, and a random salt from which the server (with its
    # SECRET_KEY) derives the code again to show it on the customer's own order page; a copy
    # of the database alone reveals no code. The customer also receives it by e-mail.
    pickup_code_digest = models.CharField(
        max_length=64, blank=True, verbose_name=_("pickup code digest")
    )
    pickup_code_salt = models.CharField(
        max_length=32, blank=True, verbose_name=_("pickup code salt")
    )
    pickup_code_failures = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("pickup code failures")
    )

    carrier = models.CharField(_("carrier"), max_length=50, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The store rejected it because the goods were not there, though its stock said they were:
    # a miss of its stock accuracy (HQ's scorecards, hq.selectors.scorecards).
    rejected_for_missing_stock = models.BooleanField(
        _("rejected for missing stock"), default=False, db_default=False
    )

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = FulfilmentQuerySet.as_manager()

    class Meta:
        ordering = ["accept_deadline", "id"]
        verbose_name = _("fulfilment")
        verbose_name_plural = _("fulfilments")
        indexes = [
            # A store's queue: its open fulfilments by deadline.
            models.Index(
                fields=["store", "status", "accept_deadline"], name="fulfilment_queue_idx"
            ),
            # The pickup store's queue: the transfers coming to it.
            models.Index(
                fields=["pickup_store", "status"],
                condition=Q(pickup_store__isnull=False),
                name="fulfilment_incoming_idx",
            ),
            # Routing's fairness (fulfillment.routing_candidates): a store's home deliveries
            # routed within the window, counted on every checkout; collect rows stay out.
            models.Index(
                fields=["store", "created_at"],
                condition=Q(method="home_delivery"),
                name="fulfilment_home_routed_idx",
            ),
            # The timeout job: fulfilments awaiting acceptance past their deadline.
            models.Index(
                fields=["accept_deadline"],
                condition=Q(status="awaiting_acceptance"),
                name="fulfilment_awaiting_idx",
            ),
            # The uncollected job: ready fulfilments past their collection date.
            models.Index(
                fields=["collect_before"],
                condition=Q(status="ready_for_pickup"),
                name="fulfilment_ready_idx",
            ),
            # An order's fulfilments; HQ's control tower counts the home deliveries of a
            # period's orders by location from this index alone.
            models.Index(
                fields=["order"], include=["method", "status", "store"], name="fulfilment_order_idx"
            ),
            # HQ's control tower (hq.selectors.control_tower): what was accepted, and what
            # ended, in a period, read from the index alone (the columns its figures count);
            # the network's open work now.
            models.Index(
                fields=["accepted_at"],
                include=["store", "created_at"],
                name="fulfilment_accepted_idx",
            ),
            models.Index(
                fields=["closed_at"],
                include=["store", "status", "method", "order"],
                name="fulfilment_closed_idx",
            ),
            models.Index(
                fields=["status"],
                condition=Q(
                    status__in=["awaiting_acceptance", "accepted", "picked", "ready_for_pickup"]
                ),
                name="fulfilment_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pickup_store__isnull=True) | ~Q(pickup_store=models.F("store")),
                name="fulfilment_transfer_between_two_stores",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.store}"

    @property
    def is_transfer(self) -> bool:
        return self.pickup_store_id is not None

    @property
    def collect_store(self) -> Store:
        """Where the customer collects: the pickup store of a transfer, else the store itself.
        The seller (whose stock is sold) is always `store`."""
        return self.pickup_store if self.pickup_store_id is not None else self.store


class FulfilmentLine(models.Model):
    fulfilment = models.ForeignKey(
        Fulfilment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("fulfilment")
    )
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.CASCADE, related_name="+", verbose_name=_("order line")
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("fulfilment line")
        verbose_name_plural = _("fulfilment lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="fulfilment_line_qty_positive"
            ),
            models.UniqueConstraint(
                fields=["fulfilment", "order_line"], name="fulfilment_line_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.order_line.sku}"


class FulfilmentEvent(StatusEvent):
    """A change of a fulfilment's status: who, when, from, to, why."""

    fulfilment = models.ForeignKey(
        Fulfilment, on_delete=models.CASCADE, related_name="events", verbose_name=_("fulfilment")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("fulfilment event")
        verbose_name_plural = _("fulfilment events")


# Returns ---------------------------------------------------------------------------------


RETURN_NUMBER_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"  # no 0/O, 1/I, 2/Z, 5/S, 6/B, 8
RETURN_NUMBER_LENGTH = 8


def new_return_number() -> str:
    """A return number that can't be guessed from another one: it is what a customer shows at
    any store's desk, so knowing it is the customer's proof (like a ticket)."""
    body = "".join(secrets.choice(RETURN_NUMBER_ALPHABET) for _ in range(RETURN_NUMBER_LENGTH))
    return f"R-{body}"


class ReturnQuerySet(models.QuerySet):
    def for_store(self, store: Store) -> ReturnQuerySet:
        """The tenancy rule for returns: a store sees the returns to be received (or received)
        at it, and the returns of what it sold."""
        return self.filter(Q(store=store) | Q(lines__seller_store=store)).distinct()

    def for_customer(self, user) -> ReturnQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(order__customer=user)


class Return(models.Model):
    """Goods of an online order coming back: brought to any store that accepts returns, or sent
    by post to the warehouse. Lifecycle in fulfillment/states.py (RETURN_TRANSITIONS)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("return status", "Requested")
        RECEIVED = "received", pgettext_lazy("return status", "Received")
        INSPECTED = "inspected", pgettext_lazy("return status", "Inspected")
        REFUNDED = "refunded", pgettext_lazy("return status", "Refunded")
        CANCELLED = "cancelled", pgettext_lazy("return status", "Cancelled")

    class Method(models.TextChoices):
        IN_STORE = "in_store", _("Brought to a store")
        POST = "post", _("Sent by post")

    class Reason(models.TextChoices):
        CHANGED_MIND = "changed_mind", _("I changed my mind")
        DOES_NOT_FIT = "does_not_fit", _("It does not fit or suit")
        DAMAGED = "damaged", _("It arrived damaged or faulty")
        WRONG_ITEM = "wrong_item", _("I received the wrong item")
        NOT_AS_DESCRIBED = "not_as_described", _("It is not as described")
        OTHER = "other", _("Another reason")
        # Opened by a withdrawal (the withdrawal button): the customer gives no reason here.
        WITHDRAWAL = "withdrawal", _("Withdrawal from the contract")

    number = models.CharField(_("number"), max_length=20, unique=True, default=new_return_number)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="returns", verbose_name=_("order")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    method = models.CharField(_("how it comes back"), max_length=20, choices=Method.choices)
    # Where the goods are (to be) received: the store chosen or walked into, or the warehouse.
    store = models.ForeignKey(
        Store,
        on_delete=models.PROTECT,
        related_name="returns_received",
        verbose_name=_("receiving location"),
    )
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    # The standard delivery fee, refunded when the whole order comes back (Code de la
    # consommation, art. L221-24).
    shipping_refund_cents = models.BigIntegerField(_("delivery fee refunded"), default=0)
    refunded_cents = models.BigIntegerField(_("refunded"), default=0)
    currency = models.CharField(max_length=3, default="EUR", verbose_name=_("currency"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_by_label = models.CharField(_("started by"), max_length=200, blank=True)

    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        constraints = [
            models.CheckConstraint(
                condition=Q(shipping_refund_cents__gte=0) & Q(refunded_cents__gte=0),
                name="return_amounts_non_negative",
            ),
        ]
        indexes = [
            # The returns desk: a location's returns by status, newest first.
            models.Index(fields=["store", "status", "-created_at"], name="return_desk_idx"),
            # HQ's control tower: the returns started in a period.
            models.Index(fields=["created_at"], name="return_started_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def lines_refund_cents(self) -> int:
        return sum(line.refund_cents for line in self.lines.all())

    @property
    def refund_total_cents(self) -> int:
        """What the inspection decided to give back: the lines, plus the delivery fee."""
        return self.lines_refund_cents + self.shipping_refund_cents


class ReturnLine(models.Model):
    """Units of one fulfilment line coming back. The seller store is the one whose sale is
    reversed, whichever store receives the goods."""

    class Condition(models.TextChoices):
        UNCHECKED = "unchecked", _("Not inspected yet")
        RESALABLE = "resalable", _("As new, resalable")
        DAMAGED = "damaged", _("Damaged")

    return_request = models.ForeignKey(
        Return, on_delete=models.CASCADE, related_name="lines", verbose_name=_("return")
    )
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("order line")
    )
    fulfilment_line = models.ForeignKey(
        FulfilmentLine,
        on_delete=models.PROTECT,
        related_name="return_lines",
        verbose_name=_("fulfilment line"),
    )
    seller_store = models.ForeignKey(
        Store,
        on_delete=models.PROTECT,
        related_name="returns_of_sales",
        verbose_name=_("sold by"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.UNCHECKED
    )
    restocked_quantity = models.PositiveIntegerField(_("put back in stock"), default=0)
    # At most the price paid for these units; the inspection may lower it (partial refund).
    refund_cents = models.BigIntegerField(_("refund"), default=0)

    class Meta:
        ordering = ["return_request", "id"]
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="return_line_qty_positive"),
            models.CheckConstraint(
                condition=Q(restocked_quantity__lte=models.F("quantity")),
                name="return_line_restock_within_quantity",
            ),
            models.CheckConstraint(
                condition=Q(refund_cents__gte=0), name="return_line_refund_non_negative"
            ),
            models.UniqueConstraint(
                fields=["return_request", "fulfilment_line"], name="return_line_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.order_line.sku}"

    @property
    def max_refund_cents(self) -> int:
        return self.order_line.unit_price_cents * self.quantity


class ReturnEvent(StatusEvent):
    """A change of a return's status: who, when, from, to, why, and the store that acted."""

    return_request = models.ForeignKey(
        Return, on_delete=models.CASCADE, related_name="events", verbose_name=_("return request")
    )
    from_status = models.CharField(
        max_length=20, blank=True, choices=Return.Status.choices, verbose_name=_("from state")
    )
    to_status = models.CharField(
        max_length=20, choices=Return.Status.choices, verbose_name=_("to state")
    )
    store = models.ForeignKey(
        Store, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("store")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("return event")
        verbose_name_plural = _("return events")


# Withdrawals (fulfillment/withdrawal_models.py): re-exported, so that the app has one models
# module.
from .withdrawal_models import Withdrawal, WithdrawalLine  # noqa: E402, F401
