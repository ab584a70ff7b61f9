"""Server fixtures: in-process (same event loop) and as a real `dataflow-server` process.

Both listen on a free loopback port and use the storage given by the
`database_url` fixture (SQLite or the throwaway PostgreSQL cluster).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pytest
import pytest_asyncio
from grpc_health.v1 import health_pb2, health_pb2_grpc

from dataflow_server.config import Settings
from dataflow_server.server import DataflowServer, start_server
from tests.support.engine_tasks import Recorder, test_registry

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def server_settings() -> dict[str, Any]:
    """Extra `Settings` fields for the `server` fixture. A test changes them with
    `@pytest.mark.parametrize("server_settings", [{"allow_private_networks": True}])`."""
    return {}


@pytest_asyncio.fixture
async def server(
    database_url: str,
    tmp_path: Path,
    recorder: Recorder,
    server_settings: dict[str, Any],
    request: pytest.FixtureRequest,
) -> AsyncIterator[DataflowServer]:
    """An in-process server on a free port, with the test-only task types. When the
    test uses the loopback OpenAI server (`openai_server`, `openai_env`), the server's
    OpenAI settings point at it (`server_settings` may override them)."""
    openai: dict[str, Any] = {}
    if "openai_server" in request.fixturenames:
        fake = request.getfixturevalue("openai_server")
        openai = {"openai_api_key": fake.api_key, "openai_base_url": fake.base_url}
    settings = Settings(
        listen="127.0.0.1:0",
        data_dir=tmp_path / "data",
        database_url=database_url,
        http_listen="127.0.0.1:0",
        shutdown_grace_seconds=2.0,
        lease_seconds=15.0,
        **{**openai, **server_settings},
    )
    running = await start_server(settings, registry=test_registry(recorder))
    try:
        yield running
    finally:
        recorder.release.set()
        await running.stop(grace=1.0)


@pytest_asyncio.fixture
async def channel(server: DataflowServer) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(server.address) as ch:
        yield ch


@dataclass
class ServerProcess:
    """A `dataflow-server` child process."""

    address: str
    data_dir: Path
    env: dict[str, str]
    http_address: str = ""
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    # grpc.ChannelCredentials to check readiness with (a TLS server); None: plaintext.
    credentials: Any = None

    def start(self, timeout: float = 30.0) -> None:
        assert self.process is None or self.process.poll() is not None
        self.log_path = self.data_dir.parent / f"server-{int(time.time() * 1000)}.log"
        with self.log_path.open("wb") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "dataflow_server.main"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=REPO,
            )
        wait_serving(self.address, timeout, self, self.credentials)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def signal(self, sig: int) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    def wait(self, timeout: float = 30.0) -> int:
        assert self.process is not None
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


def wait_serving(
    address: str, timeout: float, proc: ServerProcess | None = None, credentials: Any = None
) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.process is not None and proc.process.poll() is not None:
            raise RuntimeError(f"server exited with {proc.process.returncode}:\n{proc.log()}")
        try:
            with (
                grpc.secure_channel(address, credentials)
                if credentials is not None
                else grpc.insecure_channel(address)
            ) as ch:
                reply = health_pb2_grpc.HealthStub(ch).Check(
                    health_pb2.HealthCheckRequest(), timeout=1
                )
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
        except grpc.RpcError as exc:
            last = exc
        time.sleep(0.1)
    raise TimeoutError(f"server at {address} not SERVING after {timeout}s: {last}")


def new_server_process(
    database_url: str | None, data_dir: Path, env: dict[str, str] | None = None
) -> ServerProcess:
    """A server process (not started yet) on two free loopback ports (gRPC and HTTP)
    and the given database (SQLite in `data_dir` when None), with `env` over this
    process's environment."""
    port, http_port = free_port(), free_port()
    full = {
        **os.environ,
        "DATAFLOW_LISTEN": f"127.0.0.1:{port}",
        "DATAFLOW_HTTP_LISTEN": f"127.0.0.1:{http_port}",
        "DATAFLOW_DATA_DIR": str(data_dir),
        "DATAFLOW_SHUTDOWN_GRACE_SECONDS": "5",
        "DATAFLOW_LEASE_SECONDS": "2",
        "PYTHONPATH": os.pathsep.join([str(REPO / "server"), str(REPO / "client/python")]),
        **(env or {}),
    }
    full.pop("DATAFLOW_DATABASE_URL", None)
    if database_url is not None:
        full["DATAFLOW_DATABASE_URL"] = database_url
    return ServerProcess(f"127.0.0.1:{port}", data_dir, full, f"127.0.0.1:{http_port}")


@pytest.fixture
def server_process(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    """A real server process (started); killed at the end of the test."""
    proc = new_server_process(database_url, tmp_path / "data")
    proc.start()
    try:
        yield proc
    finally:
        proc.kill()


@pytest.fixture
def replica_processes(database_url: str, tmp_path: Path) -> Iterator[list[ServerProcess]]:
    """Two real server processes (started) on one database; killed at the end."""
    procs = [new_server_process(database_url, tmp_path / f"replica{i}") for i in range(2)]
    try:
        for proc in procs:
            proc.start()
        yield procs
    finally:
        for proc in procs:
            proc.kill()
