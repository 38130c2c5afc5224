"""GDPR for customers (issue 13, part F): a customer's data exports (art. 15 and 20), what a
legal obligation keeps of a closed account (art. 17(3)), the warnings before an inactive account
is closed, and the retention engine's runs. Services: compliance.services.gdpr."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import StatusEvent
from network_marketplace.storage import exports_storage


class PersonalDataExport(models.Model):
    """One export a customer asked for. The worker moves it from pending to running to ready
    (or failed); the retention engine moves a ready one to expired when its ZIP is deleted.
    The ZIP is in the default storage under `private/` (never served as public media), read
    only through the signed link of its owner."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the worker")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("customer account"),
    )
    requested_by_label = models.CharField(_("requested by"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    due_at = models.DateTimeField(_("answer due by"))
    finished_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    archive = models.FileField(
        _("archive"), max_length=200, blank=True, editable=False, storage=exports_storage
    )
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    last_downloaded_at = models.DateTimeField(_("last downloaded at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("customer data export")
        verbose_name_plural = _("customer data exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One export of a customer is built at a time: a double click or two tabs make one
            # job (request_personal_data_export checks it under the user's row lock; this keeps
            # it true whatever writes the table).
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["pending", "running"]),
                name="one_personal_export_in_progress",
            ),
        ]
        indexes = [
            # HQ's queue of requests by deadline, and the engine's expired ZIPs.
            models.Index(fields=["status", "due_at"], name="personal_export_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.requested_by_label} · {self.created_at:%Y-%m-%d %H:%M}"


class PersonalDataExportEvent(StatusEvent):
    export = models.ForeignKey(PersonalDataExport, on_delete=models.CASCADE, related_name="events")

    class Meta(StatusEvent.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")


class RetainedPersonalData(models.Model):
    """What a legal obligation keeps of a closed account, apart from the order: the person's
    name and contact details as they were on the order, the purpose and legal basis, and the
    day the retention engine deletes it. Never shown on a customer, store or storefront page."""

    class Purpose(models.TextChoices):
        ACCOUNTING = "accounting", _("Accounting records and invoices")
        CONSUMER_CONTRACT = "consumer_contract", _("Consumer contract of 120 EUR or more")

    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("order"),
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    data = models.JSONField(_("personal data kept"), default=dict)
    retained_at = models.DateTimeField(_("kept apart at"), auto_now_add=True)
    delete_after = models.DateTimeField(_("deleted after"))

    class Meta:
        verbose_name = _("personal data kept by law")
        verbose_name_plural = _("personal data kept by law")
        ordering = ["delete_after", "id"]
        indexes = [
            # The retention engine: the rows whose clock ran out.
            models.Index(fields=["delete_after"], name="retained_data_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.get_purpose_display()}"


class InactiveAccountWarning(models.Model):
    """The e-mail that told a customer her account would be closed for inactivity, sent once per
    period of inactivity (`activity_at` is her last activity when it was sent): signing in again
    makes it stale, and the account is closed only GDPR_INACTIVE_WARNING_DAYS after it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    activity_at = models.DateTimeField(_("last activity"))
    warned_at = models.DateTimeField(_("warned at"))

    class Meta:
        verbose_name = _("inactive account warning")
        verbose_name_plural = _("inactive account warnings")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.warned_at:%Y-%m-%d}"


class RetentionRun(models.Model):
    """One run of the retention engine: what it removed, per purpose (each purpose's key of
    settings.GDPR_RETENTION_DAYS, and `inactive_account_warnings`)."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    removed = models.JSONField(_("removed per purpose"), default=dict)
    total = models.PositiveIntegerField(_("removed in all"), default=0)
    actor_label = models.CharField(_("run by"), max_length=200)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"
