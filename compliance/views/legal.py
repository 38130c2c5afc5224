from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from ..models import OutOfCourtBody

# The legal pages every storefront footer links to; the texts live in templates/legal/.
LEGAL_PAGES = ("notice", "terms", "privacy", "cookies", "report")


def legal_page(request, page):
    if page not in LEGAL_PAGES:
        raise Http404
    context = {"legal_page": page, "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION}
    if page == "report":
        # The out-of-court settlement bodies every decision's redress names (DSA art. 21).
        context["bodies"] = list(OutOfCourtBody.objects.filter(is_active=True))
    return render(request, f"legal/{page}.html", context)
