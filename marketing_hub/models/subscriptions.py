"""Digital packs as monthly subscriptions (Google Business Profile, local ads, social posts):
HQ's plans, the stores' subscriptions, what each period billed (one row per subscription and
period: the billing job's idempotency) and the deliverables each pack produces."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import StatusEvent
from network_marketplace.storage import marketing_storage

from .catalogue import MarketingItem


def _feed_token() -> str:
    return secrets.token_urlsafe(24)


class SubscriptionPlan(models.Model):
    class Pack(models.TextChoices):
        GBP = "gbp", _("Google Business Profile")
        LOCAL_ADS = "local_ads", _("Local ads")
        SOCIAL_POSTS = "social_posts", _("Social posts")

    item = models.ForeignKey(
        MarketingItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
        limit_choices_to={"kind": "digital_pack"},
        verbose_name=_("item"),
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    pack = models.CharField(_("pack"), max_length=20, choices=Pack.choices)
    description = models.TextField(_("description"), blank=True)
    includes = models.JSONField(_("what it includes"), default=list, blank=True)
    price_cents = models.PositiveIntegerField(_("price per month excl. VAT"))
    vat_rate_bp = models.PositiveIntegerField(_("VAT rate"), default=2000)
    minimum_commitment_months = models.PositiveSmallIntegerField(
        _("minimum commitment (months)"), default=0
    )
    notice_days = models.PositiveSmallIntegerField(_("notice (days)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pack", "price_cents"]
        verbose_name = _("digital pack plan")
        verbose_name_plural = _("digital pack plans")

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CANCELLING = "cancelling", _("Ends at notice")
        ENDED = "ended", _("Ended")

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        related_name="marketing_subscriptions",
        verbose_name=_("store"),
    )
    plan = models.ForeignKey(
        SubscriptionPlan,
        on_delete=models.PROTECT,
        related_name="subscriptions",
        verbose_name=_("plan"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    started_on = models.DateField(_("started on"))
    commitment_ends_on = models.DateField(_("commitment ends on"), null=True, blank=True)
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # A downgrade after the commitment: the plan billed from `next_plan_from` (a 1st of month).
    next_plan = models.ForeignKey(
        SubscriptionPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("next plan"),
    )
    next_plan_from = models.DateField(_("next plan from"), null=True, blank=True)
    # The SHA-256 of the secret of its public local inventory feed URL (the secret itself is
    # shown once, to the store, when made): a leaked database does not leak the feeds.
    feed_token = models.CharField(
        max_length=64, unique=True, default=_feed_token, verbose_name=_("feed token")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("subscribed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["store", "-started_on"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "plan"],
                condition=~Q(status="ended"),
                name="subscription_one_live_per_store_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.store_id}"


class SubscriptionEvent(StatusEvent):
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("subscription"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("subscription event")
        verbose_name_plural = _("subscription events")


class SubscriptionCharge(models.Model):
    """What one period of one subscription billed (or a plan change's proration): unique per
    subscription, period and kind, so a rerun of the billing job bills nothing twice."""

    class Kind(models.TextChoices):
        PERIOD = "period", _("Monthly fee")
        PRORATION = "proration", _("Plan change (prorated)")

    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.PROTECT,
        related_name="charges",
        verbose_name=_("subscription"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERIOD)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    amount_excl_vat_cents = models.BigIntegerField(_("amount excl. VAT"))
    vat_rate_bp = models.PositiveIntegerField(_("VAT rate"))
    reference = models.CharField(_("reference"), max_length=80, unique=True)
    invoice = models.ForeignKey(
        "payments.Invoice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invoice"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["subscription", "period_start"]
        verbose_name = _("subscription charge")
        verbose_name_plural = _("subscription charges")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "kind", "period_start"], name="subscription_billed_once"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Deliverable(models.Model):
    """A file a pack produced for a store (GBP sheet, local inventory feed, campaign brief,
    social calendar), regenerated when its source changes (`source_digest`)."""

    class Kind(models.TextChoices):
        GBP_SHEET = "gbp_sheet", _("Google Business Profile sheet")
        LOCAL_INVENTORY = "local_inventory", _("Local inventory feed")
        CAMPAIGN_BRIEF = "campaign_brief", _("Local ads campaign brief")
        SOCIAL_CALENDAR = "social_calendar", _("Social posts calendar")

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="marketing_deliverables",
        verbose_name=_("store"),
    )
    subscription = models.ForeignKey(
        Subscription,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
        verbose_name=_("subscription"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    period_start = models.DateField(_("period"))
    file = models.FileField(_("file"), upload_to="deliverables/", storage=marketing_storage)
    # The same content in a second format (the GBP sheet as CSV beside its XLSX).
    extra_file = models.FileField(
        _("second format"), upload_to="deliverables/", storage=marketing_storage, blank=True
    )
    source_digest = models.CharField(max_length=64, blank=True, verbose_name=_("source digest"))
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        ordering = ["store", "kind", "-period_start"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "kind", "period_start"], name="deliverable_unique_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.store_id} · {self.period_start}"


class SocialPostTemplate(models.Model):
    """HQ's post for a month: an image and a text with placeholders ({store}, {city},
    {product}, {price}) filled per store."""

    month = models.DateField(_("month"))
    day = models.PositiveSmallIntegerField(_("day of month"), default=1)
    title = models.CharField(_("title"), max_length=150)
    image = models.ImageField(_("image"), upload_to="marketing/social/", blank=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["month", "day", "id"]
        verbose_name = _("social post template")
        verbose_name_plural = _("social post templates")

    def __str__(self) -> str:
        return self.title
