from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Greatest
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog import cache as storefront_cache
from catalog.models import BumpsVersionsOnSave, Variant
from network_marketplace.models import SingletonSettings


class StoreQuerySet(models.QuerySet):
    def for_user(self, user) -> StoreQuerySet:
        """The stores a user may see in the back-office: all for HQ staff, else their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(memberships__user=user).distinct()

    def selling(self) -> StoreQuerySet:
        return self.filter(status=Store.Status.ACTIVE).exclude(kind=Store.Kind.WAREHOUSE)


class Store(BumpsVersionsOnSave):
    """A location of the network that holds stock: a franchise store, a branch or a warehouse.

    A store is also a trader on the marketplace: its legal identity is what the DSA requires the
    marketplace to collect before the store may sell.
    """

    # Its name, address, services and identity show in kept page parts (the product page's
    # "near you", the sellers' identity): a save retires them at once (catalog.cache).
    cache_versions = (storefront_cache.STORES,)

    class Kind(models.TextChoices):
        FRANCHISE = "franchise", _("Franchise store")
        BRANCH = "branch", _("Branch")
        WAREHOUSE = "warehouse", _("Warehouse")

    class FeedPositions(models.TextChoices):
        NONE = "", _("none yet")
        SEQUENCE = "sequence", _("sequences")
        TIMESTAMP = "timestamp", _("source timestamps")

    class Status(models.TextChoices):
        ONBOARDING = "onboarding", _("Onboarding")
        ACTIVE = "active", pgettext_lazy("store status", "Active")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FRANCHISE)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ONBOARDING
    )

    address_line = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="FR")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    # The trader's legal identity (DSA art. 30 traceability).
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    legal_address = models.CharField(_("legal address"), max_length=300, blank=True)

    # Opening hours: {"mon": [["09:00", "19:00"]], ..., "sun": []}; several ranges a day allowed.
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    # The store's own images, printed on its personalised marketing (marketing_hub's proofs):
    # PNG or JPEG, checked by stores.services.images (a real image, within a size limit).
    # db_default: the bench generator COPYs stores without these columns.
    logo = models.ImageField(_("logo"), upload_to="stores/logos/", blank=True, db_default="")
    photo = models.ImageField(_("photo"), upload_to="stores/photos/", blank=True, db_default="")
    # The store's words on its page, written by its owner or manager (stores.services.profile).
    description = models.TextField(_("description"), blank=True, db_default="")
    offers_click_collect = models.BooleanField(_("click & collect"), default=True)
    offers_ship_from_store = models.BooleanField(_("ship from store"), default=True)
    offers_reserve_collect = models.BooleanField(_("reserve & collect"), default=True)
    accepts_returns = models.BooleanField(_("returns"), default=True)
    # Taken out of home-delivery routing by HQ for its quality figures (the hq app's scorecard
    # consequences, through a compliance measure with its statement of reasons): it ships no
    # home delivery meanwhile; its click & collect, reserve & collect and page stay. Written
    # only by stores.services.set_home_delivery_suspension. db_default: the bench COPYs stores.
    home_delivery_suspended = models.BooleanField(
        _("out of home-delivery routing"), default=False, db_default=False, editable=False
    )
    # Catchment: the customers this store is the local store of (postal codes, else a radius).
    catchment_postal_codes = models.JSONField(_("catchment postal codes"), default=list, blank=True)
    catchment_radius_km = models.PositiveIntegerField(_("catchment radius (km)"), default=15)
    daily_capacity = models.PositiveIntegerField(
        _("orders a day"),
        null=True,
        blank=True,
        help_text=_("Open fulfilments the store can handle; empty: HQ's default (order policy)."),
    )
    accept_within_minutes = models.PositiveIntegerField(
        _("accepts routed orders within (minutes; overrides HQ's default)"), null=True, blank=True
    )
    pickup_slot_minutes = models.PositiveSmallIntegerField(
        _("pickup slots (minutes; empty: no slots, customers come during opening hours)"),
        null=True,
        blank=True,
    )
    safety_stock_override = models.PositiveIntegerField(
        _("safety stock (overrides HQ's default)"), null=True, blank=True
    )
    # What orders the store's stock feed (stores.services.feeds): sequences or source timestamps,
    # set by its first batch. A batch of the other kind is refused until HQ resets the
    # positions: a timestamp (microseconds, ~1e15) outranks any sequence, so mixing them would
    # silently ignore every later sequence. db_default: the bench generator COPYs stores.
    feed_positions = models.CharField(
        _("stock feed ordered by"),
        max_length=10,
        choices=FeedPositions.choices,
        blank=True,
        default=FeedPositions.NONE,
        db_default=FeedPositions.NONE,
        editable=False,
    )

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = StoreQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="store_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def offers(self, method: str) -> bool:
        """Whether this location serves a line by `method` ("home_delivery", "click_collect",
        "reserve_collect": orders.methods names them): a warehouse ships home deliveries only,
        never a collection; a store what its service flags say."""
        if self.kind == Store.Kind.WAREHOUSE:
            return method == "home_delivery"
        flags = {
            "home_delivery": self.offers_ship_from_store,
            "click_collect": self.offers_click_collect,
            "reserve_collect": self.offers_reserve_collect,
        }
        return flags.get(method, False)


class StoreMembership(models.Model):
    """Links a user to a store with a role; a user may work for several stores."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="store_memberships",
        verbose_name=_("user"),
    )
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("store")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("store membership")
        verbose_name_plural = _("store memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "store"], name="membership_user_store_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.store} ({self.get_role_display()})"

    @property
    def can_manage(self) -> bool:
        return self.role in {self.Role.OWNER, self.Role.MANAGER}


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)

    def for_store(self, store: Store) -> ApiKeyQuerySet:
        return self.filter(store=store)


