"""HQ's rules on the stores' quality and each store's standing under them.

HQ owns no commerce record: the figures of a scorecard are computed from the fulfilments,
returns and events of the apps below (hq.selectors.scorecards). What lives here is HQ's settings
(the thresholds, `ScorecardSettings`), each store's standing (good, warned, out of home-delivery
routing: `StoreStanding`, lifecycle in hq/states.py) and one event per step with the figures and
thresholds of the moment (`StandingEvent`), and the audit of the routing weights HQ applied from
a simulation (`RoutingWeightsChange`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from compliance.models import Measure
from network_marketplace.models import SingletonSettings, StatusEvent
from stores.models import Store

MAX_PERIOD_DAYS = 90
MAX_SUSPENSION_DAYS = 90


class RecoveryRule(models.TextChoices):
    FIGURES = "figures", _("When its figures are back within the warning thresholds")
    TIME = "time", _("At the end of the suspension, whatever the figures")


def _count(label: Any, default: int, help_text: Any = "") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MaxValueValidator(1000)], help_text=help_text
    )


def _percent(label: Any, default: int, help_text: Any = "") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MaxValueValidator(100)], help_text=help_text
    )


class ScorecardSettings(SingletonSettings):
    """HQ's thresholds on the stores' quality (one row). A figure at or past its warning level
    warns the store; a warned store at or past a suspension level leaves home-delivery routing
    for `suspension_days` at least, and comes back by the `recovery` rule."""

    period_days = models.PositiveSmallIntegerField(
        _("period of the scorecards (days)"),
        default=28,
        validators=[MinValueValidator(7), MaxValueValidator(MAX_PERIOD_DAYS)],
        help_text=_("The figures count the last days, rolling."),
    )
    min_routed = models.PositiveSmallIntegerField(
        _("orders needed before the rates count"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_(
            "The acceptance and late-shipment rates lead to no consequence while the store "
            "has fewer orders than this in the period."
        ),
    )
    ship_within_hours = models.PositiveSmallIntegerField(
        _("home deliveries are shipped within (hours)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("From the routing of the order to its shipping: later is a late shipment."),
    )
    timeouts_warning = _count(_("timeouts: warning from"), 3)
    timeouts_suspension = _count(_("timeouts: out of home delivery from"), 6)
    acceptance_rate_warning = _percent(
        _("acceptance rate: warning below (%)"), 90, _("Accepted orders against orders routed.")
    )
    acceptance_rate_suspension = _percent(_("acceptance rate: out of home delivery below (%)"), 75)
    late_rate_warning = _percent(
        _("late shipments: warning above (%)"), 10, _("Late home deliveries against shipped.")
    )
    late_rate_suspension = _percent(_("late shipments: out of home delivery above (%)"), 25)
    stock_misses_warning = _count(
        _("stock-accuracy misses: warning from"),
        3,
        _("Orders rejected for missing stock its feed said it had."),
    )
    stock_misses_suspension = _count(_("stock-accuracy misses: out of home delivery from"), 6)
    suspension_days = models.PositiveSmallIntegerField(
        _("out of home delivery for at least (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SUSPENSION_DAYS)],
    )
    recovery = models.CharField(
        _("back in home-delivery routing"),
        max_length=10,
        choices=RecoveryRule.choices,
        default=RecoveryRule.FIGURES,
        help_text=_(
            "Never before the end of the suspension. By figures: later, once they are back "
            "within the warning thresholds. By time: the figures are then counted afresh."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scorecard thresholds")
        verbose_name_plural = _("scorecard thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(timeouts_suspension__gte=models.F("timeouts_warning"))
                & Q(acceptance_rate_suspension__lte=models.F("acceptance_rate_warning"))
                & Q(late_rate_suspension__gte=models.F("late_rate_warning"))
                & Q(stock_misses_suspension__gte=models.F("stock_misses_warning")),
                name="scorecard_suspension_beyond_warning",
            ),
            models.CheckConstraint(
                condition=Q(acceptance_rate_warning__lte=100)
                & Q(late_rate_warning__lte=100)
                & Q(period_days__gte=7)
                & Q(period_days__lte=MAX_PERIOD_DAYS)
                & Q(suspension_days__gte=1)
                & Q(suspension_days__lte=MAX_SUSPENSION_DAYS),
                name="scorecard_settings_bounded",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        errors = {}
        pairs = (
            ("timeouts_warning", "timeouts_suspension", 1),
            ("late_rate_warning", "late_rate_suspension", 1),
            ("stock_misses_warning", "stock_misses_suspension", 1),
            ("acceptance_rate_warning", "acceptance_rate_suspension", -1),
        )
        for warning, suspension, direction in pairs:
            low, high = getattr(self, warning), getattr(self, suspension)
            if low is None or high is None:
                continue
            if (high - low) * direction < 0:
                errors[suspension] = (
                    _("The suspension level must be at or beyond the warning level.")
                    if direction > 0
                    else _("The suspension level must be at or below the warning level.")
                )
        for name in ("timeouts_warning", "stock_misses_warning"):
            if getattr(self, name) == 0:
                errors[name] = _("At least 1: a store with none is in good standing.")
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return str(_("Scorecard thresholds"))

    def as_dict(self) -> dict:
        """The thresholds as recorded with each step (JSON)."""
        return {
            field.name: getattr(self, field.name)
            for field in self._meta.concrete_fields
            if field.name not in {"id", "updated_at"}
        }


class StoreStanding(models.Model):
    """A store's standing under HQ's thresholds; moves only through hq/states.py."""

    class Status(models.TextChoices):
        GOOD = "good", _("In good standing")
        WARNED = "warned", _("Warned")
        SUSPENDED = "suspended", _("Out of home-delivery routing")

    store = models.OneToOneField(
        Store, on_delete=models.CASCADE, related_name="hq_standing", verbose_name=_("store")
    )
    status = models.CharField(
        _("standing"), max_length=20, choices=Status.choices, default=Status.GOOD
    )
    since = models.DateTimeField(_("since"))
    # A suspension lasts until then at least (HQ's suspension length).
    suspended_until = models.DateTimeField(_("out of home delivery until"), null=True, blank=True)
    # The consequences count the figures from here (after HQ lifted a suspension, or a
    # suspension ended by time): a fresh start, not the old misses again.
    counted_from = models.DateTimeField(_("figures counted from"), null=True, blank=True)
    # The compliance measure (with its statement of reasons) of the suspension in force.
    measure = models.ForeignKey(
        Measure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("measure"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("store's scorecard")
        verbose_name_plural = _("stores' scorecards")
        indexes = [models.Index(fields=["status", "store"], name="hq_standing_status_idx")]

    def __str__(self) -> str:
        return f"{self.store} · {self.get_status_display()}"


class StandingEvent(StatusEvent):
    """One step of a store's standing: from, to, who, why, with the figures and the thresholds
    of the moment, and whether HQ decided it by hand (an override)."""

    standing = models.ForeignKey(StoreStanding, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        _("from"), max_length=30, blank=True, choices=StoreStanding.Status.choices
    )
    to_status = models.CharField(_("to"), max_length=30, choices=StoreStanding.Status.choices)
    figures = models.JSONField(_("figures"), default=dict)
    thresholds = models.JSONField(_("thresholds"), default=dict)
    breaches = models.JSONField(_("thresholds crossed"), default=list)
    overridden = models.BooleanField(_("decided by HQ"), default=False)

    class Meta(StatusEvent.Meta):
        verbose_name = _("standing event")
        verbose_name_plural = _("standing events")


class RoutingWeightsChange(models.Model):
    """HQ applied routing weights (from the simulation page): before, after, who, why."""

    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    actor_label = models.CharField(_("by"), max_length=200)
    reason = models.CharField(_("reason"), max_length=300)
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    simulated_days = models.PositiveSmallIntegerField(_("simulated over (days)"))
    simulated_orders = models.PositiveIntegerField(_("orders replayed"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("routing weights change")
        verbose_name_plural = _("routing weights changes")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.actor_label}"


class FairRouting(RoutingWeightsChange):
    """HQ's fair-routing page in the admin (the report, the simulation, the changes applied)."""

    class Meta:
        proxy = True
        verbose_name = _("fair routing")
        verbose_name_plural = _("fair routing")
