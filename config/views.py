"""Uploaded media served by Django itself: right for one host with a media volume."""

from django.conf import settings
from django.http import Http404
from django.views.decorators.cache import cache_control
from django.views.static import serve

# Files under this prefix (artwork, proofs, deliverables...) belong to one store or to HQ: they
# are served only by the views that check who asks, never as public media.
PRIVATE_PREFIX = "private/"


@cache_control(max_age=86400, public=True)
def media(request, path):
    """An uploaded file (a product image) from MEDIA_ROOT, read when asked, not at start-up."""
    if path.lstrip("/").startswith(PRIVATE_PREFIX):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
