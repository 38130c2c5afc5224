"""The transparency report (DSA art. 15 and 24) of a calendar year, computed from the records
only (notices, measures and their statements, complaints, out-of-court disputes, misuse
suspensions, the monthly active recipients), in the layout of the templates of Commission
Implementing Regulation (EU) 2024/2835: sections, then rows of (label, breakdown, value).

`compute_report_rows(year)` is pure reading; `generate_transparency_report` stores the figures
(a published report keeps the numbers it was published with, regenerating replaces them);
`transparency_export` lays them out (CSV, XLSX). `record_monthly_active_recipients` keeps a month's
count (compliance.recipients explains the counting).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from network_marketplace.audit import record_audit_event
from network_marketplace.db_routers import reading_from_replica
from network_marketplace.errors import DomainError
from orders.models import Order

from .. import recipients
from ..models import (
    Complaint,
    DisputeRecord,
    IllegalityCategory,
    Measure,
    MeasureKind,
    MeasureSource,
    MisuseKind,
    MonthlyActiveRecipients,
    Notice,
    NotifierSuspension,
    StatementOfReasons,
    TransparencyReport,
)

K = MeasureKind
# The type of restriction of each measure, in the words of the transparency database
# (decision_visibility / decision_monetary / decision_provision / decision_account).
RESTRICTION = {
    K.OFFER_DISABLED: "decision_visibility: content disabled",
    K.PRODUCT_LISTING_DISABLED: "decision_visibility: content removed",
    K.OFFER_DEMOTED: "decision_visibility: content demoted",
    K.STORE_SELLING_SUSPENDED: "decision_provision: partial suspension of the service",
    K.HOME_DELIVERY_SUSPENDED: "decision_provision: partial suspension of the service",
    K.STORE_TERMINATED: "decision_provision: total termination of the service",
    K.PAYOUTS_HELD: "decision_monetary: suspension of monetary payments",
    K.ACCOUNT_SUSPENDED: "decision_account: account suspended",
}
OWN_INITIATIVE_SOURCES = (
    MeasureSource.OWN_INITIATIVE,
    MeasureSource.MISUSE,
    MeasureSource.TRADER_DATA,
    MeasureSource.P2B,
)
NOTICE_SOURCES = (MeasureSource.NOTICE, MeasureSource.TRUSTED_FLAGGER)
SUSPENSIONS = (K.STORE_SELLING_SUSPENDED, K.ACCOUNT_SUSPENDED)

# The sections of the template, in order: code -> title.
SECTIONS = {
    "A": gettext_noop("Identification of the provider and the reporting period"),
    "1": gettext_noop("Orders received from Member States' authorities (Art. 9 and 10)"),
    "2": gettext_noop("Notices received through the notice and action mechanism (Art. 16)"),
    "3": gettext_noop("Content moderation engaged in at the provider's own initiative"),
    "4": gettext_noop(
        "Complaints received through the internal complaint-handling system (Art. 20)"
    ),
    "5": gettext_noop("Out-of-court dispute settlement (Art. 21, Art. 24(1)(a))"),
    "6": gettext_noop("Suspensions imposed for misuse (Art. 23, Art. 24(1)(b))"),
    "7": gettext_noop("Average monthly active recipients of the service (Art. 24(2))"),
}


class InvalidReportYear(DomainError):
    code = "invalid_report_year"
    http_status = 400


@dataclass(frozen=True)
class Row:
    section: str
    label: str
    breakdown: str
    value: Any

    def as_list(self) -> list:
        return [self.section, self.label, self.breakdown, self.value]


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime(year, 1, 1, tzinfo=zone),
        datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _median_hours(durations: list[timedelta]) -> float | str:
    if not durations:
        return "n/a"
    return round(statistics.median(d.total_seconds() / 3600 for d in durations), 1)


def _category_label(code: str) -> str:
    return str(IllegalityCategory(code).label) if code in IllegalityCategory.values else code


@reading_from_replica("transparency report")
def compute_report_rows(year: int) -> list[Row]:
    """Every row of the year's report, from the records (nothing is estimated). The labels are
    the templates' English ones, whatever the language of the request."""
    with translation.override("en"):
        return _compute_report_rows(year)


