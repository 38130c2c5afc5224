"""The production shape: settings from the environment pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k8Jx2!pQz7#vR4mL9sT1wY6uB3nD5fH0gK2jC8eA4iO7rU1yN6tM3bV9xZ5qW0pS",
    "ALLOWED_HOSTS": "shop.ardoise.example",
    "CSRF_TRUSTED_ORIGINS": "https://shop.ardoise.example",
    "DATABASE_URL": "postgres://marketplace:secret@db:5432/marketplace",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example:587",
    "STRIPE_SECRET_KEY": "sk_test_123",
}


def production_env(**overrides) -> dict:
    """This machine's environment less anything a test run adds, plus production values."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {**env, **PRODUCTION_ENV, **overrides}


def test_check_deploy_passes_with_production_environment():
    env = production_env()

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_debug_is_left_on():
    env = production_env(DEBUG="true")

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_docker_compose_wires_web_worker_beat_db_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert set(services) >= {"web", "worker", "beat", "db", "redis"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://"), name
        assert "@db:5432/" in environment["DATABASE_URL"], name
        assert environment["REDIS_URL"].startswith("redis://redis:6379"), name
        assert {"db", "redis"} <= set(services[name]["depends_on"]), name
    # One beat only: a second scheduler would run every periodic job twice.
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_uploaded_media_are_served_with_debug_off(client, settings, tmp_path):
    # Given a product image on disk, and the production setting DEBUG=false
    settings.DEBUG = False
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "products").mkdir()
    (tmp_path / "products" / "secateur.png").write_bytes(b"\x89PNG fake")

    response = client.get("/media/products/secateur.png")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    assert "max-age=86400" in response["Cache-Control"]
    assert client.get("/media/../settings.py").status_code in {400, 404}
