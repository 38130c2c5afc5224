"""The public P2B pages: the stores' terms in force, the ranking parameters (art. 5, 7), who
accesses which data (art. 9)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ..models import TermsVersion
from ..selectors import terms as terms_reads
from ..services import ranking
from ..services.terms import terms_filename

# Who can access which data (P2B art. 9(2)): the page states it; the code's tenancy keeps it
# (a store's pages and API see only its own rows, tests/compliance/test_data_access.py).
DATA_ACCESS = [
    {
        "party": _("Each store"),
        "data": [
            _("Its own offers, prices, stock and stock movements."),
            _(
                "The orders it serves and, for those orders, the customers' contact and "
                "delivery data (name, e-mail, phone, address) needed to serve them."
            ),
            _("Its sales, commission, payouts and HQ's invoices."),
            _("Its complaints, the statements of reasons addressed to it, its terms decisions."),
            _("An export of all of the above, at any time, as CSV files, from its back-office."),
        ],
        "not": _(
            "Another store's data, or the data of customers it did not serve; network-wide "
            "figures beyond those published."
        ),
    },
    {
        "party": _("HQ"),
        "data": [
            _(
                "All the network's data: every store's offers, stock, orders, customers' "
                "order data, money, and the routing decisions."
            ),
            _(
                "HQ uses them to run the marketplace (routing, payments, customer service), "
                "for accounting and legal obligations, and for network-wide statistics."
            ),
        ],
        "not": _(
            "HQ does not use a store's individual data to compete with that store beyond "
            "the treatment stated on the ranking page."
        ),
    },
    {
        "party": _("Third parties"),
        "data": [
            _(
                "The payment provider: the payment and payout data it needs to move the money "
                "(licensed payment service)."
            ),
            _("Carriers: the delivery data of the parcels they carry."),
            _(
                "Integrators a store gives an API key to: that store's data only, as the "
                "store's key allows."
            ),
            _(
                "Authorities, when the law requires it (tax: DAC7; the Commission's "
                "transparency database, without personal data)."
            ),
        ],
        "not": _("No data is sold or shared for advertising."),
    },
]


def pdf_response(version: TermsVersion) -> HttpResponse:
    response = HttpResponse(bytes(version.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{terms_filename(version)}"'
    return response


def store_terms(request):
    """The version of the stores' terms in force, and the one announced if any."""
    current = terms_reads.current_terms()
    latest = terms_reads.latest_terms()
    return render(
        request,
        "compliance/store_terms.html",
        {
            "legal_page": "store-terms",
            "current": current,
            "upcoming": latest if latest is not None and latest != current else None,
            "mediators": terms_reads.named_mediators(),
        },
    )


def store_terms_pdf(request, version):
    """A version's PDF, once it is published (every version is public: the stores' contract)."""
    row = TermsVersion.objects.filter(version=version).first()
    if row is None:
        raise Http404
    return pdf_response(row)


def ranking_page(request):
    return render(
        request,
        "compliance/ranking.html",
        {"legal_page": "ranking", "disclosure": ranking.ranking_disclosure()},
    )


def data_access_page(request):
    return render(
        request,
        "compliance/data_access.html",
        {"legal_page": "data-access", "parties": DATA_ACCESS},
    )
