"""The load test's customer mix (bench/load_mix.py), run by locust against a live server until
every kind of request has answered once (25 s at most, a few seconds on a quiet machine), so
the script keeps working as the pages move on: every request it makes (pages, cart, checkout,
API) must answer as it does for a customer, and each checkout must place an order."""

from __future__ import annotations

import csv
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


def _locust(host: str, config: Path, folder: Path) -> dict[str, dict]:
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_mix.py"),
         "--headless", "--host", host, "-u", "4", "-r", "4", "-t", "25s", "--stop-timeout", "10",
         "--csv", str(folder / "run"), "--only-summary", "--loglevel", "ERROR",
         "--exit-code-on-error", "0", "Browser", "Buyer", "ApiReader"],
        env={"PATH": "/usr/bin:/bin", "NM_LOAD_CONFIG": str(config), "NM_LOAD_BUYERS": "1",
             "NM_LOAD_API_READERS": "1", "NM_LOAD_MAX_REQUESTS": "2000",
             "NM_LOAD_UNTIL_SEEN": ",".join(EVERY_REQUEST)},
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    with open(folder / "run_stats.csv", encoding="utf-8") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    with open(folder / "run_failures.csv", encoding="utf-8") as handle:
        stats["failures"] = {row["Name"]: row["Error"] for row in csv.DictReader(handle)}
    return stats


def test_every_request_of_the_mix_succeeds_against_a_live_server(live_server, mix_config, tmp_path):
    stats = _locust(live_server.url, mix_config, tmp_path)

    assert stats.pop("failures") == {}
    made = {name for name, row in stats.items() if int(row["Request Count"]) > 0}
    assert made >= EVERY_REQUEST
    assert all(int(row["Failure Count"]) == 0 for row in stats.values())
    placed = int(stats["checkout place"]["Request Count"])
    assert Order.objects.filter(email__startswith="load-").count() == placed


def test_the_mix_refuses_a_host_other_than_this_machine(mix_config, tmp_path):
    answer = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_mix.py"),
         "--headless", "--host", "http://example.com", "-u", "1", "-t", "1s", "Browser"],
        env={"PATH": "/usr/bin:/bin", "NM_LOAD_CONFIG": str(mix_config)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert answer.returncode != 0
    assert "only talks to 127.0.0.1" in answer.stderr + answer.stdout