class ApiKey(models.Model):
    """An integrator's key. It belongs to one store (acts as that store) or to HQ (no store).

    Only a SHA-256 digest of the secret is stored; the secret is shown once, at creation.
    `prefix` is the public, indexed part used to find the key before comparing digests.
    """

    store = models.ForeignKey(
        Store,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("store"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False, verbose_name=_("secret hash"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("last used at")
    )
    revoked_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("revoked at")
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        owner = self.store.name if self.store_id else "HQ"
        return f"{self.name} ({owner}, {self.prefix}…)"

    @property
    def is_hq(self) -> bool:
        return self.store_id is None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class StockPolicy(SingletonSettings):
    """HQ's network-wide stock settings (a single row)."""

    default_safety_stock = models.PositiveIntegerField(_("default safety stock"), default=1)
    # HQ's control tower flags the stores whose last stock feed is older than this.
    # db_default: the bench generator inserts the policy row with SQL.
    feed_max_age_hours = models.PositiveIntegerField(
        _("a stock feed is late after (hours)"),
        default=24,
        db_default=24,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A location whose last stock feed is older than this is shown as late on HQ's "
            "control tower: its online stock may be wrong."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("stock policy")
        verbose_name_plural = _("stock policy")

    def __str__(self) -> str:
        return str(_("Stock policy"))


class StockLevelQuerySet(models.QuerySet):
    def for_store(self, store: Store) -> StockLevelQuerySet:
        """The tenancy rule for stock: every store-scoped page and endpoint starts here."""
        return self.filter(store=store)

    def available(self) -> StockLevelQuerySet:
        return self.filter(in_stock=True)


class StockLevel(BumpsVersionsOnSave):
    """A store's offer of a variant: its stock and its selling price.

    `available` is computed by the database (on hand - reserved - safety stock, floored at 0),
    so no reader can get it wrong, and so is `in_stock` (available > 0). `safety_stock` holds
    the effective value (the store's override or HQ's default), kept up to date by
    stores.services. `feed_position` is the sequence or source timestamp of the last feed row
    applied: older rows are ignored.

    Built for HOT updates (PostgreSQL rewrites a row in place, without touching any index, when
    no indexed column changes and its page has room): the indexes hold `in_stock`, never the
    quantities, and the table is filled to half its pages (stores 0010) so that a feed rewriting
    all of a store's rows finds room beside each of them. A quantity change that leaves a row in
    stock, or out of stock, is then a write of one page.
    """

    # A save (a count, a price, a reduction) retires the cached listings at once; the holds and
    # sales written with UPDATE show within HQ's StorefrontPolicy (catalog.cache).
    cache_versions = (storefront_cache.STOCK, storefront_cache.PRICES)

    # No single-column indexes on the keys: the unique (store, variant) constraint serves the
    # store's lookups and stock_by_variant the variant's; each index costs every stock write.
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        related_name="stock_levels",
        db_index=False,
        verbose_name=_("store"),
    )
    variant = models.ForeignKey(
        Variant,
        on_delete=models.CASCADE,
        related_name="stock_levels",
        db_index=False,
        verbose_name=_("variant"),
    )
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)
    safety_stock = models.IntegerField(_("safety stock"), default=0)
    # HQ's compliance measures on the offer (compliance.services.measures, through
    # stores.services.moderation): a blocked offer has nothing available and is in no one's
    # stock (the generated columns below say so, so every reader honours it); a demoted offer
    # is listed after the others.
    # Database defaults too: the bulk feed path inserts rows with raw SQL.
    sales_blocked = models.BooleanField(_("sales blocked by HQ"), default=False, db_default=False)
    demoted = models.BooleanField(_("demoted by HQ"), default=False, db_default=False)
    available = models.GeneratedField(
        expression=Case(
            When(sales_blocked=True, then=Value(0)),
            default=Greatest(F("on_hand") - F("reserved") - F("safety_stock"), 0),
        ),
        output_field=models.IntegerField(),
        db_persist=True,
        verbose_name=_("available"),
    )
    in_stock = models.GeneratedField(
        expression=ExpressionWrapper(
            Q(GreaterThan(F("on_hand") - F("reserved") - F("safety_stock"), 0))
            & Q(sales_blocked=False),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("in stock"),
    )
    price_cents = models.BigIntegerField(
        _("store price"),
        null=True,
        blank=True,
        help_text=_("Empty: the store sells at HQ's recommended retail price."),
    )
    feed_position = models.BigIntegerField(default=0, verbose_name=_("feed position"))
    # The store announcing a reduction of its price (within HQ's bounds): shown as reduced,
    # against the lowest price of the 30 days before `promotion_started_at` (Omnibus).
    promotion_started_at = models.DateTimeField(
        _("reduction announced since"), null=True, blank=True
    )
    promotion_ends_at = models.DateTimeField(_("reduction ends"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = StockLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(fields=["store", "variant"], name="stock_store_variant_unique"),
            models.CheckConstraint(
                condition=Q(on_hand__gte=0) & Q(reserved__gte=0) & Q(safety_stock__gte=0),
                name="stock_quantities_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(price_cents__isnull=True) | Q(price_cents__gt=0),
                name="stock_price_positive",
            ),
        ]
        indexes = [
            # "Which stores have this variant in stock, at what price": the product page and
            # the near-me query read a variant's rows from this index alone (index-only scans),
            # never the table, whose rows are spread over the stores. It also serves the
            # variant's foreign key (cascades). No quantity in it: see the docstring.
            models.Index(
                fields=["variant", "in_stock", "store", "price_cents"],
                name="stock_by_variant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store} · {self.variant.sku}"

    @property
    def effective_price_cents(self) -> int:
        return self.price_cents if self.price_cents is not None else self.variant.rrp_cents


class StockMovement(models.Model):
    """One change of a store's on-hand quantity: any stock level can be explained by these."""

    class Reason(models.TextChoices):
        FEED = "feed", _("Stock feed")
        ADJUSTMENT = "adjustment", _("Manual adjustment")
        SALE = "sale", _("Sale")
        RETURN = "return", _("Return")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        TRANSFER_OUT = "transfer_out", _("Transfer out")

    class Source(models.TextChoices):
        API = "api", _("API")
        FILE = "file", _("File upload")
        BACKOFFICE = "backoffice", _("Back-office")
        ADMIN = "admin", _("HQ admin")
        SYSTEM = "system", _("System")

    # No single-column indexes on the keys: movement_store_recent_idx starts with the store,
    # movement_variant_idx with the variant (it serves the variant's cascades too). Every index
    # costs every feed row that moves stock. No database foreign keys either (Django still
    # cascades): a movement is only ever written with its stock level, whose (store, variant)
    # keys the database does check, and the two checks per row at commit (each a key-share lock
    # on the store and the variant) were a fifth of a 100,000-row feed's cost (bench/README.md).
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        related_name="stock_movements",
        db_index=False,
        db_constraint=False,
        verbose_name=_("store"),
    )
    variant = models.ForeignKey(
        Variant,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("variant"),
    )
    delta = models.IntegerField(_("change"))
    on_hand_after = models.IntegerField(_("on hand after"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    actor_label = models.CharField(_("by"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [
            # A store's movement history, newest first, optionally for one variant.
            models.Index(fields=["store", "-created_at"], name="movement_store_recent_idx"),
            models.Index(fields=["variant", "store", "-created_at"], name="movement_variant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.store} {self.variant_id} {self.delta:+d}"


class ReservationQuerySet(models.QuerySet):
    def active(self) -> ReservationQuerySet:
        return self.filter(status=Reservation.Status.ACTIVE)

    def holding_at(self, now) -> ReservationQuerySet:
        """Active holds that still count at `now`: firm ones and those not yet expired."""
        return self.active().filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def due_at(self, now) -> ReservationQuerySet:
        """Active holds whose expiry has passed: they no longer count, whether or not the
        sweeper has released them yet."""
        return self.active().filter(expires_at__lte=now)


class Reservation(models.Model):
    """Units of a store's stock held for a cart, a reserve & collect customer or an order.

    Invariant (kept by stores.services.reservations, the only writer of both):
    `StockLevel.reserved` of a (store, variant) row equals the sum of `quantity` over that row's
    ACTIVE reservations, including active ones whose expiry has passed but which have not been
    released yet. Such a hold stops counting at `expires_at` all the same: a new reservation
    first releases the due holds of its row (see `reserve_stock`), so no sale waits for the sweeper.

    `holder` is the caller's key ("cart:<uuid>", "order:<id>"). A converted hold stays as history;
    the firm hold made from it is a new ACTIVE row pointing back through `converted_from`.
    """

    class Kind(models.TextChoices):
        CHECKOUT = "checkout", _("Checkout hold")
        RESERVE_COLLECT = "reserve_collect", _("Reserve & collect")
        ORDER = "order", _("Order")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("reservation status", "Active")
        CONVERTED = "converted", _("Converted into an order")
        RELEASED = "released", _("Released")
        EXPIRED = "expired", _("Expired")
        CONSUMED = "consumed", _("Sold")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("store")
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, related_name="+", verbose_name=_("variant")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    holder = models.CharField(_("held for"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    # Empty for a firm hold (an order's): it lasts until the sale or a release.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    converted_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="converted_into",
        verbose_name=_("converted from"),
    )
    actor_label = models.CharField(_("by"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReservationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="reservation_quantity_min_1"),
            # Checkout and reserve & collect holds always expire; an order's hold never does.
            models.CheckConstraint(
                condition=(Q(kind="order") & Q(expires_at__isnull=True))
                | (~Q(kind="order") & Q(expires_at__isnull=False)),
                name="reservation_expiry_matches_kind",
            ),
        ]
        indexes = [
            # The active holds of one stock row: the lazy release of due holds at reservation
            # time (store, variant, expires_at <= now) and the sum that must equal `reserved`.
            models.Index(
                fields=["store", "variant", "expires_at"],
                condition=Q(status="active"),
                name="reservation_active_level_idx",
            ),
            # The sweeper: active holds whose expiry has passed, across the network.
            models.Index(
                fields=["expires_at"], condition=Q(status="active"), name="reservation_due_idx"
            ),
            # A cart's or an order's holds: release_holder, convert at order placement.
            models.Index(fields=["holder"], name="reservation_holder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.holder} · {self.quantity} of {self.variant_id} at {self.store_id}"


class PostalCode(models.Model):
    """The centroid of a French postal code, to find the stores near a customer."""

    code = models.CharField(_("postal code"), max_length=10, db_index=True)
    city = models.CharField(_("city"), max_length=100)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, verbose_name=_("latitude"))
    longitude = models.DecimalField(max_digits=9, decimal_places=6, verbose_name=_("longitude"))

    class Meta:
        ordering = ["code", "city"]
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")
        constraints = [
            models.UniqueConstraint(fields=["code", "city"], name="postal_code_city_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.city}"


# The profile a franchisee runs (special days, team invitations, HQ's bounds): their own module.
from .profile_models import StoreInvitation, StoreProfilePolicy, StoreSpecialDay  # noqa: E402, F401
