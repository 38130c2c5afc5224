"""The back-office page where a franchise store's owner or manager gives the trader data the
marketplace must hold (DSA art. 30) and certifies; staff read it. Thin: the services decide."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.errors import DomainError
from stores.backoffice import backoffice_store, may_manage

from ..models import Measure, TraderCertification, TraderEvidence
from ..services.traders import (
    current_certification_text,
    is_trader,
    missing_trader_data,
    save_trader_data,
)


class TraderDataForm(forms.Form):
    legal_representative = forms.CharField(
        label=gettext_lazy("Legal representative"), max_length=200
    )
    id_document_reference = forms.CharField(
        label=gettext_lazy("Identity document of the representative (kind and number)"),
        max_length=200,
    )
    bank_account_holder = forms.CharField(label=gettext_lazy("Bank account holder"), max_length=200)
    bank_evidence_reference = forms.CharField(
        label=gettext_lazy("IBAN or reference of the bank statement (RIB) sent to HQ"),
        max_length=200,
    )
    certify = forms.BooleanField(
        label=gettext_lazy("I certify the statement above on behalf of the trader."),
        required=False,
    )
    text_version = forms.CharField(widget=forms.HiddenInput)


@backoffice_store
def trader_data(request, store):
    version, text = current_certification_text()
    evidence = TraderEvidence.objects.filter(store=store).first()
    if request.method == "POST":
        if not may_manage(request):
            raise PermissionDenied
        form = TraderDataForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                save_trader_data(
                    store=store,
                    actor=request.user,
                    legal_representative=data["legal_representative"],
                    id_document_reference=data["id_document_reference"],
                    bank_account_holder=data["bank_account_holder"],
                    bank_evidence_reference=data["bank_evidence_reference"],
                    certify_with_text_version=data["text_version"] if data["certify"] else None,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The trader information is saved."))
                return redirect("backoffice:compliance-trader", slug=store.slug)
    else:
        initial = {"text_version": version}
        if evidence is not None:
            initial.update(
                {
                    name: getattr(evidence, name)
                    for name in (
                        "legal_representative",
                        "id_document_reference",
                        "bank_account_holder",
                        "bank_evidence_reference",
                    )
                }
            )
        form = TraderDataForm(initial=initial)
    return render(
        request,
        "compliance/trader_backoffice.html",
        {
            "store": store,
            "form": form,
            "can_edit": may_manage(request),
            "is_trader": is_trader(store),
            "missing": missing_trader_data(store) if is_trader(store) else [],
            "evidence": evidence,
            "certification_text": text,
            "certification_version": version,
            "certifications": TraderCertification.objects.filter(store=store)[:20],
            "suspension": Measure.objects.filter(
                store=store, source="trader_data", status=Measure.Status.ACTIVE
            ).first(),
        },
    )
