"""A customer's export of her data (GDPR art. 15 and 20): a ZIP of JSON and CSV files with a
cover page in French, built by a Celery worker, sent as a signed link by e-mail.

`request_personal_data_export` writes the request and an outbox message in one transaction
under the user's row lock: two clicks or two tabs at once make one request (the second is told
one is being prepared), and the partial unique constraint keeps it so whatever writes the table.
The outbox hands the request to the worker (`compliance.tasks.build_personal_data_export`), so it
is never lost; building is safe to run twice (a finished export is left as it is).

The link carries a TimestampSigner token of (export, user): it works for GDPR_EXPORT_LINK_DAYS,
only for the signed-in owner; each download is counted and written to the audit trail.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError, IllegalTransition
from network_marketplace.models import User
from network_marketplace.notifications import send_templated_email
from network_marketplace.outbox import enqueue
from network_marketplace.public_urls import public_url
from network_marketplace.storage import exports_storage
from network_marketplace.transitions import transition

from ...models import PersonalDataExport
from ...states import PERSONAL_EXPORT_LIFECYCLE
from .clocks import retention_table
from .sections import export_sections, orders_of

EXPORT_KIND = "compliance.personal_data_export"
WORKER = "gdpr-export-worker"
# Under the prefix config.views.media never serves: only the owner's signed link reads it.
ARCHIVE_DIR = "gdpr-exports"
SIGNING_SALT = "compliance.gdpr.export-link"
Status = PersonalDataExport.Status
IN_PROGRESS = [Status.PENDING, Status.RUNNING]


class ExportAlreadyRequested(DomainError):
    """An export of this customer's data is already being prepared."""

    code = "export_already_requested"
    http_status = 409


class ExportLinkInvalid(DomainError):
    """The download link is not this customer's, has expired, or its file is gone."""

    code = "export_link_invalid"
    http_status = 404


def request_personal_data_export(*, user: User, actor: Any) -> PersonalDataExport:
    """Ask for an export of `user`'s data; ExportAlreadyRequested while one is prepared."""
    try:
        with transaction.atomic():
            User.objects.select_for_update().get(pk=user.pk)  # one request at a time per user
            if PersonalDataExport.objects.filter(user=user, status__in=IN_PROGRESS).exists():
                raise ExportAlreadyRequested(
                    _("Your data is already being prepared: you will get an e-mail.")
                )
            now = timezone.now()
            export = PersonalDataExport.objects.create(
                user=user,
                requested_by_label=actor_label(actor),
                due_at=now + timedelta(days=settings.GDPR_EXPORT_DEADLINE_DAYS),
            )
            record_audit_event(actor=actor, action="personal_export.requested", target=export)
            enqueue(
                kind=EXPORT_KIND,
                payload={"export": export.pk},
                dedupe_key=f"{EXPORT_KIND}:{export.pk}",
            )
    except IntegrityError as error:  # the constraint, should a writer skip the lock
        raise ExportAlreadyRequested(
            _("Your data is already being prepared: you will get an e-mail.")
        ) from error
    return export


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()  # BOM: spreadsheet software reads UTF-8


def recipients_of(user: User) -> list[dict[str, str]]:
    """The stores her orders went to (sellers, pickup points), each once, by name."""
    seen: dict[int, dict[str, str]] = {}
    for order in orders_of(user).prefetch_related("fulfilments__store"):
        for fulfilment in order.fulfilments.all():
            store = fulfilment.store
            seen.setdefault(
                store.pk,
                {
                    "name": store.name,
                    "company": store.company_name or store.name,
                    "address": f"{store.address_line}, {store.postal_code} {store.city}",
                },
            )
    return sorted(seen.values(), key=lambda store: store["name"])


def build_archive(user: User, *, now: datetime | None = None) -> bytes:
    """The ZIP of `user`'s data: LISEZMOI.html (the cover page), donnees.json, one CSV each."""
    now = now or timezone.now()
    sections = [(section, list(section.build(user))) for section in export_sections()]
    buffer = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE):
        cover = render_to_string(
            "compliance/gdpr/export_cover.html",
            {
                "user": user,
                "generated_at": now,
                "network_name": settings.NETWORK_NAME,
                "operator": settings.NETWORK_OPERATOR,
                "stores": recipients_of(user),
                "retention": retention_table(),
                "sections": [(section, len(rows)) for section, rows in sections],
            },
        )
    data = {"generated_at": now.isoformat(timespec="seconds")}
    data.update({section.key: rows for section, rows in sections})
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LISEZMOI.html", cover)
        archive.writestr("donnees.json", json.dumps(data, ensure_ascii=False, indent=2))
        for section, rows in sections:
            archive.writestr(f"{section.key}.csv", _csv(rows))
    return buffer.getvalue()


