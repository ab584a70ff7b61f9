"""Pytest plugin: a throwaway PostgreSQL 15 cluster and per-test databases.

Fixtures
- `postgres_cluster` (session): initdb + pg_ctl start of a private cluster in
  a temp dir (trust auth, 127.0.0.1 on a free port, unix sockets in the temp
  dir, fsync off); stopped with `pg_ctl stop -m immediate` and removed at
  session end. As root, the binaries run as the `postgres` OS user.
- `database_url` (function), parametrized `sqlite` / `postgres`: an empty
  database for one test (a file in tmp_path, or a fresh `t_<random>`
  database, dropped after the test).

Other fixtures get their own PostgreSQL database with::

    url = await new_postgres_database_url(postgres_cluster)
    ...
    await drop_postgres_database(postgres_cluster, url)

(`new_postgres_database_url_sync(postgres_cluster)` from sync code.)

Without the binaries the postgres cases fail with a clear message, unless
DATAFLOW_TEST_SKIP_POSTGRES=1, which skips them. The binaries are looked up
in $DATAFLOW_TEST_PG_BINDIR, else /usr/lib/postgresql/15/bin.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = [
    "PostgresCluster",
    "database_url",
    "drop_postgres_database",
    "new_postgres_database_url",
    "new_postgres_database_url_sync",
    "postgres_cluster",
    "postgres_skipped",
]

PG_BINDIR = Path(os.environ.get("DATAFLOW_TEST_PG_BINDIR", "/usr/lib/postgresql/15/bin"))
STARTUP_TIMEOUT_S = 30
COMMAND_TIMEOUT_S = 60
PG_USER = "postgres"  # the cluster's superuser role (trust auth)


def postgres_skipped() -> bool:
    return os.environ.get("DATAFLOW_TEST_SKIP_POSTGRES", "") == "1"


@dataclass(frozen=True)
class PostgresCluster:
    host: str
    port: int
    user: str
    root: Path  # temp dir: data/, the unix socket, the log

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (asyncpg driver) of `database` in this cluster."""
        return f"postgresql+asyncpg://{self.user}@{self.host}:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        """A libpq/asyncpg DSN of `database` in this cluster."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    @property
    def log_file(self) -> Path:
        return self.root / "postgres.log"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _as_postgres_user(argv: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: drop to the postgres user."""
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--", *argv]


def _run(argv: list[str], what: str, timeout: float = COMMAND_TIMEOUT_S) -> None:
    try:
        proc = subprocess.run(
            _as_postgres_user(argv),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise RuntimeError(f"{what} did not finish within {timeout:.0f}s: {argv}") from e
    if proc.returncode != 0:
        raise RuntimeError(
            f"{what} failed ({proc.returncode}): {' '.join(argv)}\n{proc.stdout}\n{proc.stderr}"
        )


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _start_cluster() -> PostgresCluster:
    initdb, pg_ctl = PG_BINDIR / "initdb", PG_BINDIR / "pg_ctl"
    if not (initdb.exists() and pg_ctl.exists()):
        pytest.fail(
            f"PostgreSQL 15 binaries not found in {PG_BINDIR} (initdb, pg_ctl): install the "
            "Debian package postgresql-15 (the CI script does), point DATAFLOW_TEST_PG_BINDIR "
            "at them, or set DATAFLOW_TEST_SKIP_POSTGRES=1 to skip the PostgreSQL cases.",
            pytrace=False,
        )
    root = Path(tempfile.mkdtemp(prefix="dataflow-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres", group="postgres")
    root.chmod(0o700)
    data = root / "data"
    _run(
        [
            str(initdb),
            "-D",
            str(data),
            "-U",
            PG_USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        "initdb",
    )
    last_error: Exception | None = None
    for _ in range(3):  # a free port can be taken between probing and binding
        port = _free_port()
        cluster = PostgresCluster(host="127.0.0.1", port=port, user=PG_USER, root=root)
        options = " ".join(
            [
                f"-p {port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={root}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=300",
                "-c shared_buffers=64MB",
            ]
        )
        try:
            _run(
                [
                    str(pg_ctl),
                    "start",
                    "-D",
                    str(data),
                    "-w",
                    "-t",
                    str(STARTUP_TIMEOUT_S),
                    "-l",
                    str(cluster.log_file),
                    "-o",
                    options,
                ],
                "pg_ctl start",
                timeout=STARTUP_TIMEOUT_S + 10,
            )
            _wait_accepting(cluster)
            return cluster
        except RuntimeError as e:
            last_error = RuntimeError(f"{e}\n--- postgres.log ---\n{_tail(cluster.log_file)}")
            _stop_cluster(cluster, remove=False)
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError(f"could not start a PostgreSQL cluster: {last_error}")


def _wait_accepting(cluster: PostgresCluster) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        try:
            with socket.create_connection((cluster.host, cluster.port), timeout=1):
                return
        except OSError as e:
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL not accepting on port {cluster.port}: {e}") from e
            time.sleep(0.05)


def _stop_cluster(cluster: PostgresCluster, remove: bool = True) -> None:
    with contextlib.suppress(Exception):
        _run(
            [
                str(PG_BINDIR / "pg_ctl"),
                "stop",
                "-D",
                str(cluster.root / "data"),
                "-m",
                "immediate",
                "-w",
                "-t",
                "30",
            ],
            "pg_ctl stop",
            timeout=40,
        )
    if remove:
        shutil.rmtree(cluster.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A private PostgreSQL 15 cluster for the whole session."""
    if postgres_skipped():
        pytest.skip("DATAFLOW_TEST_SKIP_POSTGRES=1")
    cluster = _start_cluster()
    try:
        yield cluster
    finally:
        _stop_cluster(cluster)


async def _admin_execute(cluster: PostgresCluster, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(cluster.dsn(), timeout=STARTUP_TIMEOUT_S)
    try:
        await conn.execute(sql, timeout=COMMAND_TIMEOUT_S)
    finally:
        await conn.close(timeout=10)


async def new_postgres_database_url(cluster: PostgresCluster, prefix: str = "t") -> str:
    """Create an empty database `<prefix>_<random>` and return its asyncpg URL."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    await _admin_execute(cluster, f'CREATE DATABASE "{name}"')
    return cluster.url(name)


async def drop_postgres_database(cluster: PostgresCluster, url: str) -> None:
    """Drop the database of `url` (closing any connection still open to it)."""
    name = url.rsplit("/", 1)[-1].split("?", 1)[0]
    await _admin_execute(cluster, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_postgres_database_url_sync(cluster: PostgresCluster, prefix: str = "t") -> str:
    """`new_postgres_database_url` for sync code (runs in its own thread and loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, new_postgres_database_url(cluster, prefix)).result(
            timeout=COMMAND_TIMEOUT_S
        )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database for one test, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'dataflow.db'}"
        return
    if postgres_skipped():
        pytest.skip("DATAFLOW_TEST_SKIP_POSTGRES=1")
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    url = await new_postgres_database_url(cluster)
    try:
        yield url
    finally:
        await drop_postgres_database(cluster, url)