def _compute_report_rows(year: int) -> list[Row]:
    start, end = _year_bounds(year)
    rows = [
        Row("A", gettext_noop("Provider"), "", settings.NETWORK_OPERATOR["company_name"]),
        Row(
            "A",
            gettext_noop("Service"),
            "",
            f"{settings.NETWORK_NAME} marketplace (online platform)",
        ),
        Row("A", gettext_noop("Reporting period start"), "", f"{year}-01-01"),
        Row("A", gettext_noop("Reporting period end"), "", f"{year}-12-31"),
        Row("A", gettext_noop("Date of generation"), "", timezone.localdate().isoformat()),
        # No order of an authority is recorded by the service: the count is what the records say.
        Row(
            "1",
            gettext_noop("Orders to act against illegal content (Art. 9)"),
            gettext_noop("total"),
            0,
        ),
        Row("1", gettext_noop("Orders to provide information (Art. 10)"), gettext_noop("total"), 0),
    ]
    rows += _notice_rows(start, end)
    rows += _own_initiative_rows(start, end)
    rows += _complaint_rows(start, end)
    rows += _dispute_rows(year)
    rows += _misuse_rows(start, end)
    rows += _recipient_rows(year)
    return rows


def _notice_rows(start: datetime, end: datetime) -> list[Row]:
    notices = list(Notice.objects.filter(received_at__gte=start, received_at__lt=end))
    rows = [Row("2", gettext_noop("Notices received"), gettext_noop("total"), len(notices))]
    by_category = Counter(notice.category for notice in notices)
    for code in IllegalityCategory.values:
        rows.append(
            Row(
                "2",
                gettext_noop("Notices by category of alleged illegal content"),
                _category_label(code),
                by_category.get(code, 0),
            )
        )
    rows.append(
        Row(
            "2",
            gettext_noop("Notices submitted by trusted flaggers (Art. 22)"),
            gettext_noop("total"),
            sum(1 for notice in notices if notice.trusted_flagger_id),
        )
    )
    outcomes = Counter(notice.status for notice in notices)
    for status in Notice.Status:
        rows.append(
            Row("2", gettext_noop("Notices by outcome"), str(status.label), outcomes.get(status, 0))
        )
    measures = Measure.objects.filter(notice__in=[notice.pk for notice in notices]).select_related(
        "statement"
    )
    on_law = on_terms = 0
    by_kind: Counter = Counter()
    for measure in measures:
        statement = getattr(measure, "statement", None)
        if statement is not None and statement.legal_ground:
            on_law += 1
        else:
            on_terms += 1
        by_kind[measure.kind] += 1
    rows.append(
        Row(
            "2",
            gettext_noop("Actions taken on notices"),
            gettext_noop("on the basis of the law"),
            on_law,
        )
    )
    rows.append(
        Row(
            "2",
            gettext_noop("Actions taken on notices"),
            gettext_noop("on the basis of the terms and conditions"),
            on_terms,
        )
    )
    for kind, label in RESTRICTION.items():
        rows.append(
            Row(
                "2",
                gettext_noop("Actions taken on notices by type of restriction"),
                label,
                by_kind.get(kind, 0),
            )
        )
    automated = StatementOfReasons.objects.filter(
        measure__notice__in=[notice.pk for notice in notices]
    ).exclude(automated_decision=StatementOfReasons.AutomatedDecision.NOT_AUTOMATED)
    rows.append(
        Row(
            "2",
            gettext_noop("Notices processed by automated means"),
            gettext_noop("total"),
            automated.count(),
        )
    )
    decided = [n.decided_at - n.received_at for n in notices if n.decided_at is not None]
    rows.append(
        Row(
            "2",
            gettext_noop("Median time to take action on a notice"),
            gettext_noop("hours"),
            _median_hours(decided),
        )
    )
    return rows


