"""Misuse of the service (DSA art. 23): what HQ marked, per account, as manifestly illegal
content (a store) or a manifestly unfounded notice or complaint (a notifier's e-mail, a store or
a user), and the suspensions of notice handling for a notifier who has no account.

Each row is one decision HQ took on one record (a notice, a complaint, a measure): marking it
twice counts once. compliance.services.misuse counts them against HQ's thresholds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MisuseKind(models.TextChoices):
    ILLEGAL_CONTENT = "illegal_content", _("Manifestly illegal content")
    UNFOUNDED_NOTICE = "unfounded_notice", _("Manifestly unfounded notice")
    UNFOUNDED_COMPLAINT = "unfounded_complaint", _("Manifestly unfounded complaint")


class MisuseRecord(models.Model):
    """One manifest case, held against one account: a store, a user, or a notifier's e-mail
    (lower case) when there is no account."""

    kind = models.CharField(_("kind"), max_length=30, choices=MisuseKind.choices)
    store = models.ForeignKey(
        "stores.Store",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("store"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("notifier's e-mail"), blank=True)
    # What HQ decided on: "notice:12", "complaint:3", "measure:7" (one mark per record).
    source = models.CharField(_("decided on"), max_length=60)
    note = models.CharField(_("note"), max_length=300, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        ordering = ["-marked_at", "-id"]
        verbose_name = _("misuse record")
        verbose_name_plural = _("misuse records")
        constraints = [
            models.UniqueConstraint(fields=["kind", "source"], name="misuse_once_per_record"),
            models.CheckConstraint(
                condition=Q(store__isnull=False) | Q(user__isnull=False) | ~Q(email=""),
                name="misuse_has_an_account",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "kind", "marked_at"], name="misuse_store_idx"),
            models.Index(fields=["email", "kind", "marked_at"], name="misuse_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.source}"


class NotifierSuspension(models.Model):
    """Notices and complaints from this e-mail are not handled until `ends_at` (art. 23(2)),
    whether or not the notifier has an account: what is suspended is the handling of what they
    send, not their use of the shop."""

    email = models.EmailField(_("notifier's e-mail"))
    # The misuse that crossed the threshold: unfounded notices or unfounded complaints.
    kind = models.CharField(_("kind"), max_length=30, choices=MisuseKind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reasons = models.TextField(_("reasons"))
    decided_by_label = models.CharField(_("decided by"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("notifier suspension")
        verbose_name_plural = _("notifier suspensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="notifier_suspension_ends"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.ends_at:%Y-%m-%d}"
