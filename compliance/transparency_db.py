"""Statements of reasons for the Commission's DSA transparency database (art. 24(5)).

`statement_payload` renders one statement with the database's field names and values
(decision_visibility, decision_ground, category, content_type, source_type, ...) and **no
personal data**: no store or person name, no e-mail, no address; free text (the facts, the
legal ground, the clause) is stripped of e-mail addresses, URLs, phone numbers and the names
the case knows (the store's, its company's, the notifier's, the user's). `puid` is the
statement's own random id.

`export_batch` gives a list of payloads for a file (admin action, `manage.py
export_statements`); `submit_pending_statements` sends the statements not yet accepted to the
API at settings.DSA_TRANSPARENCY_DB_URL (Bearer token), one by one, each marked once accepted:
a second run sends nothing twice, and a statement the database already holds (422, puid taken)
counts as accepted. Nothing is sent when the URL is empty.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import IllegalityCategory, MeasureKind, MeasureSource, StatementOfReasons, TargetKind

logger = logging.getLogger(__name__)

K = MeasureKind
C = IllegalityCategory

CATEGORY: dict[str, str] = {
    C.UNSAFE_PRODUCTS: "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS",
    C.INTELLECTUAL_PROPERTY: "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    C.SCAMS_AND_FRAUD: "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    C.CONSUMER_INFORMATION: "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
    C.DATA_PROTECTION: "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    C.ILLEGAL_SPEECH: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    C.PROTECTION_OF_MINORS: "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    C.CHILD_SEXUAL_ABUSE: "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    C.ANIMAL_WELFARE: "STATEMENT_CATEGORY_ANIMAL_WELFARE",
    C.PUBLIC_SECURITY: "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    C.VIOLENCE: "STATEMENT_CATEGORY_VIOLENCE",
    C.OTHER: "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
}
KEYWORDS: dict[str, list[str]] = {C.CHILD_SEXUAL_ABUSE: ["KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL"]}

SOURCE: dict[str, str] = {
    MeasureSource.NOTICE: "SOURCE_ARTICLE_16",
    MeasureSource.TRUSTED_FLAGGER: "SOURCE_TRUSTED_FLAGGER",
    MeasureSource.OWN_INITIATIVE: "SOURCE_VOLUNTARY",
    MeasureSource.MISUSE: "SOURCE_VOLUNTARY",
    MeasureSource.TRADER_DATA: "SOURCE_VOLUNTARY",
    MeasureSource.P2B: "SOURCE_VOLUNTARY",
    MeasureSource.COMPLAINT: "SOURCE_TYPE_OTHER_NOTIFICATION",
}
AUTOMATED_DECISION: dict[str, str] = {
    StatementOfReasons.AutomatedDecision.NOT_AUTOMATED: "AUTOMATED_DECISION_NOT_AUTOMATED",
    StatementOfReasons.AutomatedDecision.PARTIALLY: "AUTOMATED_DECISION_PARTIALLY",
    StatementOfReasons.AutomatedDecision.FULLY: "AUTOMATED_DECISION_FULLY",
}
# Which restriction each measure is, in the database's four families.
RESTRICTION: dict[str, tuple[str, str]] = {
    K.OFFER_DISABLED: ("decision_visibility", "DECISION_VISIBILITY_CONTENT_DISABLED"),
    K.PRODUCT_LISTING_DISABLED: ("decision_visibility", "DECISION_VISIBILITY_CONTENT_DISABLED"),
    K.OFFER_DEMOTED: ("decision_visibility", "DECISION_VISIBILITY_CONTENT_DEMOTED"),
    K.WARNING: ("decision_visibility", "DECISION_VISIBILITY_OTHER"),
    K.PAYOUTS_HELD: ("decision_monetary", "DECISION_MONETARY_SUSPENSION"),
    K.STORE_SELLING_SUSPENDED: ("decision_provision", "DECISION_PROVISION_PARTIAL_SUSPENSION"),
    K.HOME_DELIVERY_SUSPENDED: ("decision_provision", "DECISION_PROVISION_PARTIAL_SUSPENSION"),
    K.STORE_TERMINATED: ("decision_provision", "DECISION_PROVISION_TOTAL_TERMINATION"),
    K.ACCOUNT_SUSPENDED: ("decision_account", "DECISION_ACCOUNT_SUSPENDED"),
}
END_DATE_FIELD = {
    "decision_visibility": "end_date_visibility_restriction",
    "decision_monetary": "end_date_monetary_restriction",
    "decision_provision": "end_date_service_restriction",
    "decision_account": "end_date_account_restriction",
}

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
PHONE = re.compile(r"\+?\d[\d .-]{7,}\d")
REDACTED = "[…]"


def _known_names(statement: StatementOfReasons) -> list[str]:
    """The names the case knows that could be a person's: never in the export."""
    measure = statement.measure
    names: list[str] = []
    for store in statement.affected_stores.all():
        names += [store.name, store.company_name, store.legal_address, store.address_line]
        names += [store.slug, store.email]
    if measure.user is not None:
        user = measure.user
        names += [user.email, user.get_full_name(), user.first_name, user.last_name]
    if measure.notice is not None:
        notice = measure.notice
        names += [notice.notifier_name, notice.notifier_email]
    return sorted({name.strip() for name in names if name and len(name.strip()) > 2}, key=len)[::-1]


def scrub(text: str, names: Iterable[str]) -> str:
    """`text` without e-mail addresses, URLs, phone numbers or any of `names`."""
    text = EMAIL.sub(REDACTED, text)
    text = URL.sub(REDACTED, text)
    text = PHONE.sub(REDACTED, text)
    for name in names:
        text = re.sub(re.escape(name), REDACTED, text, flags=re.IGNORECASE)
    return text.strip()


