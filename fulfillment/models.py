"""Fulfilments: the part of an order that one location (store or warehouse) serves.

A fulfilment waits for the store's acceptance until `accept_deadline`; its lifecycle is in
fulfillment/states.py and every change writes a FulfilmentEvent.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models import FulfilmentMethod, Order, OrderLine
from stores.models import Store


class FulfilmentQuerySet(models.QuerySet):
    def for_store(self, store: Store) -> FulfilmentQuerySet:
        """The tenancy rule for fulfilments: a store sees the ones it serves, of placed orders
        (a checkout awaiting or refused its payment is not the store's business)."""
        return self.filter(store=store, order__placed_at__isnull=False)

    def open(self) -> FulfilmentQuerySet:
        from .states import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)


class Fulfilment(models.Model):
    class Status(models.TextChoices):
        AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
        ACCEPTED = "accepted", _("Accepted")
        PICKED = "picked", _("Picked")
        READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
        COLLECTED = "collected", _("Collected")
        SHIPPED = "shipped", _("Shipped")
        PURCHASED_IN_STORE = "purchased_in_store", _("Purchased in store")
        NOT_PURCHASED = "not_purchased", _("Not purchased")
        REJECTED = "rejected", _("Rejected")
        TIMED_OUT = "timed_out", _("Not accepted in time")
        UNCOLLECTED = "uncollected", _("Not collected in time")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfilments")
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="fulfilments", verbose_name=_("location")
    )
    method = models.CharField(_("method"), max_length=20, choices=FulfilmentMethod.choices)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.AWAITING_ACCEPTANCE
    )
    accept_deadline = models.DateTimeField(_("accept before"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    collect_before = models.DateTimeField(_("collect before"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Pickup code: only its digest is kept; the customer receives the code itself by e-mail.
    pickup_code_digest = models.CharField(max_length=64, blank=True)
    pickup_code_failures = models.PositiveSmallIntegerField(default=0)

    carrier = models.CharField(_("carrier"), max_length=50, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.store}"


class FulfilmentLine(models.Model):
    fulfilment = models.ForeignKey(Fulfilment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="+")
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


class FulfilmentEvent(models.Model):
    """A change of a fulfilment's status: who, when, from, to, why."""

    fulfilment = models.ForeignKey(Fulfilment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    actor_label = models.CharField(max_length=200)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("fulfilment event")
        verbose_name_plural = _("fulfilment events")

    def __str__(self) -> str:
        return f"{self.fulfilment_id} {self.from_status or '∅'} → {self.to_status}"
