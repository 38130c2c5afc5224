"""HQ's one-row settings are read from memory while they are current (issue 16), and a change
is seen at once: by the process that saved it, and by every other process once it commits."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

from orders.models import OrderPolicy
from tests.network_marketplace.conftest import ROOT, _database_url_of_this_test


def test_the_order_policy_is_read_from_memory_while_it_is_unchanged(db, django_assert_num_queries):
    OrderPolicy.current()  # the first read of this process

    with django_assert_num_queries(0):
        policy = OrderPolicy.current()

    assert policy.pk == 1


def test_a_copy_changed_without_saving_changes_nothing_for_the_others(db):
    policy = OrderPolicy.current()
    policy.checkout_hold_minutes = 1

    assert OrderPolicy.current().checkout_hold_minutes != 1


def test_hq_saving_the_policy_is_seen_at_the_next_read(db):
    before = OrderPolicy.current().checkout_hold_minutes
    policy = OrderPolicy.objects.select_for_update().get(pk=1)
    policy.checkout_hold_minutes = before + 5
    policy.save()

    assert OrderPolicy.current().checkout_hold_minutes == before + 5


def test_a_change_another_process_commits_is_seen_at_once(transactional_db):
    # Given this process holds the policy in memory
    before = OrderPolicy.current().checkout_hold_minutes
    # When another process (a second gunicorn worker, HQ's admin) saves a change
    script = (
        "from orders.models import OrderPolicy\n"
        "policy = OrderPolicy.current()\n"
        f"policy.checkout_hold_minutes = {before + 7}\n"
        "policy.save()\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_of_this_test(),
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
    }
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=env, check=True, timeout=120,
    )  # fmt: skip

    # Then this process reads the new value at its next read, without waiting for anything
    assert OrderPolicy.current().checkout_hold_minutes == before + 7
