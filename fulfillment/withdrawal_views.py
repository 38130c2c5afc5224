"""The withdrawal button's pages (Directive 2023/2673), under /orders/<number>/:
the confirmation step of one order part ("Se rétracter du contrat ici" on the order page leads
here: the lines and quantities, an optional reason, how the goods come back, then "Confirmer
la rétractation"), the acknowledgement page, and its PDF.

Who may: as for returns (fulfillment/views.py), the signed-in customer who placed the order, a
guest who gave the order's e-mail, or the browser following the order.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.errors import DomainError

from .forms import ReturnRequestForm
from .models import Return, Withdrawal
from .selectors import return_warehouse, stores_accepting_returns, withdrawable_lines
from .services import ReturnRequestLine, acknowledgement_filename, withdraw
from .views import order_if_allowed
from .withdrawal_pdf import acknowledgement_pdf


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Your reason (optional: you don't have to give one)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    method = forms.ChoiceField(
        label=gettext_lazy("How will you send the items back?"),
        choices=Return.Method.choices,
        initial=Return.Method.IN_STORE,
        widget=forms.RadioSelect,
    )
    store = forms.ModelChoiceField(
        label=gettext_lazy("Store you will bring them to"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Choose a store"),
    )

    def __init__(self, *args, lines, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.fields["store"].queryset = stores
        self.fields["store"].label_from_instance = ReturnRequestForm.store_label
        if return_warehouse() is None:
            self.fields["method"].choices = [
                choice for choice in Return.Method.choices if choice[0] != Return.Method.POST
            ]
        for line in lines:
            if line.quantity:
                self.fields[f"qty_{line.fulfilment_line.pk}"] = forms.IntegerField(
                    label=line.order_line.product_name,
                    min_value=0,
                    max_value=line.quantity,
                    initial=line.quantity,
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "input-qty"}),
                )

    def rows(self):
        return [
            (line, self[f"qty_{line.fulfilment_line.pk}"] if line.quantity else None)
            for line in self.lines
        ]

    def request_lines(self) -> list[ReturnRequestLine]:
        return [
            ReturnRequestLine(line.fulfilment_line, self.cleaned_data.get(name) or 0)
            for line in self.lines
            if (name := f"qty_{line.fulfilment_line.pk}") in self.fields
        ]

    def clean(self):
        cleaned = super().clean()
        if not any(line.quantity for line in self.request_lines()):
            raise forms.ValidationError(_("Choose at least one item to withdraw from."))
        if cleaned.get("method") == Return.Method.IN_STORE and not cleaned.get("store"):
            self.add_error("store", _("Choose the store you will bring them to."))
        return cleaned


def _actor(request: HttpRequest, order):
    return request.user if request.user.is_authenticated else f"guest:{order.email}"


def confirm_withdrawal(request: HttpRequest, number: str, part: int) -> HttpResponse:
    """The confirmation step of one order part's withdrawal."""
    order = order_if_allowed(request, number)
    if order is None:
        return redirect("returns:start", number=number)
    fulfilment = get_object_or_404(order.fulfilments.select_related("store"), pk=part)
    lines = [
        line
        for line in withdrawable_lines(order)
        if line.fulfilment_line.fulfilment_id == fulfilment.pk
    ]
    form = WithdrawalForm(
        request.POST if request.method == "POST" else None,
        lines=lines,
        stores=stores_accepting_returns(),
        initial={"store": fulfilment.store.pk if fulfilment.store.accepts_returns else None},
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                made = withdraw(
                    order=order,
                    lines=form.request_lines(),
                    method=form.cleaned_data["method"],
                    store=form.cleaned_data.get("store"),
                    reason=form.cleaned_data["reason"],
                    channel=Withdrawal.Channel.WEB,
                    actor=_actor(request, order),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return redirect("returns:withdrawal", number=order.number, reference=made.reference)
        status = 400
    return render(
        request,
        "storefront/withdrawal_confirm.html",
        {
            "order": order,
            "part": fulfilment,
            "form": form,
            "rows": form.rows(),
            "any_withdrawable": any(line.quantity for line in lines),
        },
        status=status,
    )


def _withdrawal(request: HttpRequest, number: str, reference: str) -> Withdrawal:
    order = order_if_allowed(request, number)
    if order is None:
        raise Http404
    return get_object_or_404(
        Withdrawal.objects.select_related("order", "return_request__store").prefetch_related(
            "lines__order_line", "lines__seller_store"
        ),
        order=order,
        reference=reference.upper(),
    )


def withdrawal_detail(request: HttpRequest, number: str, reference: str) -> HttpResponse:
    """The acknowledgement: the date and time of the withdrawal, its units, the return to
    make, the refund's due date and the PDF."""
    withdrawal = _withdrawal(request, number, reference)
    return render(
        request,
        "storefront/withdrawal_detail.html",
        {
            "order": withdrawal.order,
            "withdrawal": withdrawal,
            "return": withdrawal.return_request,
            "declared_at": timezone.localtime(withdrawal.declared_at),
        },
    )


def withdrawal_pdf(request: HttpRequest, number: str, reference: str) -> HttpResponse:
    withdrawal = _withdrawal(request, number, reference)
    response = HttpResponse(acknowledgement_pdf(withdrawal), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{acknowledgement_filename(withdrawal)}"'
    )
    return response
