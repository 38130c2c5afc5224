"""Trader data under real concurrency (threads, each with its PostgreSQL connection): the
store's row lock numbers certifications once each and suspends a store once."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from compliance.models import Measure, TraderCertification
from compliance.services.traders import certify_trader, enforce_trader_data

pytestmark = pytest.mark.django_db(transaction=True)


def run_concurrently(count: int, work) -> list:
    """`work(index)` in `count` threads released together; what each returned or raised."""
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


def test_concurrent_certifications_get_distinct_versions(lyon_store, lyon_owner):
    version = settings.TRADER_CERTIFICATION_VERSION

    outcomes = run_concurrently(
        8,
        lambda index: certify_trader(
            store=lyon_store, actor=lyon_owner, text_version=version, enforce=False
        ),
    )

    assert all(isinstance(each, TraderCertification) for each in outcomes), outcomes
    versions = sorted(TraderCertification.objects.values_list("version", flat=True))
    assert versions == list(range(1, 9))


def test_concurrent_checks_of_an_incomplete_store_suspend_it_once(lyon_store):
    outcomes = run_concurrently(6, lambda index: enforce_trader_data(store=lyon_store))

    assert not [each for each in outcomes if isinstance(each, Exception)], outcomes
    assert Measure.objects.filter(store=lyon_store, source="trader_data").count() == 1
