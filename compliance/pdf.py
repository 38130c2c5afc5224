"""The stores' terms as a PDF (reportlab, like payments.pdf): the durable medium of art. 3(1)(a).
Rendered once, at publication, and kept in the version's row: the document a store was sent is
the one it can download later, byte for byte."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """Blank lines separate paragraphs; a line break stays a line break."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(escape(block).replace("\n", "<br/>"), style) for block in blocks if block]


def terms_pdf(
    *,
    network: str,
    operator: str,
    version: int,
    title: str,
    body: str,
    changes_summary: str,
    effective_on: date,
    published_at: datetime,
    exception_label: str,
    exception_reason: str,
    mediators: Sequence[str],
) -> bytes:
    """The version as sent to the stores: its number, publication and effective dates, what
    changes, the exception to the notice period if any, the text, and the mediators named."""
    sheet = getSampleStyleSheet()
    normal, heading = sheet["Normal"], sheet["Heading3"]
    buffer = BytesIO()
    document_title = _("%(network)s · Terms for stores, version %(version)s") % {
        "network": network,
        "version": version,
    }
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=document_title,
        author=operator,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    facts = [
        _("Version %(version)s, published on %(published)s by %(operator)s.")
        % {
            "version": version,
            "published": date_format(timezone.localtime(published_at), "DATETIME_FORMAT"),
            "operator": operator,
        },
        _("Takes effect on %(date)s.") % {"date": date_format(effective_on, "DATE_FORMAT")},
    ]
    story = [
        Paragraph(escape(document_title), sheet["Title"]),
        Paragraph(escape(title), sheet["Heading2"]),
        *_paragraphs("\n".join(facts), normal),
    ]
    if exception_label:
        story += [
            Paragraph(escape(_("Exception to the notice period")), heading),
            *_paragraphs(f"{exception_label}\n{exception_reason}", normal),
        ]
    if changes_summary:
        story += [
            Paragraph(escape(_("What changes")), heading),
            *_paragraphs(changes_summary, normal),
        ]
    story += [
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Terms")), heading),
        *_paragraphs(body, normal),
        Paragraph(escape(_("Mediators")), heading),
        *_paragraphs("\n".join(mediators) if mediators else _("No mediator is named yet."), normal),
    ]
    doc.build(story)
    return buffer.getvalue()
