"""The store's payment account in the back-office: its state at the provider, and the
onboarding (KYC) HQ starts and the store's owner completes on the provider's pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from stores.backoffice import backoffice_store

from .accounts import refresh_account, start_onboarding
from .providers import ProviderUnavailable
from .selectors import account_summary, may_see_payment_account, payment_account_of

RETURNED_PARAM = "returned"


def _check_access(request) -> None:
    if not may_see_payment_account(user=request.user, membership=request.membership):
        raise Http404


@backoffice_store
def payment_account(request, store):
    """The account's state; coming back from the provider's onboarding, read it again."""
    _check_access(request)
    account = payment_account_of(store)
    if account is not None and RETURNED_PARAM in request.GET:
        try:
            refresh_account(account=account, actor=request.user)
        except ProviderUnavailable:
            messages.warning(
                request, _("The payment provider did not answer: the state shown may be old.")
            )
        return redirect("backoffice:payment-account", slug=store.slug)
    summary = account_summary(store)
    return render(
        request,
        "backoffice/payment_account.html",
        {
            "store": store,
            "summary": summary,
            "can_start": request.user.is_staff,
            "can_continue": summary.account is not None and summary.state != "ready",
        },
    )


@backoffice_store
def onboarding(request, store):
    """POST: HQ opens the account if needed; HQ or the owner goes on to the provider's
    onboarding. GET: the provider's refresh URL (an expired link): a new link, same place."""
    _check_access(request)
    account = payment_account_of(store)
    if account is None and not (request.method == "POST" and request.user.is_staff):
        messages.info(request, _("HQ opens the store's payment account first."))
        return redirect("backoffice:payment-account", slug=store.slug)
    page = reverse("backoffice:payment-account", args=[store.slug])
    try:
        url = start_onboarding(
            store=store,
            refresh_url=request.build_absolute_uri(
                reverse("backoffice:payment-onboarding", args=[store.slug])
            ),
            return_url=request.build_absolute_uri(f"{page}?{RETURNED_PARAM}=1"),
            actor=request.user,
        )
    except ProviderUnavailable:
        messages.error(request, _("The payment provider did not answer: try again in a moment."))
        return redirect("backoffice:payment-account", slug=store.slug)
    return redirect(url)
