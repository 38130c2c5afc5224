"""Store back-office: stock & prices, feed file upload, stock movements (/store/<slug>/stock/).

Who may do what (also said on the pages): owners, managers and staff members count stock;
only owners and managers (and HQ) change prices, or upload a file that carries prices.
"""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.selectors import category_descendant_ids, price_bounds_for_variants, variants_by_sku
from network_marketplace.errors import DomainError

from .backoffice import backoffice_store
from .forms import FeedUploadForm, MovementFilterForm, StockFilterForm, StockRowForm
from .models import StockLevel, StockMovement
from .selectors import may_set_prices, store_movements, store_stock
from .services import StockFeedRejected, apply_stock_feed, read_feed_file, update_offer
from .services.feeds import RowError
from .services.stock import UNCHANGED
from .templatetags.stock_format import euros_input

PAGE_SIZE = 50
# The stock page's rows per page: the filter offers 25, 50 or 100, never more (each row is a
# form with its bounds; a longer page is what made Save and History hard to reach).
MAX_STOCK_PAGE_SIZE = 100
FEED_TEMPLATE_COLUMNS = ("sku", "on_hand", "price", "sequence")


def _can_set_prices(request, store) -> bool:
    return may_set_prices(request.user, store, membership=request.membership)


def _row_form(level, *, can_set_prices, data=None) -> StockRowForm:
    return StockRowForm(
        data,
        can_set_prices=can_set_prices,
        prefix=f"s{level.pk}",
        initial={
            "on_hand": level.on_hand,
            "on_hand_was": level.on_hand,
            "price": euros_input(level.price_cents),
            "price_was": level.price_cents,
            "reduction": level.promotion_started_at is not None,
            "reduction_was": level.promotion_started_at is not None,
            "reduction_ends": _last_day(level.promotion_ends_at),
            "reduction_ends_was": _last_day(level.promotion_ends_at),
        },
    )


def _filtered_stock(request, store):
    """The stock rows the page's filters select, the bound filter form and the page size."""
    filters = StockFilterForm(request.GET or None)
    query, availability, category_ids, per_page = "", "", None, PAGE_SIZE
    if filters.is_valid():
        per_page = min(filters.cleaned_data["per_page"] or PAGE_SIZE, MAX_STOCK_PAGE_SIZE)
        query = filters.cleaned_data["q"]
        availability = filters.cleaned_data["availability"]
        category = filters.cleaned_data["category"]
        if category is not None:
            category_ids = category_descendant_ids(category)
    levels = store_stock(
        store=store, query=query, availability=availability, category_ids=category_ids
    )
    return filters, levels, per_page


def _render_stock_list(request, store, *, bound_form=None, bound_level=None, status=200):
    can_set_prices = _can_set_prices(request, store)
    filters, levels, per_page = _filtered_stock(request, store)
    page = Paginator(levels, per_page).get_page(request.GET.get("page"))
    bounds = price_bounds_for_variants([level.variant for level in page])
    rows = [
        {
            "level": level,
            "bounds": bounds[level.variant_id],
            "form": bound_form
            if bound_level is not None and level.pk == bound_level.pk
            else _row_form(level, can_set_prices=can_set_prices),
        }
        for level in page
    ]
    if bound_level is not None and all(row["level"].pk != bound_level.pk for row in rows):
        # The row in error is no longer on this page (filters changed meanwhile): show it first.
        rows.insert(
            0,
            {
                "level": bound_level,
                "form": bound_form,
                "bounds": price_bounds_for_variants([bound_level.variant])[bound_level.variant_id],
            },
        )
    return render(
        request,
        "backoffice/stock_list.html",
        {
            "store": store,
            "filters": filters,
            "page": page,
            "rows": rows,
            "can_set_prices": can_set_prices,
            "querystring": _querystring(request),
        },
        status=status,
    )


