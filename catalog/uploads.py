"""Uploaded catalogue files kept between the dry run and "Apply".

A file is stored under a random token in the private `imports` storage (a folder under
MEDIA_ROOT/private/ on the embedded default, the bucket's imports/ prefix with object storage),
so that "apply" works on whichever web host the next request reaches; the token is remembered
in the uploader's session, so only that session can apply it. Files older than a day are swept
at the next upload.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from network_marketplace.storage import imports_storage

SESSION_KEY = "catalogue_imports"
MAX_AGE = timedelta(days=1)
MAX_PENDING = 5  # uploads a session may hold at once; older ones are dropped
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
FOLDER = "catalogue"


def _name(token: str) -> str:
    return f"{FOLDER}/{token}.upload"


def _sweep() -> None:
    storage = imports_storage()
    limit = timezone.now() - MAX_AGE
    try:
        _folders, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    for file in files:
        name = f"{FOLDER}/{file}"
        try:
            if file.endswith(".upload") and storage.get_modified_time(name) < limit:
                storage.delete(name)
        except FileNotFoundError:
            continue


def keep_upload(request, *, data: bytes, filename: str) -> str:
    """Store the file for this session and return its token."""
    _sweep()
    token = secrets.token_hex(16)
    imports_storage().save(_name(token), ContentFile(data))
    pending = dict(request.session.get(SESSION_KEY, {}))
    pending[token] = filename
    for stale in list(pending)[:-MAX_PENDING]:  # dicts keep insertion order: oldest first
        discard_upload(request, stale)
        pending.pop(stale, None)
    request.session[SESSION_KEY] = pending
    return token


def load_upload(request, token: str) -> tuple[bytes, str] | None:
    """The file and its name, or None when the token is not this session's or has expired."""
    filename = request.session.get(SESSION_KEY, {}).get(token)
    if not filename or not _TOKEN.match(token):
        return None
    try:
        with imports_storage().open(_name(token), "rb") as handle:
            return handle.read(), filename
    except FileNotFoundError:
        return None


def discard_upload(request, token: str) -> None:
    pending = dict(request.session.get(SESSION_KEY, {}))
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending
    if _TOKEN.match(token):
        imports_storage().delete(_name(token))
