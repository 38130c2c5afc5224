"""Heavy reads on a real streaming replica, and the primary whenever that would be wrong
(network_marketplace/db_routers.py, docs/database.md).

The session starts a private primary holding a copy of the test database and a hot standby
cloned from it with `pg_basebackup -R` (tests/database_servers.py); each test points Django's
`default` at that primary and adds the `replica` alias, as DATABASE_REPLICA_URL would.
"""

from __future__ import annotations

import contextlib
import copy
import json
import urllib.parse
from datetime import date

import pytest
from celery.signals import task_prerun
from django.contrib.auth import get_user_model
from django.core.signals import request_started
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network_marketplace import db_routers
from payments import selectors
from stores.models import StoreMembership
from tests.database_servers import DATABASE, Replication, replicated_clusters
from tests.factories import MembershipFactory, StoreFactory
from tests.payments.money_helpers import book_sale, open_account

# One group: the clusters are started once, by one xdist worker. `transaction=True` has the test
# database created (to be copied) and leaves no transaction open on it while a test runs.
pytestmark = [pytest.mark.xdist_group("read-replica"), pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def replication(django_db_setup, django_db_blocker):
    db = connections["default"].settings_dict
    copy_of = (
        f"postgresql://{urllib.parse.quote(db['USER'] or 'postgres')}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    with django_db_blocker.unblock(), replicated_clusters(copy_of=copy_of) as servers:
        yield servers


@pytest.fixture
def replicated(replication: Replication, transactional_db, django_db_blocker, settings):
    """Django on the private primary, with the streaming replica as `replica`."""
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 30
    default = connections["default"].settings_dict
    saved = copy.deepcopy(default)
    connections.close_all()
    default.update(HOST="127.0.0.1", PORT=str(replication.primary.port), NAME=DATABASE)
    connections.settings[db_routers.REPLICA] = {
        **copy.deepcopy(default),
        "PORT": str(replication.replica.port),
    }
    db_routers.forget_replica_state()
    db_routers.start_unit_of_work()
    try:
        # Django's test case refuses aliases it did not set up (this one is the test's own
        # server): unblocking puts the real `ensure_connection` back for the test's duration.
        with django_db_blocker.unblock():
            yield replication
    finally:
        connections.close_all()
        with contextlib.suppress(AttributeError):  # never opened in this thread
            del connections[db_routers.REPLICA]
        del connections.settings[db_routers.REPLICA]
        default.clear()
        default.update(saved)
        db_routers.forget_replica_state()
        db_routers.start_unit_of_work()


@pytest.fixture
def store_with_a_sale(replicated):
    store = StoreFactory()
    owner = MembershipFactory(store=store, role=StoreMembership.Role.OWNER).user
    open_account(store)
    book_sale(store, gross=10_000, commission=1_500)
    replicated.wait_until_replayed()
    return store, owner


def this_month() -> tuple[date, date]:
    today = timezone.localdate()
    return today.replace(day=1), today


def statement_page(client, store):
    start, end = this_month()
    return client.get(
        reverse("backoffice:money-statement", kwargs={"slug": store.slug}),
        {"start": start.isoformat(), "end": end.isoformat()},
    )


def test_a_store_statement_is_read_from_the_streaming_replica(client, store_with_a_sale):
    store, owner = store_with_a_sale
    client.force_login(owner)

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = statement_page(client, store)

    assert page.status_code == 200
    assert len(page.context["statement"].lines) == 1
    statement_reads = [q for q in on_replica.captured_queries if "journalline" in q["sql"]]
    assert statement_reads, "the statement's ledger lines were read on the replica"
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        in_recovery, port = cursor.fetchone()
    assert in_recovery  # a standby, not the primary under another name
    assert port == int(connections["replica"].settings_dict["PORT"])


def test_a_read_after_a_write_in_the_same_request_goes_to_the_primary(
    replicated, store_with_a_sale
):
    # Given the replica is paused, so that it cannot show what is written from now on
    store, _ = store_with_a_sale
    replicated.replica.query("SELECT pg_wal_replay_pause()")
    try:
        # When one request books a second sale, then reads the statement
        request_started.send(sender=None)
        book_sale(store, gross=20_000, commission=3_000)
        start, end = this_month()
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            stmt = selectors.statement(store=store, start=start, end=end)

        # Then it reads on the primary, and sees its own write
        assert len(stmt.lines) == 2
        assert on_replica.captured_queries == []

        # And the next request, which writes nothing, reads the replica again
        request_started.send(sender=None)
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            selectors.statement(store=store, start=start, end=end)
        assert on_replica.captured_queries
    finally:
        replicated.replica.query("SELECT pg_wal_replay_resume()")


def test_each_celery_task_starts_on_the_replica_and_stays_on_the_primary_once_it_wrote(
    replicated, store_with_a_sale
):
    store, _ = store_with_a_sale
    start, end = this_month()

    task_prerun.send(sender=None, task_id="statement-mail", task=None)
    with CaptureQueriesContext(connections["replica"]) as before_writing:
        selectors.statement(store=store, start=start, end=end)
    book_sale(store, gross=5_000, commission=750)
    with CaptureQueriesContext(connections["replica"]) as after_writing:
        stmt = selectors.statement(store=store, start=start, end=end)

    assert before_writing.captured_queries
    assert after_writing.captured_queries == []
    assert len(stmt.lines) == 2


def test_a_lagging_replica_is_skipped_and_healthz_says_so(
    client, replicated, store_with_a_sale, settings
):
    # Given replay paused while the primary goes on writing, and a limit of no lag at all
    store, owner = store_with_a_sale
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0
    replicated.replica.query("SELECT pg_wal_replay_pause()")
    try:
        book_sale(store, gross=20_000, commission=3_000)
        replicated.wait_until_received_not_replayed()
        db_routers.forget_replica_state()
        client.force_login(owner)

        # When the owner reads the statement and the load balancer probes /healthz
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            page = statement_page(client, store)
        health = client.get("/healthz")

        # Then the statement is complete, read from the primary, and /healthz says why
        assert len(page.context["statement"].lines) == 2
        assert not [q for q in on_replica.captured_queries if "journalline" in q["sql"]]
        replica = json.loads(health.content)["checks"]["replica"]
        assert replica["status"] == "fallback"
        assert "heavy reads go to the primary: replica lagging" in replica["detail"]
        assert "replay paused" in replica["detail"]
    finally:
        replicated.replica.query("SELECT pg_wal_replay_resume()")
    replicated.wait_until_replayed()


def test_a_stopped_replica_is_skipped_and_healthz_says_so_without_failing(
    client, replicated, store_with_a_sale
):
    store, owner = store_with_a_sale
    client.force_login(owner)
    connections["replica"].close()
    replicated.replica.stop()
    try:
        db_routers.forget_replica_state()

        page = statement_page(client, store)
        health = client.get("/healthz")

        assert page.status_code == 200
        assert len(page.context["statement"].lines) == 1
        replica = json.loads(health.content)["checks"]["replica"]
        assert replica["status"] == "fallback"
        assert "replica down, unreachable" in replica["detail"]
        assert db_routers.replica_state().status == "down"
    finally:
        connections["replica"].close()
        replicated.replica.start()
    db_routers.forget_replica_state()
    assert db_routers.replica_state(refresh=True).usable  # back once it answers again


def test_the_control_tower_reads_in_one_transaction_on_the_replica(client, replicated):
    hq = get_user_model().objects.create_superuser(
        email=f"hq.replica.{replicated.primary.port}@example.com", password="x-unused-x"
    )
    client.force_login(hq)

    # The first visit creates HQ's one-row settings (a write: that request stays on the primary)
    assert client.get(reverse("admin:index")).status_code == 200
    replicated.wait_until_replayed()

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = client.get(reverse("admin:index"))

    assert page.status_code == 200
    sql = " ".join(q["sql"] for q in on_replica.captured_queries)
    assert "set_config('jit', 'off', true)" in sql
    assert "orders_order" in sql
