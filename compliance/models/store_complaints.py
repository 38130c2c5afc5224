"""Stores' complaints to HQ (P2B art. 11) and the mediators named in the terms (art. 12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network_marketplace.models import StatusEvent


class Mediator(models.Model):
    """A mediator HQ names in the stores' terms (art. 12): shown to stores with the terms and
    on the complaint pages."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.CharField(_("languages"), max_length=100, default="fr")
    is_active = models.BooleanField(_("named in the terms"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class StoreComplaint(models.Model):
    """A store's complaint (the internal complaint-handling system of P2B art. 11): opened in
    the back-office, answered by HQ in admin before `due_at`, closed with an outcome."""

    class Kind(models.TextChoices):
        REGULATION_BREACH = "regulation_breach", _("HQ did not comply with the P2B regulation")
        TECHNICAL = "technical", _("Technical issue with the platform")
        HQ_CONDUCT = "hq_conduct", _("HQ's conduct or a measure it took")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("store complaint status", "Open")
        IN_PROGRESS = "in_progress", _("Being handled")
        CLOSED = "closed", pgettext_lazy("store complaint status", "Closed")

    class Outcome(models.TextChoices):
        NONE = "", _("Not decided")
        UPHELD = "upheld", _("Upheld")
        PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn by the store")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="p2b_complaints",
        verbose_name=_("store"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    occurred_on = models.DateField(_("date of the facts"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, default=""
    )
    outcome_note = models.TextField(_("decision and reasons"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_by_label = models.CharField(_("opened by"), max_length=200)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    due_at = models.DateTimeField(_("answer due by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    handled_by_label = models.CharField(_("handled by"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("store complaint")
        verbose_name_plural = _("store complaints")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True, outcome="")),
                name="store_complaint_closed_with_outcome_date",
            ),
        ]
        indexes = [
            # HQ's queue: the open complaints, oldest deadline first.
            models.Index(fields=["status", "due_at"], name="store_complaint_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.subject}"


class StoreComplaintMessage(models.Model):
    """One message of a complaint's thread, from the store or from HQ."""

    complaint = models.ForeignKey(
        StoreComplaint,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("complaint"),
    )
    from_hq = models.BooleanField(_("from HQ"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    author_label = models.CharField(_("author"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint.reference} · {self.author_label}"


class StoreComplaintEvent(StatusEvent):
    complaint = models.ForeignKey(
        StoreComplaint, on_delete=models.CASCADE, related_name="events", verbose_name=_("complaint")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")
