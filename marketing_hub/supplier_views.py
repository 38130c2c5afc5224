"""The suppliers' portal (/supplier/): a supplier's login sees its own lines only (another
supplier's line is a 404), downloads their print files, marks them produced and shipped. The
signed print links of the suppliers' e-mails are served here too, without a login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network_marketplace.errors import DomainError

from .models import MarketingOrderLine, Supplier
from .services import supplier as supplier_service

PAGE_SIZE = 30


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _supplier(request: HttpRequest) -> Supplier:
    suppliers = supplier_service.suppliers_of_user(request.user).order_by("pk")
    chosen = request.GET.get("supplier") or request.POST.get("supplier")
    if chosen and str(chosen).isdigit():
        suppliers = suppliers.filter(pk=int(chosen))
    supplier = suppliers.first()
    if supplier is None:
        raise Http404
    return supplier


def _own_line(request: HttpRequest, pk: int) -> tuple[Supplier, MarketingOrderLine]:
    supplier = _supplier(request)
    return supplier, get_object_or_404(supplier_service.lines_for_supplier(supplier), pk=pk)


@login_required
def lines(request: HttpRequest) -> HttpResponse:
    supplier = _supplier(request)
    queryset = supplier_service.lines_for_supplier(supplier)
    status = request.GET.get("status", "")
    if status in dict(MarketingOrderLine.Status.choices):
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "marketing_hub/supplier_lines.html",
        {
            "supplier": supplier,
            "page": page,
            "status": status,
            "statuses": supplier_service.SUPPLIER_VISIBLE,
            "status_choices": [
                (value, label)
                for value, label in MarketingOrderLine.Status.choices
                if value in supplier_service.SUPPLIER_VISIBLE
            ],
        },
    )


@login_required
@require_POST
def mark_produced(request: HttpRequest, pk: int) -> HttpResponse:
    supplier, line = _own_line(request, pk)
    try:
        supplier_service.mark_produced(supplier=supplier, line=line, actor=request.user)
        messages.success(request, _("Line %(line)s is in production.") % {"line": line})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("marketing_supplier:lines")


@login_required
@require_POST
def mark_shipped(request: HttpRequest, pk: int) -> HttpResponse:
    supplier, line = _own_line(request, pk)
    try:
        supplier_service.mark_shipped(
            supplier=supplier,
            line=line,
            carrier=request.POST.get("carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""),
            actor=request.user,
        )
        messages.success(request, _("Line %(line)s is shipped.") % {"line": line})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("marketing_supplier:lines")


@login_required
def line_file(request: HttpRequest, pk: int) -> HttpResponse:
    _supplier_row, line = _own_line(request, pk)
    try:
        data = supplier_service.print_file_bytes(line)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    return _pdf(data, supplier_service.print_file_name(line))


def signed_file(request: HttpRequest, token: str) -> HttpResponse:
    """The print file of a supplier's e-mail link: signed, expiring, checked byte for byte."""
    try:
        line = supplier_service.line_for_print_token(token)
        data = supplier_service.print_file_bytes(line)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    return _pdf(data, supplier_service.print_file_name(line))
