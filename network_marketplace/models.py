from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .settings_cache import cached_settings_row, forget_settings_row


class AccountManager(UserManager["User"]):
    """Users are identified by their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str | None, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]  # the e-mail is the username
        self, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]  # the e-mail is the username
        self, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person: a customer, a store's staff member, or HQ staff (`is_staff`)."""

    username = None  # type: ignore[assignment]  # people sign in with their e-mail
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[AccountManager] = AccountManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class SingletonSettings(models.Model):
    """HQ's settings that exist once for the network (one row, pk 1), made on first read.

    Pages and services read them on every request, so `current()` reads them through the
    settings row cache (network_marketplace.settings_cache: each process's copy, checked against
    a stamp in the shared cache), and saving or deleting the row through the model restamps it
    at commit. A write that bypasses the model (`.update()`, SQL) must call `forget_cached()`."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        forget_settings_row(type(self))

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        deleted = super().delete(*args, **kwargs)
        forget_settings_row(type(self))
        return deleted

    @classmethod
    def current(cls) -> Self:
        """The row, from the settings row cache (no SQL while it is current): a copy to read.
        To change it, lock and re-read it (`select_for_update`), then `save()`."""
        return cached_settings_row(cls)

    @classmethod
    def forget_cached(cls) -> None:
        """The row was written around the model: every process reads it again."""
        forget_settings_row(cls)


class StatusEvent(models.Model):
    """One move of a lifecycle (network_marketplace.transitions): who, when, from, to, why.

    Each lifecycle's event model inherits it and adds the foreign key to its row, the one its
    `Lifecycle.event_parent` names; `transition()` writes it. Statuses are codes; the page that
    shows an event labels them with its model's choices.
    """

    from_status = models.CharField(max_length=30, blank=True, verbose_name=_("from state"))
    to_status = models.CharField(max_length=30, verbose_name=_("to state"))
    actor_label = models.CharField(max_length=200, verbose_name=_("by"))
    reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class AuditEvent(models.Model):
    """Who did what to which object, and when: the trail compliance reports are built from.

    `store_id` is the store the action concerns (no foreign key: this app sits below `stores`).
    """

    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by (account)"),
    )
    actor_label = models.CharField(max_length=200, verbose_name=_("by"))
    action = models.CharField(max_length=100, verbose_name=_("action"))
    target_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("target type"),
    )
    target_id = models.CharField(max_length=64, blank=True, verbose_name=_("target ID"))
    target = GenericForeignKey("target_type", "target_id")
    store_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("store"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # A store's trail, newest first (store back-office and compliance reports).
            models.Index(fields=["store_id", "-created_at"], name="audit_store_recent_idx"),
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # One kind of event in a period: HQ's control tower counts re-routings and
            # cancellations (hq.selectors.control_tower).
            models.Index(fields=["action", "created_at"], name="audit_action_recent_idx"),
            # A location's last stock feed (stores.selectors.feeds), one probe per location.
            models.Index(
                fields=["store_id", "-created_at"],
                condition=models.Q(action="stock.feed_applied"),
                name="audit_feed_recent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class OutboxMessageQuerySet(models.QuerySet):
    def due(self, now: datetime) -> OutboxMessageQuerySet:
        """Messages a worker may claim at `now`: waiting (first try or retry) and not leased."""
        return self.filter(
            status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED],
            next_attempt_at__lte=now,
        ).filter(models.Q(locked_until__isnull=True) | models.Q(locked_until__lte=now))


class OutboxMessage(models.Model):
    """A side effect (an e-mail, a webhook, any registered handler) written in the same
    transaction as the business change, delivered after commit by a worker.

    `dedupe_key` is unique: the same event is never enqueued twice. A worker claims a message
    for a lease (`locked_until`, `claim_token`); if the worker dies, the lease runs out and the
    message is due again. `attempts` counts claims, so a message that kills its worker still
    ends `dead` instead of looping.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will retry")
        DEAD = "dead", _("Dead")

    kind = models.CharField(_("kind"), max_length=100)
    payload = models.JSONField(_("payload"), default=dict, encoder=DjangoJSONEncoder)
    dedupe_key = models.CharField(_("deduplication key"), max_length=255, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    locked_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.CharField(
        max_length=32, blank=True, editable=False, verbose_name=_("claim token")
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The worker's claim: waiting messages by due time; sent and dead rows stay out.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status__in=["pending", "failed"]),
                name="outbox_due_idx",
            ),
            # The admin's and operators' view of what is stuck.
            models.Index(fields=["status", "-created_at"], name="outbox_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.dedupe_key} ({self.status})"


class WebhookEndpoint(models.Model):
    """An integrator's URL that receives the network's events, signed with `secret`.

    An HQ endpoint (no store) receives every store's events; a store's endpoint only its own.
    The secret is stored (the HMAC needs it) but shown once, at creation.
    """

    store = models.ForeignKey(
        "stores.Store",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("store"),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100, editable=False, verbose_name=_("secret"))
    active = models.BooleanField(_("active"), default=True)
    # Deliveries failed in a row (any success resets it): past a few the endpoint backs off,
    # past WEBHOOK_PAUSE_AFTER_FAILURES it is paused and its owner told.
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    paused_reason = models.CharField(_("why it was paused"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def subscribes_to(self, event_type: str) -> bool:
        return "*" in self.event_types or event_type in self.event_types


class WebhookDelivery(models.Model):
    """One event for one endpoint: the log of its attempts. Its id is the `X-Network-Delivery`
    header, the same on every retry, so that a receiver can drop a repeat."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    message = models.OneToOneField(
        OutboxMessage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("message"),
    )
    event_id = models.CharField(_("event"), max_length=200)
    event_type = models.CharField(_("event type"), max_length=100)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_snippet = models.CharField(_("response"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhook_delivery_event_unique"
            ),
        ]
        indexes = [
            # An endpoint's log, newest first (back-office page, admin, API).
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → {self.endpoint_id}"

    @property
    def delivered(self) -> bool:
        return self.delivered_at is not None

    @property
    def state(self) -> str:
        """delivered, dead (no more retries), retrying (an attempt failed) or pending."""
        if self.delivered_at is not None:
            return "delivered"
        if self.message is not None and self.message.status == OutboxMessage.Status.DEAD:
            return "dead"
        return "retrying" if self.attempts else "pending"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` sent to a write endpoint (`scope`: which endpoint and which of its
    objects), claimed before the work and answered after (network_marketplace/idempotency.py).
    The unique row makes one of two simultaneous requests the owner. The orders API keeps its
    own table (orders.OrderRequest), which also remembers the order it wrote."""

    scope = models.CharField(max_length=80, verbose_name=_("scope"))
    principal = models.CharField(
        max_length=40, verbose_name=_("principal")
    )  # "k<api key id>" or "u<user id>"
    key = models.CharField(max_length=255, verbose_name=_("key"))
    fingerprint = models.CharField(
        max_length=64, verbose_name=_("fingerprint")
    )  # SHA-256 of the request's data
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("HTTP status")
    )
    response = models.TextField(blank=True, verbose_name=_("response"))  # the answer's JSON as sent
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )
    attempt_started_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("attempt started at")
    )
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "principal", "key"], name="idempotency_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.principal} {self.key}"
