"""What HQ approves for the brand: items (print, goodies, digital packs), their price tiers,
campaigns, suppliers, the designer's artwork with the fields a store may fill, and the proofs
the hub stamps for a store (every proof a version, kept byte for byte)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network_marketplace.storage import marketing_storage


class Supplier(models.Model):
    """A printer or goodies maker: gets each approved line with its print file, marks it produced
    and shipped (through its login, or its API key)."""

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("orders e-mail"))
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="marketing_suppliers",
        verbose_name=_("supplier logins"),
    )
    # The API key is shown once; only its prefix (to find it) and its hash are kept.
    api_key_prefix = models.CharField(_("API key prefix"), max_length=12, blank=True, db_index=True)
    api_key_hash = models.CharField(max_length=128, blank=True, verbose_name=_("api key hash"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """A national campaign ("Printemps au jardin 2027"): groups items, dates co-funding rules and
    the dashboard's before/during comparison of the stores' sales."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MarketingItem(models.Model):
    """One thing a store may order: a print item, a goodie or a digital pack. Editing it never
    changes what was ordered: an order line keeps its own copy of price, VAT and artwork."""

    class Kind(models.TextChoices):
        PRINT = "print", pgettext_lazy("marketing item kind", "Print")
        GOODIES = "goodies", _("Goodies")
        DIGITAL_PACK = "digital_pack", _("Digital pack")

    class PrintFormat(models.TextChoices):
        FLYER = "flyer", _("Flyer")
        POSTER = "poster", _("Poster")
        LEAFLET = "leaflet", _("Leaflet")
        PLV = "plv", _("PLV display")
        BANNER = "banner", _("Banner")
        ROLLUP = "rollup", _("Roll-up")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    print_format = models.CharField(
        _("format"), max_length=20, choices=PrintFormat.choices, blank=True
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    vat_rate_bp = models.PositiveIntegerField(
        _("VAT rate"), default=2000, validators=[MaxValueValidator(10000)]
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=5)
    supplier = models.ForeignKey(
        Supplier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("supplier"),
    )
    # Who may order it: franchises, branches, and/or a list of stores.
    for_franchises = models.BooleanField(_("franchises may order"), default=True)
    for_branches = models.BooleanField(_("branches may order"), default=True)
    for_stores = models.ManyToManyField(
        "stores.Store",
        blank=True,
        related_name="+",
        verbose_name=_("also these stores"),
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        verbose_name=_("campaign"),
    )
    orderable_from = models.DateField(_("orderable from"), null=True, blank=True)
    orderable_until = models.DateField(_("orderable until"), null=True, blank=True)
    # Options a store chooses (goodies: {"size": ["S", "M", "L"]}).
    options = models.JSONField(_("options"), default=dict, blank=True)
    # Approval rules: auto-approved when only store fields change, unless one of these applies.
    always_review = models.BooleanField(_("always review"), default=False)
    review_above_quantity = models.PositiveIntegerField(
        _("review above quantity"), null=True, blank=True
    )
    review_above_amount_cents = models.PositiveIntegerField(
        _("review above amount excl. VAT"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("marketing item")
        verbose_name_plural = _("marketing items")
        constraints = [
            models.CheckConstraint(
                condition=Q(orderable_until__isnull=True)
                | Q(orderable_from__isnull=True)
                | Q(orderable_until__gte=models.F("orderable_from")),
                name="marketing_item_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.name}"


class ItemPicture(models.Model):
    item = models.ForeignKey(
        MarketingItem, on_delete=models.CASCADE, related_name="pictures", verbose_name=_("item")
    )
    image = models.ImageField(_("picture"), upload_to="marketing/items/")
    alt = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self) -> str:
        return self.alt or str(self.image.name)


class PriceTier(models.Model):
    """A quantity a store may order and its price (250 flyers: 39 €): quantities outside the
    tiers are refused."""

    item = models.ForeignKey(
        MarketingItem, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("item")
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    price_cents = models.PositiveIntegerField(_("price excl. VAT"))

    class Meta:
        ordering = ["item", "quantity"]
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        constraints = [
            models.UniqueConstraint(fields=["item", "quantity"], name="price_tier_unique_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} · {self.price_cents}"


class Artwork(models.Model):
    """One version of the designer's print-ready PDF (with bleed) for an item, and its fields.
    A new upload is a new version; proofs and order lines keep the version they were made on."""

    item = models.ForeignKey(
        MarketingItem, on_delete=models.CASCADE, related_name="artworks", verbose_name=_("item")
    )
    version = models.PositiveIntegerField(_("version"))
    pdf = models.FileField(_("print-ready PDF"), upload_to="artwork/", storage=marketing_storage)
    pdf_sha256 = models.CharField(_("PDF fingerprint (SHA-256)"), max_length=64, blank=True)
    page_count = models.PositiveSmallIntegerField(_("pages"), default=1)
    # Per page: {"media": [w, h], "trim": [x0, y0, x1, y1], "bleed": [...]}, in mm.
    pages = models.JSONField(_("page boxes"), default=list, blank=True)
    is_current = models.BooleanField(_("current version"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["item", "-version"]
        verbose_name = _("artwork")
        verbose_name_plural = _("artworks")
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="artwork_unique_version"),
            models.UniqueConstraint(
                fields=["item"], condition=Q(is_current=True), name="artwork_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.reference} v{self.version}"


class ArtworkField(models.Model):
    """A box on a page of the artwork that the hub fills for a store. Positions are in mm from
    the page's bottom-left corner (PDF's origin), on the designer's page (bleed included)."""

    class Kind(models.TextChoices):
        STORE_NAME = "store_name", _("Store name")
        STORE_ADDRESS = "store_address", _("Store address")
        STORE_PHONE = "store_phone", _("Store phone")
        STORE_HOURS = "store_hours", _("Opening hours")
        STORE_URL_QR = "store_url_qr", _("Store page (QR code)")
        STORE_LOGO = "store_logo", _("Store logo")
        STORE_PHOTO = "store_photo", _("Store photo")
        FREE_TEXT = "free_text", _("Free text")
        PRODUCT = "product", _("Product and price")

    class Align(models.TextChoices):
        LEFT = "left", _("Left")
        CENTER = "center", _("Centre")
        RIGHT = "right", _("Right")

    artwork = models.ForeignKey(
        Artwork, on_delete=models.CASCADE, related_name="fields", verbose_name=_("artwork")
    )
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    page = models.PositiveSmallIntegerField(_("page"), default=1, validators=[MinValueValidator(1)])
    x_mm = models.DecimalField(_("x (mm)"), max_digits=7, decimal_places=2)
    y_mm = models.DecimalField(_("y (mm)"), max_digits=7, decimal_places=2)
    width_mm = models.DecimalField(_("width (mm)"), max_digits=7, decimal_places=2)
    height_mm = models.DecimalField(_("height (mm)"), max_digits=7, decimal_places=2)
    font = models.CharField(_("font"), max_length=60, blank=True)
    size_min_pt = models.DecimalField(
        _("minimum size (pt)"), max_digits=5, decimal_places=1, default=6
    )
    size_max_pt = models.DecimalField(
        _("maximum size (pt)"), max_digits=5, decimal_places=1, default=14
    )
    colour = models.CharField(_("colour"), max_length=20, default="#000000")
    align = models.CharField(
        _("alignment"), max_length=10, choices=Align.choices, default=Align.LEFT
    )
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)
    editable = models.BooleanField(_("store may edit"), default=False)
    default_text = models.CharField(_("default text"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["artwork", "page", "position", "id"]
        verbose_name = _("artwork field")
        verbose_name_plural = _("artwork fields")
        constraints = [
            models.UniqueConstraint(fields=["artwork", "key"], name="artwork_field_unique_key"),
            models.CheckConstraint(
                condition=Q(width_mm__gt=0, height_mm__gt=0, x_mm__gte=0, y_mm__gte=0),
                name="artwork_field_box_positive",
            ),
            models.CheckConstraint(
                condition=Q(size_max_pt__gte=models.F("size_min_pt")),
                name="artwork_field_sizes_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.artwork} · {self.label}"


class Proof(models.Model):
    """One stamped version of an artwork for a store: the values the store gave, the PDF the hub
    made (sent to print byte for byte when approved) and its page previews. Never edited: a
    change is a new proof."""

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        related_name="marketing_proofs",
        verbose_name=_("store"),
    )
    artwork = models.ForeignKey(
        Artwork, on_delete=models.PROTECT, related_name="proofs", verbose_name=_("artwork")
    )
    number = models.PositiveIntegerField(_("version"))
    values = models.JSONField(_("values"), default=dict)
    # What was printed, resolved at stamping (prices, Omnibus line, fonts and sizes used).
    rendered = models.JSONField(_("rendered"), default=dict, blank=True)
    uses_free_text = models.BooleanField(_("free text used"), default=False)
    pdf = models.FileField(_("proof PDF"), upload_to="proofs/", storage=marketing_storage)
    pdf_sha256 = models.CharField(_("PDF fingerprint (SHA-256)"), max_length=64)
    previews = models.JSONField(_("page previews"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proof")
        verbose_name_plural = _("proofs")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "artwork", "number"], name="proof_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.artwork} · {self.store} · #{self.number}"
