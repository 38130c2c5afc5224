"""DAC7 (Council Directive (EU) 2021/514, CGI art. 1649 ter A to E): what HQ, as the operator
of the marketplace, collects about each franchise store that sells on it, reports each year to
the DGFiP, and gives each store a copy of.

- `Dac7SellerData`: the store's due-diligence data beyond the legal identity kept on the store
  itself (stores.Store: company name, registration number, VAT number, legal address): its
  TIN and issuing state, the account its consideration is paid to (IBAN, BIC, holder), and for
  an individual seller the name and birth details.
- `Dac7Declaration`: one annual declaration as filed (the XML, its DGFiP file name), with one
  `Dac7SellerReport` per store: its copy (the figures per quarter and the identity reported,
  or why it was left out).
- `Dac7Notice`: what the store was told: the two reminders, its payouts held, then released.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Dac7SellerData(models.Model):
    class SellerKind(models.TextChoices):
        ENTITY = "entity", _("Company or other legal entity")
        INDIVIDUAL = "individual", _("Individual (sole trader)")

    store = models.OneToOneField(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="dac7_data",
        verbose_name=_("store"),
    )
    seller_kind = models.CharField(
        _("kind of seller"), max_length=12, choices=SellerKind.choices, default=SellerKind.ENTITY
    )
    tin = models.CharField(
        _("tax identification number"),
        max_length=40,
        help_text=_("For a French company, its SIREN (9 digits)."),
    )
    tin_country = models.CharField(_("issuing state of the TIN"), max_length=2, default="FR")
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=200)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_city = models.CharField(_("place of birth"), max_length=100, blank=True)
    birth_country = models.CharField(_("country of birth"), max_length=2, blank=True)
    updated_by_label = models.CharField(_("updated by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("DAC7 seller data")
        verbose_name_plural = _("DAC7 seller data")

    def __str__(self) -> str:
        return str(self.store)


class Dac7Declaration(models.Model):
    """One annual DAC7 declaration, as built and validated: never changed once made (a
    correction is a new declaration of the same year, the next `declaration_id`)."""

    year = models.PositiveIntegerField(_("reporting year"))
    declaration_id = models.PositiveIntegerField(_("declaration number"), default=1)
    filename = models.CharField(_("file name"), max_length=100)
    message_ref_id = models.CharField(_("message reference"), max_length=170)
    xml = models.TextField(_("XML"))
    reported_count = models.PositiveIntegerField(_("sellers reported"), default=0)
    excluded_count = models.PositiveIntegerField(_("sellers left out"), default=0)
    created_by_label = models.CharField(_("prepared by"), max_length=200)
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-declaration_id"]
        verbose_name = _("DAC7 declaration")
        verbose_name_plural = _("DAC7 declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "declaration_id"], name="dac7_declaration_year_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.filename


class Dac7SellerReport(models.Model):
    """A store's part of a declaration, its copy: `quarters` is
    [{"quarter": 1, "consideration_cents": …, "activities": …, "fees_cents": …}, …] and
    `identity` what was reported about it. A store left out has `reported` False and the
    reason in `excluded_reason`."""

    declaration = models.ForeignKey(
        Dac7Declaration,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("DAC7 declaration"),
    )
    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        related_name="dac7_reports",
        verbose_name=_("store"),
    )
    reported = models.BooleanField(_("reported"))
    excluded_reason = models.CharField(_("left out because"), max_length=300, blank=True)
    quarters = models.JSONField(_("figures per quarter"), default=list)
    identity = models.JSONField(_("identity reported"), default=dict)

    class Meta:
        ordering = ["declaration", "store__name"]
        verbose_name = _("DAC7 store copy")
        verbose_name_plural = _("DAC7 store copies")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "store"], name="dac7_report_store_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.declaration} · {self.store}"

    def total(self, name: str) -> int:
        return sum(quarter[name] for quarter in self.quarters)

    @property
    def consideration_cents(self) -> int:
        return self.total("consideration_cents")

    @property
    def activities(self) -> int:
        return self.total("activities")

    @property
    def fees_cents(self) -> int:
        return self.total("fees_cents")


class Dac7Notice(models.Model):
    """What a store was told about its missing DAC7 data, once each per year."""

    class Kind(models.TextChoices):
        FIRST_REMINDER = "reminder_1", _("First reminder")
        SECOND_REMINDER = "reminder_2", _("Second reminder")
        PAYOUTS_HELD = "payouts_held", _("Payouts held")
        PAYOUTS_RELEASED = "payouts_released", _("Payouts released")
        COPY = "copy", _("Copy of the declaration")

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="dac7_notices",
        verbose_name=_("store"),
    )
    year = models.PositiveIntegerField(_("reporting year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    missing = models.JSONField(_("missing data"), default=list)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("DAC7 notice to a store")
        verbose_name_plural = _("DAC7 notices to stores")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "year", "kind"], name="dac7_notice_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store} · {self.year} · {self.kind}"
