"""What each store may spend on marketing per period, and HQ's co-funding rules. Consuming a
budget or a cap is a conditional UPDATE on its row with a CHECK constraint behind it, like stock:
concurrent orders can never overspend."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .catalogue import Campaign, MarketingItem


class Budget(models.Model):
    class Period(models.TextChoices):
        YEAR = "year", _("Year")
        QUARTER = "quarter", _("Quarter")

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        related_name="marketing_budgets",
        verbose_name=_("store"),
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    amount_cents = models.BigIntegerField(_("budget excl. VAT"))
    spent_cents = models.BigIntegerField(_("spent"), default=0)

    class Meta:
        ordering = ["store", "-starts_on"]
        verbose_name = _("marketing budget")
        verbose_name_plural = _("marketing budgets")
        constraints = [
            models.UniqueConstraint(fields=["store", "starts_on"], name="budget_unique_period"),
            models.CheckConstraint(
                condition=Q(spent_cents__gte=0) & Q(spent_cents__lte=F("amount_cents")),
                name="budget_never_overspent",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="budget_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store_id} · {self.starts_on} to {self.ends_on}"

    @property
    def left_cents(self) -> int:
        return self.amount_cents - self.spent_cents


class BudgetMovement(models.Model):
    """One consumption or give-back of a budget (an order placed, rejected, cancelled)."""

    class Kind(models.TextChoices):
        CONSUMED = "consumed", _("Consumed")
        RELEASED = "released", _("Given back")

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="movements", verbose_name=_("budget")
    )
    order = models.ForeignKey(
        "marketing_hub.MarketingOrder",
        on_delete=models.PROTECT,
        related_name="budget_movements",
        verbose_name=_("order"),
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    amount_cents = models.BigIntegerField(verbose_name=_("amount"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["budget", "created_at", "id"]
        verbose_name = _("budget movement")
        verbose_name_plural = _("budget movements")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents}"


class CoFundingRule(models.Model):
    """HQ pays `percent_bp` of an item, a kind of item or a campaign's items, up to a cap per
    store and period, for the rule's dates."""

    name = models.CharField(_("name"), max_length=150)
    percent_bp = models.PositiveIntegerField(_("HQ's share"))
    item = models.ForeignKey(
        MarketingItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cofunding_rules",
        verbose_name=_("item"),
    )
    item_kind = models.CharField(
        _("kind of item"), max_length=20, choices=MarketingItem.Kind.choices, blank=True
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cofunding_rules",
        verbose_name=_("campaign"),
    )
    cap_per_store_cents = models.BigIntegerField(_("cap per store and period"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("co-funding rule")
        verbose_name_plural = _("co-funding rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_bp__lte=10000), name="cofunding_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cofunding_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CoFundingUsage(models.Model):
    """What HQ has co-funded for one store under one rule in one period: the cap's counter."""

    rule = models.ForeignKey(
        CoFundingRule, on_delete=models.CASCADE, related_name="usages", verbose_name=_("rule")
    )
    store = models.ForeignKey(
        "stores.Store", on_delete=models.CASCADE, related_name="+", verbose_name=_("store")
    )
    period_start = models.DateField(verbose_name=_("period start"))
    cap_cents = models.BigIntegerField(verbose_name=_("cap"))
    used_cents = models.BigIntegerField(default=0, verbose_name=_("used"))

    class Meta:
        verbose_name = _("co-funding used")
        verbose_name_plural = _("co-funding used")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "store", "period_start"], name="cofunding_usage_unique"
            ),
            models.CheckConstraint(
                condition=Q(used_cents__gte=0) & Q(used_cents__lte=F("cap_cents")),
                name="cofunding_cap_never_exceeded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} · {self.store_id} · {self.used_cents}/{self.cap_cents}"
