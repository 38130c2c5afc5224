"""The transparency report's files, in the layout of the templates of Commission Implementing
Regulation (EU) 2024/2835: CSV (one line per row, each section introduced by its title line)
and XLSX (one sheet per section). The figures are the report's as generated."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from ..models import TransparencyReport
from .transparency_report import SECTIONS, report_rows

HEADER = ["Section", "Row", "Breakdown", "Value"]


def export_csv(report: TransparencyReport) -> bytes:
    """The report as CSV: one line per row, each section introduced by its title line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    current = None
    for row in report_rows(report):
        if row.section != current:
            current = row.section
            writer.writerow([row.section, SECTIONS[row.section], "", ""])
        writer.writerow(row.as_list())
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(report: TransparencyReport) -> bytes:
    """The report as an Excel workbook: one sheet per section, as the templates have."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    rows = report_rows(report)
    for code, title in SECTIONS.items():
        sheet = workbook.create_sheet(f"Section {code}"[:31])
        sheet.append([f"{code}. {title}"])
        sheet["A1"].font = Font(bold=True)
        sheet.append(HEADER[1:])
        for row in rows:
            if row.section == code:
                sheet.append([row.label, row.breakdown, row.value])
        sheet.column_dimensions["A"].width = 60
        sheet.column_dimensions["B"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
