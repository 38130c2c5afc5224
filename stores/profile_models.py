"""What a franchisee keeps of the store's profile besides the `Store` row: its special days
(closures and holiday hours), its team invitations, and HQ's bounds on what a store may set
(stores.services.profile and stores.services.team write them). Re-exported by stores.models."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_marketplace.models import SingletonSettings

from .models import StoreMembership


class StoreProfilePolicy(SingletonSettings):
    """HQ's bounds on what a store sets in its own profile (a single row)."""

    min_daily_capacity = models.PositiveIntegerField(
        _("daily capacity a store may set: at least"), default=5
    )
    max_daily_capacity = models.PositiveIntegerField(
        _("daily capacity a store may set: at most"), default=500
    )
    invitation_valid_days = models.PositiveSmallIntegerField(
        _("team invitations valid for (days)"), default=7
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("store profile policy")
        verbose_name_plural = _("store profile policy")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_daily_capacity__gte=1)
                & Q(max_daily_capacity__gte=models.F("min_daily_capacity")),
                name="store_profile_capacity_bounds",
            ),
            models.CheckConstraint(
                condition=Q(invitation_valid_days__gte=1), name="store_profile_invitation_days"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Store profile policy"))

    def clean(self) -> None:
        super().clean()
        low, high = self.min_daily_capacity, self.max_daily_capacity
        if low is not None and low < 1:
            raise ValidationError({"min_daily_capacity": _("At least 1 order a day.")})
        if low is not None and high is not None and high < low:
            raise ValidationError(
                {"max_daily_capacity": _("The maximum must not be below the minimum.")}
            )


class StoreSpecialDay(models.Model):
    """A day a store opens differently from its week: closed (a public holiday, an inventory
    day) or open on other hours (a late night before Christmas). It replaces the weekday's
    hours for the store page, its structured data, the pickup slots, the acceptance deadlines
    and its Google Business Profile listing (marketing_hub)."""

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="special_days",
        verbose_name=_("store"),
    )
    day = models.DateField(_("day"))
    closed = models.BooleanField(_("closed all day"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["store", "day"]
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        constraints = [
            # Also the index of "a store's days from today on" (every reader's query).
            models.UniqueConstraint(fields=["store", "day"], name="store_special_day_unique"),
            models.CheckConstraint(
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | Q(
                    closed=False,
                    opens__isnull=False,
                    closes__isnull=False,
                    closes__gt=models.F("opens"),
                ),
                name="store_special_day_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store_id} · {self.day}"


class StoreInvitationQuerySet(models.QuerySet):
    def pending(self) -> StoreInvitationQuerySet:
        """Neither accepted nor revoked, and not yet expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class StoreInvitation(models.Model):
    """An invitation to join a store's team with a role, sent by e-mail. The link carries a
    signed token (stores.services.team) naming this row; it works until `expires_at`, once.
    No status column: accepted, revoked and expired are the timestamps."""

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("store"),
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=StoreMembership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = StoreInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        constraints = [
            # One open invitation per address and store: inviting again replaces it.
            models.UniqueConstraint(
                Lower("email"),
                "store",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="store_invitation_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.store_id} ({self.role})"

    @property
    def is_pending(self) -> bool:
        if self.accepted_at is not None or self.revoked_at is not None:
            return False
        return self.expires_at > timezone.now()
