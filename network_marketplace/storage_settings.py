"""settings.STORAGES from the environment (no Django import: config/settings.py reads it).

Folders on the embedded default; with S3_BUCKET, one prefix of the bucket per storage: public
media unsigned (a CDN may sit in front), the private ones signed for S3_SIGNED_URL_SECONDS.
network_marketplace/storage.py says which file goes where; docs/storage.md the rest.
"""

from __future__ import annotations

from typing import Any

PUBLIC = "default"
IMPORTS, INVOICES, EXPORTS, MARKETING = "imports", "invoices", "exports", "marketing"
PRIVATE = (IMPORTS, INVOICES, EXPORTS, MARKETING)
# The bucket prefix of each storage (on disk, the folder under MEDIA_ROOT/private/).
PREFIXES = {PUBLIC: "media", IMPORTS: "imports", INVOICES: "invoices", EXPORTS: "exports"} | {
    MARKETING: "marketing"
}
# Private files written before they had storages of their own stay where they were on disk
# (MEDIA_ROOT/private/gdpr-exports, MEDIA_ROOT/private/marketing): names written then still open.
LEGACY_FOLDERS = {EXPORTS: "", MARKETING: "marketing"}


def storages_from_env(env: Any, *, debug: bool) -> dict[str, dict[str, Any]]:
    """settings.STORAGES: folders by default, an S3 bucket (one prefix per storage) when
    S3_BUCKET is set."""
    static = {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if debug
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    }
    bucket = env("S3_BUCKET", default="")
    if not bucket:
        local: dict[str, dict[str, Any]] = {
            PUBLIC: {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": static,
        }
        for name in PRIVATE:
            local[name] = {
                "BACKEND": "network_marketplace.storage.PrivateFileSystemStorage",
                "OPTIONS": {"folder": LEGACY_FOLDERS.get(name, PREFIXES[name])},
            }
        configured = env("CATALOGUE_IMPORT_DIR", default="")
        if configured:
            local[IMPORTS]["OPTIONS"]["location"] = configured
        return local
    common = {
        "bucket_name": bucket,
        "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
        "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env("S3_REGION", default="") or None,
        "addressing_style": env("S3_ADDRESSING_STYLE", default="") or None,
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    backend = "storages.backends.s3.S3Storage"
    found: dict[str, dict[str, Any]] = {
        PUBLIC: {
            "BACKEND": backend,
            "OPTIONS": {
                **common,
                "location": PREFIXES[PUBLIC],
                "querystring_auth": False,
                # Readable by anyone (the CDN, a browser); "" when a bucket policy grants it
                # instead (AWS buckets with ACLs disabled refuse an ACL on upload).
                "default_acl": env("S3_PUBLIC_ACL", default="public-read") or None,
                "custom_domain": env("S3_CUSTOM_DOMAIN", default="") or None,
                "url_protocol": env("S3_URL_PROTOCOL", default="https:"),
                "object_parameters": {"CacheControl": "public, max-age=86400"},
            },
        },
        "staticfiles": static,
    }
    expiry = env.int("S3_SIGNED_URL_SECONDS", default=300)
    for name in PRIVATE:
        found[name] = {
            "BACKEND": backend,
            "OPTIONS": {
                **common,
                "location": PREFIXES[name],
                "querystring_auth": True,
                "querystring_expire": expiry,
            },
        }
    return found
