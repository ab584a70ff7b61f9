"""Fixtures of the HTTP API tests: an httpx client on the in-process server's HTTP
port, and a real server process (SQLite) whose OpenAI tasks talk to the loopback
stand-in, for the tests that drive it with curl and schemathesis."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from dataflow_server.server import DataflowServer
from tests.support.openai_server import FakeOpenAI
from tests.support.servers import REPO, ServerProcess, free_port


@pytest_asyncio.fixture
async def http(server: DataflowServer) -> AsyncIterator[httpx.AsyncClient]:
    assert server.http is not None, "the server fixture serves HTTP"
    async with httpx.AsyncClient(base_url=f"http://{server.http.address}", timeout=30) as client:
        yield client


@dataclass
class HttpProcess:
    server: ServerProcess
    openai: FakeOpenAI

    @property
    def base_url(self) -> str:
        return f"http://{self.server.http_address}"


@pytest.fixture
def http_process(tmp_path: Path) -> Iterator[HttpProcess]:
    """A `dataflow-server` process on SQLite; private networks allowed (the webhook
    receivers of the tests are on loopback)."""
    openai = FakeOpenAI().start()
    port, http_port = free_port(), free_port()
    env = {
        **os.environ,
        **openai.env(),
        "DATAFLOW_LISTEN": f"127.0.0.1:{port}",
        "DATAFLOW_HTTP_LISTEN": f"127.0.0.1:{http_port}",
        "DATAFLOW_DATA_DIR": str(tmp_path / "data"),
        "DATAFLOW_ALLOW_PRIVATE_NETWORKS": "true",
        "DATAFLOW_SHUTDOWN_GRACE_SECONDS": "2",
        "PYTHONPATH": os.pathsep.join([str(REPO / "server"), str(REPO / "client/python")]),
    }
    env.pop("DATAFLOW_DATABASE_URL", None)
    server = ServerProcess(f"127.0.0.1:{port}", tmp_path / "data", env, f"127.0.0.1:{http_port}")
    try:
        server.start()
        yield HttpProcess(server, openai)
    finally:
        server.kill()
        openai.stop()
