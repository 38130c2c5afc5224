"""The load test's customer mix (bench/load_mix.py), run by locust against a live server until
every kind of request has answered once (25 s at most, a few seconds on a quiet machine), so
the script keeps working as the pages move on: every request it makes (pages, cart, checkout,
API) must answer as it does for a customer, and each checkout must place an order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load import ROOT
from orders.models import Order
from stores.models import StockLevel
from stores.services import issue_api_key
from tests.checkout.storefront_setup import build_world

EVERY_REQUEST = {
    "home",
    "category",
    "product + postal code",
    "search",
    "api products",
    "cart add",
    "checkout page",
    "checkout place",
}


@pytest.fixture
def mix_config(transactional_db, tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = build_world()
    # Enough units that the buyer never empties the store in the few seconds of the run.
    StockLevel.objects.filter(variant=world.secateur).update(on_hand=10_000)
    config = {
        "categories": [world.secateur.product.category.slug],
        "products": [world.secateur.product.slug],
        "search_words": ["arrosoir", "sécateur"],
        "postal_codes": ["69002"],
        "api_key": issue_api_key(store=None, name="load test", actor="test").secret,
    }
    path = tmp_path / "mix.json"
    path.write_text(json.dumps(config))
    return path


def _locust(host: str, config: Path, folder: Path) -> dict:
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_mix.py"),
         "--headless", "--host", host, "-u", "4", "-r", "4", "-t", "25s", "--only-summary",
         "--loglevel", "ERROR", "--exit-code-on-error", "0", "Browser", "Buyer", "ApiReader"],
        env={"PATH": "/usr/bin:/bin", "NM_LOAD_CONFIG": str(config), "NM_LOAD_BUYERS": "1",
             "NM_LOAD_API_READERS": "1", "NM_LOAD_MAX_REQUESTS": "2000",
             "NM_LOAD_UNTIL_SEEN": ",".join(EVERY_REQUEST),
             "NM_LOAD_SUMMARY": str(folder / "summary.json")},
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return json.loads((folder / "summary.json").read_text())


def test_every_request_of_the_mix_succeeds_against_a_live_server(live_server, mix_config, tmp_path):
    summary = _locust(live_server.url, mix_config, tmp_path)

    assert summary["failures"] == []
    stats = summary["stats"]
    assert {name for name, row in stats.items() if row["requests"] > 0} >= EVERY_REQUEST
    assert all(row["failures"] == 0 for row in stats.values())
    # The buyer stopped at the end may have had one more order in flight, placed unrecorded.
    placed = stats["checkout place"]["requests"]
    assert placed <= Order.objects.filter(email__startswith="load-").count() <= placed + 1


def test_the_mix_refuses_a_host_other_than_this_machine(mix_config, tmp_path):
    answer = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_mix.py"),
         "--headless", "--host", "http://example.com", "-u", "1", "-t", "1s", "Browser"],
        env={"PATH": "/usr/bin:/bin", "NM_LOAD_CONFIG": str(mix_config)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert answer.returncode != 0
    assert "only talks to 127.0.0.1" in answer.stderr + answer.stdout
