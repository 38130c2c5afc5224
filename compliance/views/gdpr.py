"""The customer's "My data" pages under her account (/accounts/data/): ask for an export of
her data and download it through the e-mailed signed link, close her account. Mounted from
config/urls.py (compliance/gdpr_urls.py), framed by the account layout."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network_marketplace.storage import private_file_response

from ..gdpr_forms import CloseAccountForm
from ..services import gdpr
from ..services.gdpr.clocks import retention_table


@login_required
def your_data(request: HttpRequest) -> HttpResponse:
    """Her latest export (being prepared, ready with its link, expired) and the closing."""
    export = gdpr.latest_export_of(request.user)
    ready = export is not None and export.status == export.Status.READY and export.archive
    return render(
        request,
        "compliance/gdpr/data.html",
        {
            "section": "data",
            "export": export,
            "download_url": gdpr.download_path(export) if ready and export else "",
            "expires_at": gdpr.link_expires_at(export) if ready and export else None,
            "open_orders": gdpr.open_order_numbers(request.user),
            "retention": retention_table(),
        },
    )


@login_required
@require_POST
def request_export(request: HttpRequest) -> HttpResponse:
    try:
        gdpr.request_personal_data_export(user=request.user, actor=request.user)
    except gdpr.ExportAlreadyRequested as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request,
            _("We are preparing your data. You will get an e-mail with the link to download it."),
        )
    return redirect("gdpr:data")


@login_required
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    """The ZIP, for its signed-in owner only, while the link is valid (404 otherwise)."""
    try:
        export = gdpr.export_for_download(token=token, user=request.user)
    except gdpr.ExportLinkInvalid as error:
        return render(
            request,
            "compliance/gdpr/link_invalid.html",
            {"section": "data", "message": error.message},
            status=404,
        )
    gdpr.record_download(export=export, actor=request.user)
    day = timezone.localdate(export.finished_at).isoformat() if export.finished_at else "export"
    return private_file_response(
        export.archive.storage,
        export.archive.name,
        filename=f"mes-donnees-{day}.zip",
        content_type="application/zip",
    )


@login_required
def close_account(request: HttpRequest) -> HttpResponse:
    """Confirm with her password, then close: signed out, back home, told what was kept."""
    user = request.user
    form = CloseAccountForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            form.add_error(None, _("Too many attempts: wait a minute and try again."))
        elif form.is_valid():
            try:
                report = gdpr.close_account(user=user, actor=user)
            except gdpr.AccountHasOpenOrders as error:
                form.add_error(None, error.message)
            else:
                logout(request)
                messages.success(request, _closed_message(report.kept))
                return redirect("home")
    return render(
        request,
        "compliance/gdpr/close.html",
        {"section": "data", "form": form, "open_orders": gdpr.open_order_numbers(user)},
        status=status,
    )


def _closed_message(kept: int) -> str:
    if not kept:
        return _("Your account is closed and your data erased.")
    return _(
        "Your account is closed and your data erased, except what the law requires us to keep "
        "of your orders (invoices, 10 years), kept apart."
    )