def _own_initiative_rows(start: datetime, end: datetime) -> list[Row]:
    measures = list(
        Measure.objects.filter(
            started_at__gte=start, started_at__lt=end, source__in=OWN_INITIATIVE_SOURCES
        ).select_related("statement")
    )
    rows = [
        Row(
            "3",
            gettext_noop("Own-initiative measures"),
            gettext_noop("total"),
            sum(1 for m in measures if m.kind != K.WARNING),
        )
    ]
    by_kind = Counter(m.kind for m in measures)
    for kind, label in RESTRICTION.items():
        rows.append(
            Row(
                "3",
                gettext_noop("Own-initiative measures by type of restriction"),
                label,
                by_kind.get(kind, 0),
            )
        )
    by_source = Counter(m.source for m in measures if m.kind != K.WARNING)
    for source in OWN_INITIATIVE_SOURCES:
        rows.append(
            Row(
                "3",
                gettext_noop("Own-initiative measures by ground"),
                str(MeasureSource(source).label),
                by_source.get(source, 0),
            )
        )
    categories = Counter(
        (getattr(m, "statement", None) and m.statement.category) or "" for m in measures
    )
    for code in IllegalityCategory.values:
        rows.append(
            Row(
                "3",
                gettext_noop("Own-initiative measures by category"),
                _category_label(code),
                categories.get(code, 0),
            )
        )
    rows.append(
        Row(
            "3",
            gettext_noop("Own-initiative measures detected by automated means"),
            gettext_noop("total"),
            sum(
                1
                for m in measures
                if getattr(m, "statement", None) and m.statement.automated_detection
            ),
        )
    )
    rows.append(
        Row(
            "3",
            gettext_noop("Warnings (no restriction)"),
            gettext_noop("total"),
            by_kind.get(K.WARNING, 0),
        )
    )
    return rows


def _complaint_rows(start: datetime, end: datetime) -> list[Row]:
    complaints = list(Complaint.objects.filter(submitted_at__gte=start, submitted_at__lt=end))
    rows = [Row("4", gettext_noop("Complaints received"), gettext_noop("total"), len(complaints))]
    by_who = Counter(c.complainant for c in complaints)
    for who in Complaint.Complainant:
        rows.append(
            Row("4", gettext_noop("Complaints by complainant"), str(who.label), by_who.get(who, 0))
        )
    outcome = Counter(c.status for c in complaints)
    rows.append(
        Row(
            "4",
            gettext_noop("Decisions"),
            gettext_noop("initial decision reversed (complaint upheld)"),
            outcome.get(Complaint.Status.UPHELD, 0),
        )
    )
    rows.append(
        Row(
            "4",
            gettext_noop("Decisions"),
            gettext_noop("initial decision confirmed (complaint rejected)"),
            outcome.get(Complaint.Status.REJECTED, 0),
        )
    )
    rows.append(
        Row(
            "4",
            gettext_noop("Decisions"),
            gettext_noop("pending at the end of the period"),
            outcome.get(Complaint.Status.RECEIVED, 0),
        )
    )
    reversed_measures = (
        Measure.objects.filter(
            complaints__in=[c.pk for c in complaints if c.status == Complaint.Status.UPHELD],
            status=Measure.Status.LIFTED,
        )
        .distinct()
        .count()
    )
    rows.append(
        Row(
            "4",
            gettext_noop("Measures reversed after a complaint"),
            gettext_noop("total"),
            reversed_measures,
        )
    )
    decided = [c.decided_at - c.submitted_at for c in complaints if c.decided_at is not None]
    rows.append(
        Row(
            "4",
            gettext_noop("Median time to decide a complaint"),
            gettext_noop("hours"),
            _median_hours(decided),
        )
    )
    return rows


def _dispute_rows(year: int) -> list[Row]:
    disputes = list(DisputeRecord.objects.filter(opened_at__year=year))
    rows = [
        Row(
            "5",
            gettext_noop("Disputes submitted to out-of-court bodies"),
            gettext_noop("total"),
            len(disputes),
        )
    ]
    outcomes = Counter(d.outcome for d in disputes)
    for outcome in DisputeRecord.Outcome:
        rows.append(
            Row(
                "5",
                gettext_noop("Disputes by outcome"),
                str(outcome.label),
                outcomes.get(outcome, 0),
            )
        )
    days = [(d.closed_at - d.opened_at).days for d in disputes if d.closed_at]
    rows.append(
        Row(
            "5",
            gettext_noop("Median time to complete a dispute"),
            gettext_noop("days"),
            statistics.median(days) if days else "n/a",
        )
    )
    rows.append(
        Row(
            "5",
            gettext_noop("Decisions HQ complied with"),
            gettext_noop("total"),
            sum(1 for d in disputes if d.complied_at),
        )
    )
    return rows


