"""A checkout hold alone against PostgreSQL's raw one-row conditional UPDATE, in the same run.

Issue 16's yardstick: `stores.services.reserve_stock` (a checkout hold of one unit on one hot
row, through Django, `bench/checkout.py --runs hold`) should reach at least 1/4 of the rate
PostgreSQL itself gives to the bare statement it is built on, measured by pgbench with a custom
script on a one-row table in the same database, same number of clients, same machine, run
alternately so that both see the same load:

    UPDATE bench_hold_row SET reserved = reserved + 1 WHERE id = 1 AND on_hand - reserved >= 1;

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_bench REDIS_URL=redis://127.0.0.1:6379/9 \\
        python bench/hold_vs_pgbench.py [--clients 8] [--seconds 10] [--rounds 3]

pgbench must be on the PATH (postgresql-client). The table `bench_hold_row` is made and
dropped by the script; the hold run uses bench/checkout.py's store and variant.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATEMENT = (
    "UPDATE bench_hold_row SET reserved = reserved + 1 WHERE id = 1 AND on_hand - reserved >= 1;"
)


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)


def pgbench_rate(url: str, clients: int, seconds: float) -> float:
    psql(url, "DROP TABLE IF EXISTS bench_hold_row; CREATE TABLE bench_hold_row "
              "(id int PRIMARY KEY, on_hand bigint NOT NULL, reserved bigint NOT NULL); "
              "INSERT INTO bench_hold_row VALUES (1, 1000000000, 0);")  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(STATEMENT + "\n")
    try:
        out = subprocess.run(
            ["pgbench", "-n", "-f", script.name, "-c", str(clients), "-j", str(min(clients, 2)),
             "-T", str(int(seconds)), "-M", "prepared", url],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
        psql(url, "DROP TABLE IF EXISTS bench_hold_row;")
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def hold_rate(clients: int, seconds: float) -> float:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "checkout.py"), "--runs", "hold",
         "--clients", str(clients), "--seconds", str(seconds)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout  # fmt: skip
    line = next(line for line in out.splitlines() if line.startswith("hold "))
    if "zero oversell" not in line:
        raise SystemExit(f"the hold run did not add up: {line}")
    return float(line.split()[3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    print(f"{args.clients} clients, {args.seconds:g} s a run, load {os.getloadavg()[0]:.2f}")
    print(f"{'round':<6} {'pgbench UPDATE/s':>17} {'hold/s':>8} {'ratio':>6}")
    for round_ in range(1, args.rounds + 1):
        raw = pgbench_rate(url, args.clients, args.seconds)
        hold = hold_rate(args.clients, args.seconds)
        print(f"{round_:<6} {raw:>17.0f} {hold:>8.0f} {hold / raw:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
