"""Notices of illegal content (DSA art. 16) and the trusted flaggers whose notices go first
(art. 22). A notice keeps the reported content as it was when received (`snapshot`): what HQ
decides on, whatever the store changes afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import StatusEvent


class IllegalityCategory(models.TextChoices):
    """What the notifier says is illegal: the transparency database's statement categories
    (the export maps each to its `STATEMENT_CATEGORY_*`), plus child sexual abuse, the one
    category a notice may be sent for without an e-mail address (art. 16(2)(c))."""

    UNSAFE_PRODUCTS = "unsafe_products", _("Unsafe or illegal product")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("Counterfeit or intellectual property")
    SCAMS_AND_FRAUD = "scams_and_fraud", _("Scam or fraud")
    CONSUMER_INFORMATION = "consumer_information", _("Misleading consumer information")
    DATA_PROTECTION = "data_protection", _("Data protection or privacy violation")
    ILLEGAL_SPEECH = "illegal_speech", _("Illegal or hateful speech")
    PROTECTION_OF_MINORS = "protection_of_minors", _("Protection of minors")
    CHILD_SEXUAL_ABUSE = "child_sexual_abuse", _("Child sexual abuse material")
    ANIMAL_WELFARE = "animal_welfare", _("Animal welfare")
    PUBLIC_SECURITY = "public_security", _("Risk for public security")
    VIOLENCE = "violence", _("Violence")
    OTHER = "other", _("Other illegal content")


class TargetKind(models.TextChoices):
    """What a notice or a measure is about: one store's offer of a variant (a stock level), a
    product listing (every store's), a store, or a user account."""

    OFFER = "offer", _("Offer of a store")
    PRODUCT = "product", _("Product listing")
    STORE = "store", _("Store")
    ACCOUNT = "account", _("User account")


class TrustedFlagger(models.Model):
    """An entity awarded trusted flagger status (art. 22) by a Digital Services Coordinator:
    HQ keeps the list; their notices are queued first. Matched by the notifier's e-mail."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), unique=True)
    awarded_by = models.CharField(_("awarded by"), max_length=200, blank=True)
    expertise = models.CharField(_("area of expertise"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("trusted flagger")
        verbose_name_plural = _("trusted flaggers")

    def __str__(self) -> str:
        return self.name


class Notice(models.Model):
    """A notice of illegal content. Lifecycle in compliance.states.NOTICE_LIFECYCLE:
    received -> in review -> action taken (a measure, through apply_measure) or no action."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_REVIEW = "in_review", _("In review")
        ACTION_TAKEN = "action_taken", _("Action taken")
        NO_ACTION = "no_action", _("No action")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    received_at = models.DateTimeField(_("received at"))
    deadline_at = models.DateTimeField(_("decide by"))
    notifier_name = models.CharField(_("notifier's name"), max_length=200, blank=True)
    notifier_email = models.EmailField(_("notifier's e-mail"), blank=True)
    notifier_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("notifier's account"),
    )
    trusted_flagger = models.ForeignKey(
        TrustedFlagger,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
        verbose_name=_("trusted flagger"),
    )
    category = models.CharField(
        _("category of illegality"), max_length=40, choices=IllegalityCategory.choices
    )
    explanation = models.TextField(_("why it is illegal"))
    urls = models.JSONField(_("URLs"), default=list)
    target_kind = models.CharField(_("reported content"), max_length=20, choices=TargetKind.choices)
    target_id = models.BigIntegerField(_("content id"), null=True, blank=True)
    store = models.ForeignKey(
        "stores.Store",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("store concerned"),
    )
    good_faith = models.BooleanField(_("good-faith statement"), default=False)
    snapshot = models.JSONField(_("content as reported"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_text = models.TextField(_("decision"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["received_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            # HQ's queue: open notices, trusted flaggers' first, oldest first.
            models.Index(fields=["status", "received_at"], name="notice_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(notifier_email="") | models.Q(category="child_sexual_abuse"),
                name="notice_email_unless_csam",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.RECEIVED, self.Status.IN_REVIEW}


class NoticeEvent(StatusEvent):
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="events", verbose_name=_("notice")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("notice event")
        verbose_name_plural = _("notice events")
