"""Public pages of part C2: the transparency reports (DSA art. 15, 24) with the average monthly
active recipients and how they are counted, and the notice of illegal products whose buyers
could not all be reached (art. 32(2)). Read-only, no account needed."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..selectors.reports import (
    illegal_product_notices,
    latest_average_recipients,
    published_reports,
)
from ..services.transparency_export import export_csv, export_xlsx
from ..services.transparency_report import SECTIONS, report_rows


def transparency(request):
    reports = published_reports()
    shown = reports[0] if reports else None
    year = request.GET.get("year", "")
    if year.isdigit():
        shown = next((report for report in reports if report.year == int(year)), shown)
    sections = []
    if shown is not None:
        rows = report_rows(shown)
        sections = [
            {"code": code, "title": title, "rows": [row for row in rows if row.section == code]}
            for code, title in SECTIONS.items()
        ]
    return render(
        request,
        "compliance/transparency.html",
        {
            "reports": reports,
            "report": shown,
            "sections": sections,
            "recipients": latest_average_recipients(today=timezone.localdate()),
        },
    )


def transparency_download(request, year: int, fmt: str):
    report = next((report for report in published_reports() if report.year == year), None)
    if report is None or fmt not in {"csv", "xlsx"}:
        raise Http404
    if fmt == "csv":
        response = HttpResponse(export_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            export_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="dsa-transparency-{year}.{fmt}"'
    return response


def illegal_products(request):
    return render(request, "compliance/illegal_products.html", {"cases": illegal_product_notices()})