def _misuse_rows(start: datetime, end: datetime) -> list[Row]:
    content = Measure.objects.filter(
        source=MeasureSource.MISUSE,
        kind__in=SUSPENSIONS,
        started_at__gte=start,
        started_at__lt=end,
    ).count()
    notifier = Counter(
        NotifierSuspension.objects.filter(starts_at__gte=start, starts_at__lt=end).values_list(
            "kind", flat=True
        )
    )
    return [
        Row(
            "6",
            gettext_noop("Suspensions"),
            gettext_noop("provision of manifestly illegal content"),
            content,
        ),
        Row(
            "6",
            gettext_noop("Suspensions"),
            gettext_noop("manifestly unfounded notices"),
            notifier.get(MisuseKind.UNFOUNDED_NOTICE, 0),
        ),
        Row(
            "6",
            gettext_noop("Suspensions"),
            gettext_noop("manifestly unfounded complaints"),
            notifier.get(MisuseKind.UNFOUNDED_COMPLAINT, 0),
        ),
    ]


def average_monthly_active_recipients(until: date) -> int | None:
    """The average of the 6 monthly counts ending with the month of `until` (None when a month
    of them was not recorded)."""
    months = []
    month = until.replace(day=1)
    for _step in range(6):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    counts = dict(
        MonthlyActiveRecipients.objects.filter(month__in=months).values_list("month", "recipients")
    )
    if len(counts) < len(months):
        return None
    return round(sum(counts.values()) / len(months))


def _recipient_rows(year: int) -> list[Row]:
    rows = []
    for label, until in (
        (gettext_noop("1 January - 30 June"), date(year, 6, 1)),
        (gettext_noop("1 July - 31 December"), date(year, 12, 1)),
    ):
        average = average_monthly_active_recipients(until)
        rows.append(
            Row(
                "7",
                gettext_noop("Average monthly active recipients"),
                label,
                average if average is not None else "not available",
            )
        )
    for record in MonthlyActiveRecipients.objects.filter(month__year=year).order_by("month"):
        rows.append(
            Row(
                "7",
                gettext_noop("Unique active recipients"),
                f"{record.month:%Y-%m}",
                record.recipients,
            )
        )
    return rows


def generate_transparency_report(*, year: int, actor: Any) -> TransparencyReport:
    """Compute the year's report and keep its figures (replacing an earlier generation)."""
    if year > timezone.localdate().year or year < 2000:
        raise InvalidReportYear(_("A report covers a past or the current calendar year."))
    rows = compute_report_rows(year)
    with transaction.atomic():
        report, _created = TransparencyReport.objects.update_or_create(
            year=year,
            defaults={
                "figures": {"rows": [row.as_list() for row in rows], "sections": SECTIONS},
                "generated_at": timezone.now(),
                "generated_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        record_audit_event(
            actor=actor,
            action="transparency_report.generated",
            target=report,
            data={"year": year},
        )
    return report


def publish_transparency_report(*, report: TransparencyReport, actor: Any) -> TransparencyReport:
    """Show the report on the public page (idempotent)."""
    if report.published_at is None:
        report.published_at = timezone.now()
        report.save(update_fields=["published_at"])
        record_audit_event(
            actor=actor,
            action="transparency_report.published",
            target=report,
            data={"year": report.year},
        )
    return report


def report_rows(report: TransparencyReport) -> list[Row]:
    return [Row(*row) for row in report.figures.get("rows", [])]


def record_monthly_active_recipients(*, month: date | None = None) -> MonthlyActiveRecipients:
    """Keep `month`'s count of unique active recipients (default: last month). Idempotent: a
    second run updates the same row with the same count."""
    if month is None:
        month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    month = month.replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    in_store = Order.objects.filter(
        channel=Order.Channel.ENDLESS_AISLE,
        placed_at__date__gte=month,
        placed_at__date__lt=next_month,
    ).values_list("email", flat=True)
    recipients.add_members(
        month,
        "in_store",
        [
            recipients.recipient_hash(month, "user-email", email.lower())
            for email in in_store
            if email
        ],
    )
    visitors = recipients.count_members(month, "visitors")
    accounts = recipients.count_members(month, "accounts")
    total = recipients.count_members(month, "visitors", "accounts", "in_store")
    record, _created = MonthlyActiveRecipients.objects.update_or_create(
        month=month,
        defaults={
            "recipients": total,
            "visitors": visitors,
            "signed_in": accounts,
            "method": "unique page viewers (accounts, month-keyed visitor hashes) and in-store "
            "customers; Redis HyperLogLog; see compliance.recipients",
        },
    )
    return record
