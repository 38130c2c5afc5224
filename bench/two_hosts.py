"""Two web hosts on one machine, without Docker: the rehearsal of a scaled-out deployment.

It starts, on this machine and on the database DATABASE_URL names:

- an S3-compatible store: moto's standalone server (bench/s3_server.py says why moto);
- two web processes (gunicorn, `--web-workers` sync workers each) on two ports, each with a
  MEDIA_ROOT of its own, as two hosts have two disks: every file goes to the bucket;
- a reverse proxy in front: Debian's nginx (installed with apt-get when missing). nginx because
  its `proxy_next_upstream` retries a request on the other upstream when one refuses or drops the
  connection, and by default only an idempotent one (GET, HEAD...: never a POST that may have
  reached the application), which is exactly the promise to check; haproxy would do (`retries`,
  `option redispatch`), nginx is the proxy most operators already know;
- two Celery workers and one beat, on queues of this run only (no other worker takes its jobs).

Then it checks, and prints:

1. a catalogue import checked through web 1 is applied through web 2 (the upload waits in the
   bucket, not on web 1's disk);
2. a marketing proof made through web 1 is served by web 2, byte for byte (its sha256);
3. requests/s through the proxy with one web process, then with two (wrk, `--connections`,
   `--seconds` each);
4. web 2 killed (SIGKILL, its whole process group) in the middle of a load: the errors the
   clients saw (non-2xx answers and socket errors), expected 0: the proxy retries on web 1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_P_two_hosts \\
    REDIS_URL=redis://127.0.0.1:6379/7 CACHE_KEY_PREFIX=P-two-hosts \\
        .venv/bin/python bench/two_hosts.py [--seconds 15] [--connections 16] [--web-workers 2]

The database is created and migrated when missing; static files are collected once into
`--static-root` (DEBUG is off, as in production). Ports: `--base-port` (45010: the proxy, then web
1, web 2 and the S3 server), or 0 for free ones. tests/bench/test_two_hosts.py runs a short
version (`rehearse(quick=True)`) so that this script cannot rot. Figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.s3_server import S3Server, free_port  # noqa: E402

CSV = (
    "product_slug,product_name,category_slug,sku,gtin,option_size,rrp\n"
    'beche-deux-hotes,Bêche,outils-deux-hotes,{sku}-S,{gtin1},S,"29,90"\n'
    'beche-deux-hotes,Bêche,outils-deux-hotes,{sku}-L,{gtin2},L,"32,50"\n'
)


def ean13(body12: str) -> str:
    digits = [int(c) for c in body12]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return body12 + str(check)


@dataclass
class Processes:
    """Every process this run started, ended in reverse order at the end (their groups too)."""

    started: list[subprocess.Popen] = field(default_factory=list)

    def start(self, args: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen:
        handle = log.open("ab")
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        handle.close()
        self.started.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
        if process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self) -> None:
        for process in reversed(self.started):
            self.kill(process)


def database_url() -> str:
    """The URL of the database Django is on (the test database inside a test)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    user = urllib.parse.quote(db.get("USER") or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def wait_http(url: str, *, process: subprocess.Popen | None = None, seconds: float = 90) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process ended ({process.returncode})")
        with suppress(requests.RequestException):
            if requests.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds:.0f} s")


def ensure_nginx() -> str:
    """Debian's nginx, installed when missing (the machine may have only the package mirror)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "nginx"], check=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


NGINX_CONF = """\
{user}worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 30m;
    upstream web {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://web;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # A refused or dropped connection, or a 502/503/504: try the other web process. Only
            # for idempotent methods (nginx's default since 1.9.13): a POST is never sent twice.
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


@dataclass
class Proxy:
    nginx: str
    directory: Path
    port: int
    process: subprocess.Popen | None = None

    def configure(self, upstreams: list[int]) -> None:
        servers = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in upstreams
        )
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = NGINX_CONF.format(user=user, dir=self.directory, servers=servers, port=self.port)
        (self.directory / "nginx.conf").write_text(conf)

    def start(self, processes: Processes, env: dict[str, str]) -> None:
        self.process = processes.start(
            [self.nginx, "-p", str(self.directory), "-c", str(self.directory / "nginx.conf")],
            env=env, log=self.directory / "nginx.log",
        )  # fmt: skip
        wait_http(f"http://127.0.0.1:{self.port}/healthz/live", process=self.process)

    def reload(self, upstreams: list[int]) -> None:
        """New upstreams, no request dropped: nginx's master re-reads its file on SIGHUP."""
        self.configure(upstreams)
        os.kill(self.process.pid, signal.SIGHUP)  # type: ignore[union-attr]
        time.sleep(1)  # the old worker finishes its requests, the new one takes the next


