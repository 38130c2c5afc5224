"""The store's "Tax data (DAC7)" back-office page: its owner or manager gives the data HQ
reports to the tax administration, checked by compliance.services.dac7 (a wrong key is an
error under its field, HTTP 400, nothing saved); every member reads the store's copies of the
declarations. Thin: the services decide."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stores.backoffice import backoffice_store, may_manage

from ..models import Dac7Notice, Dac7SellerData, Dac7SellerReport
from ..services.dac7 import (
    EU_COUNTRIES,
    Dac7DataInvalid,
    active_dac7_hold,
    check_seller_data,
    current_values,
    missing_dac7_data,
    save_dac7_data,
)
from ..services.traders import is_trader

COUNTRY_CHOICES = [(code, code) for code in EU_COUNTRIES]


class Dac7DataForm(forms.Form):
    seller_kind = forms.ChoiceField(
        label=gettext_lazy("The store's business is run by"),
        choices=Dac7SellerData.SellerKind.choices,
        widget=forms.RadioSelect,
    )
    company_name = forms.CharField(label=gettext_lazy("Legal name"), max_length=200)
    legal_address = forms.CharField(
        label=gettext_lazy("Registered address"),
        max_length=300,
        help_text=gettext_lazy("Street, postal code city: “12 rue de la Paix, 69002 Lyon”."),
    )
    tin = forms.CharField(
        label=gettext_lazy("Tax identification number (TIN)"),
        max_length=40,
        help_text=gettext_lazy(
            "A French company: its SIREN (9 digits). A French individual: the 13-digit tax "
            "number (numéro fiscal)."
        ),
    )
    tin_country = forms.ChoiceField(
        label=gettext_lazy("State that issued it"), choices=COUNTRY_CHOICES
    )
    vat_number = forms.CharField(
        label=gettext_lazy("Intra-EU VAT number"), max_length=20, required=False
    )
    registration_number = forms.CharField(
        label=gettext_lazy("Registration number (SIRET or RCS)"), max_length=40
    )
    iban = forms.CharField(label=gettext_lazy("IBAN of the account paid"), max_length=42)
    bic = forms.CharField(label=gettext_lazy("BIC"), max_length=11, required=False)
    account_holder = forms.CharField(label=gettext_lazy("Account holder"), max_length=200)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=gettext_lazy("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    birth_city = forms.CharField(
        label=gettext_lazy("Place of birth"), max_length=100, required=False
    )
    birth_country = forms.CharField(
        label=gettext_lazy("Country of birth (2-letter code)"), max_length=2, required=False
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        checked = check_seller_data(data)
        for name, error in checked.errors.items():
            self.add_error(name if name in self.fields else None, error)
        return checked.values


@backoffice_store
def tax_data(request, store):
    status = 200
    if request.method == "POST":
        if not may_manage(request):
            raise PermissionDenied
        form = Dac7DataForm(request.POST)
        if form.is_valid():
            try:
                save_dac7_data(store=store, actor=request.user, values=form.cleaned_data)
            except Dac7DataInvalid as exc:
                for name, error in exc.errors.items():
                    form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(request, _("The tax data is saved."))
                return redirect("backoffice:compliance-tax-data", slug=store.slug)
        status = 400
    else:
        form = Dac7DataForm(initial=current_values(store))
    can_edit = may_manage(request)
    return render(
        request,
        "compliance/dac7_backoffice.html",
        {
            "store": store,
            "form": form,
            "can_edit": can_edit,
            "is_seller": is_trader(store),
            "missing": missing_dac7_data(store),
            "data": Dac7SellerData.objects.filter(store=store).first(),
            "hold": active_dac7_hold(store),
            "notices": Dac7Notice.objects.filter(store=store)[:10],
            "copies": Dac7SellerReport.objects.filter(store=store)
            .select_related("declaration")
            .order_by("-declaration__year", "-declaration__declaration_id"),
        },
        status=status,
    )


@backoffice_store
def tax_copy(request, store, pk):
    """The store's copy of one declaration: what HQ reported about it, quarter by quarter."""
    copy = get_object_or_404(
        Dac7SellerReport.objects.select_related("declaration"), pk=pk, store=store
    )
    return render(
        request,
        "compliance/dac7_copy.html",
        {"store": store, "copy": copy, "declaration": copy.declaration},
    )