def build_personal_data_export(*, export_id: int) -> PersonalDataExport:
    """Build the ZIP of export `export_id`, store it, mark it ready and e-mail the link."""
    export = PersonalDataExport.objects.select_related("user").get(pk=export_id)
    if export.status != Status.PENDING and export.status != Status.RUNNING:
        return export
    if export.user is None:
        return transition(
            PERSONAL_EXPORT_LIFECYCLE,
            export,
            Status.FAILED,
            actor=WORKER,
            changes={"error": "account closed", "finished_at": timezone.now()},
        ).row
    transition(PERSONAL_EXPORT_LIFECYCLE, export, Status.RUNNING, actor=WORKER)
    try:
        data = build_archive(export.user)
        name = exports_storage().save(
            f"{ARCHIVE_DIR}/{export.pk}-{uuid.uuid4().hex}.zip", ContentFile(data)
        )
    except Exception as exc:
        transition(
            PERSONAL_EXPORT_LIFECYCLE,
            export,
            Status.FAILED,
            actor=WORKER,
            changes={"error": str(exc)[:300], "finished_at": timezone.now()},
        )
        raise
    try:
        with transaction.atomic():
            moved = transition(
                PERSONAL_EXPORT_LIFECYCLE,
                export,
                Status.READY,
                actor=WORKER,
                changes={"archive": name, "size_bytes": len(data), "finished_at": timezone.now()},
            )
            if moved.moved:
                _send_link(moved.row)
    except IllegalTransition:  # the account closed meanwhile (the export failed): no file
        exports_storage().delete(name)
        return PersonalDataExport.objects.get(pk=export.pk)
    if not moved.moved:  # another run finished first: keep its file, drop ours
        exports_storage().delete(name)
    return moved.row


def _send_link(export: PersonalDataExport) -> None:
    user, expires = export.user, link_expires_at(export)
    if user is None or expires is None:
        return
    send_templated_email(
        to=user.email,
        template="personal_data_export_ready",
        context={
            "first_name": user.first_name,
            "link": public_url(download_path(export)),
            "expires_on": timezone.localdate(expires).strftime("%d/%m/%Y"),
            "days": settings.GDPR_EXPORT_LINK_DAYS,
        },
        dedupe_key=f"personal-export-ready:{export.pk}",
    )


def download_token(export: PersonalDataExport) -> str:
    return signing.TimestampSigner(salt=SIGNING_SALT).sign(f"{export.pk}.{export.user_id}")


def download_path(export: PersonalDataExport) -> str:
    return reverse("gdpr:download", args=[download_token(export)])


def link_expires_at(export: PersonalDataExport) -> datetime | None:
    if export.finished_at is None:
        return None
    return export.finished_at + timedelta(days=settings.GDPR_EXPORT_LINK_DAYS)


def export_for_download(*, token: str, user: User) -> PersonalDataExport:
    """The ready export `token` names, if it is `user`'s and the link has not expired;
    ExportLinkInvalid otherwise (the same answer for a foreign, forged or stale link)."""
    signer = signing.TimestampSigner(salt=SIGNING_SALT)
    try:
        value = signer.unsign(token, max_age=timedelta(days=settings.GDPR_EXPORT_LINK_DAYS))
        export_id, user_id = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError) as error:
        raise ExportLinkInvalid(_("This link has expired or is not yours.")) from error
    export = PersonalDataExport.objects.filter(
        pk=export_id, user_id=user_id, status=Status.READY
    ).first()
    if export is None or user_id != user.pk or not export.archive:
        raise ExportLinkInvalid(_("This link has expired or is not yours."))
    return export


def record_download(*, export: PersonalDataExport, actor: Any) -> None:
    PersonalDataExport.objects.filter(pk=export.pk).update(
        downloads=F("downloads") + 1, last_downloaded_at=timezone.now()
    )
    record_audit_event(actor=actor, action="personal_export.downloaded", target=export)


def latest_export_of(user: User) -> PersonalDataExport | None:
    return PersonalDataExport.objects.filter(user=user).order_by("-created_at", "-pk").first()


def expire_exports(*, now: datetime) -> int:
    """Delete the ZIPs of ready exports older than the `data_exports` clock (the retention
    engine's purpose): the row stays as the record of the request and its completion."""
    cutoff = now - timedelta(days=settings.GDPR_RETENTION_DAYS["data_exports"])
    expired = 0
    for export in PersonalDataExport.objects.filter(status=Status.READY, finished_at__lt=cutoff):
        name = export.archive.name
        moved = transition(
            PERSONAL_EXPORT_LIFECYCLE,
            export,
            Status.EXPIRED,
            actor="retention",
            changes={"archive": ""},
        )
        if moved.moved:
            expired += 1
            if name:
                exports_storage().delete(name)
    return expired


def drop_exports_of(*, user: User, actor: Any) -> int:
    """At closure: every ZIP of `user` deleted (after commit), an export still being prepared
    failed (the worker leaves it); the rows stay as the record of her requests."""
    dropped = 0
    for export in PersonalDataExport.objects.filter(user=user, status__in=IN_PROGRESS):
        transition(
            PERSONAL_EXPORT_LIFECYCLE,
            export,
            Status.FAILED,
            actor=actor,
            changes={"error": "account closed", "finished_at": timezone.now()},
        )
    for export in PersonalDataExport.objects.filter(user=user).exclude(archive=""):
        name = export.archive.name
        transaction.on_commit(lambda name=name: exports_storage().delete(name))
        dropped += 1
    PersonalDataExport.objects.filter(user=user).update(archive="", updated_at=timezone.now())
    return dropped
