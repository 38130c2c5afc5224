"""Where files live: public media and four private prefixes, on disk or in an S3 bucket.

Every file the platform keeps goes through one of the named storages of settings.STORAGES
(built by `storages_from_env`):

- `default`: public media (product images, store logos, marketing item pictures), served at a
  CDN-able URL with no signature;
- `imports`: catalogue import uploads waiting between "check" and "apply";
- `invoices`: invoices and credit notes (what the e-invoicing platform was sent);
- `exports`: data exports (a customer's GDPR archive);
- `marketing`: artwork, proofs and their previews, print files, deliverables.

On the embedded default each is a folder: the media root, and `MEDIA_ROOT/private/<prefix>` for
the private ones (the media view never serves `private/`). With `S3_BUCKET` set each is a prefix
of the bucket; the private ones are only ever handed out through a short-lived signed URL
(`private_file_response`) after the view has checked who asks. docs/storage.md tells the rest.
"""

from __future__ import annotations

import os
from typing import Any, cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.functional import LazyObject, cached_property, empty

from .storage_settings import EXPORTS, IMPORTS, INVOICES, MARKETING, PRIVATE


class PrivateFileSystemStorage(FileSystemStorage):
    """A private prefix on the embedded default: a folder under MEDIA_ROOT/private/ (never served
    as media). It follows MEDIA_ROOT when it changes (tests, a second site on one host)."""

    def __init__(self, *, folder: str = "", **kwargs: Any) -> None:
        self.folder = folder
        self.given_location, self.given_base_url = kwargs.get("location"), kwargs.get("base_url")
        super().__init__(**kwargs)

    @cached_property
    def base_location(self) -> str:
        default = os.path.join(settings.MEDIA_ROOT, "private", self.folder)
        return str(self._value_or_setting(self.given_location, default))

    @cached_property
    def base_url(self) -> str:
        """Under MEDIA_URL/private/, which the media view refuses: a link to it is a 404."""
        default = f"{settings.MEDIA_URL.rstrip('/')}/private/{self.folder}/".replace("//", "/")
        return str(self._value_or_setting(self.given_base_url, default))


class NamedStorage(LazyObject):
    """settings.STORAGES[name], looked up when first used and again after STORAGES changes: a
    FileField's `storage=` callable is called once, at import, so it gets one of these."""

    _wrapped: Any

    def __init__(self, name: str) -> None:
        self.__dict__["_name"] = name
        super().__init__()

    def _setup(self) -> None:
        self._wrapped = storages[self._name]


_NAMED = {name: NamedStorage(name) for name in PRIVATE}


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in ("STORAGES", "MEDIA_ROOT"):
        for named in _NAMED.values():
            named._wrapped = empty


def imports_storage() -> Storage:
    """Catalogue import uploads between "check" and "apply"."""
    return cast(Storage, _NAMED[IMPORTS])


def invoices_storage() -> Storage:
    """Invoices and credit notes as deposited on the e-invoicing platform."""
    return cast(Storage, _NAMED[INVOICES])


def exports_storage() -> Storage:
    """Data exports: a customer's GDPR archive."""
    return cast(Storage, _NAMED[EXPORTS])


def marketing_storage() -> Storage:
    """Artwork, proofs, previews, print files, deliverables (the `storage=` of their FileFields)."""
    return cast(Storage, _NAMED[MARKETING])


def is_local(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def private_file_response(
    storage: Storage,
    name: str,
    *,
    filename: str,
    content_type: str,
    attachment: bool = True,
) -> HttpResponseBase:
    """Hand out a private file the caller has already checked this user may have: a redirect to
    a signed URL that expires in S3_SIGNED_URL_SECONDS on object storage (the web process never
    carries the bytes), the file streamed from disk on the embedded default."""
    disposition = "attachment" if attachment else "inline"
    if is_local(storage):
        response: HttpResponseBase = FileResponse(
            storage.open(name, "rb"),
            as_attachment=attachment,
            filename=filename,
            content_type=content_type,
        )
    else:
        url = storage.url(  # type: ignore[call-arg]
            name,
            parameters={
                "ResponseContentDisposition": f'{disposition}; filename="{filename}"',
                "ResponseContentType": content_type,
            },
        )
        response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    return response
