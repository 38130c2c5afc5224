"""Forms of the return pages: the customer's return request, the desk's walk-in lookup and
its inspection. They only check input; the rules are in fulfillment/services/."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.money import AmountError, format_cents, parse_euros
from stores.templatetags.stock_format import euros_input

from .models import Return, ReturnLine
from .services import LineInspection, ReturnRequestLine


class GuestOrderForm(forms.Form):
    """A guest proves the order is theirs with the e-mail it was placed with."""

    email = forms.EmailField(label=_("E-mail address used for the order"))


class OrderLookupForm(forms.Form):
    """The desk finds a walk-in customer's order: its number and e-mail, both must match."""

    number = forms.CharField(label=_("Order number"), max_length=20)
    email = forms.EmailField(label=_("Customer's e-mail"))


class ReturnLinesMixin:
    """One quantity field per returnable fulfilment line: `qty_<fulfilment line id>`."""

    def add_line_fields(self, returnable):
        self.returnable = returnable
        for line in returnable:
            if line.returnable_quantity:
                self.fields[f"qty_{line.fulfilment_line.pk}"] = forms.IntegerField(
                    label=line.order_line.product_name,
                    min_value=0,
                    max_value=line.returnable_quantity,
                    initial=0,
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "input-qty"}),
                )

    def line_rows(self):
        """(returnable line, its bound quantity field or None) for the template."""
        return [
            (line, self[f"qty_{line.fulfilment_line.pk}"] if line.returnable_quantity else None)
            for line in self.returnable
        ]

    def request_lines(self) -> list[ReturnRequestLine]:
        return [
            ReturnRequestLine(line.fulfilment_line, self.cleaned_data.get(name) or 0)
            for line in self.returnable
            if (name := f"qty_{line.fulfilment_line.pk}") in self.fields
        ]

    def check_some_line(self):
        if not any(line.quantity for line in self.request_lines()):
            raise ValidationError(_("Choose at least one item to return."), code="no_line")


# The reasons a customer or a desk picks; "withdrawal" is set by the withdrawal button only.
RETURN_REASONS = [
    (value, label) for value, label in Return.Reason.choices if value != Return.Reason.WITHDRAWAL
]


class ReturnRequestForm(ReturnLinesMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Why do you return it?"), choices=RETURN_REASONS)
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    method = forms.ChoiceField(
        label=_("How will you return it?"),
        choices=Return.Method.choices,
        initial=Return.Method.IN_STORE,
        widget=forms.RadioSelect,
    )
    store = forms.ModelChoiceField(
        label=_("Store"), queryset=None, required=False, empty_label=_("Choose a store")
    )

    def __init__(self, *args, returnable, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores
        self.fields["store"].label_from_instance = self.store_label
        self.add_line_fields(returnable)

    @staticmethod
    def store_label(store) -> str:
        distance = getattr(store, "distance_km", None)
        label = f"{store.city} · {store.name}"
        return f"{label} ({distance:.0f} km)" if distance is not None else label

    def clean(self):
        cleaned = super().clean()
        self.check_some_line()
        if cleaned.get("method") == Return.Method.IN_STORE and not cleaned.get("store"):
            self.add_error("store", _("Choose the store you will bring it to."))
        return cleaned


class DeskReturnForm(ReturnLinesMixin, forms.Form):
    """A walk-in customer's return, made at the desk: lines and a reason."""

    reason = forms.ChoiceField(label=_("Reason"), choices=RETURN_REASONS)
    comment = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, returnable, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_line_fields(returnable)

    def clean(self):
        cleaned = super().clean()
        self.check_some_line()
        return cleaned


class EuroAmountField(forms.CharField):
    """An amount in euros ("12,90"), zero allowed, cleaned to integer cents."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_euros(text)
        except AmountError as error:
            raise ValidationError(str(error), code="invalid") from None


class InspectionForm(forms.Form):
    """Per line: condition, put back into this store's stock or not, refund (default: the price
    paid). Fields are `condition_<id>`, `restock_<id>`, `refund_<id>` for each return line."""

    CONDITIONS = [
        (ReturnLine.Condition.RESALABLE, ReturnLine.Condition.RESALABLE.label),
        (ReturnLine.Condition.DAMAGED, ReturnLine.Condition.DAMAGED.label),
    ]

    def __init__(self, *args, return_request: Return, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(return_request.lines.all())
        for line in self.lines:
            self.fields[f"condition_{line.pk}"] = forms.ChoiceField(
                label=_("Condition"),
                choices=self.CONDITIONS,
                widget=forms.RadioSelect,
                initial=ReturnLine.Condition.RESALABLE,
            )
            self.fields[f"restock_{line.pk}"] = forms.BooleanField(
                label=_("Put back into our stock"), required=False, initial=True
            )
            self.fields[f"refund_{line.pk}"] = EuroAmountField(
                label=_("Refund"),
                initial=euros_input(line.max_refund_cents),
                help_text=_("At most %(max)s, the price paid.")
                % {"max": format_cents(line.max_refund_cents)},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-amount"}),
            )

    def rows(self):
        return [
            (
                line,
                self[f"condition_{line.pk}"],
                self[f"restock_{line.pk}"],
                self[f"refund_{line.pk}"],
            )
            for line in self.lines
        ]

    def clean(self):
        cleaned = super().clean()
        for line in self.lines:
            condition = cleaned.get(f"condition_{line.pk}")
            refund = cleaned.get(f"refund_{line.pk}")
            if condition == ReturnLine.Condition.DAMAGED and cleaned.get(f"restock_{line.pk}"):
                self.add_error(f"restock_{line.pk}", _("A damaged item can't go back into stock."))
            if refund is not None and refund > line.max_refund_cents:
                self.add_error(
                    f"refund_{line.pk}",
                    _("At most %(max)s, the price paid.")
                    % {"max": format_cents(line.max_refund_cents)},
                )
            if refund is None and f"refund_{line.pk}" not in self.errors:
                self.add_error(f"refund_{line.pk}", _("Say how much to refund (0 for nothing)."))
        return cleaned

    def inspections(self) -> list[LineInspection]:
        return [
            LineInspection(
                line,
                self.cleaned_data[f"condition_{line.pk}"],
                bool(self.cleaned_data.get(f"restock_{line.pk}")),
                self.cleaned_data[f"refund_{line.pk}"],
            )
            for line in self.lines
        ]
