"""The README's recipe for the production settings by hand works on a first try (issue 17).

The commands are read from the README's recipe block (between `recipe:begin` and `recipe:end`)
and run as written, with this test's database, Redis, a free port and a static directory of its
own: migrate, collectstatic, gunicorn with DEBUG=false on plain HTTP. Then, as a visitor would:
the home page, a static file by its hashed name, /healthz, and a store owner signing in through
the sign-in form (CSRF cookie over HTTP) and its second factor, to the back-office.

`load_demo` (optional in the recipe) and the Celery processes are not started: the demo takes
a minute and the processes compete for this machine's cores; without a worker /healthz must say
503 and name the worker (unless another test's worker answers the ping on the same Redis), and
the heartbeat, never recorded under this test's cache prefix, is reported as waiting.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from stores.models import StoreMembership
from tests.factories import PASSWORD, MembershipFactory, StoreFactory
from tests.totp import totp_code

ROOT = Path(__file__).resolve().parents[1]


def recipe() -> tuple[dict[str, str], list[str]]:
    """The recipe's exported variables and its commands, as the README writes them."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- recipe:begin -->", 1)[1].split("<!-- recipe:end -->", 1)[0]
    lines = block.replace("\\\n", " ").splitlines()
    exports, commands = {}, []
    for line in lines:
        line = line.split("#", 1)[0].strip() if " #" in line else line.strip()
        if line.startswith("export "):
            for assignment in shlex.split(line[len("export ") :], posix=True):
                name, _, value = assignment.partition("=")
                exports[name] = value
        elif line.startswith(".venv/bin/"):
            commands.append(line.removesuffix("&").strip())
    return exports, commands


