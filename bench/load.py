"""The storefront and checkout under load (issue 16): locust's customer mix against gunicorn, each
page's p50/p95/p99 and requests/s next to the trivial `/healthz/live` view's in the same run,
and the server's CPU split between Python (the gunicorn workers) and PostgreSQL (their backends).

    python -m bench.load --data demo --users 8 32 --duration 60 [--rev REV ...] [--page-seconds 15]

Each `--rev` (a commit, branch or tag; `here`, the default, is this working tree as it is) is
served from its own `git worktree add --detach` under --state, by its own gunicorn (4 sync
workers, DEBUG off, gunicorn.conf.py, static files collected, French compiled) on its own port
(44010 and up) and its own database, so "before" and "after" run side by side in one command.
A database is built once per revision and data set (migrated and loaded by that revision's own
code: `load_demo`, or the postal codes and bench/generate.py's network of --stores stores and
--variants variants) and kept as a template; every run starts from a fresh copy of it, with a
cache prefix of its own (a cold cache, warmed by --warmup seconds of the mix, not counted).

For each number of users, each revision in turn: the trivial view alone (--baseline seconds),
then the mix (--duration seconds, at most --max-requests requests), then, with --page-seconds,
each page alone as wrk measured them in the issue. The users send their next request as soon as
they have the answer (no think time), so N users are N requests in flight. Traffic goes to
127.0.0.1 only. PostgreSQL and Redis are the ones of DATABASE_URL's server and REDIS_URL.

CPU: utime+stime of the gunicorn workers and of the PostgreSQL backends of the run's database
(CONN_MAX_AGE keeps one per worker), from /proc/<pid>/stat before and after the mix; the
machine's total from /proc/stat (the rest is the load generator and anything else running).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
MIX = ROOT / "bench" / "load_mix.py"
PAGES = ("home", "category", "product", "search", "api")
TICKS = os.sysconf("SC_CLK_TCK")
MIX_CLASSES = ("Browser", "Buyer", "ApiReader")


@dataclass
class Side:
    """One revision served: its tree, its port, its databases."""

    rev: str
    sha: str
    tree: Path
    port: int
    server: subprocess.Popen | None = None
    env: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.rev if self.rev == "here" else f"{self.rev} ({self.sha[:8]})"


def say(text: str = "") -> None:
    print(text, flush=True)


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def server_url(database_url: str, name: str) -> str:
    return database_url.rsplit("/", 1)[0] + "/" + name


def admin(database_url: str) -> psycopg.Connection:
    return psycopg.connect(server_url(database_url, "postgres"), autocommit=True)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- the trees -------------------------------------------------------------------------------


def prepare_side(rev: str, index: int, options) -> Side:
    if rev == "here":
        side = Side(rev, git("rev-parse", "HEAD"), ROOT, options.port + index)
    else:
        sha = git("rev-parse", "--verify", f"{rev}^{{commit}}")
        tree = options.state / "trees" / sha[:12]
        if not (tree / "manage.py").exists():
            tree.parent.mkdir(parents=True, exist_ok=True)
            say(f"git worktree add --detach {tree} {sha[:12]}")
            git("worktree", "add", "--detach", str(tree), sha)
        side = Side(rev, sha, tree, options.port + index)
    static = options.state / "static" / (side.sha[:12] if rev != "here" else "here")
    side.env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "load-" + secrets.token_hex(16),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PLAIN_HTTP": "true",
        "STATIC_ROOT": str(static),
        "REDIS_URL": options.redis_url,
        # The bench measures pages, not the API's per-client budget (1,200/min by default).
        "API_THROTTLE_CLIENT": "100000000/min",
        "API_THROTTLE_ANONYMOUS": "100000000/min",
        "PYTHONPATH": str(side.tree),
        # One backend per worker for the whole run, so its CPU is still there to read at the
        # end of a phase (with the default 60 s, a backend closed mid-phase took its CPU along).
        "CONN_MAX_AGE": "3600",
    }
    python = sys.executable
    for po in sorted((side.tree / "locale").glob("*/LC_MESSAGES/django.po")):
        subprocess.run([python, "scripts/compile_messages.py", str(po)], cwd=side.tree,
                       env=side.env, check=True, capture_output=True)  # fmt: skip
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=side.tree,
                   env={**side.env, "DATABASE_URL": options.database_url}, check=True)  # fmt: skip
    return side


# --- the databases ---------------------------------------------------------------------------


def template_name(side: Side, options) -> str:
    size = "demo" if options.data == "demo" else f"b{options.stores}x{options.variants}"
    return f"nml_{'here' if side.rev == 'here' else side.sha[:10]}_{size}"


def build_template(side: Side, options) -> str:
    """The revision's database with the data loaded, built once (a comment marks it ready)."""
    name = template_name(side, options)
    with admin(options.database_url) as conn:
        ready = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if ready and ready[0] == "ready" and not (options.rebuild and side.rev == "here"):
            return name
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server_url(options.database_url, name)
    env = {**side.env, "DATABASE_URL": url}
    began = time.perf_counter()
    say(f"building {name} with {side.label}'s code ({options.data} data)")

    def manage(*args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=side.tree, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip

    manage("migrate", "--noinput", "-v0")
    if options.data == "demo":
        manage("load_demo")
    else:
        manage("load_postal_codes")
        subprocess.run(
            [sys.executable, "bench/generate.py", "--database-url", url, "--reset",
             "--stores", str(options.stores), "--variants", str(options.variants),
             "--warehouse-variants", str(options.variants)],
            cwd=side.tree, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    with admin(options.database_url) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS 'ready'")
    say(f"  built in {time.perf_counter() - began:.0f} s")
    return name


def fresh_copy(template: str, options) -> str:
    name = f"{template}_run"
    with admin(options.database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


def mix_config(database: str, side: Side, options) -> dict:
    """The URLs the customers visit, read from the database served."""
    url = server_url(options.database_url, database)
    with psycopg.connect(url) as conn:
        rows = conn.execute
        products = [r[0] for r in rows(
            "SELECT p.slug FROM catalog_product p WHERE p.status = 'published' AND EXISTS ("
            " SELECT 1 FROM catalog_variant v JOIN stores_stocklevel s ON s.variant_id = v.id"
            " WHERE v.product_id = p.id AND s.on_hand > s.reserved + s.safety_stock)"
            " ORDER BY md5(p.slug) LIMIT 300"
        )]  # fmt: skip
        categories = [r[0] for r in rows(
            "SELECT DISTINCT c.slug FROM catalog_category c JOIN catalog_product p"
            " ON p.category_id = c.id OR p.category_id IN"
            " (SELECT id FROM catalog_category WHERE parent_id = c.id)"
            " WHERE p.status = 'published' ORDER BY c.slug"
        )]  # fmt: skip
        words = [r[0] for r in rows(
            "SELECT lower(split_part(name, ' ', 1)) AS word FROM catalog_product"
            " WHERE status = 'published' AND length(split_part(name, ' ', 1)) >= 4"
            " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 20"
        )]  # fmt: skip
        postal_codes = [r[0] for r in rows(
            "SELECT DISTINCT postal_code FROM stores_store WHERE status = 'active'"
            " AND offers_click_collect AND kind <> 'warehouse' AND postal_code <> ''"
            " ORDER BY 1 LIMIT 60"
        )]  # fmt: skip
    if options.data == "demo" and "perceuse" not in words:
        words.append("perceuse")  # the search
    key = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from stores.services import issue_api_key;"
         "print(issue_api_key(store=None, name='load test', actor='bench').secret)"],
        cwd=side.tree, env={**side.env, "DATABASE_URL": url}, check=True, capture_output=True,
        text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    config = {"categories": categories, "products": products, "search_words": words,
              "postal_codes": postal_codes, "api_key": key}  # fmt: skip
    empty = [name for name, values in config.items() if not values]
    if empty:
        raise SystemExit(f"nothing to visit in {database}: no {', '.join(empty)}")
    return config


# --- the server and its CPU ------------------------------------------------------------------


def start_server(side: Side, database: str, options) -> None:
    env = {
        **side.env,
        "DATABASE_URL": server_url(options.database_url, database),
        "CACHE_KEY_PREFIX": f"load-{database}-{secrets.token_hex(4)}",  # a cold cache
    }
    side.server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"127.0.0.1:{side.port}", "--workers", str(options.workers),
         "--timeout", "120", "--log-level", "warning", *options.gunicorn_arg],
        cwd=side.tree, env=env,
    )  # fmt: skip
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{side.port}/healthz/live", timeout=2):
                return
        except OSError:
            if side.server.poll() is not None:
                raise SystemExit(f"gunicorn for {side.label} exited") from None
            time.sleep(0.2)
    stop_server(side)
    raise SystemExit(f"gunicorn for {side.label} did not start")


