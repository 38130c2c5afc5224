"""A store's export of its own data (P2B art. 9): a ZIP of CSVs built by a worker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import StatusEvent


class StoreDataExport(models.Model):
    """One export a store asked for. The worker moves it from pending to running to ready (or
    failed), raising `progress` (0-100) as it writes each CSV; the archive is kept in the row
    (not under MEDIA_ROOT, which may be public) and read only through the store's own URL."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the worker")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("store"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_by_label = models.CharField(_("requested by"), max_length=200)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    archive = models.BinaryField(_("archive"), null=True, blank=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("store data export")
        verbose_name_plural = _("store data exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="store_export_progress_at_most_100"
            ),
            # One export of a store is built at a time (request_store_export checks it under
            # the store's row lock; this keeps it true whatever writes the table).
            models.UniqueConstraint(
                fields=["store"],
                condition=Q(status__in=["pending", "running"]),
                name="one_store_export_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store} · {self.created_at:%Y-%m-%d %H:%M}"


class StoreDataExportEvent(StatusEvent):
    export = models.ForeignKey(
        StoreDataExport, on_delete=models.CASCADE, related_name="events", verbose_name=_("export")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")
