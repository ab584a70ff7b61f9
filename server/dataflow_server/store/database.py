"""Database URLs, engines and migrations.

- `normalize_database_url` maps what people write (`postgres://…`,
  `postgresql://…`, `sqlite:///…`) to the async drivers we ship
  (`postgresql+asyncpg://…`, `sqlite+aiosqlite:///…`).
- `create_engine` configures each backend: SQLite in WAL mode with
  `synchronous=NORMAL`, foreign keys on, and SQLAlchemy (not the sqlite3
  module) in charge of BEGIN: transactions start with `BEGIN IMMEDIATE` (the
  write lock is taken up front, so a read-then-write such as a claim cannot
  be overtaken), except on connections carrying the execution option
  `READ_ONLY_OPTION`, which start a plain deferred `BEGIN` (a consistent WAL
  snapshot that does not block writers). SQLite runs on the event loop thread
  (`sqlite_inline`): a busy database is waited for by retrying
  `BEGIN IMMEDIATE` with sleeps on the loop (up to `SQLITE_BUSY_TIMEOUT_MS`),
  and WAL checkpoints run on a thread (`WalCheckpointer`), not at commit.
- `run_migrations` applies the Alembic migrations shipped in the package
  (no alembic.ini needed), under `pg_advisory_xact_lock` on PostgreSQL so
  that processes starting together do not race; on SQLite the immediate
  transaction serialises them.
- `open_store` = migrate + `SqlStore`.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.util import await_only

from .errors import translate_db_errors
from .hot_postgres import PostgresHotPath
from .hot_sql import HotPath
from .hot_sqlite import SqliteHotPath
from .sql import SqlStore, utcnow
from .sqlite_inline import DRIVER as SQLITE_INLINE_DRIVER
from .sqlite_inline import READ_ONLY_OPTION, WalCheckpointer

__all__ = [
    "MIGRATIONS_DIR",
    "MIGRATION_LOCK_KEY",
    "READ_ONLY_OPTION",
    "SQLITE_BUSY_TIMEOUT_MS",
    "WalCheckpointer",
    "alembic_config",
    "create_engine",
    "current_revision",
    "default_sqlite_url",
    "normalize_database_url",
    "open_store",
    "run_migrations",
    "sqlite_path",
    "sqlite_url",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# An arbitrary constant: the PostgreSQL advisory lock taken while migrating.
MIGRATION_LOCK_KEY = 0x0DA7AF10  # "dataflow"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# What one statement may block the event loop for on a busy database; longer
# waits (BEGIN IMMEDIATE) sleep on the loop between attempts.
SQLITE_INLINE_BUSY_TIMEOUT_MS = 20
SQLITE_DB_NAME = "dataflow.db"

_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://")


def normalize_database_url(url: str) -> str:
    """The URL with the async driver we use for its backend.

    `postgres://` and `postgresql://` (and `postgresql+psycopg2://` etc.)
    become `postgresql+asyncpg://`; `sqlite://` becomes `sqlite+aiosqlite://`.
    Anything else is refused with ValueError.
    """
    url = url.strip()
    m = _SCHEME.match(url)
    if m is None:
        raise ValueError(f"not a database URL: {url!r} (expected postgresql://… or sqlite:///…)")
    scheme = m.group("scheme").lower()
    backend = scheme.split("+", 1)[0]
    rest = url[m.end() :]
    if backend in ("postgres", "postgresql"):
        return "postgresql+asyncpg://" + rest
    if backend == "sqlite":
        return "sqlite+aiosqlite://" + rest
    raise ValueError(
        f"unsupported database {scheme!r}: use postgresql://… (asyncpg) or sqlite:///… (aiosqlite)"
    )


def sqlite_path(data_dir: str | Path) -> Path:
    """Where the embedded database of `data_dir` is (whether it exists or not)."""
    return Path(data_dir).expanduser().resolve() / SQLITE_DB_NAME


def sqlite_url(path: Path) -> str:
    return "sqlite+aiosqlite:///" + str(path)


def default_sqlite_url(data_dir: str | Path) -> str:
    """The embedded database in `data_dir` (the directory is created when missing)."""
    path = sqlite_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    return sqlite_url(path)


SQLITE_DRIVERS = ("aiosqlite", "inline")


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    echo: bool = False,
    sqlite_driver: str = "aiosqlite",
) -> AsyncEngine:
    """An AsyncEngine for `url` (normalized first), configured per backend.

    SQLite runs through aiosqlite (a worker thread per connection) by default;
    `sqlite_driver="inline"` (`DATAFLOW_SQLITE_DRIVER=inline`) runs sqlite3 on
    the event loop instead, several times faster per statement (see
    docs/performance.md), with the same transactions and durability.
    """
    url = normalize_database_url(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        if sqlite_driver not in SQLITE_DRIVERS:
            raise ValueError(f"unknown SQLite driver {sqlite_driver!r}: {SQLITE_DRIVERS}")
        return _create_sqlite_engine(
            url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            echo=echo,
            inline=sqlite_driver == "inline",
        )
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=30,
        pool_recycle=1800,
        pool_pre_ping=False,
        echo=echo,
    )


def _create_sqlite_engine(
    url: str, *, pool_size: int, max_overflow: int, echo: bool, inline: bool
) -> AsyncEngine:
    parsed = make_url(url)
    database = parsed.database
    pool_options: dict[str, Any] = {}
    if database and database != ":memory:":  # :memory: gets a StaticPool: no sizes
        pool_options = {"pool_size": pool_size, "max_overflow": max_overflow}
        if not database.startswith("file:"):
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    # aiosqlite waits for another process's lock in its worker thread (busy
    # timeout); the inline driver must not block the loop, so it retries instead.
    busy_ms = SQLITE_INLINE_BUSY_TIMEOUT_MS if inline else SQLITE_BUSY_TIMEOUT_MS
    engine = create_async_engine(
        parsed.set(drivername=SQLITE_INLINE_DRIVER) if inline else parsed,
        echo=echo,
        connect_args={"timeout": busy_ms / 1000, "check_same_thread": False},
        **pool_options,
    )
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy emits BEGIN itself (below); sqlite3 must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            _ensure_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            if inline:
                # Checkpoints would run inside a commit, on the loop: WalCheckpointer
                # does them. (aiosqlite checkpoints in its worker thread, as usual.)
                cursor.execute("PRAGMA wal_autocheckpoint = 0")
        finally:
            cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            conn.exec_driver_sql("BEGIN")
        elif inline:
            _begin_immediate(conn)
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _begin_immediate(conn: Connection) -> None:
    """`BEGIN IMMEDIATE`, waiting for another writer (another process) without
    blocking the event loop: sleep on the loop between attempts, up to the busy timeout."""
    dbapi_connection: Any = conn.connection.dbapi_connection
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    delay = 0.002
    while time.monotonic() < deadline:
        try:
            dbapi_connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
        await_only(asyncio.sleep(delay))
        delay = min(delay * 2, 0.1)
    conn.exec_driver_sql("BEGIN IMMEDIATE")  # the last try raises the usual wrapped error


def _ensure_wal(cursor: Any) -> None:
    """Switch the database file to WAL (persistent: later connections find it set).

    The switch needs exclusive access and SQLite answers "database is locked"
    without waiting when another connection is using a fresh database at the
    same moment (several processes starting on a new file): retry, sleeping
    on the event loop, up to the busy timeout. An in-memory database keeps
    its `memory` journal.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode")
            if str(cursor.fetchone()[0]).lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.fetchall()
            return
        except Exception as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
        # The connect event runs in SQLAlchemy's greenlet on the event loop:
        # sleep there rather than block the loop.
        await_only(asyncio.sleep(delay))
        delay = min(delay * 2, 0.2)


