"""What the operator reads about files is what the code does: every variable the storages read
is in docs/storage.md and in docker-compose.yml, the README's production section names the
switch, and the compose file has the S3 store and the two-host profile."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
VARIABLES = set(
    re.findall(
        r'env(?:\.int)?\("(\w+)"', (ROOT / "network_marketplace/storage_settings.py").read_text()
    )
)


def test_every_storage_variable_is_documented():
    table = (ROOT / "docs/storage.md").read_text()

    assert {"S3_BUCKET", "S3_SIGNED_URL_SECONDS", "S3_CUSTOM_DOMAIN"} <= VARIABLES
    assert [name for name in sorted(VARIABLES) if f"`{name}`" not in table] == []


def test_the_readme_production_section_says_how_to_put_files_in_a_bucket():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running it with PostgreSQL, Redis and Celery")[1].split("\n## ")[0]

    paragraph = section.split("**Files in object storage.**")[1].split("\n\n")[0]
    for name in ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_CUSTOM_DOMAIN", "S3_SIGNED_URL_SECONDS"):
        assert f"`{name}`" in paragraph
    for prefix in ("media/", "imports/", "invoices/", "exports/", "marketing/"):
        assert f"`{prefix}`" in paragraph


def test_compose_has_an_s3_store_and_a_two_host_profile():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert services["minio"]["image"].startswith("minio/")
    app_env = services["web"]["environment"]
    s3_variables = {name for name in VARIABLES if name.startswith("S3_")}
    assert sorted(s3_variables - set(app_env)) == []
    two_hosts = {
        name for name, service in services.items() if "two-hosts" in service.get("profiles", [])
    }
    assert {"web1", "web2", "worker-1", "worker-2", "proxy", "minio"} <= two_hosts
    assert set(services["proxy"]["depends_on"]) == {"web1", "web2", "worker-1", "worker-2", "beat"}
    for web in ("web1", "web2"):
        assert services[web]["volumes"] == []  # nothing on a host's own disk
    conf = (ROOT / services["proxy"]["volumes"][0].split(":")[0]).read_text()
    assert "proxy_next_upstream error timeout" in conf
