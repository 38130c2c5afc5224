"""The two-host rehearsal (bench/two_hosts.py), short: two gunicorn processes behind nginx, two
Celery workers and a beat, moto's S3 server; an import checked on one host is applied on the
other, a proof made on one is served by the other, and killing one loses no retried request.
Its figures are the script's (bench/README.md); here only what must hold."""

from __future__ import annotations

import pytest

from bench.two_hosts import rehearse

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_web_hosts_share_files_and_survive_losing_one():
    results = rehearse(seconds=3, connections=4, web_workers=1, debug=True)

    assert results["import"]["ok"], results["import"]
    assert results["proof"]["ok"], results["proof"]
    assert results["files_on_web_disks"] == []
    assert "marketing" in results["bucket_prefixes"]  # the proof; the spent import is gone
    assert results["one_web"]["errors"] == 0
    assert results["two_webs"]["errors"] == 0
    assert results["web2_killed"]["requests"] > 0
    assert results["web2_killed"]["errors"] == 0
