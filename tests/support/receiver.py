"""A real loopback webhook receiver: scripted answers, recorded requests and connections."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from dataflow_client import WebhookVerificationError, verify_webhook


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic()
    status: int  # what we answered


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Receiver:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.connections = 0
        self.script: deque[Answer] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def answer(self, *answers: Answer) -> None:
        self.script.extend(answers)

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                with receiver._lock:
                    answer = receiver.script.popleft() if receiver.script else Answer()
                if answer.delay:
                    time.sleep(answer.delay)
                with receiver._lock:
                    receiver.requests.append(
                        Received(
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                            time.monotonic(),
                            answer.status,
                        )
                    )
                try:
                    self.send_response(answer.status)
                    for k, v in answer.headers.items():
                        self.send_header(k, v)
                    self.send_header("content-length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the client gave up (timeout)

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            allow_reuse_address = True
            daemon_threads = True

            def verify_request(self, request: Any, client_address: Any) -> bool:
                with receiver._lock:
                    receiver.connections += 1
                return True

        self._server = Server(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def delivered(self) -> list[Received]:
        """The requests answered 2xx, in arrival order."""
        with self._lock:
            return [r for r in self.requests if 200 <= r.status < 300]


def verifies(received: Received, secret: str) -> bool:
    """Whether a request received verifies with `secret` (Standard Webhooks)."""
    try:
        verify_webhook(received.headers, received.body, secret)
    except WebhookVerificationError:
        return False
    return True


def _running() -> Iterator[Receiver]:
    r = Receiver()
    r.start()
    try:
        yield r
    finally:
        r.stop()


#: A receiver on a free loopback port, and a second one for tests of two parties.
receiver = pytest.fixture(_running, name="receiver")
other_receiver = pytest.fixture(_running, name="other_receiver")
