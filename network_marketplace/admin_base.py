"""The one base of every admin class of the project (django-unfold's, with the house conventions).

Every app's admin subclasses `ModelAdmin`, `ReadOnlyModelAdmin`, `TabularInline`,
`StackedInline` or `StatusEventInline` from here, so a convention is written once:

- money: a `*_cents` integer field is shown in euros ("12,50 €") in lists, read-only fields and
  inlines, under its name without "(cents)", and typed in euros where HQ edits it
  (`network_marketplace.money.CentsField`); cents stay the storage;
- rates: a `*_bp` integer field (basis points: a VAT rate, a share) is shown and typed in per
  cent ("5,5 %", `network_marketplace.money.RateField`); basis points stay the storage;
- states: a `status` (or `state`) field with choices is shown as a badge with its human name and
  the colour of `STATE_COLOURS` (green done, orange waiting, red failed or refused, blue under
  way, grey ended);
- lifecycle history: `StatusEventInline` shows each move with the states' human names
  ("En attente de paiement → Passée"), never the codes.

The displays are added by name (`<field>_euros`, `<field>_percent`, `<field>_badge`), so
`list_display`, `readonly_fields`, `fields` and `fieldsets` keep naming the model's fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Value
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.admin import StackedInline as UnfoldStackedInline
from unfold.admin import TabularInline as UnfoldTabularInline
from unfold.widgets import UnfoldAdminTextInputWidget

from .audit import record_audit_event
from .money import CentsField, RateField, format_cents, format_rate

MONEY_SUFFIX = "_cents"
RATE_SUFFIX = "_bp"
STATE_FIELD_NAMES = ("status", "state")

SUCCESS, WARNING, DANGER, INFO, ENDED = "success", "warning", "danger", "info", ""

# The colour of each state code of the network's lifecycles (orders, fulfilments, returns,
# payments, payouts, stores, products, notices, measures, marketing orders, subscriptions...).
# A code not listed is shown in grey.
STATE_COLOURS: dict[str, str] = {
    # done, paid, live
    "active": SUCCESS,
    "approved": SUCCESS,
    "collected": SUCCESS,
    "completed": SUCCESS,
    "consumed": SUCCESS,
    "converted": SUCCESS,
    "delivered": SUCCESS,
    "done": SUCCESS,
    "effective": SUCCESS,
    "paid": SUCCESS,
    "published": SUCCESS,
    "purchased_in_store": SUCCESS,
    "ready": SUCCESS,
    "ready_for_pickup": SUCCESS,
    "received": INFO,
    "refunded": SUCCESS,
    "sent": SUCCESS,
    "succeeded": SUCCESS,
    "upheld": SUCCESS,
    "good": SUCCESS,
    "action_taken": SUCCESS,
    # waiting for someone
    "awaiting_acceptance": WARNING,
    "warned": WARNING,
    "cancelling": WARNING,
    "in_review": WARNING,
    "onboarding": WARNING,
    "open": WARNING,
    "partially_reversed": WARNING,
    "paused": WARNING,
    "pending": WARNING,
    "pending_payment": WARNING,
    "placed": WARNING,
    "requested": WARNING,
    "scheduled": WARNING,
    "cart": ENDED,
    "draft": ENDED,
    # failed, refused, stopped
    "cancelled": DANGER,
    "dead": DANGER,
    "failed": DANGER,
    "not_purchased": DANGER,
    "rejected": DANGER,
    "suspended": DANGER,
    "timed_out": DANGER,
    "uncollected": DANGER,
    # under way
    "accepted": INFO,
    "in_progress": INFO,
    "in_production": INFO,
    "in_transit": INFO,
    "inspected": INFO,
    "picked": INFO,
    "running": INFO,
    "shipped": INFO,
}


def euros(cents: int | None) -> str:
    """An amount of cents as people read it ("12,50 €"), "—" when there is none."""
    return "—" if cents is None else format_cents(cents)


def badge(label: Any, colour: str) -> SafeString:
    """`label` in a badge of `colour` (SUCCESS, WARNING, DANGER, INFO or ENDED)."""
    return render_to_string(
        "unfold/helpers/label.html", {"text": label, "type": colour, "size": "md"}
    )


def state_badge(code: str | None, label: Any) -> SafeString:
    """The state `code` as a coloured badge reading `label` (its human name)."""
    if not code:
        return format_html("{}", "—")
    return badge(label, STATE_COLOURS.get(str(code), ENDED))


def is_money_field(field: models.Field) -> bool:
    return isinstance(field, models.IntegerField) and field.name.endswith(MONEY_SUFFIX)


def is_rate_field(field: models.Field) -> bool:
    return isinstance(field, models.IntegerField) and field.name.endswith(RATE_SUFFIX)


def is_state_field(field: models.Field) -> bool:
    return bool(field.choices) and field.name in STATE_FIELD_NAMES


def money_label(field: models.Field) -> str:
    """The field's name for HQ (an amount's or a rate's: their unit shows in the value)."""
    return str(capfirst(field.verbose_name))