def stop_server(side: Side) -> None:
    if side.server is not None and side.server.poll() is None:
        side.server.send_signal(signal.SIGTERM)
        try:
            side.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            side.server.kill()
            side.server.wait()
    side.server = None


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, or None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _processes():
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            yield int(entry)


def workers_of(side: Side) -> list[int]:
    master = side.server.pid
    return [pid for pid in _processes() if (_stat(pid) or (0,))[0] == master]


def backends_of(database: str) -> list[int]:
    pids = []
    for pid in _processes():
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if command.startswith("postgres: ") and f" {database} " in command:
            pids.append(pid)
    return pids


def cpu_sample(side: Side, database: str) -> dict:
    python = {pid: (_stat(pid) or (0, 0.0))[1] for pid in workers_of(side)}
    python[side.server.pid] = (_stat(side.server.pid) or (0, 0.0))[1]
    postgres = {pid: (_stat(pid) or (0, 0.0))[1] for pid in backends_of(database)}
    busy = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    total = sum(int(value) for value in busy[:8]) / TICKS
    idle = (int(busy[3]) + int(busy[4])) / TICKS
    return {"python": python, "postgres": postgres, "machine": total - idle}


def cpu_split(before: dict, after: dict) -> dict:
    """CPU seconds spent between two samples; a process born in between counts from zero."""

    def spent(kind):
        return sum(after[kind][pid] - before[kind].get(pid, 0.0) for pid in after[kind])

    return {
        "python_s": spent("python"),
        "postgres_s": spent("postgres"),
        "machine_s": after["machine"] - before["machine"],
    }