def _querystring(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@backoffice_store
def stock_list(request, store):
    """The store's stock rows, searchable and filtered, 25 to 100 a page (50 by default), each
    editable inline."""
    return _render_stock_list(request, store)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _last_day(ends_at):
    """The last day a reduction runs (its end is the next midnight), for the date field."""
    return (timezone.localtime(ends_at) - timedelta(microseconds=1)).date() if ends_at else None


@require_POST
@backoffice_store
def stock_update(request, store, level_id):
    """Save one row's quantity on hand and price. Without JavaScript: redirect back to the list
    with a message, or the list again with the error next to the row (400). With JavaScript
    (Accept: application/json): the row's new HTML and the message, as JSON."""
    level = get_object_or_404(
        StockLevel.objects.for_store(store).select_related("variant__product"), pk=level_id
    )
    can_set_prices = _can_set_prices(request, store)
    form = _row_form(level, can_set_prices=can_set_prices, data=request.POST)
    if form.is_valid():
        changes = form.changes()
        try:
            level = update_offer(
                store=store,
                variant=level.variant,
                source=StockMovement.Source.BACKOFFICE,
                actor=request.user,
                **changes,
            )
        except DomainError as error:
            field = {"price_out_of_bounds": "price", "not_a_reduction": "reduction"}.get(error.code)
            form.add_error(field, error.message)
        else:
            unchanged = (
                changes["on_hand"] is UNCHANGED
                and changes["price_cents"] is UNCHANGED
                and "reduction" not in changes
            )
            message = (_("%(sku)s: nothing to change.") if unchanged else _("%(sku)s saved.")) % {
                "sku": level.variant.sku
            }
            if _wants_json(request):
                return JsonResponse(
                    {"ok": True, "message": message, "row": _row_html(request, store, level)}
                )
            messages.success(request, message)
            url = reverse("backoffice:stock", args=[store.slug])
            query = _querystring(request)
            return redirect(f"{url}{'?' + query if query else ''}#stock-{level.pk}")
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": False,
                "message": _("%(sku)s was not saved.") % {"sku": level.variant.sku},
                "row": _row_html(request, store, level, form=form),
            },
            status=400,
        )
    return _render_stock_list(request, store, bound_form=form, bound_level=level, status=400)


def _row_html(request, store, level, *, form=None) -> str:
    can_set_prices = _can_set_prices(request, store)
    return render_to_string(
        "backoffice/_stock_row.html",
        {
            "store": store,
            "row": {
                "level": level,
                "bounds": price_bounds_for_variants([level.variant])[level.variant_id],
                "form": form or _row_form(level, can_set_prices=can_set_prices),
            },
            "can_set_prices": can_set_prices,
            "querystring": _querystring(request),
        },
        request=request,
    )


@backoffice_store
def stock_import(request, store):
    """Upload a CSV/XLSX stock file; show what was applied, or every error and nothing applied."""
    can_set_prices = _can_set_prices(request, store)
    form = FeedUploadForm(request.POST or None, request.FILES or None)
    result, errors, error_count, status = None, [], 0, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                rows = read_feed_file(uploaded)
                if not can_set_prices and _carries_prices(rows):
                    raise StockFeedRejected(
                        [
                            RowError(
                                0,
                                "price",
                                _(
                                    "Your role can't change prices: remove the "
                                    "price column or ask the store's owner."
                                ),
                            )
                        ]
                    )
                result = apply_stock_feed(
                    store=store,
                    rows=rows,
                    source=StockMovement.Source.FILE,
                    actor=request.user,
                    reference=uploaded.name[:200],
                )
                status = 200
            except StockFeedRejected as rejected:
                file_errors = [error for error in rejected.errors if error.row == 0]
                for error in file_errors:
                    form.add_error("file", error.message)
                if not file_errors:
                    errors, error_count = rejected.errors, rejected.error_count
    return render(
        request,
        "backoffice/stock_import.html",
        {
            "store": store,
            "form": form,
            "result": result,
            "errors": errors,
            "error_count": error_count,
            "can_set_prices": can_set_prices,
            "filename": request.FILES["file"].name if "file" in request.FILES else "",
        },
        status=status,
    )


def _carries_prices(rows: list[dict]) -> bool:
    return any(str(row.get(key) or "").strip() for row in rows for key in ("price", "price_cents"))


@backoffice_store
def stock_import_template(request, store):
    """An example CSV: the expected columns, with a few of the store's own SKUs."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stock-{store.slug}-example.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(FEED_TEMPLATE_COLUMNS)
    levels = list(store_stock(store=store)[:3])
    # Sequence 1: uploading the example as it is never jumps ahead of the till's own sequence.
    sequence = 1
    for level in levels:
        writer.writerow(
            [level.variant.sku, level.on_hand, euros_input(level.price_cents), sequence]
        )
    if not levels:
        writer.writerow(["ARD-000123", 12, "24,90", sequence])
        writer.writerow(["ARD-000124", 0, "", sequence])
    return response


@backoffice_store
def stock_movements(request, store):
    """Every change of the store's quantities on hand, newest first; by SKU and reason."""
    filters = MovementFilterForm(request.GET or None)
    movements = store_movements(store=store)
    if filters.is_valid():
        sku, reason = filters.cleaned_data["sku"].strip(), filters.cleaned_data["reason"]
        variant = variants_by_sku([sku]).get(sku) if sku else None
        if sku and variant is None:
            filters.add_error("sku", _("Unknown SKU: %(sku)s.") % {"sku": sku})
            movements = movements.none()
        elif variant is not None:
            movements = store_movements(store=store, variant_id=variant.pk)
        if reason:
            movements = movements.filter(reason=reason)
    page = Paginator(movements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/stock_movements.html",
        {
            "store": store,
            "filters": filters,
            "page": page,
            "querystring": _querystring(request),
        },
    )
