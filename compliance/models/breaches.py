"""The register of personal data breaches (GDPR art. 33(5)): every breach, notified or not,
with its facts, effects and the remedial action taken, so that the CNIL can check compliance.

The notification to the CNIL is due within BREACH_NOTIFICATION_HOURS (72) of becoming aware
(art. 33(1)); a decision not to notify (no risk to people) is written with its reason. Edits go
through compliance.services.breaches, which leaves an audit row for each.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Breach(models.Model):
    detected_at = models.DateTimeField(_("detected at"), help_text=_("When HQ became aware."))
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    nature = models.TextField(_("nature of the breach"))
    data_categories = models.TextField(_("categories of personal data"))
    people_categories = models.TextField(_("categories of people concerned"))
    approx_people = models.PositiveIntegerField(_("approximate number of people"), default=0)
    approx_records = models.PositiveIntegerField(_("approximate number of records"), default=0)
    likely_consequences = models.TextField(_("likely consequences"))
    measures = models.TextField(_("measures taken or proposed"))
    notified_to_cnil_at = models.DateTimeField(_("notified to the CNIL at"), null=True, blank=True)
    cnil_reference = models.CharField(_("CNIL reference"), max_length=100, blank=True)
    late_notification_reason = models.TextField(
        _("reasons for a notification after 72 hours"), blank=True
    )
    people_informed_at = models.DateTimeField(_("people informed at"), null=True, blank=True)
    not_notified = models.BooleanField(
        _("decision not to notify"),
        default=False,
        help_text=_("The breach is unlikely to result in a risk to people's rights (art. 33(1))."),
    )
    not_notified_reason = models.TextField(_("why it is not notified"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    recorded_by = models.CharField(_("recorded by"), max_length=200)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")
        constraints = [
            models.CheckConstraint(
                condition=Q(not_notified=False) | ~Q(not_notified_reason=""),
                name="breach_not_notified_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(not_notified=False) | Q(notified_to_cnil_at__isnull=True),
                name="breach_notified_or_not",
            ),
        ]

    def __str__(self) -> str:
        return _("Breach of %(date)s") % {"date": f"{self.detected_at:%d/%m/%Y %H:%M}"}

    @property
    def notification_deadline(self) -> datetime:
        return self.detected_at + timedelta(hours=settings.BREACH_NOTIFICATION_HOURS)

    @property
    def is_settled(self) -> bool:
        """Notified, or decided not to be: the deadline no longer counts."""
        return self.notified_to_cnil_at is not None or self.not_notified


class RecordsOfProcessing(Breach):
    """No table: the admin's entry for the records of processing (art. 30), generated from the
    settings (compliance.records); a proxy so that it has its place and permission in admin."""

    class Meta:
        proxy = True
        verbose_name = _("records of processing (art. 30)")
        verbose_name_plural = _("records of processing (art. 30)")