# --- migrations -------------------------------------------------------------


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config built in code: no alembic.ini on disk is needed.

    With `url`, `alembic` commands run through this config (e.g. from a
    shell: `python -c` with `command.upgrade(alembic_config(url), "head")`)
    open their own connection; `run_migrations` passes its connection instead.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        # ConfigParser interpolation: a literal % must be doubled.
        cfg.set_main_option("sqlalchemy.url", normalize_database_url(url).replace("%", "%%"))
    return cfg


def _upgrade_on(connection: Connection, revision: str) -> None:
    """Upgrade inside the caller's transaction (PostgreSQL: under the advisory lock)."""
    if connection.dialect.name == "postgresql":
        # Released at commit, after the DDL is committed: a second process
        # waits here, then finds the schema at head and does nothing.
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


async def run_migrations(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision`; idempotent and safe to run concurrently."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade_on, revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision recorded in the database (None before any migration)."""
    from alembic.runtime.migration import MigrationContext

    def _current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_current)


async def open_store(
    url: str,
    *,
    migrate: bool = True,
    clock: Callable[[], datetime] | None = None,
    **engine_options: Any,
) -> SqlStore:
    """Create the engine for `url`, apply the migrations, and return the store.

    `engine_options` go to `create_engine` (pool_size, max_overflow, echo).
    The store owns the engine: `await store.close()` disposes of it. An
    unreachable database raises `errors.StoreUnavailable`.
    """
    engine = create_engine(url, **engine_options)
    try:
        if migrate:
            with translate_db_errors():
                await run_migrations(engine)
        hot = await open_hot_path(engine)
    except BaseException:
        await engine.dispose()
        raise
    return SqlStore(engine, hot, clock=clock or utcnow)


async def open_hot_path(engine: AsyncEngine) -> HotPath:
    """The driver-level connections of the hot statements (`hot_sql`), next to the engine's."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        return await PostgresHotPath.open(url.render_as_string(hide_password=False))
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        raise ValueError("SQLite needs a database file (the data directory), not :memory:")
    return await SqliteHotPath.open(database)
