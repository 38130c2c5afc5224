"""Customer orders: what was bought, at which price, how each line is to be served, and why.

Prices are integer cents, VAT included (French retail); each line keeps a snapshot of the product,
its price and its VAT rate at the time of the order, so later catalogue changes never rewrite it.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Variant
from network_marketplace.models import SingletonSettings, StatusEvent
from stores.models import Store

# Re-exported: every app imports the methods from orders.models.
from .methods import COLLECT_METHODS as COLLECT_METHODS
from .methods import FulfilmentMethod as FulfilmentMethod
from .numbers import NextOrderNumber

# The most units of one item on a cart line or an order line: the cart, the checkout form, the
# endless aisle and the orders API all refuse more.
MAX_LINE_QUANTITY = 99
# The longest fairness window HQ may set (OrderPolicy.fairness_window_days).
MAX_FAIRNESS_WINDOW_DAYS = 90


def fulfilment_holder(fulfilment_id: int) -> str:
    """The holder name of the stock held for a fulfilment (stores.Reservation.holder)."""
    return f"fulfilment:{fulfilment_id}"


class OrderPolicy(SingletonSettings):
    """HQ's settings for orders and their routing (a single row)."""

    accept_within_minutes = models.PositiveIntegerField(
        _("stores accept a routed fulfilment within (minutes)"), default=120
    )
    collect_within_days = models.PositiveIntegerField(
        _("click & collect orders are kept for (days)"), default=5
    )
    reserve_hold_hours = models.PositiveIntegerField(
        _("reserve & collect holds last (hours)"), default=48
    )
    checkout_hold_minutes = models.PositiveIntegerField(
        _("checkout holds last (minutes)"), default=15
    )
    max_parcels = models.PositiveSmallIntegerField(
        _("most parcels per order"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_(
            "One parcel per shipping location. An order that would need more parcels "
            "has the lines that don't fit marked unavailable."
        ),
    )
    pickup_code_attempts = models.PositiveSmallIntegerField(
        _("wrong pickup codes before the code is void"), default=5
    )
    home_delivery_fee_cents = models.PositiveIntegerField(_("home delivery fee"), default=490)
    free_delivery_from_cents = models.PositiveIntegerField(
        _("free home delivery from (value of items)"), default=5000
    )

    # Routing of home-delivery lines (orders/routing/ RoutingPolicy). Weights: only their
    # ratios matter; each score component is between 0 and 1.
    distance_weight = models.DecimalField(
        _("weight of the distance"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.40"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "Nearer to the customer scores higher: 1 on the spot, 0 at the maximum distance."
        ),
    )
    stock_depth_weight = models.DecimalField(
        _("weight of the stock depth"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.20"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "The share of its stock a location keeps after the order: taking a "
            "store's last unit scores 0."
        ),
    )
    load_weight = models.DecimalField(
        _("weight of the load"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "The room left in the store's daily capacity: its open fulfilments "
            "against the orders it can handle a day."
        ),
    )
    fairness_weight = models.DecimalField(
        _("weight of fairness"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.15"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "Spreads the work: a store that was routed fewer home deliveries within the "
            "fairness window than the busiest candidate scores higher."
        ),
    )
    fairness_window_days = models.PositiveSmallIntegerField(
        _("fairness window (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FAIRNESS_WINDOW_DAYS)],
        help_text=_(
            "The home deliveries routed to a store over these last days count for fairness."
        ),
    )
    max_distance_km = models.PositiveIntegerField(
        _("farthest a store ships from (km)"),
        default=150,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A store farther from the customer is not a candidate; the warehouse ships anywhere."
        ),
    )
    warehouse_first = models.BooleanField(
        _("warehouse first"),
        default=True,
        help_text=_(
            "When the warehouse has every home-delivery line, it ships them, whatever "
            "the stores' scores."
        ),
    )
    transfer_for_collect = models.BooleanField(
        _("store-to-store transfers for collection"),
        default=True,
        help_text=_(
            "When the chosen store lacks the item, another location may send it there "
            "(the customer is told the longer delay)."
        ),
    )
    transfer_delay_days = models.PositiveSmallIntegerField(
        _("delay of a transfer (days)"), default=3
    )
    collect_delay_days = models.PositiveSmallIntegerField(
        _("delay of a collection from stock (days)"), default=0
    )
    warehouse_delivery_days = models.PositiveSmallIntegerField(
        _("delivery delay from the warehouse (days)"), default=2
    )
    store_delivery_days = models.PositiveSmallIntegerField(
        _("delivery delay from a store (days)"), default=2
    )
    default_daily_capacity = models.PositiveIntegerField(
        _("orders a store handles a day (default)"),
        default=50,
        help_text=_(
            "For the stores that set no daily capacity of their own. A store with as "
            "many open fulfilments gets no more home deliveries."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    WEIGHTS = ("distance_weight", "stock_depth_weight", "load_weight", "fairness_weight")

    class Meta:
        verbose_name = _("order policy")
        verbose_name_plural = _("order policy")
        constraints = [
            models.CheckConstraint(
                condition=Q(distance_weight__gte=0)
                & Q(stock_depth_weight__gte=0)
                & Q(load_weight__gte=0)
                & Q(fairness_weight__gte=0),
                name="order_policy_weights_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(max_parcels__gte=1) & Q(max_distance_km__gte=1),
                name="order_policy_routing_limits",
            ),
            models.CheckConstraint(
                condition=Q(distance_weight__lte=1)
                & Q(stock_depth_weight__lte=1)
                & Q(load_weight__lte=1)
                & Q(fairness_weight__lte=1)
                & Q(fairness_window_days__gte=1)
                & Q(fairness_window_days__lte=MAX_FAIRNESS_WINDOW_DAYS),
                name="order_policy_weights_and_window_bounded",
            ),
        ]

    def clean(self):
        super().clean()
        weights = [getattr(self, name) for name in self.WEIGHTS]
        if all(weight is not None for weight in weights) and sum(weights) <= 0:
            raise ValidationError(
                {"distance_weight": _("At least one weight must be above 0 to rank stores.")}
            )

    def __str__(self) -> str:
        return str(_("Order policy"))


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
        PLACED = "placed", _("Placed")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        WEB = "web", _("Web shop")
        ENDLESS_AISLE = "endless_aisle", _("In store (endless aisle)")
        API = "api", _("API")

    number = models.CharField(
        _("number"), max_length=20, unique=True, null=True, blank=True, db_default=NextOrderNumber()
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default="web")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
        verbose_name=_("customer account"),
    )
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")

    # Delivery address, for home-delivery lines.
    address_line = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR")
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, verbose_name=_("latitude")
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, verbose_name=_("longitude")
    )

    # The customer's local store, credited with the order whoever serves it (catchment).
    attributed_store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attributed_orders",
        verbose_name=_("attributed store"),
    )
    # The store whose staff placed the order for a walk-in customer (endless aisle).
    placed_by_store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("placed in store"),
    )

    currency = models.CharField(max_length=3, default="EUR", verbose_name=_("currency"))
    subtotal_cents = models.BigIntegerField(_("items"), default=0)
    shipping_cents = models.BigIntegerField(_("delivery"), default=0)
    total_cents = models.BigIntegerField(_("total"), default=0)
    vat_cents = models.BigIntegerField(_("of which VAT"), default=0)
    # What is paid online at checkout: the total less the reserve & collect lines (paid in store).
    online_payment_cents = models.BigIntegerField(_("paid online"), default=0)

    # Why each line went where it went: the placement's routing record, then each re-route's,
    # as {"at", "reason", "result": orders.routing.RoutingResult.as_dict()}.
    routing_log = models.JSONField(_("routing decisions"), default=list, blank=True)

    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True)
    # When the customer closed her account: her name and contact details were cleared from the
    # order (what the law keeps is apart, in compliance's RetainedPersonalData); pages show
    # "Deleted customer" where she was (`customer_name`).
    customer_erased_at = models.DateTimeField(_("customer's data erased at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cents=models.F("subtotal_cents") + models.F("shipping_cents")),
                name="order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(subtotal_cents__gte=0) & Q(shipping_cents__gte=0) & Q(vat_cents__gte=0),
                name="order_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(online_payment_cents__gte=0)
                & Q(online_payment_cents__lte=models.F("total_cents")),
                name="order_online_payment_within_total",
            ),
        ]
        indexes = [
            # A customer's order history, newest first.
            models.Index(fields=["customer", "-created_at"], name="order_customer_recent_idx"),
            # A store's attributed orders (store dashboards, commission share).
            models.Index(fields=["attributed_store", "-created_at"], name="order_attributed_idx"),
            # HQ's control tower: the orders placed in a period (hq.selectors.control_tower),
            # read from the index alone (the columns its sales figures group and add up).
            models.Index(
                fields=["placed_at"],
                include=["id", "channel", "subtotal_cents", "attributed_store"],
                name="order_placed_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def customer_name(self) -> str:
        """Who the order is for, as pages show it: "Deleted customer" once her account closed."""
        if self.customer_erased_at:
            return str(_("Deleted customer"))
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def customer_email(self) -> str:
        """The e-mail address pages show: none once her account closed."""
        return "" if self.customer_erased_at else self.email


class OrderLine(models.Model):
    # Indexed by `orderline_order_idx` below, which also carries the method and the total.
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,
        verbose_name=_("order"),
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, related_name="+", verbose_name=_("variant")
    )
    product_name = models.CharField(_("product"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=64)
    options_label = models.CharField(_("options"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_cents = models.BigIntegerField(_("unit price"))
    vat_percent = models.DecimalField(_("VAT rate (%)"), max_digits=4, decimal_places=1)
    total_cents = models.BigIntegerField(_("line total"))
    vat_cents = models.BigIntegerField(_("of which VAT"))
    method = models.CharField(
        _("fulfilment method"), max_length=20, choices=FulfilmentMethod.choices
    )
    chosen_store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pickup store"),
    )
    cancelled_quantity = models.PositiveIntegerField(_("cancelled quantity"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(total_cents=models.F("unit_price_cents") * models.F("quantity")),
                name="order_line_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_quantity__lte=models.F("quantity")),
                name="order_line_cancelled_within_quantity",
            ),
            models.CheckConstraint(
                condition=Q(method=FulfilmentMethod.HOME_DELIVERY) | Q(chosen_store__isnull=False),
                name="order_line_collect_has_store",
            ),
        ]
        indexes = [
            # An order's lines; HQ's control tower adds up the lines of a period's orders by
            # method from this index alone (hq.selectors.control_tower.sales_by_method).
            models.Index(
                fields=["order"], include=["method", "total_cents"], name="orderline_order_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class OrderEvent(StatusEvent):
    """A change of an order's status: who, when, from, to, why."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("order event")
        verbose_name_plural = _("order events")


class OrderRequest(models.Model):
    """An `Idempotency-Key` sent with POST /api/v1/orders/, and the answer it got.

    The key is claimed (unique per caller) before the order is placed and answered after, so a
    retry gets the first answer back and never places a second order; a retry while the first
    request runs gets a 409. A claim left unanswered (the process died) may be taken over after
    a lease, once the order that request may have written is accounted for
    (checkout/api/idempotency.py). Kept for a day, after which the key may be used again.
    """

    principal = models.CharField(
        max_length=40, verbose_name=_("principal")
    )  # "k<api key id>" or "u<user id>"
    key = models.CharField(max_length=255, verbose_name=_("key"))
    fingerprint = models.CharField(
        max_length=64, verbose_name=_("fingerprint")
    )  # SHA-256 of the request body
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("HTTP status")
    )
    # The answer's JSON as sent (text, not jsonb: a replay keeps the keys' order).
    response = models.TextField(blank=True, verbose_name=_("response"))
    order = models.ForeignKey(
        Order,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("order"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # When the request working on it started: its lease runs from here.
    attempt_started_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("attempt started at")
    )
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))

    class Meta:
        verbose_name = _("order request")
        verbose_name_plural = _("order requests")
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="order_request_key_unique")
        ]
        indexes = [
            # The purge of expired keys (orders.tasks.purge_order_requests).
            models.Index(fields=["created_at"], name="order_request_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.principal}:{self.key}"


# Carts -------------------------------------------------------------------------------------


class Cart(models.Model):
    """What a customer is about to buy. A guest's cart is found by the `token` kept in their
    session; a signed-in customer has one cart, attached to the account (a guest cart joins it
    at log-in). A cart holds no stock: availability is checked when it is shown and at checkout.
    """

    token = models.UUIDField(
        unique=True, default=uuid.uuid4, editable=False, verbose_name=_("token")
    )
    customer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart",
        verbose_name=_("customer account"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        indexes = [
            # The retention job: guest carts left untouched for a while.
            models.Index(fields=["updated_at"], name="cart_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"cart {self.token}"


class CartLine(models.Model):
    """A variant, how many, and how it is to be served (the pickup store of a collect line)."""

    cart = models.ForeignKey(
        Cart, on_delete=models.CASCADE, related_name="lines", verbose_name=_("cart")
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, related_name="+", verbose_name=_("variant")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    method = models.CharField(
        _("fulfilment method"), max_length=20, choices=FulfilmentMethod.choices
    )
    store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("pickup store"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["cart", "created_at", "id"]
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_line_quantity_positive"),
            # A collect line names its store; a home-delivery line names none.
            models.CheckConstraint(
                condition=(Q(method=FulfilmentMethod.HOME_DELIVERY) & Q(store__isnull=True))
                | (~Q(method=FulfilmentMethod.HOME_DELIVERY) & Q(store__isnull=False)),
                name="cart_line_store_matches_method",
            ),
            # One line per (variant, method, store): adding again raises its quantity.
            models.UniqueConstraint(
                fields=["cart", "variant", "method", "store"],
                condition=Q(store__isnull=False),
                name="cart_line_collect_unique",
            ),
            models.UniqueConstraint(
                fields=["cart", "variant", "method"],
                condition=Q(store__isnull=True),
                name="cart_line_delivery_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.variant_id} ({self.method})"


class PickupSlot(models.Model):
    """The time the customer chose to collect the part of an order served by a store that
    offers pickup slots (Store.pickup_slot_minutes)."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="pickup_slots", verbose_name=_("order")
    )
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("pickup slot")
        verbose_name_plural = _("pickup slots")
        constraints = [
            models.UniqueConstraint(fields=["order", "store"], name="pickup_slot_order_store"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="pickup_slot_ordered"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.order} · {self.store_id} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
        )