def load(url: str, *, seconds: int, connections: int, during=None) -> dict[str, Any]:
    """wrk against `url`: requests/s, and every answer that was not 2xx/3xx or never came."""
    wrk = shutil.which("wrk")
    if not wrk:
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "wrk"], check=True)
        wrk = shutil.which("wrk") or "wrk"
    threads = min(2, connections)
    run = subprocess.Popen(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", url],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    if during is not None:
        time.sleep(seconds / 3)
        during()
    output, _ = run.communicate(timeout=seconds + 60)
    requests_done = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    socket_errors = sum(int(n) for n in sockets.groups()) if sockets else 0
    return {
        "requests": requests_done,
        "requests_per_second": round(rate, 1),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0) + socket_errors,
    }


def signed_in_session(user, base_url: str):
    """A `requests` session carrying `user`'s Django session (made here, shared by the hosts
    through the database) and a CSRF cookie."""
    import requests
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = requests.Session()
    host = urllib.parse.urlsplit(base_url).hostname
    session.cookies.set("sessionid", client.cookies["sessionid"].value, domain=host)
    return session


def csrf_of(session, url: str) -> str:
    page = session.get(url, timeout=30)
    page.raise_for_status()
    token = session.cookies.get("csrftoken")
    if token:
        return token
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not found:
        raise RuntimeError(f"no CSRF token on {url}")
    return found.group(1)


def import_across_hosts(web1: str, web2: str) -> dict[str, Any]:
    """HQ checks a catalogue file on web 1 and applies it on web 2."""
    from django.urls import reverse

    from catalog.models import Category, Variant
    from network_marketplace.models import User

    run = uuid.uuid4().hex[:6].upper()
    Category.objects.get_or_create(slug="outils-deux-hotes", defaults={"name": "Outils"})
    hq, _ = User.objects.get_or_create(
        email="hq.two-hosts@example.com", defaults={"is_staff": True, "is_superuser": True}
    )
    session = signed_in_session(hq, web1)
    page = f"{web1}{reverse('admin:catalog_product_import')}"
    body12 = str(int(time.time() * 1000))[-9:]
    csv = CSV.format(sku=f"BEC-{run}", gtin1=ean13("376" + body12), gtin2=ean13("377" + body12))
    checked = session.post(
        page,
        data={"csrfmiddlewaretoken": csrf_of(session, page)},
        files={"file": ("catalogue.csv", csv.encode(), "text/csv")},
        headers={"Referer": page},
        timeout=60,
    )
    token = re.search(r'name="token" value="([0-9a-f]{32})"', checked.text)
    if checked.status_code != 200 or not token:
        raise RuntimeError(f"the check on web 1 answered {checked.status_code}")
    apply_url = f"{web2}{reverse('admin:catalog_product_import_apply')}"
    applied = session.post(
        apply_url,
        data={"csrfmiddlewaretoken": session.cookies.get("csrftoken"), "token": token.group(1)},
        headers={"Referer": apply_url},
        allow_redirects=False,
        timeout=60,
    )
    skus = set(Variant.objects.filter(sku__startswith=f"BEC-{run}").values_list("sku", flat=True))
    return {
        "checked_on_web1": checked.status_code,
        "applied_on_web2": applied.status_code,
        "variants_created": len(skus),
        "ok": applied.status_code == 302 and len(skus) == 2,
    }


