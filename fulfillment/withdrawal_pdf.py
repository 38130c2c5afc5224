"""The acknowledgement of a withdrawal on a durable medium (Directive 2011/83/EU art. 11(3),
as amended by Directive 2023/2673): a PDF giving the date and time of the withdrawal, the
order, the units and their sellers, the return to make and the refund's due date. Rendered
from the stored withdrawal, so the same record always gives the same document; sent attached
to the acknowledgement e-mail and downloadable from the order page."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Return, Withdrawal


def moment(value) -> str:
    """ "12/06/2026 à 14:03:27 (heure de Paris)": the date and time, to the second."""
    local = timezone.localtime(value)
    return _("%(date)s at %(time)s (Paris time)") % {
        "date": date_format(local.date(), "SHORT_DATE_FORMAT"),
        "time": local.strftime("%H:%M:%S"),
    }


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def acknowledgement_pdf(withdrawal: Withdrawal) -> bytes:
    sheet = getSampleStyleSheet()
    normal, title_style, heading = sheet["Normal"], sheet["Title"], sheet["Heading4"]
    buffer = BytesIO()
    title = _("Acknowledgement of your withdrawal %(reference)s") % {
        "reference": withdrawal.reference
    }
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    order = withdrawal.order
    return_request = withdrawal.return_request
    operator = settings.NETWORK_OPERATOR
    facts = [
        _("We received your withdrawal from the contract on %(moment)s.")
        % {"moment": moment(withdrawal.declared_at)},
        _("Order: %(number)s, placed on %(date)s")
        % {
            "number": order.number,
            "date": date_format(timezone.localtime(order.placed_at).date(), "SHORT_DATE_FORMAT")
            if order.placed_at
            else "",
        },
        _("Customer: %(name)s, %(email)s")
        % {"name": f"{order.first_name} {order.last_name}".strip(), "email": order.email},
        _("Made with: %(channel)s") % {"channel": withdrawal.get_channel_display()},
    ]
    if withdrawal.reason:
        facts.append(_("Your reason: %(reason)s") % {"reason": withdrawal.reason})
    rows = [[_("Item"), _("Reference"), _("Quantity"), _("Sold by")]]
    for line in withdrawal.lines.select_related("order_line", "seller_store").order_by("pk"):
        rows.append(
            [
                _p(line.order_line.product_name, normal),
                line.order_line.sku,
                str(line.quantity),
                _p(line.seller_store.company_name or line.seller_store.name, normal),
            ]
        )
    table = Table(rows, colWidths=[72 * mm, 34 * mm, 18 * mm, 50 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecef")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    store = return_request.store
    if return_request.method == Return.Method.POST:
        how = _("Send the items by post to %(name)s, %(address)s, quoting the return %(number)s.")
    else:
        how = _("Bring the items to %(name)s, %(address)s, with the return number %(number)s.")
    how = how % {
        "name": store.name,
        "address": f"{store.address_line}, {store.postal_code} {store.city}",
        "number": return_request.number,
    }
    refund = _(
        "We refund you, with the same means of payment, by %(date)s at the latest (14 days "
        "after your withdrawal). We may wait until we have the items back or you have shown "
        "that you sent them, whichever is first."
    ) % {
        "date": date_format(
            timezone.localtime(withdrawal.refund_due_at).date(), "SHORT_DATE_FORMAT"
        )
    }
    story = [
        _p(title, title_style),
        _p("\n".join(facts), normal),
        Spacer(1, 4 * mm),
        _p(_("The items you withdrew from"), heading),
        table,
        Spacer(1, 4 * mm),
        _p(_("What happens next"), heading),
        _p(how, normal),
        Spacer(1, 2 * mm),
        _p(refund, normal),
        Spacer(1, 6 * mm),
        _p(
            _(
                "%(network)s, operated by %(company)s, %(address)s, on behalf of the stores "
                "named above. Keep this document: it proves the date and time of your "
                "withdrawal."
            )
            % {
                "network": settings.NETWORK_NAME,
                "company": operator["company_name"],
                "address": operator["address"],
            },
            normal,
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
