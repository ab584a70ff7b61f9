"""Fixtures of the client tests: toolchain checks, make targets run with a
time bound (builds one at a time per checkout), and one real server (subprocess,
SQLite) wired to the loopback OpenAI stand-in, shared by the tests of a module."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from tests.support.openai_server import FakeOpenAI
from tests.support.servers import REPO, ServerProcess, free_port

# What each client needs on PATH, and where it comes from.
TOOLCHAINS: dict[str, tuple[str, ...]] = {
    "typescript": ("node", "npm"),
    "go": ("go",),
    "java": ("java", "mvn"),
    "grpcurl": ("go",),
    "buf": ("node", "npm"),
}


def require_toolchain(name: str) -> None:
    """Fail (never skip) with a clear message when a toolchain is missing."""
    missing = [tool for tool in TOOLCHAINS[name] if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"the {name} client test needs {', '.join(missing)} on PATH "
            f"(see docs/clients.md); not found",
            pytrace=False,
        )


@dataclass
class Step:
    args: list[str]
    returncode: int
    output: str
    seconds: float


def run_step(
    args: list[str], *, timeout: float, env: dict[str, str] | None = None, check: bool = True
) -> Step:
    """Run a command in the repository with a time bound; its output is echoed
    (pytest shows it on failure)."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            args,
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else ""
        pytest.fail(f"{' '.join(args)} did not finish within {timeout:.0f}s:\n{out}")
    step = Step(args, done.returncode, done.stdout.decode(errors="replace"), 0.0)
    step.seconds = time.monotonic() - started
    print(f"$ {' '.join(args)}  ({step.seconds:.1f}s, exit {step.returncode})\n{step.output}")
    if check and step.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {step.returncode}:\n{step.output}")
    return step


_CHECKOUT = hashlib.sha256(str(REPO).encode()).hexdigest()[:12]


@contextmanager
def build_lock(name: str) -> Iterator[None]:
    """One build of `name` at a time in this checkout: pytest-xdist workers (and two
    runs in one checkout) share the clients' build directories. The first build
    writes; the others wait, then find it up to date (make's file targets, go's
    build IDs) and write nothing, so a program another test runs is never replaced."""
    with FileLock(Path(tempfile.gettempdir()) / f"dataflow-build-{_CHECKOUT}-{name}.lock"):
        yield


def run_make_build(target: str, *, timeout: float) -> Step:
    """`make <target>` of a build (build-ts, build-go, build-java, tools) under its lock."""
    with build_lock(target):
        return run_step(["make", "--no-print-directory", target], timeout=timeout)


GRPCURL = REPO / ".tools" / "bin" / "grpcurl"


@pytest.fixture(scope="module")
def grpcurl() -> str:
    """grpcurl, built by `make tools` (Go) into .tools/bin."""
    require_toolchain("grpcurl")
    run_make_build("tools", timeout=600)
    assert GRPCURL.exists(), "make tools did not install .tools/bin/grpcurl"
    return str(GRPCURL)


@dataclass
class LiveServer:
    server: ServerProcess
    openai: FakeOpenAI

    @property
    def address(self) -> str:
        return self.server.address


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A `dataflow-server` process on SQLite whose OpenAI tasks talk to the
    loopback stand-in."""
    openai = FakeOpenAI().start()
    root = tmp_path_factory.mktemp("live")
    port, http_port = free_port(), free_port()
    env = {
        **os.environ,
        **openai.env(),
        "DATAFLOW_LISTEN": f"127.0.0.1:{port}",
        "DATAFLOW_HTTP_LISTEN": f"127.0.0.1:{http_port}",
        "DATAFLOW_DATA_DIR": str(root / "data"),
        "DATAFLOW_SHUTDOWN_GRACE_SECONDS": "5",
        "PYTHONPATH": os.pathsep.join([str(REPO / "server"), str(REPO / "client/python")]),
    }
    env.pop("DATAFLOW_DATABASE_URL", None)  # SQLite in the data directory
    server = ServerProcess(f"127.0.0.1:{port}", root / "data", env, f"127.0.0.1:{http_port}")
    try:
        server.start()
        yield LiveServer(server, openai)
    finally:
        server.kill()
        openai.stop()
