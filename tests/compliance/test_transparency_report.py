"""The transparency report (DSA art. 15, 24): a calendar year's figures computed from the
records only, exported as CSV and XLSX in the sections of the implementing regulation's
templates, generated in the admin and published on a public page; the monthly active
recipients counted as the regulation says (unique per month, averaged over 6 months)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import (
    Complaint,
    MisuseKind,
    MonthlyActiveRecipients,
    Notice,
    TransparencyReport,
)
from compliance.recipients import clear_month, count_members
from compliance.services.measures import apply_measure, lift_measure
from compliance.services.misuse import mark_misuse
from compliance.services.transparency_export import export_csv, export_xlsx
from compliance.services.transparency_report import (
    InvalidReportYear,
    compute_report_rows,
    generate_transparency_report,
    publish_transparency_report,
    record_monthly_active_recipients,
)
from tests.factories import StockLevelFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
GROUND = "Code de la consommation, art. L. 421-3"


def at(month: int, day: int = 10, hour: int = 9) -> datetime:
    return datetime(YEAR, month, day, hour, tzinfo=timezone.get_current_timezone())


def notice(n, *, category="unsafe_products", received, decided=None, status="received", **extra):
    return Notice.objects.create(
        reference=f"N-{n}",
        received_at=received,
        deadline_at=received + timedelta(days=7),
        category=category,
        explanation="Dangerous",
        urls=["http://testserver/p/x/"],
        target_kind="offer",
        good_faith=True,
        notifier_name="Léa Martin",
        notifier_email=f"notifier{n}@example.com",
        status=status,
        decided_at=decided,
        **extra,
    )


def value(rows, label, breakdown=""):
    found = [row.value for row in rows if row.label == label and row.breakdown == breakdown]
    assert found, (label, breakdown)
    return found[0]


@pytest.fixture
def year_of_cases(lyon_store, hq_admin):
    """A year: 3 notices (one by a trusted flagger), one acted on; an own-initiative measure;
    a complaint upheld (the measure reversed) and one rejected; a misuse suspension."""
    from compliance.models import TrustedFlagger

    flagger = TrustedFlagger.objects.create(name="UFC", email="ufc@example.org")
    acted = notice(1, received=at(3), decided=at(3, hour=15), status="action_taken")
    notice(2, category="intellectual_property", received=at(4), decided=at(4, 12, 9),
           status="no_action", trusted_flagger=flagger)  # fmt: skip
    notice(3, received=at(5))
    offer = StockLevelFactory(store=lyon_store, on_hand=3)
    on_notice = apply_measure(
        kind="offer_disabled", target=offer, source="notice", facts="Unsafe", notice=acted,
        legal_ground=GROUND, actor=hq_admin, now=at(3, hour=15),
    )  # fmt: skip
    apply_measure(
        kind="offer_demoted", target=StockLevelFactory(store=lyon_store), source="own_initiative",
        facts="Misleading", terms_clause="Terms 4.2", actor=hq_admin, now=at(6),
    )  # fmt: skip
    Complaint.objects.create(
        reference="C-1", measure=on_notice, complainant="store", complainant_store=lyon_store,
        contact_email="s@example.com", text="Wrong", submitted_at=at(3, 20), status="upheld",
        decided_at=at(3, 22),
    )  # fmt: skip
    lift_measure(measure=on_notice, reason="Complaint upheld", actor=hq_admin)
    Complaint.objects.create(
        reference="C-2", notice=notice(4, received=at(2)), complainant="notifier",
        contact_email="n@example.com", text="Act!", submitted_at=at(7), status="rejected",
        decided_at=at(7, 12),
    )  # fmt: skip
    for n in range(1, 4):
        mark_misuse(
            kind=MisuseKind.ILLEGAL_CONTENT,
            source=f"x:{n}",
            store=lyon_store,
            actor=hq_admin,
        )
    return locals()


def test_the_report_counts_each_record_of_the_year(year_of_cases):
    rows = compute_report_rows(YEAR)

    assert value(rows, "Notices received", "total") == 4
    assert value(rows, "Notices by category of alleged illegal content",
                 "Counterfeit or intellectual property") == 1  # fmt: skip
    assert value(rows, "Notices submitted by trusted flaggers (Art. 22)", "total") == 1
    assert value(rows, "Notices by outcome", "Action taken") == 1
    assert value(rows, "Notices by outcome", "No action") == 1
    assert value(rows, "Actions taken on notices", "on the basis of the law") == 1
    # 6 hours and 2 days (48 h): the median of two decided notices is their mean
    assert value(rows, "Median time to take action on a notice", "hours") == 27.0
    assert value(rows, "Own-initiative measures by type of restriction",
                 "decision_visibility: content demoted") == 1  # fmt: skip
    assert value(rows, "Complaints received", "total") == 2
    assert value(rows, "Decisions", "initial decision reversed (complaint upheld)") == 1
    assert value(rows, "Decisions", "initial decision confirmed (complaint rejected)") == 1
    assert value(rows, "Measures reversed after a complaint", "total") == 1
    assert value(rows, "Suspensions", "provision of manifestly illegal content") == 1


def test_records_of_another_year_are_not_counted(year_of_cases):
    notice(99, received=at(1) - timedelta(days=400))

    rows = compute_report_rows(YEAR)

    assert value(rows, "Notices received", "total") == 4
    assert (
        value(rows, "Notices received", "total")
        == Notice.objects.filter(received_at__year=YEAR).count()
    )


def test_an_empty_year_reports_zeros_not_errors(db):
    rows = compute_report_rows(YEAR - 3)

    assert value(rows, "Notices received", "total") == 0
    assert value(rows, "Median time to take action on a notice", "hours") == "n/a"
    assert value(rows, "Average monthly active recipients", "1 January - 30 June") == (
        "not available"
    )


def test_the_csv_and_xlsx_follow_the_templates_sections(year_of_cases, hq_admin):
    report = generate_transparency_report(year=YEAR, actor=hq_admin)

    lines = list(csv.reader(io.StringIO(export_csv(report).decode("utf-8-sig"))))
    assert lines[0] == ["Section", "Row", "Breakdown", "Value"]
    titles = [line[1] for line in lines if line[2:] == ["", ""] and line[0] in "A1234567"]
    assert titles[2].startswith("Notices received through the notice and action mechanism")
    assert ["2", "Notices received", "total", "4"] in lines

    workbook = openpyxl.load_workbook(io.BytesIO(export_xlsx(report)))
    assert workbook.sheetnames == [f"Section {code}" for code in "A1234567"]
    sheet = workbook["Section 6"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["Suspensions", "provision of manifestly illegal content", 1] in cells


def test_a_future_year_is_refused(hq_admin):
    with pytest.raises(InvalidReportYear):
        generate_transparency_report(year=YEAR + 1, actor=hq_admin)
    assert not TransparencyReport.objects.exists()


def test_hq_generates_in_the_admin_and_a_bad_year_is_a_form_error(client, hq_admin, db):
    client.force_login(hq_admin)
    url = reverse("admin:compliance_transparency_generate")

    bad = client.post(url, {"year": YEAR + 5})
    assert bad.status_code == 200
    assert bad.context["form"].errors["year"]
    assert not TransparencyReport.objects.exists()

    response = client.post(url, {"year": YEAR})
    assert response.status_code == 302
    report = TransparencyReport.objects.get(year=YEAR)
    download = client.get(reverse("admin:compliance_transparency_download", args=[YEAR, "xlsx"]))
    assert download.status_code == 200
    assert report.figures["rows"]


def test_the_public_page_shows_only_published_reports(client, year_of_cases, hq_admin):
    report = generate_transparency_report(year=YEAR, actor=hq_admin)
    url = reverse("legal:transparency")

    assert 'data-testid="transparency-report"' not in client.get(url).content.decode()
    assert client.get(reverse("legal:transparency-download", args=[YEAR, "csv"])).status_code == (
        404
    )

    publish_transparency_report(report=report, actor=hq_admin)
    page = client.get(url)

    assert 'data-testid="transparency-report"' in page.content.decode()
    download = client.get(reverse("legal:transparency-download", args=[YEAR, "csv"]))
    assert download.status_code == 200
    assert b"Notices received" in download.content


# --- Monthly active recipients (art. 24(2)) ---------------------------------------------------


def test_each_recipient_counts_once_a_month_whatever_they_view(client, customer):
    month = timezone.localdate().replace(day=1)
    clear_month(month)
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 Firefox", "REMOTE_ADDR": "203.0.113.7"}

    for _view in range(3):
        client.get(reverse("home"), **browser)
    client.get(reverse("legal:page", args=["terms"]), **browser)
    client.get(reverse("home"), HTTP_USER_AGENT="Googlebot/2.1", REMOTE_ADDR="66.249.66.1")
    client.get(reverse("home"), HTTP_USER_AGENT="Mozilla/5.0 Safari", REMOTE_ADDR="198.51.100.2")
    client.force_login(customer)
    client.get(reverse("home"), **browser)
    client.get(reverse("home"), HTTP_USER_AGENT="phone", REMOTE_ADDR="192.0.2.9")

    assert count_members(month, "visitors") == 2
    assert count_members(month, "accounts") == 1
    record = record_monthly_active_recipients(month=month)
    assert record.recipients == 3
    assert record_monthly_active_recipients(month=month).recipients == 3  # a re-run: same row
    assert MonthlyActiveRecipients.objects.count() == 1


def test_the_published_average_is_over_the_last_six_months(db, client):
    counts = [100, 200, 300, 400, 500, 600]
    for month, count in enumerate(counts, start=1):
        MonthlyActiveRecipients.objects.create(
            month=date(YEAR - 1, month, 1), recipients=count, method="test"
        )

    rows = compute_report_rows(YEAR - 1)

    assert value(rows, "Average monthly active recipients", "1 January - 30 June") == 350
    assert value(rows, "Average monthly active recipients", "1 July - 31 December") == (
        "not available"
    )


def test_acceptance_1_the_report_for_that_year_counts_each_step(
    lyon_offer, lyon_owner, hq_admin, mediation_body
):
    """Issue 12's acceptance 1 (tests/compliance/test_complaints.py drives it through the
    pages), replayed through the services: the year's report counts each step."""
    from compliance.services import decide_complaint, decide_notice, submit_complaint, submit_notice

    product, store = lyon_offer.variant.product, lyon_offer.store
    notice = submit_notice(
        category="unsafe_products", explanation="Sold without its blade guard: dangerous.",
        urls=[f"http://testserver/p/{product.slug}/"], notifier_name="Camille Martin",
        notifier_email="camille.martin@example.net", good_faith=True, target_kind="offer",
        target_id=lyon_offer.pk,
    )  # fmt: skip
    notice = decide_notice(
        notice=notice, actor=hq_admin, decision_text="The offer is removed.",
        measure_kind="offer_disabled", facts="No blade guard.",
        legal_ground="Art. L. 421-3 du code de la consommation",
    )  # fmt: skip
    measure = notice.measures.get()
    complaint = submit_complaint(
        complainant="store", text="The guard is fitted.", contact_email=lyon_owner.email,
        measure=measure, store=store,
    )  # fmt: skip
    decide_complaint(complaint=complaint, upheld=True, decision_text="Back.", actor=hq_admin)

    rows = compute_report_rows(YEAR)

    assert value(rows, "Notices received", "total") == 1
    assert value(rows, "Notices by category of alleged illegal content",
                 "Unsafe or illegal product") == 1  # fmt: skip
    assert value(rows, "Notices by outcome", "Action taken") == 1
    assert value(rows, "Actions taken on notices", "on the basis of the law") == 1
    assert value(rows, "Actions taken on notices by type of restriction",
                 "decision_visibility: content disabled") == 1  # fmt: skip
    assert value(rows, "Own-initiative measures", "total") == 0
    assert value(rows, "Complaints received", "total") == 1
    assert value(rows, "Complaints by complainant", "Affected store") == 1
    assert value(rows, "Decisions", "initial decision reversed (complaint upheld)") == 1
    assert value(rows, "Measures reversed after a complaint", "total") == 1
    assert isinstance(value(rows, "Median time to take action on a notice", "hours"), float)


def test_the_legal_notice_links_the_transparency_report_and_the_illegal_products(client, db):
    page = client.get(reverse("legal:page", args=["notice"])).content.decode()

    assert reverse("legal:transparency") in page
    assert reverse("legal:illegal-products") in page


def test_hq_publishes_a_report_from_the_admin(client, hq_admin):
    report = generate_transparency_report(year=YEAR, actor=hq_admin)
    client.force_login(hq_admin)

    client.post(
        reverse("admin:compliance_transparencyreport_changelist"),
        {"action": "publish", "_selected_action": [report.pk]},
    )

    report.refresh_from_db()
    assert report.published_at is not None
