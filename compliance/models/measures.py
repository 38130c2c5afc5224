"""Measures HQ takes on a store's content, a store or an account, and their statements of
reasons (DSA art. 17, P2B art. 4). compliance.services.measures.apply_measure writes both in one
transaction: a statement exists if and only if a measure took effect."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import StatusEvent

from .notices import IllegalityCategory, Notice, TargetKind


class MeasureKind(models.TextChoices):
    OFFER_DISABLED = "offer_disabled", _("Offer disabled")
    PRODUCT_LISTING_DISABLED = "product_listing_disabled", _("Product listing disabled")
    OFFER_DEMOTED = "offer_demoted", _("Offer demoted")
    STORE_SELLING_SUSPENDED = "store_selling_suspended", _("Store's selling suspended")
    # HQ's scorecard consequence: the store ships no home delivery (P2B art. 4 restriction);
    # it still sells, for click & collect and reserve & collect.
    HOME_DELIVERY_SUSPENDED = "home_delivery_suspended", _("Store out of home-delivery routing")
    PAYOUTS_HELD = "payouts_held", _("Store's payouts held")
    ACCOUNT_SUSPENDED = "account_suspended", _("Account suspended")
    # The store leaves the network for good (P2B art. 4(1): 30 days' notice, kept by the caller).
    STORE_TERMINATED = "store_terminated", _("Store terminated")
    # A warning restricts nothing, but is a decision with its reasons (misuse, art. 23).
    WARNING = "warning", _("Warning")


class MeasureSource(models.TextChoices):
    """Why HQ looked at the content: the statement's "source" (art. 17(3)(b))."""

    NOTICE = "notice", _("Notice (art. 16)")
    TRUSTED_FLAGGER = "trusted_flagger", _("Trusted flagger's notice (art. 22)")
    OWN_INITIATIVE = "own_initiative", _("HQ's own initiative")
    MISUSE = "misuse", _("Misuse (art. 23)")
    TRADER_DATA = "trader_data", _("Trader traceability (art. 30)")
    P2B = "p2b", _("Platform-to-business terms (P2B art. 4)")
    COMPLAINT = "complaint", _("Internal complaint (art. 20)")


# Which target each kind applies to.
KIND_TARGET: dict[str, str] = {
    MeasureKind.OFFER_DISABLED: TargetKind.OFFER,
    MeasureKind.OFFER_DEMOTED: TargetKind.OFFER,
    MeasureKind.PRODUCT_LISTING_DISABLED: TargetKind.PRODUCT,
    MeasureKind.STORE_SELLING_SUSPENDED: TargetKind.STORE,
    MeasureKind.HOME_DELIVERY_SUSPENDED: TargetKind.STORE,
    MeasureKind.PAYOUTS_HELD: TargetKind.STORE,
    MeasureKind.STORE_TERMINATED: TargetKind.STORE,
    MeasureKind.ACCOUNT_SUSPENDED: TargetKind.ACCOUNT,
}


class Measure(models.Model):
    """One restriction in force (or lifted). Lifecycle compliance.states.MEASURE_LIFECYCLE:
    active -> lifted (HQ, an upheld complaint) or expired (its end date passed)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In force")
        LIFTED = "lifted", _("Lifted")
        EXPIRED = "expired", _("Expired")

    kind = models.CharField(_("measure"), max_length=40, choices=MeasureKind.choices)
    source = models.CharField(_("source"), max_length=30, choices=MeasureSource.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    target_kind = models.CharField(_("applies to"), max_length=20, choices=TargetKind.choices)
    target_id = models.BigIntegerField(_("target id"))
    # The store whose content or business it restricts (None: a customer's account).
    store = models.ForeignKey(
        "stores.Store",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compliance_measures",
        verbose_name=_("store"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compliance_measures",
        verbose_name=_("account"),
    )
    notice = models.ForeignKey(
        Notice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("notice"),
    )
    # What lifting must restore (a product's status before, a store's).
    restore = models.JSONField(default=dict, blank=True, verbose_name=_("restocked"))
    started_at = models.DateTimeField(_("in force since"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.CharField(_("why lifted"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    actor_label = models.CharField(_("by"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [
            # "Is another measure of this kind still holding this target?" (lifting one).
            models.Index(fields=["kind", "target_id", "status"], name="measure_target_idx"),
            models.Index(fields=["store", "-started_at"], name="measure_store_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("started_at")),
                name="measure_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class MeasureEvent(StatusEvent):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="events", verbose_name=_("measure")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("measure event")
        verbose_name_plural = _("measure events")


class StatementOfReasons(models.Model):
    """The reasons of one measure, as art. 17(3) lists them; sent to the store or user when the
    measure takes effect, shown in the store's back-office, exported (without personal data)
    to the Commission's transparency database (compliance.transparency_db)."""

    class AutomatedDecision(models.TextChoices):
        NOT_AUTOMATED = "not_automated", _("Not automated")
        PARTIALLY = "partially", _("Partially automated")
        FULLY = "fully", _("Fully automated")

    measure = models.OneToOneField(
        Measure, on_delete=models.PROTECT, related_name="statement", verbose_name=_("measure")
    )
    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    territorial_scope = models.JSONField(_("territorial scope"), default=list)
    facts = models.TextField(_("facts and circumstances"))
    category = models.CharField(
        _("category"), max_length=40, choices=IllegalityCategory.choices, blank=True
    )
    legal_ground = models.TextField(_("legal ground (illegal content)"), blank=True)
    terms_clause = models.TextField(_("terms clause (incompatible content)"), blank=True)
    automated_detection = models.BooleanField(_("automated detection"), default=False)
    automated_decision = models.CharField(
        _("automated decision"),
        max_length=20,
        choices=AutomatedDecision.choices,
        default=AutomatedDecision.NOT_AUTOMATED,
    )
    redress = models.TextField(_("redress"))
    # The stores that see the statement in their back-office (the store restricted; for a
    # product listing, every store that offered it).
    affected_stores = models.ManyToManyField(
        "stores.Store",
        related_name="statements_of_reasons",
        blank=True,
        verbose_name=_("affected stores"),
    )
    recipients = models.JSONField(_("sent to"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The transparency database (art. 24(5)): when it accepted the statement, its id there.
    transparency_submitted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("transparency submitted at")
    )
    transparency_id = models.CharField(
        max_length=100, blank=True, verbose_name=_("transparency id")
    )
    transparency_error = models.CharField(
        max_length=500, blank=True, verbose_name=_("transparency error")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("statement of reasons")
        verbose_name_plural = _("statements of reasons")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_ground="") | ~models.Q(terms_clause=""),
                name="statement_has_a_ground",
            ),
        ]
        indexes = [
            models.Index(
                fields=["transparency_submitted_at", "id"], name="statement_transparency_idx"
            ),
        ]

    def __str__(self) -> str:
        return str(self.uuid)