def _money_display(field: models.Field) -> Callable[[models.Model], str]:
    def show(obj: models.Model) -> str:
        return euros(getattr(obj, field.attname))

    show.short_description = money_label(field)  # type: ignore[attr-defined]
    show.admin_order_field = field.name  # type: ignore[attr-defined]
    return show


def _rate_display(field: models.Field) -> Callable[[models.Model], str]:
    def show(obj: models.Model) -> str:
        return format_rate(getattr(obj, field.attname)) or "—"

    show.short_description = money_label(field)  # type: ignore[attr-defined]
    show.admin_order_field = field.name  # type: ignore[attr-defined]
    return show


def _state_display(field: models.Field) -> Callable[[models.Model], SafeString]:
    def show(obj: models.Model) -> SafeString:
        code = getattr(obj, field.attname)
        return state_badge(code, getattr(obj, f"get_{field.name}_display")())

    show.short_description = capfirst(field.verbose_name)  # type: ignore[attr-defined]
    show.admin_order_field = field.name  # type: ignore[attr-defined]
    return show


def _unit_input(unit: str) -> UnfoldAdminTextInputWidget:
    """The theme's text box, with its unit after the number (an amount, a rate)."""
    return UnfoldAdminTextInputWidget(attrs={"inputmode": "decimal", "suffix": unit})