def fresh_sequences() -> None:
    """The tests' factories number their rows from 0 in each process: on a database kept from an
    earlier run they would collide (`category-0`), so this run starts them where none was."""
    import factory

    from tests import factories

    start = (int(time.time()) // 10) % 10**7  # GTINs built from it stay 13 digits
    for value in vars(factories).values():
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
            value.reset_sequence(start)


def proof_across_hosts(web1: str, web2: str) -> dict[str, Any]:
    """A store makes a proof of a flyer on web 1; web 2 serves its PDF."""
    from django.urls import reverse

    from marketing_hub.models import Proof
    from stores.models import StoreMembership
    from tests.factories import MembershipFactory, StoreFactory
    from tests.marketing_hub.catalogue_helpers import (
        add_sample_artwork,
        make_item,
        offer,
        with_hours,
    )

    run = uuid.uuid4().hex[:6]
    store = with_hours(StoreFactory(name=f"Deux hôtes {run}", slug=f"deux-hotes-{run}"))
    owner = MembershipFactory(
        store=store, user__email=f"owner.{run}@example.com", role=StoreMembership.Role.OWNER
    ).user
    level = offer(store)
    item = make_item(reference=f"MKT-2H-{run}")
    add_sample_artwork(item, "flyer-a5")
    session = signed_in_session(owner, web1)
    page = f"{web1}{reverse('backoffice:marketing-item', args=[store.slug, item.pk])}"
    made = session.post(
        page,
        data={
            "csrfmiddlewaretoken": csrf_of(session, page),
            "product": level.variant.sku,
            "message": "Bienvenue !",
        },
        headers={"Referer": page},
        allow_redirects=False,
        timeout=120,
    )
    proof = Proof.objects.filter(store=store).order_by("-pk").first()
    if made.status_code != 302 or proof is None:
        raise RuntimeError(f"the proof on web 1 answered {made.status_code}")
    pdf_url = f"{web2}{reverse('backoffice:marketing-proof-pdf', args=[store.slug, proof.pk])}"
    served = session.get(pdf_url, timeout=60)
    same = hashlib.sha256(served.content).hexdigest() == proof.pdf_sha256
    return {
        "made_on_web1": made.status_code,
        "served_by_web2": served.status_code,
        "same_bytes": same,
        "ok": served.status_code == 200 and same,
    }


@contextmanager
def patched_environ(values: dict[str, str]):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def two_hosts(*, base_port: int, web_workers: int, debug: bool, static_root: Path | None):
    """Everything started, yielded as a dict of URLs and handles; everything stopped after."""
    import environ
    from django.conf import settings
    from django.test import override_settings

    from network_marketplace.storage_settings import storages_from_env

    with ExitStack() as stack:
        directory = Path(tempfile.mkdtemp(prefix="nm-two-hosts-"))
        stack.callback(shutil.rmtree, directory, ignore_errors=True)
        directory.chmod(0o755)
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (directory / sub).mkdir()
        ports = (
            [base_port + offset for offset in range(4)]
            if base_port
            else [free_port() for _ in range(4)]
        )
        proxy_port, web1_port, web2_port, s3_port = ports
        processes = Processes()
        stack.callback(processes.stop_all)

        s3 = S3Server(port=s3_port if base_port else 0).start()
        stack.callback(s3.stop)
        bucket = f"nm-two-hosts-{uuid.uuid4().hex[:8]}"
        s3.create_bucket(bucket)
        # This process too (it sets up the flyer the store prints): its files in the bucket.
        with patched_environ(s3.env(bucket)):
            stack.enter_context(
                override_settings(STORAGES=storages_from_env(environ.Env(), debug=settings.DEBUG))
            )

        run = uuid.uuid4().hex[:8]
        env = {
            **os.environ,
            **s3.env(bucket),
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "true" if debug else "false",
            "PLAIN_HTTP": "true",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REQUIRE_SECOND_FACTOR": "false",
            "CELERY_TASK_DEFAULT_QUEUE": f"two-hosts-{run}",
            "CELERY_PERIODIC_QUEUE": f"two-hosts-periodic-{run}",
            "PYTHONUNBUFFERED": "1",
        }
        if static_root is not None:
            env["STATIC_ROOT"] = str(static_root)
        webs = {}
        for name, port in (("web1", web1_port), ("web2", web2_port)):
            media = directory / f"{name}-media"  # each host its own disk
            media.mkdir()
            webs[name] = {
                "port": port,
                "url": f"http://127.0.0.1:{port}",
                "env": {**env, "MEDIA_ROOT": str(media)},
            }

        def start_web(name: str) -> subprocess.Popen:
            web = webs[name]
            process = processes.start(
                [sys.executable, "-m", "gunicorn", "config.wsgi:application",
                 "--bind", f"127.0.0.1:{web['port']}", "--workers", str(web_workers),
                 "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"],
                env=web["env"], log=directory / f"{name}.log",
            )  # fmt: skip
            wait_http(f"{web['url']}/healthz/live", process=process)
            web["process"] = process
            return process

        queues = f"{env['CELERY_TASK_DEFAULT_QUEUE']},{env['CELERY_PERIODIC_QUEUE']}"
        for number in (1, 2):
            processes.start(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", queues,
                 "--hostname", f"two-hosts-{number}-{run}@%h", "--concurrency", "1",
                 "--loglevel", "WARNING"],
                env={**env, "MEDIA_ROOT": str(directory / f"worker{number}-media")},
                log=directory / f"worker{number}.log",
            )  # fmt: skip
        processes.start(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "WARNING",
             "--schedule", str(directory / "beat-schedule")],
            env=env, log=directory / "beat.log",
        )  # fmt: skip

        proxy = Proxy(ensure_nginx(), directory, proxy_port)
        yield {
            "directory": directory,
            "webs": webs,
            "start_web": start_web,
            "proxy": proxy,
            "processes": processes,
            "s3": s3,
            "bucket": bucket,
            "env": env,
        }


