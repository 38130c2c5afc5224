from django.http import Http404
from django.shortcuts import render

# The legal pages every storefront footer links to; the texts live in templates/legal/.
LEGAL_PAGES = ("notice", "terms", "privacy", "cookies", "report")


def legal_page(request, page):
    if page not in LEGAL_PAGES:
        raise Http404
    return render(request, f"legal/{page}.html", {"legal_page": page})
