"""Checkouts per second on one hot variant through HTTP (the order API), with zero oversell.

The same hot item as bench/checkout.py (store `bench-checkout`, SKU `BENCH-HOT-1`), bought by
`--clients` processes that each POST `/api/v1/orders/` in a loop (one click & collect unit, an
HQ API key, a fresh Idempotency-Key per order) to gunicorn started by this script
(`--workers` sync workers, DEBUG off) on the same machine. Two runs:

- plenty:  10 million units; every order must be placed (201) for --seconds;
- scarce:  --scarce units; exactly that many 201s, the rest clear 409 "no longer available".

Any other status is an error and fails the run. After each run the totals are checked against
the database as in bench/checkout.py: reserved == the active holds == the orders placed, on hand
unchanged and equal to the sum of the movements, available never below zero.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_bench REDIS_URL=redis://127.0.0.1:6379/9 \\
        python bench/checkout_http.py [--clients 8] [--workers 4] [--seconds 10] [--scarce 200]

REDIS_URL should name a broker, as in production: the web process then only writes the e-mail
and webhook messages to the outbox (no worker needs to run for the bench).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from checkout import check, prepare, setup_django  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8765"))


def start_server(workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + uuid.uuid4().hex),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "BEHIND_TLS_PROXY": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"127.0.0.1:{PORT}", "--workers", str(workers), "--timeout", "60",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz/live")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def hq_key() -> str:
    from stores.services import issue_api_key

    return issue_api_key(store=None, name="bench checkout over HTTP", actor="bench").secret


def client(key, seconds, scarce, index, start, out):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    placed = told = 0
    errors: dict[int, int] = {}
    latencies = []
    start.wait()
    deadline = time.perf_counter() + seconds * (10 if scarce else 1)
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        body = json.dumps({
            "lines": [{"sku": "BENCH-HOT-1", "quantity": 1, "method": "click_collect",
                       "store": "bench-checkout"}],
            "customer": {"email": f"bench{index}@example.com", "first_name": "Bench",
                         "last_name": f"Client {index}"},
            "payment_token": "tok_bench",
        })  # fmt: skip
        began = time.perf_counter()
        connection.request(
            "POST", "/api/v1/orders/", body=body,
            headers={"Content-Type": "application/json", "Authorization": f"Api-Key {key}",
                     "Idempotency-Key": f"bench-{index}-{n}-{uuid.uuid4().hex[:8]}",
                     "Accept-Language": "en"},
        )  # fmt: skip
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - began)
        if response.status == 201:
            placed += 1
        elif response.status == 409:
            told += 1
            if scarce:
                break
        else:
            errors[response.status] = errors.get(response.status, 0) + 1
    connection.close()
    out.put((placed, told, errors, latencies))


def run(mode, *, key, clients, seconds, on_hand) -> dict:
    store_id, variant_id = prepare(on_hand=on_hand)
    context = mp.get_context("spawn")
    start, out = context.Barrier(clients + 1), context.Queue()
    processes = [
        context.Process(target=client, args=(key, seconds, mode == "scarce", index, start, out))
        for index in range(clients)
    ]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    results = [out.get() for _ in processes]
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
    errors: dict[int, int] = {}
    for each in results:
        for status, count in each[2].items():
            errors[status] = errors.get(status, 0) + count
    latencies = sorted(latency for each in results for latency in each[3])
    return {
        # check() reads "mode" (…scarce: exactly on_hand won), "won", store and variant.
        "mode": "checkout-scarce" if mode == "scarce" else "checkout", "run": mode,
        "clients": clients, "elapsed": elapsed, "won": sum(each[0] for each in results),
        "refused": sum(each[1] for each in results), "errors": errors, "on_hand": on_hand,
        "store_id": store_id, "variant_id": variant_id, "warmed": 0,  # no warm-up over HTTP
        "p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0,
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--scarce", type=int, default=200)
    options = parser.parse_args()
    setup_django()
    from django.db import connection

    prepare(on_hand=10**7)
    key = hq_key()
    server = start_server(options.workers)
    failed = False
    try:
        version = connection.cursor().connection.info.server_version
        print(
            f"PostgreSQL {version}, {os.cpu_count()} CPU(s), gunicorn {options.workers} sync "
            f"workers, {options.clients} HTTP clients, {options.seconds:g} s a run"
        )
        print(f"{'run':<8} {'201':>6} {'409':>6} {'other':>6} {'orders/s':>9} {'p50 ms':>7} "
              f"{'p95 ms':>7}  totals")  # fmt: skip
        for mode, on_hand in (("plenty", 10**7), ("scarce", options.scarce)):
            connection.close()
            result = run(
                mode, key=key, clients=options.clients, seconds=options.seconds,
                on_hand=on_hand,
            )  # fmt: skip
            problems = check(result)
            if result["errors"]:
                problems.append(f"unexpected answers {result['errors']}")
            failed = failed or bool(problems)
            print(
                f"{mode:<8} {result['won']:>6} {result['refused']:>6} "
                f"{sum(result['errors'].values()):>6} {result['won'] / result['elapsed']:>9.1f} "
                f"{result['p50_ms']:>7.1f} {result['p95_ms']:>7.1f}  "
                + ("; ".join(problems) if problems else "add up, zero oversell")
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