def rehearse(
    *,
    base_port: int = 0,
    seconds: int = 10,
    connections: int = 16,
    web_workers: int = 2,
    debug: bool = False,
    static_root: Path | None = None,
    path: str = "/",
) -> dict[str, Any]:
    """The four checks above; Django must be set up on the database the processes will use."""
    results: dict[str, Any] = {}
    with two_hosts(
        base_port=base_port, web_workers=web_workers, debug=debug, static_root=static_root
    ) as run:
        webs, proxy, processes = run["webs"], run["proxy"], run["processes"]
        run["start_web"]("web1")
        proxy.configure([webs["web1"]["port"]])
        proxy.start(processes, run["env"])
        url = f"http://127.0.0.1:{proxy.port}{path}"
        results["one_web"] = load(url, seconds=seconds, connections=connections)

        run["start_web"]("web2")
        proxy.reload([webs["web1"]["port"], webs["web2"]["port"]])
        results["two_webs"] = load(url, seconds=seconds, connections=connections)

        results["import"] = import_across_hosts(webs["web1"]["url"], webs["web2"]["url"])
        results["proof"] = proof_across_hosts(webs["web1"]["url"], webs["web2"]["url"])
        on_disk = [
            str(found.relative_to(run["directory"]))
            for name in ("web1-media", "web2-media")
            for found in (run["directory"] / name).rglob("*")
            if found.is_file()
        ]
        results["files_on_web_disks"] = on_disk
        keys = run["s3"].client().list_objects_v2(Bucket=run["bucket"]).get("Contents", [])
        results["bucket_prefixes"] = sorted({item["Key"].split("/")[0] for item in keys})

        web2 = webs["web2"]["process"]
        results["web2_killed"] = load(
            url, seconds=seconds, connections=connections,
            during=lambda: Processes.kill(web2, signal.SIGKILL),
        )  # fmt: skip
    return results


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def prepare_database() -> None:
    """Create the database when missing, then migrate it (the release step of docs/storage.md)."""
    import psycopg
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    url = database_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def collect_static(static_root: Path) -> None:
    """Once: DEBUG off serves the hashed files of the manifest, which collectstatic writes."""
    if (static_root / "staticfiles.json").exists():
        return
    env = {**os.environ, "DEBUG": "false", "STATIC_ROOT": str(static_root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--base-port", type=int, default=45010)
    parser.add_argument("--path", default="/", help="the page loaded (the storefront home)")
    parser.add_argument("--debug", action="store_true", help="DEBUG on, no collectstatic (a try)")
    parser.add_argument(
        "--static-root", type=Path, default=Path(tempfile.gettempdir()) / "nm-two-hosts-static"
    )
    options = parser.parse_args()
    os.environ["DEBUG"] = "true" if options.debug else "false"
    os.environ.setdefault("PLAIN_HTTP", "true")
    os.environ.setdefault("REQUIRE_SECOND_FACTOR", "false")
    setup_django()
    prepare_database()
    if not options.debug:
        collect_static(options.static_root)
    fresh_sequences()
    results = rehearse(
        base_port=options.base_port,
        seconds=options.seconds,
        connections=options.connections,
        web_workers=options.web_workers,
        debug=options.debug,
        static_root=None if options.debug else options.static_root,
        path=options.path,
    )
    print(json.dumps(results, indent=2))
    one, two = results["one_web"], results["two_webs"]
    print(
        f"\nrequests/s through the proxy: one web {one['requests_per_second']}, "
        f"two webs {two['requests_per_second']}; web 2 killed under load: "
        f"{results['web2_killed']['errors']} errors in {results['web2_killed']['requests']} "
        f"requests; import across hosts {'ok' if results['import']['ok'] else 'FAILED'}, "
        f"proof across hosts {'ok' if results['proof']['ok'] else 'FAILED'}"
    )


if __name__ == "__main__":
    main()