def statement_payload(statement: StatementOfReasons) -> dict:
    """One statement as the transparency database's API takes it, without personal data."""
    measure = statement.measure
    names = _known_names(statement)
    family, value = RESTRICTION[measure.kind]
    payload: dict = {
        "puid": str(statement.uuid),
        family: [value] if family == "decision_visibility" else value,
        "account_type": (
            "ACCOUNT_TYPE_PRIVATE"
            if measure.target_kind == TargetKind.ACCOUNT
            else "ACCOUNT_TYPE_BUSINESS"
        ),
        "category": CATEGORY.get(
            statement.category, "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"
        ),
        "content_type": (
            ["CONTENT_TYPE_PRODUCT"]
            if measure.target_kind in {TargetKind.OFFER, TargetKind.PRODUCT}
            else ["CONTENT_TYPE_OTHER"]
        ),
        "content_date": measure.started_at.date().isoformat(),
        "application_date": measure.started_at.date().isoformat(),
        "territorial_scope": list(statement.territorial_scope),
        "decision_facts": scrub(statement.facts, names) or REDACTED,
        "source_type": SOURCE[measure.source],
        "automated_detection": "Yes" if statement.automated_detection else "No",
        "automated_decision": AUTOMATED_DECISION[statement.automated_decision],
    }
    if family == "decision_visibility" and value == "DECISION_VISIBILITY_OTHER":
        payload["decision_visibility_other"] = "Warning"
    if payload["content_type"] == ["CONTENT_TYPE_OTHER"]:
        payload["content_type_other"] = (
            "User account" if measure.target_kind == TargetKind.ACCOUNT else "Seller account"
        )
    if statement.category in KEYWORDS:
        payload["category_specification"] = KEYWORDS[statement.category]
    if statement.legal_ground:
        payload["decision_ground"] = "DECISION_GROUND_ILLEGAL_CONTENT"
        payload["illegal_content_legal_ground"] = scrub(statement.legal_ground, names)
        payload["illegal_content_explanation"] = payload["decision_facts"]
    else:
        payload["decision_ground"] = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
        payload["incompatible_content_ground"] = scrub(statement.terms_clause, names)
        payload["incompatible_content_explanation"] = payload["decision_facts"]
        payload["incompatible_content_illegal"] = "No"
    if measure.ends_at is not None:
        payload[END_DATE_FIELD[family]] = measure.ends_at.date().isoformat()
    return payload


def export_batch(statements: Iterable[StatementOfReasons]) -> dict:
    """A batch file's content: {"statements": [payload, ...]} (the API's batch shape)."""
    rows = (
        StatementOfReasons.objects.filter(pk__in=[s.pk for s in statements])
        .select_related("measure__user", "measure__notice")
        .prefetch_related("affected_stores")
        .order_by("pk")
    )
    return {"statements": [statement_payload(statement) for statement in rows]}


class TransparencyDbError(Exception):
    pass


@dataclass
class TransparencyClient:
    """The API of the transparency database: POST <url>/api/v1/statement, Bearer token."""

    url: str
    token: str
    timeout: float = 10

    def submit(self, payload: dict) -> str:
        """Send one statement; returns the database's id for it. A statement it already holds
        (HTTP 422 about the puid) is reported as accepted, with an empty id."""
        request = urllib.request.Request(  # noqa: S310 (a configured https URL)
            f"{self.url.rstrip('/')}/api/v1/statement",
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = json.loads(response.read() or b"{}")
                return str(body.get("uuid") or body.get("id") or "")
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:400]
            if error.code == 422 and "puid" in detail:
                return ""
            raise TransparencyDbError(f"HTTP {error.code}: {detail}") from error
        except (urllib.error.URLError, TimeoutError) as error:
            raise TransparencyDbError(str(error)) from error


def client_from_settings() -> TransparencyClient | None:
    if not settings.DSA_TRANSPARENCY_DB_URL:
        return None
    return TransparencyClient(
        url=settings.DSA_TRANSPARENCY_DB_URL,
        token=settings.DSA_TRANSPARENCY_DB_TOKEN,
        timeout=settings.DSA_TRANSPARENCY_DB_TIMEOUT,
    )


@dataclass
class SubmitReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def submit_pending_statements(*, limit: int | None = None) -> SubmitReport:
    """Send the statements the database has not accepted yet, oldest first. Each is locked
    (SKIP LOCKED: two runs never send one statement at once) and marked in its own
    transaction. A failure is kept on the statement and retried by the next run."""
    report = SubmitReport()
    client = client_from_settings()
    if client is None:
        return report
    limit = limit or settings.DSA_TRANSPARENCY_BATCH_SIZE
    pending = list(
        StatementOfReasons.objects.filter(transparency_submitted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in pending:
        with transaction.atomic():
            statement = (
                StatementOfReasons.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, transparency_submitted_at__isnull=True)
                .first()
            )
            if statement is None:
                continue
            try:
                remote_id = client.submit(export_batch([statement])["statements"][0])
            except TransparencyDbError as error:
                logger.warning("statement %s not accepted: %s", statement.uuid, error)
                statement.transparency_error = str(error)[:500]
                statement.save(update_fields=["transparency_error"])
                report.failed.append(pk)
                continue
            statement.transparency_submitted_at = timezone.now()
            statement.transparency_id = remote_id
            statement.transparency_error = ""
            statement.save(
                update_fields=["transparency_submitted_at", "transparency_id", "transparency_error"]
            )
            report.sent.append(pk)
    return report
