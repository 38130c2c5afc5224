"""Storefront pages under load with wrk: p50/p95/p99 and requests/s of each page next to the
trivial `/healthz/live` view in the same run, for one or two code trees (before and after).

For each tree this script collects its static files, starts gunicorn (`--workers` sync workers,
DEBUG off, the tree's own code, this environment's database and Redis) on 127.0.0.1, warms each
page once, then runs wrk (`-t2 -c<clients> -d<seconds>s`) on every page at each client count,
and reads the RSS of every worker after the load. Traffic goes to 127.0.0.1 only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_L_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        python bench/storefront_wrk.py --before /work/wt/L-before [--clients 8 32] [--seconds 10]

The database holds the demo network (`manage.py load_demo`). `--before` names a checkout of the
code to compare with (`git worktree add --detach ../before <commit>`); without it only this tree
runs. `--preload` starts gunicorn with `--preload` for this tree. `--only api` measures only the
pages whose label holds "api" (and the baseline); a client count given twice
(`--clients 8 32 32 8`) is measured twice, in that order. Needs Debian's `wrk`.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PORT = int(os.environ.get("BENCH_PORT", "43010"))
LUA = """
local auth = os.getenv("WRK_AUTHORIZATION")
if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.requests, summary.duration,
    summary.errors.status, errors))
end
"""


def server_env(tree: Path, static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(tree),
        "DEBUG": "false",
        "DEMO": "false",
        "PLAIN_HTTP": "true",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + uuid.uuid4().hex),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": static_root,
        # The API's per-client limit would answer 429 long before the server is busy.
        "API_THROTTLE_CLIENT": "10000000/min",
        "API_THROTTLE_ANONYMOUS": "10000000/min",
        "LOG_LEVEL": "ERROR",
    }


def start_server(tree: Path, *, workers: int, preload: bool) -> subprocess.Popen:
    static_root = tempfile.mkdtemp(prefix="storefront-wrk-static-")
    env = server_env(tree, static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=tree, env=env, check=True,
    )  # fmt: skip
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{PORT}", "--workers", str(workers), "--timeout", "60",
        "--log-level", "warning",
    ]  # fmt: skip
    if preload:
        command.append("--preload")
    server = subprocess.Popen(command, cwd=tree, env=env)
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz/live")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes.append(int(match.group(1)) / 1024)
    return sizes


def wrk(path: str, *, clients: int, seconds: int, authorization: str = "") -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    env = {**os.environ, "WRK_AUTHORIZATION": authorization}
    output = subprocess.run(
        ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s",
         "-s", script.name, f"http://127.0.0.1:{PORT}{path}"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout  # fmt: skip
    os.unlink(script.name)
    line = next(row for row in output.splitlines() if row.startswith("RESULT"))
    p50, p95, p99, requests, duration, bad_status, errors = map(int, line.split()[1:])
    return {
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "rps": requests / (duration / 1e6),
        "bad": bad_status + errors,
    }


def load() -> float:
    return os.getloadavg()[0]


def pages() -> tuple[list[tuple[str, str, bool]], str]:
    """(label, path, needs the API key) of each page measured, and an HQ API key."""
    import django

    django.setup()
    from catalog.models import Product
    from stores.services import issue_api_key

    product = (
        Product.objects.published()
        .filter(variants__stock_levels__store__city="Lyon", variants__stock_levels__in_stock=True)
        .order_by("name")
        .first()
    )
    if product is None:
        raise SystemExit("No product in stock in Lyon: load the demo first (manage.py load_demo).")
    key = issue_api_key(store=None, name="bench storefront wrk", actor="bench").secret
    return [
        ("healthz/live", "/healthz/live", False),
        ("category /c/bricolage/", "/c/bricolage/", False),
        ("product, nearby stores", f"/p/{product.slug}/?postal_code=69002", False),
        ("search ?q=perceuse", "/search/?q=perceuse", False),
        ("home", "/", False),
        ("/api/v1/products/", "/api/v1/products/", True),
    ], key


def measure(tree: Path, name: str, args, page_list, key) -> dict:
    server = start_server(tree, workers=args.workers, preload=args.preload and name == "after")
    results = {}
    try:
        for _label, path, api in page_list:  # warm: one request each, the caches filled
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            headers = {"Authorization": f"Api-Key {key}"} if api else {}
            connection.request("GET", path, headers=headers)
            connection.getresponse().read()
        for round_index, clients in enumerate(args.clients):
            for label, path, api in page_list:
                before_load = load()
                figures = wrk(
                    path,
                    clients=clients,
                    seconds=args.seconds,
                    authorization=f"Api-Key {key}" if api else "",
                )
                figures["load"] = before_load
                results[(label, round_index)] = figures
                print(
                    f"  {name:6} c={clients:<3} {label:26} p95 {figures['p95']:7.1f} ms "
                    f"{figures['rps']:7.1f} req/s  load {before_load:.2f}"
                    + (f"  NON-2XX/ERRORS {figures['bad']}" if figures["bad"] else ""),
                    flush=True,
                )
        results["rss"] = worker_rss_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--preload", action="store_true", help="gunicorn --preload (after)")
    parser.add_argument(
        "--only", help="measure only the pages whose label holds this text (and the baseline)"
    )
    args = parser.parse_args()
    page_list, key = pages()
    if args.only:
        page_list = [
            page for page in page_list if page[0] == "healthz/live" or args.only in page[0]
        ]
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    trees = ([("before", args.before)] if args.before else []) + [("after", ROOT)]
    runs = {name: measure(tree, name, args, page_list, key) for name, tree in trees}

    print()
    header = "| page | clients |"
    rule = "|---|---|"
    for name in runs:
        header += f" {name} p50 / p95 ms | {name} req/s | {name} share |"
        rule += "---|---|---|"
    print(header)
    print(rule)
    for round_index, clients in enumerate(args.clients):
        for label, _path, _api in page_list:
            row = f"| {label} | {clients} |"
            for _name, results in runs.items():
                figures = results[(label, round_index)]
                base = results[("healthz/live", round_index)]["rps"]
                row += (
                    f" {figures['p50']:.0f} / {figures['p95']:.0f} | {figures['rps']:.0f} | "
                    f"{100 * figures['rps'] / base:.1f} % |"
                )
            print(row)
    for name, results in runs.items():
        rss = ", ".join(f"{size:.0f}" for size in results["rss"])
        print(f"{name}: worker RSS after the load (MB): {rss}")
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
