"""A webhook receiver for tests: a real HTTP server on 127.0.0.1, in a thread of the test.

It answers the scripted status codes in turn (then 200), after the scripted delays if any,
records every request and checks its signature with `verify_signature`, as an integrator's
server would.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from network_marketplace.webhooks import SIGNATURE_HEADER, verify_signature


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: dict
    body: bytes
    status: int
    signature_valid: bool | None


class WebhookReceiver:
    def __init__(
        self, statuses: list[int] | None = None, secret: str = "", delays: list[float] | None = None
    ):
        self.statuses = list(statuses or [])
        self.delays = list(delays or [])
        self.secret = secret
        self.requests: list[ReceivedRequest] = []
        self.lock = threading.Lock()
        self.received = threading.Condition(self.lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    delay = receiver.delays.pop(0) if receiver.delays else 0
                    valid = (
                        verify_signature(
                            receiver.secret, self.headers.get(SIGNATURE_HEADER, ""), body
                        )
                        if receiver.secret
                        else None
                    )
                    receiver.requests.append(
                        ReceivedRequest(self.path, dict(self.headers), body, status, valid)
                    )
                    receiver.received.notify_all()
                time.sleep(delay)
                answer = b'{"ok": true}' if status < 300 else b'{"error": "try later"}'
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # The caller is gone (a worker killed while waiting).

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/network"

    def start(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, timeout: float = 30) -> list[ReceivedRequest]:
        """Wait until `count` requests arrived (or the timeout passed); return them all."""
        with self.received:
            self.received.wait_for(lambda: len(self.requests) >= count, timeout=timeout)
            return list(self.requests)
