"""Uploaded media served by Django itself: right for one host with a media volume."""

from django.conf import settings
from django.views.decorators.cache import cache_control
from django.views.static import serve


@cache_control(max_age=86400, public=True)
def media(request, path):
    """An uploaded file (a product image) from MEDIA_ROOT, read when asked, not at start-up."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
