"""Uploaded catalogue files kept on the server between the dry run and "Apply".

A file is stored under a random token in a private directory (settings.CATALOGUE_IMPORT_DIR, by
default a folder of the system's temporary directory, never under MEDIA_ROOT); the token is
remembered in the uploader's session, so only that session can apply it. Files older than a day
are swept at the next upload.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "catalogue_imports"
MAX_AGE_SECONDS = 24 * 3600
MAX_PENDING = 5  # uploads a session may hold at once; older ones are dropped
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _directory() -> Path:
    configured = getattr(settings, "CATALOGUE_IMPORT_DIR", None)
    directory = (
        Path(configured) if configured else Path(tempfile.gettempdir()) / "nm-catalogue-imports"
    )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _sweep(directory: Path) -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            continue


def keep_upload(request, *, data: bytes, filename: str) -> str:
    """Store the file for this session and return its token."""
    directory = _directory()
    _sweep(directory)
    token = secrets.token_hex(16)
    (directory / f"{token}.upload").write_bytes(data)
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
        return (_directory() / f"{token}.upload").read_bytes(), filename
    except FileNotFoundError:
        return None


def discard_upload(request, token: str) -> None:
    pending = dict(request.session.get(SESSION_KEY, {}))
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending
    if _TOKEN.match(token):
        (_directory() / f"{token}.upload").unlink(missing_ok=True)