def worker_rss_mb(side: Side) -> list[float]:
    sizes = []
    for pid in workers_of(side):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


# --- locust ----------------------------------------------------------------------------------


def _count(users: int, share: float) -> int:
    return max(1, round(users * share)) if share > 0 else 0


def run_locust(side: Side, config_path: Path, classes, users: int, seconds: float, options,
               page: str = "") -> dict:  # fmt: skip
    """One headless locust run; returns its stats per request name and its own CPU time."""
    with tempfile.TemporaryDirectory(prefix="nm-load-") as folder:
        summary = Path(folder) / "summary.json"
        env = {
            **os.environ,
            "NM_LOAD_CONFIG": str(config_path),
            # At least one buyer and one API reader whenever their share is not zero.
            "NM_LOAD_BUYERS": str(_count(users, options.checkout_share)),
            "NM_LOAD_API_READERS": str(_count(users, options.api_share)),
            "NM_LOAD_MAX_REQUESTS": str(options.max_requests),
            "NM_LOAD_PAGE": page,
            "NM_LOAD_SUMMARY": str(summary),
        }
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_before = loadavg()
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(MIX), "--headless",
             "--host", f"http://127.0.0.1:{side.port}", "-u", str(users), "-r", str(users),
             "-t", f"{seconds:g}s", "--stop-timeout", "10", "--only-summary",
             "--loglevel", "ERROR", "--exit-code-on-error", "0", *classes],
            env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        figures = json.loads(summary.read_text())
        stats, failures = figures["stats"], figures["failures"]
    return {
        "stats": stats,
        "failures": failures,
        "locust_cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "load": f"{load_before} -> {loadavg()}",
    }


# --- one run ---------------------------------------------------------------------------------


def measure(side: Side, users: int, options, template: str) -> dict:
    database = fresh_copy(template, options)
    config = mix_config(database, side, options)
    result: dict = {"rev": side.label, "users": users, "data": options.data}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
        config_path = Path(handle.name)
    start_server(side, database, options)
    try:
        shares = (
            ("Browser", 1),
            ("Buyer", options.checkout_share),
            ("ApiReader", options.api_share),
        )
        classes = [name for name, share in shares if share > 0]
        if options.warmup:
            run_locust(side, config_path, classes, users, options.warmup, options)
        result["trivial"] = run_locust(
            side, config_path, ["Trivial"], users, options.baseline, options
        )
        before = cpu_sample(side, database)
        result["mix"] = run_locust(side, config_path, classes, users, options.duration, options)
        result["cpu"] = cpu_split(before, cpu_sample(side, database))
        result["rss_mb"] = worker_rss_mb(side)
        result["pages"] = {}
        for page in PAGES if options.page_seconds else ():
            before = cpu_sample(side, database)
            run = run_locust(
                side, config_path, ["OnePage"], users, options.page_seconds, options, page=page
            )
            run["cpu"] = cpu_split(before, cpu_sample(side, database))
            result["pages"][page] = run
    finally:
        stop_server(side)
        config_path.unlink()
    return result


