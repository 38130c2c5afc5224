"""The transmission of HQ's e-invoices to the certified platform (PDP/PA, the French e-invoicing
reform): one row per invoice or credit note, its status at the platform and their history.
Imported by payments/models.py; written by payments/einvoicing/ only, through the lifecycle of
payments/states.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import StatusEvent

from .invoice_models import Invoice


class EInvoiceTransmission(models.Model):
    """What happened to one invoice's Factur-X at the platform: queued when the invoice is
    issued, sent by the outbox worker, then deposited (the platform took it, with its
    reference) or rejected (with the platform's message)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To be sent")
        DEPOSITED = "deposited", _("Deposited on the platform")
        REJECTED = "rejected", _("Rejected by the platform")

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="einvoice", verbose_name=_("invoice")
    )
    platform = models.CharField(_("platform"), max_length=100)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    platform_reference = models.CharField(_("platform reference"), max_length=100, blank=True)
    message = models.CharField(_("platform message"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("e-invoice transmission")
        verbose_name_plural = _("e-invoice transmissions")

    def __str__(self) -> str:
        return f"{self.invoice} · {self.status}"


class EInvoiceTransmissionEvent(StatusEvent):
    """A transmission's change of status: who, when, from, to, why."""

    transmission = models.ForeignKey(
        EInvoiceTransmission, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("e-invoice transmission event")
        verbose_name_plural = _("e-invoice transmission events")