class HouseConventionsMixin:
    """Money in euros and states as badges, for a ModelAdmin or an inline (see the module)."""

    model: type[models.Model]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._displays: dict[str, str] = {}
        for field in self.model._meta.concrete_fields:
            if is_money_field(field):
                name, display = f"{field.name}_euros", _money_display(field)
            elif is_rate_field(field):
                name, display = f"{field.name}_percent", _rate_display(field)
            elif is_state_field(field):
                name, display = f"{field.name}_badge", _state_display(field)
            else:
                continue
            if not hasattr(self, name):
                setattr(self, name, display)
            self._displays[field.name] = name
        # Read-only fields are shown through the displays whoever declares them: a subclass's
        # own get_readonly_fields() (several decide by the object) is wrapped, not replaced.
        self._declared_readonly_fields: Callable[..., Sequence[Any]] = getattr(  # noqa: B009
            self, "get_readonly_fields"
        )
        setattr(self, "get_readonly_fields", self._shown_readonly_fields)  # noqa: B010

    def _shown(self, names: Iterable[Any], keep: Iterable[str] = ()) -> list[Any]:
        kept = set(keep)
        return [
            self._displays.get(name, name) if isinstance(name, str) and name not in kept else name
            for name in names
        ]

    def _edits_fields(self, request, obj=None) -> bool:
        """Whether this page's form edits its fields (else every field is shown as read)."""
        if obj is None:
            return self.has_add_permission(request)  # type: ignore[attr-defined]
        return self.has_change_permission(request, obj)  # type: ignore[attr-defined]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if is_money_field(db_field) and db_field.editable and not db_field.choices:
            signed = not isinstance(
                db_field, models.PositiveIntegerField | models.PositiveBigIntegerField
            ) and not any(getattr(v, "limit_value", None) == 0 for v in db_field.validators)
            return CentsField(
                label=money_label(db_field),
                widget=_unit_input("€"),
                required=not db_field.blank,
                allow_negative=signed,
                help_text=db_field.help_text or _("In euros, e.g. 12,90."),
                **({"initial": db_field.default} if db_field.has_default() else {}),
            )
        if is_rate_field(db_field) and db_field.editable and not db_field.choices:
            highest = [
                v.limit_value for v in db_field.validators if isinstance(v, MaxValueValidator)
            ]
            return RateField(
                label=money_label(db_field),
                widget=_unit_input("%"),
                required=not db_field.blank,
                max_bp=min([10_000, *highest]),
                help_text=db_field.help_text or _("In per cent, e.g. 5,5."),
                **({"initial": db_field.default} if db_field.has_default() else {}),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]

    def get_list_display(self, request):
        names = super().get_list_display(request)  # type: ignore[misc]
        return self._shown(names, keep=getattr(self, "list_editable", ()))

    def _shown_readonly_fields(self, request, obj=None) -> list[Any]:
        return self._shown(self._declared_readonly_fields(request, obj))

    def get_exclude(self, request, obj=None):
        # The displays are not form fields, nor are the read-only model fields they stand for.
        readonly = set(self._declared_readonly_fields(request, obj))
        return [
            *(super().get_exclude(request, obj) or ()),  # type: ignore[misc]
            *self._displays.values(),
            *(name for name in self._displays if name in readonly),
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if self._edits_fields(request, obj):
            readonly = set(self._declared_readonly_fields(request, obj))
            editable = [name for name in flatten_fieldsets(fieldsets) if name not in readonly]
        else:
            editable = []
        return [
            (title, {**options, "fields": self._shown_fields(options["fields"], editable)})
            for title, options in fieldsets
        ]

    def _shown_fields(self, fields: Sequence[Any], editable: list[str]) -> list[Any]:
        return [
            tuple(self._shown(line, keep=editable))
            if isinstance(line, list | tuple)
            else self._shown([line], keep=editable)[0]
            for line in fields
        ]


class ModelAdmin(HouseConventionsMixin, UnfoldModelAdmin):
    """The base of every HQ admin: unfold's, money in euros, states as badges."""

    list_per_page = 50


class ReadOnlyModelAdmin(ModelAdmin):
    """For records that only services write (audit, payments): HQ reads, never edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _InlineConventions(HouseConventionsMixin):
    def _edits_fields(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj) or self.has_add_permission(  # type: ignore[attr-defined]
            request, obj
        )


class TabularInline(_InlineConventions, UnfoldTabularInline):
    """Rows under their parent, as a table (its columns name each row: no title line above)."""

    hide_title = True


class StackedInline(_InlineConventions, UnfoldStackedInline):
    """Rows under their parent, one block each."""


class StatusEventInline(TabularInline):
    """A lifecycle's event rows (network_marketplace.models.StatusEvent) under its row, read-only:
    when, the move in the states' human names ("En attente de paiement → Passée"), who, why.
    Each app's admin sets `model` (and may add fields)."""

    extra = 0
    can_delete = False
    hide_title = True  # a row's own name is its codes: the "move" column names it instead
    fields = ["created_at", "move", "actor_label", "reason"]
    verbose_name = _("state change")
    verbose_name_plural = _("history of states")

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def _state_names(self) -> dict[str, str]:
        try:
            field = self.parent_model._meta.get_field("status")
        except FieldDoesNotExist:
            return {}
        return {str(code): str(label) for code, label in field.flatchoices}

    @staticmethod
    def _move_text(names: dict[str, str], from_status: str, to_status: str) -> str:
        to = names.get(to_status, to_status)
        if not from_status:
            return to
        return f"{names.get(from_status, from_status)} → {to}"

    def move(self, event) -> SafeString:
        names = self._state_names()
        return format_html(
            "{}", self._move_text(names, event.from_status or "", event.to_status or "")
        )

    move.short_description = _("change of state")  # type: ignore[attr-defined]


def singletons_with_their_row(admin_site, request) -> set[type[models.Model]]:
    """The one-row settings of `admin_site` whose row exists, read in one query per request:
    every admin page asks each of them (the sidebar's and the home's "add" links)."""
    found = getattr(request, "_singletons_with_their_row", None)
    if found is None:
        singletons = [
            model
            for model, model_admin in admin_site._registry.items()
            if isinstance(model_admin, SingletonModelAdmin)
        ]
        rows = [
            model._default_manager.annotate(singleton=Value(index)).values_list(
                "singleton", flat=True
            )[:1]
            for index, model in enumerate(singletons)
        ]
        present = set(rows[0].union(*rows[1:], all=True)) if rows else set()
        found = {model for index, model in enumerate(singletons) if index in present}
        setattr(request, "_singletons_with_their_row", found)  # noqa: B010
    return found


class SingletonModelAdmin(ModelAdmin):
    """HQ's one-row settings (order, stock, payout, settlement policies, scorecard thresholds...):
    the row is added once, never deleted, and, when `audit_action` is set, every save leaves an
    audit row naming the fields changed (who changed HQ's rules, when, to what)."""

    audit_action: str = ""

    def has_add_permission(self, request) -> bool:
        return self.model not in singletons_with_their_row(self.admin_site, request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if self.audit_action:
            record_audit_event(
                actor=request.user,
                action=self.audit_action,
                target=obj,
                data={name: str(form.cleaned_data[name]) for name in form.changed_data},
            )
