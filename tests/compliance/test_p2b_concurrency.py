"""P2B writes under real concurrency (PostgreSQL, threads): a store decides once on a version,
one export of a store is built at a time, two versions published at once never share a number."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from compliance import tasks
from compliance.models import StoreDataExport, TermsDecision, TermsVersion
from compliance.services.data_access import ExportAlreadyRunning, request_store_export
from compliance.services.terms import (
    TermsAlreadyDecided,
    TermsInvalid,
    decide_terms,
    publish_terms,
)
from network_marketplace.errors import DomainError
from stores.models import StoreMembership
from tests.factories import MembershipFactory


def at_once(*calls) -> list[str]:
    """Run the calls in threads released together; each gives "done" or its error's class."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("done")
        except DomainError as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def effective():
    return timezone.localdate() + timedelta(days=15)


@pytest.mark.django_db(transaction=True)
def test_two_managers_deciding_at_once_record_one_decision(hq_admin, lyon_store, lyon_owner):
    manager = MembershipFactory(store=lyon_store, role=StoreMembership.Role.MANAGER).user
    version = publish_terms(title="v1", body="Texte.", effective_on=effective(), actor=hq_admin)

    outcomes = at_once(
        lambda: decide_terms(
            store=lyon_store, version=version, decision="accepted", actor=lyon_owner
        ),
        lambda: decide_terms(
            store=lyon_store, version=version, decision="terminated", actor=manager
        ),
    )

    assert outcomes == sorted(["done", TermsAlreadyDecided.__name__])
    assert TermsDecision.objects.filter(store=lyon_store, version=version).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_export_requests_at_once_make_one_export(lyon_store, lyon_owner, monkeypatch):
    monkeypatch.setattr(tasks.build_store_export, "delay", lambda export_id: None)  # no worker

    outcomes = at_once(
        lambda: request_store_export(store=lyon_store, actor=lyon_owner),
        lambda: request_store_export(store=lyon_store, actor=lyon_owner),
    )

    assert outcomes == sorted(["done", ExportAlreadyRunning.__name__])
    assert StoreDataExport.objects.filter(store=lyon_store).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_versions_published_at_once_never_share_a_number(hq_admin, lyon_store):
    outcomes = at_once(
        lambda: publish_terms(title="A", body="Texte A.", effective_on=effective(), actor=hq_admin),
        lambda: publish_terms(title="B", body="Texte B.", effective_on=effective(), actor=hq_admin),
    )

    numbers = list(TermsVersion.objects.values_list("version", flat=True))
    assert len(numbers) == len(set(numbers)) == outcomes.count("done")
    assert set(outcomes) <= {"done", TermsInvalid.__name__}
