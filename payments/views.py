"""The store back-office's "Money" section (/store/<slug>/money/): balance and the next
payout (with what is held back and why), payouts history, statements (PDF, CSV), invoices
(PDF) and HQ's commission on each order. A store user sees only their own store's pages
(another store's are a 404); HQ sees every store's."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from stores.backoffice import backoffice_store

from . import exports, payouts, selectors
from .facturx import facturx_pdf
from .forms import PeriodForm
from .models import PaymentAccount, PayoutPolicy
from .pdf import statement_pdf

PAGE_SIZE = 25


def _attachment(content, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _own_sales_this_month(store) -> selectors.OwnSales:
    start, end = selectors.month_bounds(timezone.localdate())
    return selectors.hq_own_sales(store=store, start=start, end=end)


@backoffice_store
def overview(request, store):
    if selectors.is_hq_own(store):
        # A branch's sales are HQ's own: no balance, no commission, no payout to show.
        return render(
            request,
            "backoffice/money.html",
            {
                "store": store,
                "hq_own": True,
                "own_sales": _own_sales_this_month(store),
                "invoices": selectors.store_invoices(store)[:3],
            },
        )
    policy = PayoutPolicy.current()
    account = PaymentAccount.objects.filter(store=store).first()
    availability = payouts.store_availability(store, policy=policy, account=account)
    page = Paginator(selectors.store_payouts(store), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/money.html",
        {
            "store": store,
            "availability": availability,
            "policy": policy,
            "next_payout": payouts.next_payout_day(policy, timezone.localdate()),
            "page": page,
            "invoices": selectors.store_invoices(store)[:3],
        },
    )


@backoffice_store
def statement(request, store):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = today.replace(day=1), today
    if form.is_bound and not form.is_valid():
        # Nothing is computed for a wrong period: the page says why, on this month's figures.
        stmt = selectors.statement(store=store, start=start, end=end)
        return render(
            request,
            "backoffice/money_statement.html",
            {
                "store": store,
                "statement": stmt,
                "start": start,
                "end": end,
                "form": form,
                "querystring": f"start={start}&end={end}",
            },
            status=400,
        )
    if form.is_bound:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    stmt = selectors.statement(store=store, start=start, end=end)
    name = f"statement-{store.slug}-{start:%Y%m%d}-{end:%Y%m%d}"
    download = request.GET.get("download")
    if download == "pdf":
        return _attachment(
            statement_pdf(stmt), filename=f"{name}.pdf", content_type="application/pdf"
        )
    if download == "csv":
        stream = io.StringIO()
        exports.write_statement_csv(stream, stmt)
        return _attachment(
            stream.getvalue(), filename=f"{name}.csv", content_type="text/csv; charset=utf-8"
        )
    return render(
        request,
        "backoffice/money_statement.html",
        {
            "store": store,
            "statement": stmt,
            "start": start,
            "end": end,
            "form": form,
            "querystring": f"start={start}&end={end}",
        },
    )


@backoffice_store
def invoice_list(request, store):
    page = Paginator(selectors.store_invoices(store), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backoffice/money_invoices.html", {"store": store, "page": page})


@backoffice_store
def invoice_download(request, store, number):
    invoice = get_object_or_404(
        selectors.store_invoices(store).prefetch_related("lines"), number=number
    )
    return _attachment(
        facturx_pdf(invoice), filename=f"{invoice.number}.pdf", content_type="application/pdf"
    )


@backoffice_store
def commissions(request, store):
    today = timezone.localdate()
    try:
        month = selectors.parse_month(request.GET["month"]) if "month" in request.GET else today
    except ValueError as exc:
        raise Http404 from exc
    start, end = selectors.month_bounds(month)
    rows = selectors.commission_rows(store=store, start=start, end=end)
    hq_own = selectors.is_hq_own(store)
    previous = (start.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = end + timedelta(days=1)
    return render(
        request,
        "backoffice/money_commissions.html",
        {
            "store": store,
            "rows": rows,
            "hq_own": hq_own,
            "own_sales": selectors.hq_own_sales(store=store, start=start, end=end)
            if hq_own
            else None,
            "start": start,
            "end": end,
            "totals": {
                name: sum(getattr(row, name) for row in rows)
                for name in ("gross_cents", "net_cents", "commission_cents", "vat_cents")
            },
            "previous": previous,
            "following": following if following <= today else None,
        },
    )
