"""A store's own images (logo, photo), printed on its personalised marketing: only a real PNG or
JPEG within the size limit is kept, anything else is refused with a clear message."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError

from ..models import Store

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg"}
MAX_PIXELS = 40_000_000


class ImageRefused(DomainError):
    """This file cannot be used as the store's image."""

    code = "image_refused"


def check_store_image(file: UploadedFile, *, max_bytes: int | None = None) -> str:
    """The file's extension ("png", "jpg") when it is a PNG or JPEG image within the limits;
    ImageRefused otherwise. Reads the file whole (it is small) and rewinds it."""
    limit = max_bytes or settings.MARKETING_IMAGE_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ImageRefused(
            _("The image is too large (%(size)s MB; at most %(limit)s MB).")
            % {"size": round(file.size / 1_000_000, 1), "limit": round(limit / 1_000_000, 1)}
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format or ""
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRefused(_("This file is not an image (PNG or JPEG expected).")) from error
    if kind not in IMAGE_FORMATS:
        raise ImageRefused(_("Only PNG and JPEG images are accepted."))
    if width * height > MAX_PIXELS:
        raise ImageRefused(_("The image has too many pixels (40 million at most)."))
    return IMAGE_FORMATS[kind]


def set_store_images(
    *,
    store: Store,
    actor: Any,
    logo: UploadedFile | None = None,
    photo: UploadedFile | None = None,
    clear_logo: bool = False,
    clear_photo: bool = False,
) -> Store:
    """Replace (or remove) the store's logo and/or photo; both are checked before anything is
    saved, so a bad file changes nothing."""
    checked = {
        name: (file, check_store_image(file))
        for name, file in (("logo", logo), ("photo", photo))
        if file is not None
    }
    changed = []
    with transaction.atomic():
        for name, clear in (("logo", clear_logo), ("photo", clear_photo)):
            if name in checked:
                file, extension = checked[name]
                getattr(store, name).save(f"{store.slug}-{name}.{extension}", file, save=False)
                changed.append(name)
            elif clear and getattr(store, name):
                setattr(store, name, "")
                changed.append(name)
        if changed:
            store.save(update_fields=[*changed, "updated_at"])
            record_audit_event(
                actor=actor,
                action="store.images_changed",
                target=store,
                store_id=store.pk,
                data={"changed": changed},
            )
    return store
