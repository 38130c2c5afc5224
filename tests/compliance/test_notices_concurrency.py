"""Two people of HQ deciding one notice at once, on PostgreSQL with real threads: one decision,
one measure, one statement; the other is told the notice was decided."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from compliance.models import Measure, Notice, StatementOfReasons
from compliance.services import NoticeAlreadyDecided, decide_notice, submit_notice
from tests.factories import UserFactory


def run_concurrently(count: int, work) -> list:
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


@pytest.mark.django_db(transaction=True)
def test_a_notice_decided_twice_at_once_gets_one_measure_and_one_statement(lyon_offer):
    deciders = [UserFactory(is_staff=True) for _ in range(4)]
    notice = submit_notice(
        category="unsafe_products",
        explanation="Dangerous",
        urls=[f"http://testserver/p/{lyon_offer.variant.product.slug}/"],
        notifier_email="camille.martin@example.net",
        good_faith=True,
        target_kind="offer",
        target_id=lyon_offer.pk,
    )

    results = run_concurrently(
        len(deciders),
        lambda index: decide_notice(
            notice=notice,
            actor=deciders[index],
            decision_text="Removed",
            measure_kind="offer_disabled",
            facts="No blade guard",
            legal_ground="Code de la consommation",
        ),
    )

    decided = [result for result in results if isinstance(result, Notice)]
    refused = [result for result in results if isinstance(result, NoticeAlreadyDecided)]
    assert (len(decided), len(refused)) == (1, len(deciders) - 1)
    assert Measure.objects.count() == StatementOfReasons.objects.count() == 1
    lyon_offer.refresh_from_db()
    assert not lyon_offer.in_stock
