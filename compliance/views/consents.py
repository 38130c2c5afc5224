"""The visitor's cookie choice (the banner, the map's placeholder, the cookies page) and the
customer's "Mes consentements" page under her account."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..consent_cookie import (
    CATEGORIES,
    CookieChoice,
    new_visitor_id,
    read_choice,
    write_choice,
)
from ..models import ConsentChannel
from ..selectors.consents import account_consent_lines
from ..services.consents import InvalidConsent, record_cookie_choice, update_account_consents


class CookieChoiceForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[("accept_all", ""), ("refuse_all", ""), ("custom", "")],
        error_messages={"invalid_choice": gettext_lazy("Choose to accept, refuse or customise.")},
    )
    maps = forms.BooleanField(required=False)
    source = forms.ChoiceField(
        required=False,
        choices=[("banner", ""), ("map", ""), ("page", "")],
    )
    next = forms.CharField(required=False, max_length=2000)

    def granted(self) -> set[str]:
        choice = self.cleaned_data["choice"]
        if choice == "accept_all":
            return set(CATEGORIES)
        if choice == "refuse_all":
            return set()
        return {name for name in CATEGORIES if self.cleaned_data.get(name)}


SOURCE_CHANNELS = {
    "banner": ConsentChannel.COOKIE_BANNER,
    "map": ConsentChannel.MAP_PLACEHOLDER,
    "page": ConsentChannel.WEB_FORM,
}


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def cookie_choice(request: HttpRequest) -> HttpResponse:
    """Record the visitor's choice in the ledger and in her cookie; back to the page she was
    on (or JSON for the banner's script). Bad input: 400, nothing recorded."""
    form = CookieChoiceForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"code": "invalid_choice", "fields": form.errors}, status=400)
        return render(request, "legal/cookies.html", _cookies_context(request, form), status=400)
    previous = read_choice(request)
    choice = CookieChoice(
        version="",
        granted=frozenset(form.granted()),
        visitor_id=previous.visitor_id if previous else new_visitor_id(),
    )
    record_cookie_choice(
        granted=choice.granted,
        visitor_id=choice.visitor_id,
        channel=SOURCE_CHANNELS[form.cleaned_data.get("source") or "banner"],
        actor=request.user if request.user.is_authenticated else "storefront visitor",
        user=request.user,
    )
    choice = CookieChoice(
        version=settings.COOKIE_NOTICE_VERSION, granted=choice.granted, visitor_id=choice.visitor_id
    )
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"granted": sorted(choice.granted)})
    else:
        target = form.cleaned_data.get("next") or "/"
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = "/"
        messages.success(request, _("Your cookie choice is saved."))
        response = redirect(target)
    write_choice(response, choice)
    return response


def _cookies_context(request: HttpRequest, form: CookieChoiceForm | None = None) -> dict:
    choice = read_choice(request)
    return {
        "legal_page": "cookies",
        "choice_form": form,
        "cookie_choice": choice if choice is not None and choice.is_current else None,
        "cookie_notice_version": settings.COOKIE_NOTICE_VERSION,
        "cookie_days": settings.COOKIE_CONSENT_MAX_AGE_DAYS,
    }


def cookies_page(request: HttpRequest) -> HttpResponse:
    """The cookie notice with the visitor's current choice and the form to change it (the
    footer's "Gérer les cookies" without JavaScript)."""
    return render(request, "legal/cookies.html", _cookies_context(request))


@login_required
def my_consents(request: HttpRequest) -> HttpResponse:
    """Her word for the network's offers and each store's, one toggle each; every change is a
    row in the ledger."""
    lines = account_consent_lines(request.user)
    if request.method == "POST":
        choices = {line.key: request.POST.get(line.key) == "on" for line in lines}
        try:
            written = update_account_consents(
                user=request.user, choices=choices, actor=request.user
            )
        except InvalidConsent as error:
            messages.error(request, error.message)
            return redirect("consents:mine")
        if written:
            messages.success(request, _("Your choices are saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("consents:mine")
    return render(
        request,
        "compliance/my_consents.html",
        {"lines": lines, "section": "consents", "cookie_choice": read_choice(request)},
    )
