"""The network catalogue (PIM), owned by HQ: categories, products, variants, VAT, price bounds."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import SingletonSettings

from . import cache
from .validators import validate_gtin


class BumpsVersionsOnSave(models.Model):
    """A catalogue row whose save or delete retires the cached pages that show it
    (catalog.cache): `cache_versions` names what it changes."""

    cache_versions: tuple[str, ...] = (cache.CATALOGUE,)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.bump(*self.cache_versions)

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        cache.bump(*self.cache_versions)
        return deleted


class StorefrontPolicy(SingletonSettings):
    """HQ's bound on how stale the storefront's cached pages may be (a single row)."""

    listing_max_age_seconds = models.PositiveIntegerField(
        _("listings shown at most this old (seconds)"),
        default=60,
        validators=[MaxValueValidator(3600)],
        help_text=_(
            "Category pages, search results, the home page's shelves and the catalogue API are "
            "kept this long at most: a stock or price change that does not retire them at once "
            "(a sale in another store, a reduction reaching its end) shows after this delay. "
            "0 turns the cache off. The product page's stock near the customer, the cart and "
            "the checkout are always live."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("storefront policy")
        verbose_name_plural = _("storefront policy")

    def __str__(self) -> str:
        return str(_("Storefront policy"))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.forget_recent()  # this process reads the new delay at once, the others within 1 s


class VatRate(models.TextChoices):
    """French VAT rates. The rate itself is in VAT_PERCENT: choices keep the code stable."""

    STANDARD = "standard", _("Standard rate (20 %)")
    INTERMEDIATE = "intermediate", _("Intermediate rate (10 %)")
    REDUCED = "reduced", _("Reduced rate (5.5 %)")
    SUPER_REDUCED = "super_reduced", _("Super-reduced rate (2.1 %)")


VAT_PERCENT = {
    VatRate.STANDARD: Decimal("20.0"),
    VatRate.INTERMEDIATE: Decimal("10.0"),
    VatRate.REDUCED: Decimal("5.5"),
    VatRate.SUPER_REDUCED: Decimal("2.1"),
}


class Category(BumpsVersionsOnSave):
    """A node of the category tree. Its price bounds, in percent of a variant's recommended
    retail price, frame the prices stores may set, unless the variant has bounds of its own;
    a category without bounds inherits its parent's."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    description = models.TextField(_("description"), blank=True)
    min_price_percent = models.DecimalField(
        _("lowest store price (% of RRP)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_price_percent = models.DecimalField(
        _("highest store price (% of RRP)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_price_percent__isnull=True)
                | Q(max_price_percent__isnull=True)
                | Q(min_price_percent__lte=models.F("max_price_percent")),
                name="category_price_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProductQuerySet(models.QuerySet):
    def published(self) -> ProductQuerySet:
        return self.filter(status=Product.Status.PUBLISHED)


class WithdrawalExemption(models.TextChoices):
    """The grounds of Code de la consommation art. L221-28 that apply to goods."""

    PERSONALISED = "personalised", _("Made to the customer's specifications or personalised")
    PERISHABLE = "perishable", _("Liable to deteriorate or expire rapidly")
    SEALED_HYGIENE = "sealed_hygiene", _("Sealed for health or hygiene, unsealed after delivery")
    SEALED_MEDIA = "sealed_media", _("Sealed audio, video or software, unsealed after delivery")
    MIXED = "mixed", _("Inseparably mixed with other items after delivery")
    NEWSPAPER = "newspaper", _("Newspaper, periodical or magazine")


class Product(BumpsVersionsOnSave):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    vat_rate = models.CharField(
        _("VAT rate"), max_length=20, choices=VatRate.choices, default=VatRate.STANDARD
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Product safety (GPSR art. 19, DSA art. 31): what the listing must show, held by HQ before
    # the product is published (catalog.states refuses the move while one is blank). db_default:
    # the bench generator COPYs products without these columns.
    manufacturer_name = models.CharField(
        _("manufacturer"), max_length=200, blank=True, db_default=""
    )
    manufacturer_address = models.CharField(
        _("manufacturer's postal address"), max_length=300, blank=True, db_default=""
    )
    manufacturer_contact = models.CharField(
        _("manufacturer's e-mail or website"), max_length=200, blank=True, db_default=""
    )
    eu_responsible_person = models.CharField(
        _("EU responsible person"),
        max_length=400,
        blank=True,
        db_default="",
        help_text=_(
            "Name, postal address and e-mail of the economic operator established in the EU "
            "who is responsible for the product (the manufacturer itself when it is in the EU)."
        ),
    )
    product_identifier = models.CharField(
        _("type, batch or model identifier"), max_length=100, blank=True, db_default=""
    )
    safety_information = models.TextField(
        _("warnings and safety information"),
        blank=True,
        db_default="",
        help_text=_("In French, as on the product or its packaging."),
    )
    # The right of withdrawal (Code de la consommation, art. L221-28): HQ flags a product the
    # law exempts; its lines then have no withdrawal period (fulfillment/withdrawal.py).
    withdrawal_exempt = models.BooleanField(
        _("exempt from the right of withdrawal"), default=False, db_default=False
    )
    withdrawal_exemption = models.CharField(
        _("ground of the exemption"),
        max_length=30,
        choices=WithdrawalExemption.choices,
        blank=True,
        db_default="",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            # Category listing pages: published products of a category, by name.
            models.Index(fields=["category", "status", "name"], name="product_listing_idx"),
            # The storefront's search: only published products, however many drafts the PIM
            # holds (catalog.selectors.search_products).
            models.Index(
                fields=["name"],
                condition=Q(status="published"),
                name="product_published_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.withdrawal_exempt and not self.withdrawal_exemption:
            raise ValidationError(
                {"withdrawal_exemption": _("Say on which ground the product is exempt.")}
            )
        if not self.withdrawal_exempt:
            self.withdrawal_exemption = ""

    def missing_safety_fields(self) -> list[str]:
        """The product-safety fields still blank, in SAFETY_FIELDS order."""
        return [name for name in SAFETY_FIELDS if not str(getattr(self, name) or "").strip()]


# What a product must hold before it is published (GPSR art. 19 via DSA art. 31), in the order
# a message lists them; the catalogue import's columns bear the same names.
SAFETY_FIELDS = (
    "manufacturer_name",
    "manufacturer_address",
    "manufacturer_contact",
    "eu_responsible_person",
    "product_identifier",
    "safety_information",
)


class ProductImage(BumpsVersionsOnSave):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    file = models.FileField(_("image"), upload_to="products/")
    alt = models.CharField(_("alternative text"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return self.alt or self.file.name


class Variant(BumpsVersionsOnSave):
    """A sellable item: one SKU, one GTIN, option values such as size and colour.

    Prices are integer cents, VAT included. `min_price_cents`/`max_price_cents` are HQ's bounds
    for store prices of this variant; when both are empty the category's bounds apply.
    """

    # Its recommended price and HQ's reductions are prices shown on listings.
    cache_versions = (cache.CATALOGUE, cache.PRICES)

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product")
    )
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    gtin = models.CharField(
        _("GTIN / EAN"),
        max_length=14,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_gtin],
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    rrp_cents = models.BigIntegerField(_("recommended retail price"))
    min_price_cents = models.BigIntegerField(_("lowest store price"), null=True, blank=True)
    max_price_cents = models.BigIntegerField(_("highest store price"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))
    is_active = models.BooleanField(_("active"), default=True)
    # HQ announcing a reduction of its own price (the RRP, used for home delivery): shown as
    # reduced, against the lowest price of the 30 days before `promotion_started_at` (Omnibus).
    promotion_started_at = models.DateTimeField(
        _("reduction announced since"),
        null=True,
        blank=True,
        help_text=_(
            "Set to show the price as reduced; the reference is the lowest price of the "
            "30 days before this moment."
        ),
    )
    promotion_ends_at = models.DateTimeField(_("reduction ends"), null=True, blank=True)

    class Meta:
        ordering = ["product", "position", "sku"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.CheckConstraint(condition=Q(rrp_cents__gt=0), name="variant_rrp_positive"),
            models.CheckConstraint(
                condition=Q(min_price_cents__isnull=True)
                | Q(max_price_cents__isnull=True)
                | Q(min_price_cents__lte=models.F("max_price_cents")),
                name="variant_price_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        label = " / ".join(str(value) for value in self.options.values())
        return f"{self.product.name} ({label})" if label else self.product.name

    @property
    def option_label(self) -> str:
        return " / ".join(str(value) for value in self.options.values())


class PriceHistory(BumpsVersionsOnSave):
    """A price applied from `started_at` until the next row of the same seller: HQ's own price
    (the RRP, `store_id` empty) or a store's offer price (its effective price: the RRP when the
    store sells at it). Every service that changes a price writes one; the Omnibus reference of
    a reduction (the lowest price of the 30 days before it) is read from these rows.

    `store_id` is a stores.Store without a foreign key: the catalogue sits below the stores in
    the dependency order (stores are archived, never deleted)."""

    cache_versions = (cache.PRICES,)

    variant = models.ForeignKey(
        Variant,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("variant"),
    )
    store_id = models.BigIntegerField(_("store"), null=True, blank=True)
    price_cents = models.BigIntegerField(_("price"))
    started_at = models.DateTimeField(_("applied from"), default=timezone.now)
    source = models.CharField(_("source"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("price history")
        verbose_name_plural = _("price history")
        indexes = [
            # "The prices of this seller's offer of this variant around a moment": one range scan
            # per offer in stores.selectors.price_reductions (HQ's rows have store 0 here).
            models.Index(
                F("variant"),
                Coalesce("store_id", Value(0)),
                F("started_at"),
                name="price_history_by_offer",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price_cents__gt=0), name="price_history_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}@{self.store_id or 'HQ'} {self.price_cents} {self.started_at}"
