"""A real S3-compatible server on this machine: moto's standalone server, in a process of its own.

Why moto: it is pure Python from PyPI (`moto[server]`), so `pip install` is all it takes, here
and in CI; MinIO's server is a binary download that this machine cannot fetch (docker-compose.yml
runs MinIO for local use). The platform talks to it through the real boto3 client over HTTP,
exactly as it talks to AWS S3, Scaleway or OVH Object Storage: nothing of the client is mocked.

Used by the tests (tests/network_marketplace/test_object_storage.py starts one per session, or
per xdist worker) and by bench/two_hosts.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

ACCESS_KEY, SECRET_KEY, REGION = "test-access-key", "test-secret-key", "eu-west-3"


def free_port() -> int:
    """A port the system just gave out (bind to 0): parallel runs never pick the same."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class S3Server:
    """`start()` it, `env(bucket)` gives the settings' variables, `stop()` ends the process."""

    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, attempts: int = 5) -> S3Server:
        """On `port` when one was given, else on a free one (retried if taken meanwhile)."""
        fixed = self.port
        for _ in range(1 if fixed else attempts):
            self.port = fixed or free_port()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if self._wait_ready():
                return self
            self.stop()
        raise RuntimeError("moto's S3 server did not start")

    def _wait_ready(self, seconds: float = 20) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False  # the port was taken meanwhile: try another
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):
                    return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def client(self):
        """A real boto3 S3 client on this server."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def create_bucket(self, bucket: str) -> None:
        self.client().create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    def env(self, bucket: str) -> dict[str, str]:
        """The environment that puts the platform's files in `bucket` (docs/storage.md)."""
        return {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_REGION": REGION,
            "S3_ADDRESSING_STYLE": "path",
        }


if __name__ == "__main__":  # python -m bench.s3_server: one for a manual try, until Ctrl-C
    server = S3Server().start()
    server.create_bucket(os.environ.get("S3_BUCKET", "network-marketplace"))
    print(server.env(os.environ.get("S3_BUCKET", "network-marketplace")))
    try:
        server.process.wait()  # type: ignore[union-attr]
    except KeyboardInterrupt:
        server.stop()
