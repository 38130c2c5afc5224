"""The site's public address (SITE_URL): what e-mails link to, what the sitemap, the canonical
links and the structured data name, whatever host a request came through (a proxy, a health
check) and in a worker, which has no request."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def public_url(path: str) -> str:
    """`path` ("/p/secateur-pro-20/") at SITE_URL; an absolute URL (a file in object storage)
    as it is."""
    if urlsplit(path).scheme:
        return path
    return settings.SITE_URL.rstrip("/") + path


def public_address() -> tuple[str, str]:
    """SITE_URL's scheme and host."""
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme or "https", parts.netloc
