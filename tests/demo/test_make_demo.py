"""`make demo` for real: its steps run in their own processes on this test's database, then the
test asks the server what a newcomer would. It serves like production (the site's own 404 page,
static files by whitenoise), prints where the demo mailbox is, links e-mails to the address it
serves, and prints no kombu warning although no broker is used."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from fulfillment.models import Fulfilment
from network_marketplace.management.commands import serve_embedded
from orders.models import Order

ROOT = Path(__file__).resolve().parents[2]
ADDRPORT = "127.0.0.1:8143"
SITE = f"http://{ADDRPORT}"
MAILBOX_LINE = f"Demo mailbox (every e-mail the demo sends): {SITE}/demo/mailbox/"


# One visitor's browser: it keeps its cookies (a tracking link opens the order in its session).
BROWSER = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def get(path: str) -> tuple[int, str]:
    try:
        with BROWSER.open(SITE + path, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_served(process: subprocess.Popen, output: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("make demo stopped:\n" + output.read_text())
        if "Quit the server" in output.read_text():
            try:
                get("/healthz/live")
                return
            except OSError:
                pass
        time.sleep(0.5)
    pytest.fail("make demo did not serve in time:\n" + output.read_text())


@pytest.fixture
def make_demo(transactional_db, tmp_path):
    """`make demo` on the embedded profile (no REDIS_URL), on this test's migrated database;
    yields its printed output once it serves."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "SITE_URL", "DEBUG", "DEMO", "EMAIL_URL"}
        and not key.startswith(("PYTEST", "DJANGO_ALLOW"))
    }
    database = connection.settings_dict
    login = ":".join(
        quote(part, safe="") for part in (database["USER"], database["PASSWORD"]) if part
    )
    env |= {
        "DATABASE_URL": f"postgres://{login}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    output = tmp_path / "make-demo.log"
    with output.open("w") as log:
        # The venv is installed already (-o: not again); PY is this test's interpreter.
        process = subprocess.Popen(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "demo",
             f"ADDRPORT={ADDRPORT}", f"PY={sys.executable}"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_until_served(process, output)
        yield output.read_text()
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_make_demo_serves_like_production_and_shows_what_it_sends(make_demo):
    # It printed where the mailbox is, the logins, and no kombu warning (no broker is used)
    assert MAILBOX_LINE in make_demo
    assert "client@ardoise.example" in make_demo
    assert "No hostname was supplied" not in make_demo

    # The mailbox holds the demo order's "ready" e-mail, with its pickup code
    ready_number = Fulfilment.objects.get(status=Fulfilment.Status.READY_FOR_PICKUP).order.number
    first_number = Order.objects.order_by("pk").first().number
    status, mailbox = get("/demo/mailbox/?to=client@ardoise.example")
    assert status == 200
    ready = re.search(rf'href="(/demo/mailbox/\d+/)">[^<]*{ready_number} est prête', mailbox)
    assert ready, mailbox
    assert re.search(r"Votre code de retrait\s*:\s*\d{6}", get(ready.group(1))[1])

    # E-mails link to the address served, and the links work there
    first = re.search(rf'href="(/demo/mailbox/\d+/)">[^<]*votre commande {first_number}<', mailbox)
    confirmation = get(first.group(1))[1]
    tracking = re.search(rf'<a href="(http[^"]+/orders/{first_number}/t/[0-9a-f]+/)"', confirmation)
    assert tracking, confirmation
    assert tracking.group(1).startswith(f"{SITE}/")
    status, order_page = get(tracking.group(1).removeprefix(SITE))
    assert status == 200
    assert first_number in order_page
    assert ":8000" not in confirmation

    # A wrong address gets the site's own 404 page, not Django's debug page listing every URL
    status, page = get("/no-such-page/")
    assert status == 404
    assert "Page introuvable" in page
    assert "Using the URLconf" not in page
    # Static files are collected with hashed names, as in production, and served
    stylesheet = re.search(r'href="(/static/css/nm\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, page
    assert get(stylesheet.group(1))[0] == 200


def test_serve_embedded_links_e_mails_to_the_address_it_is_given(settings, db, monkeypatch):
    settings.SITE_URL = "http://127.0.0.1:8000"  # changed below for this test only
    monkeypatch.delenv("SITE_URL", raising=False)
    command = serve_embedded.Command()

    assert command._site_url("127.0.0.1:8144") == "http://127.0.0.1:8144"
    assert settings.SITE_URL == "http://127.0.0.1:8144"
    assert command._site_url("0.0.0.0:8145") == "http://127.0.0.1:8145"
    assert "*" in settings.ALLOWED_HOSTS  # every interface: any name of this machine


def test_serve_embedded_keeps_a_site_url_set_in_the_environment(settings, db, monkeypatch):
    settings.SITE_URL = "https://demo.ardoise.example"
    monkeypatch.setenv("SITE_URL", "https://demo.ardoise.example")

    assert serve_embedded.Command()._site_url("127.0.0.1:8146") == "https://demo.ardoise.example"