def command(commands: list[str], needle: str) -> list[str]:
    found = [line for line in commands if needle in line]
    assert len(found) == 1, f"the README's recipe has no single `{needle}` command: {commands}"
    args = shlex.split(found[0])
    venv_bin = ROOT / ".venv" / "bin"
    if not venv_bin.exists():
        venv_bin = Path(sys.executable).parent
    return [str(venv_bin / args[0].removeprefix(".venv/bin/")), *args[1:]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """This test's database (pytest-django's), which the server must share to see the owner."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class Visitor:
    """A browser-like HTTP client: cookies as a browser keeps them (no Secure cookie over
    HTTP), redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str):
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 (http://127.0.0.1)

    def post(self, path: str, data: dict):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1)
            self.base + path, data=body, headers={"Origin": self.base, "Referer": self.base + path}
        )
        return self._open(request)

    def _open(self, request):
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        response.text = response.read().decode("utf-8", "replace")
        return response


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def server(tmp_path):
    """The recipe's steps, then gunicorn, stopped at the end."""
    exports, commands = recipe()
    assert exports["DEBUG"] == "false"
    port = free_port()
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        **exports,
        "SECRET_KEY": secrets.token_urlsafe(48),  # the recipe's $(openssl rand -base64 48)
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        "CACHE_KEY_PREFIX": f"recipe-{port}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    for step in ("manage.py migrate", "manage.py collectstatic"):
        done = subprocess.run(
            command(commands, step), cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, f"{step}: {done.stdout}\n{done.stderr}"
    gunicorn = command(commands, "gunicorn")
    gunicorn = [arg.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for arg in gunicorn]
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                urllib.request.urlopen(f"{base}/healthz/live", timeout=2).read()  # noqa: S310
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer within 90 s"
                time.sleep(0.5)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def lyon_owner_with_authenticator(db):
    store = StoreFactory(name="Ardoise Lyon Presqu'île", slug="lyon-presquile")
    owner = MembershipFactory(
        store=store, user__email="owner.lyon@example.com", role=StoreMembership.Role.OWNER
    ).user
    # The test suite hashes passwords with a fast hasher production does not know.
    owner.password = PBKDF2PasswordHasher().encode(PASSWORD, "recipesalt", iterations=1000)
    owner.save(update_fields=["password"])
    secret = generate_totp_secret()
    TOTP.activate(owner, secret)
    return owner, secret, store


@pytest.mark.django_db(transaction=True)
def test_the_readmes_production_recipe_serves_and_signs_in_over_plain_http(
    server, lyon_owner_with_authenticator
):
    owner, secret, store = lyon_owner_with_authenticator
    visitor = Visitor(server)

    home = visitor.get("/")
    assert home.status == 200
    assert home.url == f"{server}/"  # no redirect to HTTPS
    assert "Strict-Transport-Security" not in home.headers
    assert "script-src 'self'" in home.headers["Content-Security-Policy"]

    stylesheet = re.search(r'href="(/static/css/nm\.[0-9a-f]{12}\.css)"', home.text)
    assert stylesheet, "the page names its stylesheet by the manifest's hashed name"
    css = visitor.get(stylesheet.group(1))
    assert css.status == 200
    assert css.headers["Content-Type"].startswith("text/css")

    health = visitor.get("/healthz")
    report = json.loads(health.text)
    checks = {name: check["status"] for name, check in report["checks"].items()}
    assert checks["database"] == checks["cache"] == checks["broker"] == "ok", report
    assert checks["heartbeat"] == "waiting", report  # no beat started: never recorded yet
    failing = {name for name, status in checks.items() if status == "down"}
    assert failing <= {"worker"}, report
    assert health.status == (503 if failing else 200), report

    # A long address reaches the application (gunicorn.conf.py), which answers its own 414
    too_long = visitor.get("/api/v1/products/?search=" + "x" * 6000)
    assert too_long.status == 414, too_long.text[:500]
    assert json.loads(too_long.text)["code"] == "uri_too_long"

    sign_in = visitor.get("/accounts/login/?next=/store/")
    assert sign_in.status == 200
    csrf_cookie = next(cookie for cookie in visitor.cookies if cookie.name == "csrftoken")
    assert not csrf_cookie.secure
    asked = visitor.post(
        "/accounts/login/?next=/store/",
        {
            "csrfmiddlewaretoken": csrf_token(sign_in.text),
            "login": owner.email,
            "password": PASSWORD,
        },
    )
    assert asked.status == 200, asked.text[:2000]
    assert "/accounts/2fa/authenticate/" in asked.url
    back_office = visitor.post(
        urllib.parse.urlsplit(asked.url).path,
        {"csrfmiddlewaretoken": csrf_token(asked.text), "code": totp_code(secret)},
    )

    assert back_office.status == 200, back_office.text[:2000]
    assert f"/store/{store.slug}/" in back_office.url
    assert "Ardoise Lyon Presqu" in back_office.text
    session = next(cookie for cookie in visitor.cookies if cookie.name == "sessionid")
    assert not session.secure


def compose_services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_compose_migrates_once_before_web_workers_and_beat_start():
    services = compose_services()

    migrate = services["migrate"]
    assert "migrate" in " ".join(migrate["command"])
    assert migrate["restart"] == "no"  # runs to completion, is not restarted as a server
    for name in ("web", "worker", "worker-periodic", "beat"):
        waits_for = services[name]["depends_on"]
        assert waits_for["migrate"] == {"condition": "service_completed_successfully"}, name
        command = services[name]["command"]
        command = command if isinstance(command, str) else " ".join(command)
        assert "migrate" not in command, f"{name} must not migrate: {command}"


def test_the_image_itself_never_migrates_on_start():
    dockerfile = (ROOT / "Dockerfile").read_text()
    start = [line for line in dockerfile.splitlines() if line.startswith(("CMD", "ENTRYPOINT"))]
    assert start, "the Dockerfile names how the image starts"
    assert not any("migrate" in line for line in start), start
    assert "migrate" not in (ROOT / "gunicorn.conf.py").read_text()


def test_compose_offers_an_optional_streaming_replica_for_reports():
    services = compose_services()

    replica = services["db-replica"]
    assert replica["profiles"] == ["replica"]  # off unless asked: `--profile replica`
    assert "pg_basebackup" in " ".join(replica["command"])
    assert " -R" in " ".join(replica["command"])  # writes its standby configuration
    assert "DATABASE_REPLICA_URL" in services["web"]["environment"]
    assert "docker compose --profile replica up" in (ROOT / "README.md").read_text()


def test_the_readme_rolls_out_a_release_migrate_first_then_web_then_workers():
    readme = (ROOT / "README.md").read_text()
    rollout = readme.split("<!-- rollout:begin -->", 1)[1].split("<!-- rollout:end -->", 1)[0]
    steps = [line for line in rollout.splitlines() if line[:3] in {"1. ", "2. ", "3. "}]

    assert len(steps) == 3, rollout
    migrate_at = rollout.index("docker compose run --rm migrate")
    web_at = rollout.index("replace the web processes")
    workers_at = rollout.index("then the workers")
    assert migrate_at < web_at < workers_at
    assert "backward compatible for one release" in rollout
    assert "config/migrations_base.toml" in rollout
    assert (ROOT / "config" / "migrations_base.toml").exists()
    # The recipe without Docker keeps the same order: migrate before gunicorn and Celery.
    _, commands = recipe()
    assert "migrate" in commands[0]
    assert not any("migrate" in line for line in commands if "gunicorn" in line)
