"""Schemathesis against the API on the demo network, with every check: no 5xx, and no answer
(status, content type, headers, body) that the OpenAPI schema does not describe.

The run is configured in `schemathesis.toml` at the repository's root (bounded: a few cases per
operation and phase, a fixed seed; who calls what). By hand, against `make demo` or any server
with the demo loaded and the keys in the environment variables that file names:

    .venv/bin/schemathesis --config-file schemathesis.toml run http://127.0.0.1:8000/api/schema/
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from network_marketplace.models import WebhookEndpoint

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "artifacts" / "schemathesis.txt"
TIME_LIMIT_SECONDS = 600


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(demo_api):
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--no-color",
        "--config-file",
        str(ROOT / "schemathesis.toml"),
        "run",
        f"{demo_api.url}/api/schema/",
    ]
    environment = {
        **os.environ,
        **demo_api.environment(),
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "120",
    }

    run = subprocess.run(
        command,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT_SECONDS,
        check=False,
    )

    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(run.stdout + run.stderr)
    assert run.returncode == 0, f"schemathesis failed (full output: {REPORT}):\n" + "\n".join(
        (run.stdout + run.stderr).splitlines()[-150:]
    )
    # Every webhook endpoint the fuzzer made points at this machine only.
    hosts = {
        urlsplit(url).hostname for url in WebhookEndpoint.objects.values_list("url", flat=True)
    }
    assert hosts <= {"127.0.0.1"}