def report(result: dict) -> None:
    trivial = result["trivial"]["stats"]["Aggregated"]["rps"] or 1.0
    mix = result["mix"]
    say(f"\n{result['rev']} · {result['data']} data · {result['users']} users")
    load = result["trivial"]["load"]
    say(f"  trivial /healthz/live alone: {trivial:.0f} requests/s (load {load})")
    say(f"  the mix, load {mix['load']}:")
    header = ("request", "count", "fail", "req/s", "p50", "p95", "p99")
    say("    {:<24} {:>6} {:>5} {:>7} {:>6} {:>6} {:>6}  share of trivial".format(*header))
    for name, row in sorted(mix["stats"].items(), key=lambda item: item[0] == "Aggregated"):
        share = 100 * row["rps"] / trivial
        say(
            f"    {name:<24} {row['requests']:>6} {row['failures']:>5} {row['rps']:>7.1f} "
            f"{row['p50']:>6.0f} {row['p95']:>6.0f} {row['p99']:>6.0f}  {share:5.1f} %"
        )
    for failure in mix["failures"][:10]:
        say(f"    failed: {failure}")
    cpu = result["cpu"]
    requests = mix["stats"]["Aggregated"]["requests"] or 1
    python, postgres = cpu["python_s"], cpu["postgres_s"]
    served = (python + postgres) or 1.0
    say(
        f"  server CPU in the mix: Python (gunicorn workers) {python:.1f} s, PostgreSQL (their "
        f"backends) {postgres:.1f} s ({100 * python / served:.0f} / "
        f"{100 * postgres / served:.0f} %); per request {1000 * python / requests:.1f} + "
        f"{1000 * postgres / requests:.1f} ms; the machine's {cpu['machine_s']:.1f} s, "
        f"locust's {mix['locust_cpu_s']:.1f} s"
    )
    rss = result["rss_mb"]
    if rss:
        say(f"  worker RSS after the mix: {min(rss):.0f}-{max(rss):.0f} MB ({len(rss)} workers)")
    if result["pages"]:
        say("  each page alone:")
    for page, run in result["pages"].items():
        row = run["stats"]["Aggregated"]
        count = row["requests"] or 1
        say(
            f"    {page:<10} {row['rps']:>7.1f} req/s  p50 {row['p50']:>5.0f}  "
            f"p95 {row['p95']:>5.0f}  p99 {row['p99']:>5.0f} ms  fail {row['failures']:>3}  "
            f"{100 * row['rps'] / trivial:5.1f} % of trivial  CPU per request "
            f"{1000 * run['cpu']['python_s'] / count:.1f} Python + "
            f"{1000 * run['cpu']['postgres_s'] / count:.1f} PostgreSQL ms  (load {run['load']})"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", choices=("demo", "bench"), default="demo")
    parser.add_argument("--users", type=int, nargs="+", default=[8])
    parser.add_argument("--duration", type=float, default=60, help="seconds of the mix")
    parser.add_argument("--baseline", type=float, default=15, help="seconds of the trivial view")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of mix, not counted")
    parser.add_argument("--page-seconds", type=float, default=0, help="each page alone (0: not)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="per locust run")
    parser.add_argument("--checkout-share", type=float, default=0.1)
    parser.add_argument("--api-share", type=float, default=0.1)
    parser.add_argument("--rev", action="append", help="a revision to serve (repeat); 'here'")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--gunicorn-arg", action="append", default=[], help="e.g. --preload")
    parser.add_argument("--stores", type=int, default=1000, help="--data bench")
    parser.add_argument("--variants", type=int, default=1000, help="--data bench, per store")
    parser.add_argument("--port", type=int, default=44010, help="the first revision's port")
    parser.add_argument("--state", type=Path, default=Path(tempfile.gettempdir()) / "nm-load")
    parser.add_argument("--rebuild", action="store_true", help="rebuild 'here''s database")
    parser.add_argument("--json", type=Path, help="write every figure there too")
    parser.add_argument("--database-url", default=os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6")
    )
    options = parser.parse_args(argv)
    if not shutil.which("git"):
        raise SystemExit("git is needed for the worktrees")
    sides = [prepare_side(rev, index, options) for index, rev in enumerate(options.rev or ["here"])]
    templates = {side.rev: build_template(side, options) for side in sides}
    say(f"\n{os.cpu_count()} CPU(s), gunicorn {options.workers} sync workers, load {loadavg()} "
        f"({time.strftime('%Y-%m-%d %H:%M %Z')})")  # fmt: skip
    results, failed = [], False
    for users in options.users:
        for side in sides:
            result = measure(side, users, options, templates[side.rev])
            report(result)
            results.append(result)
            failed = failed or bool(result["mix"]["failures"])
    if options.json:
        options.json.write_text(json.dumps(results, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
