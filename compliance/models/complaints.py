"""Internal complaints against HQ's decisions (DSA art. 20): a measure, or a notice's "no action".
Free, online, within the window (settings.DSA_COMPLAINT_WINDOW_DAYS) from being told; a human
decides, and an upheld complaint lifts the measure in the same transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network_marketplace.models import StatusEvent

from .measures import Measure
from .notices import Notice


class Complaint(models.Model):
    """Lifecycle compliance.states.COMPLAINT_LIFECYCLE: received -> upheld or rejected."""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("complaint status", "Received")
        UPHELD = "upheld", pgettext_lazy("complaint status", "Upheld")
        REJECTED = "rejected", pgettext_lazy("complaint status", "Rejected")

    class Complainant(models.TextChoices):
        STORE = "store", _("Affected store")
        USER = "user", _("Affected user")
        NOTIFIER = "notifier", _("Notifier")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    measure = models.ForeignKey(
        Measure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("measure contested"),
    )
    notice = models.ForeignKey(
        Notice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("notice whose decision is contested"),
    )
    complainant = models.CharField(_("from"), max_length=20, choices=Complainant.choices)
    complainant_store = models.ForeignKey(
        "stores.Store",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("complainant store"),
    )
    complainant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("complainant user"),
    )
    contact_email = models.EmailField(_("contact e-mail"))
    text = models.TextField(_("why the decision is wrong"))
    submitted_at = models.DateTimeField(_("submitted at"))
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
        ordering = ["submitted_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(measure__isnull=False) | models.Q(notice__isnull=False),
                name="complaint_contests_a_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ComplaintEvent(StatusEvent):
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="events", verbose_name=_("complaint")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
