"""The trader's traceability record (DSA art. 30): what a franchise store, as a trader on the
marketplace, gives HQ before and while it sells, beyond the legal identity kept on the store
itself (stores.Store: company, registration number, legal address, contacts).

`TraderCertification` rows are never changed: each certification is a new version with its
text, who certified and when. `TraderEvidence` holds references to the identity and bank
documents HQ checked (never the documents), and is anonymised 6 months after the store leaves
(compliance.services.traders.erase_departed_traders)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TraderCertification(models.Model):
    """One version of a store's self-certification (art. 30(1)(e)): the store commits to offer
    only products and services that comply with EU law. `text` is the wording it certified,
    kept as it was; `text_version` HQ's version of that wording (a new one asks every store
    to certify again)."""

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="trader_certifications",
        verbose_name=_("store"),
    )
    version = models.PositiveIntegerField(_("version"))
    text_version = models.CharField(_("wording version"), max_length=20)
    text = models.TextField(_("text certified"))
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("certified by"),
    )
    certified_by_label = models.CharField(_("certified by (name)"), max_length=200)
    certified_at = models.DateTimeField(_("certified at"))

    class Meta:
        ordering = ["store", "-version"]
        verbose_name = _("trader self-certification")
        verbose_name_plural = _("trader self-certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "version"], name="trader_certification_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store} v{self.version} ({self.text_version})"


class TraderEvidence(models.Model):
    """The references of the documents that prove who the trader is and where it is paid
    (art. 30(1)(b), (c)), and HQ's check of them. One row per store."""

    class Check(models.TextChoices):
        PENDING = "pending", _("To be checked")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    store = models.OneToOneField(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="trader_evidence",
        verbose_name=_("store"),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=200, blank=True)
    id_document_reference = models.CharField(
        _("identity document reference"),
        max_length=200,
        blank=True,
        help_text=_("Kind and number of the representative's identity document, e.g. “CNI 123…”."),
    )
    bank_account_holder = models.CharField(_("bank account holder"), max_length=200, blank=True)
    bank_evidence_reference = models.CharField(
        _("bank account evidence"),
        max_length=200,
        blank=True,
        help_text=_("The account's IBAN or the reference of the bank statement (RIB) sent to HQ."),
    )
    hq_check = models.CharField(
        _("HQ's check"), max_length=20, choices=Check.choices, default=Check.PENDING
    )
    hq_check_note = models.CharField(_("HQ's note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("trader evidence")
        verbose_name_plural = _("trader evidence")

    def __str__(self) -> str:
        return str(self.store)
