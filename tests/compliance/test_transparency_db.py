"""The transparency database export (DSA art. 24(5)): the Commission's field names, no personal
data, a batch file, and the API client against a local test server (never the internet)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from compliance.models import StatementOfReasons
from compliance.services import apply_measure, decide_notice, submit_notice
from compliance.tasks import submit_statements
from compliance.transparency_db import export_batch, statement_payload, submit_pending_statements
from tests.factories import StockLevelFactory, StoreFactory, UserFactory

TOKEN = "tdb-test-token"


class TransparencyDbServer:
    """A local stand-in for the transparency database API: POST /api/v1/statement with a
    Bearer token; 201 with a uuid; a puid seen before is a 422, as the real API answers."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.fail_next = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                return

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._answer(401, {"message": "Unauthenticated."})
                if self.path != "/api/v1/statement":
                    return self._answer(404, {"message": "Not found"})
                if server.fail_next:
                    server.fail_next -= 1
                    return self._answer(500, {"message": "Server error"})
                if any(seen["puid"] == body["puid"] for seen in server.received):
                    return self._answer(
                        422, {"errors": {"puid": ["The puid has already been taken."]}}
                    )
                server.received.append(body)
                return self._answer(201, {"uuid": f"tdb-{len(server.received)}", **body})

            def _answer(self, status, data):
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def transparency_db(settings):
    with TransparencyDbServer() as server:
        settings.DSA_TRANSPARENCY_DB_URL = server.url
        settings.DSA_TRANSPARENCY_DB_TOKEN = TOKEN
        yield server


@pytest.fixture
def person_named_store(db):
    """A sole trader whose store bears her name."""
    return StoreFactory(
        name="Jeanne Moreau",
        slug="jeanne-moreau",
        company_name="Jeanne Moreau EI",
        email="jeanne.moreau@orange.example",
        legal_address="4 rue des Lilas, 69003 Lyon",
    )


def disabled_offer_statement(store, hq_admin):
    offer = StockLevelFactory(store=store)
    notice = submit_notice(
        category="unsafe_products",
        explanation="Jeanne Moreau sells it without a guard, call me 06 12 34 56 78",
        urls=[f"http://testserver/p/{offer.variant.product.slug}/"],
        notifier_name="Camille Martin",
        notifier_email="camille.martin@example.net",
        good_faith=True,
        target_kind="offer",
        target_id=offer.pk,
    )
    decide_notice(
        notice=notice,
        actor=hq_admin,
        decision_text="Removed",
        measure_kind="offer_disabled",
        facts=(
            "Camille Martin (camille.martin@example.net) reported that Jeanne Moreau, "
            "4 rue des Lilas, 69003 Lyon, sells the mower without its guard; "
            "see https://jeanne-moreau.example/shop"
        ),
        legal_ground="Art. L. 421-3 code de la consommation",
    )
    return StatementOfReasons.objects.get(measure__notice=notice)


@pytest.mark.django_db
def test_the_export_uses_the_databases_fields_and_holds_no_personal_data(
    person_named_store, hq_admin
):
    statement = disabled_offer_statement(person_named_store, hq_admin)

    payload = statement_payload(statement)

    assert payload["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert payload["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert payload["category"] == "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS"
    assert payload["content_type"] == ["CONTENT_TYPE_PRODUCT"]
    assert payload["source_type"] == "SOURCE_ARTICLE_16"
    assert payload["automated_detection"] == "No"
    assert payload["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert payload["territorial_scope"] == ["FR"]
    assert payload["account_type"] == "ACCOUNT_TYPE_BUSINESS"
    assert payload["puid"] == str(statement.uuid)
    assert "without its guard" in payload["decision_facts"]
    text = json.dumps(payload, ensure_ascii=False).lower()
    for personal in (
        "jeanne",
        "moreau",
        "camille",
        "martin",
        "@",
        "lilas",
        "jeanne-moreau",
        "06 12",
        str(person_named_store.pk) + '"',
    ):
        assert personal not in text, personal


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("offer_demoted", "decision_visibility", ["DECISION_VISIBILITY_CONTENT_DEMOTED"]),
        ("payouts_held", "decision_monetary", "DECISION_MONETARY_SUSPENSION"),
        ("store_selling_suspended", "decision_provision", "DECISION_PROVISION_PARTIAL_SUSPENSION"),
        ("account_suspended", "decision_account", "DECISION_ACCOUNT_SUSPENDED"),
    ],
    ids=["demoted", "payouts", "selling", "account"],
)
def test_each_measure_is_the_databases_restriction(kind, field, value, lyon_offer, hq_admin):
    target = {
        "offer_demoted": lyon_offer,
        "payouts_held": lyon_offer.store,
        "store_selling_suspended": lyon_offer.store,
        "account_suspended": UserFactory(first_name="Paul", last_name="Durand"),
    }[kind]

    measure = apply_measure(
        kind=kind,
        target=target,
        source="own_initiative",
        facts="Repeated breaches",
        terms_clause="Terms 7.1",
        actor=hq_admin,
    )

    payload = statement_payload(measure.statement)
    assert payload[field] == value
    assert payload["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert payload["incompatible_content_ground"] == "Terms 7.1"
    assert payload["source_type"] == "SOURCE_VOLUNTARY"
    assert "durand" not in json.dumps(payload).lower()


@pytest.mark.django_db
def test_a_batch_file_holds_every_statement(tmp_path, person_named_store, hq_admin):
    disabled_offer_statement(person_named_store, hq_admin)
    disabled_offer_statement(person_named_store, hq_admin)
    output = tmp_path / "statements.json"

    call_command("export_statements", output=str(output))

    batch = json.loads(output.read_text())
    assert len(batch["statements"]) == 2
    assert "moreau" not in output.read_text().lower()
    assert batch == export_batch(StatementOfReasons.objects.all())


@pytest.mark.django_db
def test_pending_statements_are_submitted_once_to_the_api(
    transparency_db, person_named_store, hq_admin
):
    first = disabled_offer_statement(person_named_store, hq_admin)
    second = disabled_offer_statement(person_named_store, hq_admin)
    transparency_db.fail_next = 1

    report = submit_pending_statements()

    assert (report.failed, report.sent) == ([first.pk], [second.pk])
    first.refresh_from_db()
    assert "HTTP 500" in first.transparency_error

    assert submit_statements() == {"sent": 1, "failed": 0}
    assert submit_statements() == {"sent": 0, "failed": 0}
    assert sorted(body["puid"] for body in transparency_db.received) == sorted(
        [str(first.uuid), str(second.uuid)]
    )
    first.refresh_from_db()
    assert first.transparency_submitted_at is not None
    assert first.transparency_id.startswith("tdb-")
    assert "moreau" not in json.dumps(transparency_db.received).lower()


@pytest.mark.django_db
def test_a_statement_the_database_already_holds_counts_as_submitted(
    transparency_db, person_named_store, hq_admin
):
    statement = disabled_offer_statement(person_named_store, hq_admin)
    transparency_db.received.append({"puid": str(statement.uuid)})

    assert submit_pending_statements().sent == [statement.pk]


@pytest.mark.django_db
def test_nothing_is_sent_without_the_setting(settings, person_named_store, hq_admin):
    settings.DSA_TRANSPARENCY_DB_URL = ""
    disabled_offer_statement(person_named_store, hq_admin)

    report = submit_pending_statements()

    assert (report.sent, report.failed) == ([], [])
    assert StatementOfReasons.objects.filter(transparency_submitted_at__isnull=True).count() == 1
