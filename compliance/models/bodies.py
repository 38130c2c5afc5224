"""Certified out-of-court dispute settlement bodies (DSA art. 21), the list HQ keeps and every
decision's redress names, and the register of the disputes brought before them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .complaints import Complaint
from .measures import Measure
from .notices import Notice


class OutOfCourtBody(models.Model):
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"))
    email = models.EmailField(_("e-mail"), blank=True)
    certified_by = models.CharField(_("certified by"), max_length=200, blank=True)
    areas = models.CharField(_("areas"), max_length=300, blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    is_active = models.BooleanField(_("listed"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("out-of-court settlement body")
        verbose_name_plural = _("out-of-court settlement bodies")

    def __str__(self) -> str:
        return self.name


class DisputeRecord(models.Model):
    """A dispute a store, user or notifier brought before a body, and how it ended."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        FOR_RECIPIENT = "for_recipient", _("Decided for the complainant")
        FOR_PLATFORM = "for_platform", _("Decided for HQ")
        SETTLED = "settled", _("Settled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Body declined the dispute")

    body = models.ForeignKey(
        OutOfCourtBody, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("body")
    )
    complaint = models.ForeignKey(
        Complaint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
        verbose_name=_("complaint"),
    )
    measure = models.ForeignKey(
        Measure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
        verbose_name=_("measure"),
    )
    notice = models.ForeignKey(
        Notice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
        verbose_name=_("notice"),
    )
    body_reference = models.CharField(_("body's reference"), max_length=100, blank=True)
    opened_at = models.DateField(_("brought on"))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    closed_at = models.DateField(_("closed on"), null=True, blank=True)
    complied_at = models.DateField(_("HQ complied on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("out-of-court dispute")
        verbose_name_plural = _("out-of-court disputes")

    def __str__(self) -> str:
        return f"{self.body} · {self.opened_at}"
