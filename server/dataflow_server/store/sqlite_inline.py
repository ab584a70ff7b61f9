"""SQLite for SQLAlchemy's asyncio engine, run on the event loop thread (no worker thread).

Why: aiosqlite runs every DBAPI call (cursor, execute, fetch, close, commit)
on a worker thread and hands the result back through the event loop, i.e.
three to five thread hops per statement, each a GIL hand-over and a wake-up
of the loop. Profiling the engine under load (docs/performance.md) showed
those hops to be most of a statement's cost; the statements themselves (point
lookups and single-row writes on indexed tables, WAL, no fsync at commit with
`synchronous=NORMAL`) take tens of microseconds. So this dialect calls the
standard `sqlite3` module directly from SQLAlchemy's greenlet on the loop.

What could block the loop for long, and how it does not:
- a lock held by another process (another server or `dataflow-server
  webhook-secret` on the same file): connections get a near-zero busy
  timeout, and `database.create_engine` retries `BEGIN IMMEDIATE` on
  SQLITE_BUSY by sleeping *on the loop* (up to the usual busy timeout);
- WAL checkpoints (a write of up to a thousand pages plus an fsync): the
  connections do not checkpoint at commit (`wal_autocheckpoint=0`);
  `WalCheckpointer` runs passive checkpoints on a thread instead.

The URL keeps saying `sqlite+aiosqlite://` (what users and tests write);
`database.create_engine` swaps the driver name for this one.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Generator
from typing import Any

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.engine.interfaces import ConnectArgsType
from sqlalchemy.util.concurrency import await_, in_greenlet

__all__ = ["DRIVER", "READ_ONLY_OPTION", "SQLiteDialect_inline", "WalCheckpointer", "register"]

DRIVER = "sqlite+dataflow_inline"


class _Done:
    """An awaitable that is already complete (awaiting it never suspends)."""

    def __await__(self) -> Generator[Any, None, None]:
        return
        yield  # a generator that finishes at once


_DONE = _Done()


def _checkpoint_greenlet() -> None:
    # AsyncConnection.execute insists that the driver awaited something;
    # awaiting a completed awaitable satisfies it without leaving the loop's turn.
    if in_greenlet():
        await_(_DONE)


class _Cursor(sqlite3.Cursor):
    async def _async_soft_close(self) -> None:
        """Called by SQLAlchemy's asyncio results: nothing to release early here."""


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)


class SQLiteDialect_inline(SQLiteDialect_pysqlite):
    """pysqlite, declared async so that `create_async_engine` accepts it."""

    driver = "dataflow_inline"
    is_async = True
    supports_statement_cache = True

    def do_execute(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        _checkpoint_greenlet()
        cursor.execute(statement, parameters)

    def do_executemany(
        self, cursor: Any, statement: Any, parameters: Any, context: Any = None
    ) -> None:
        _checkpoint_greenlet()
        cursor.executemany(statement, parameters)

    def do_execute_no_params(self, cursor: Any, statement: Any, context: Any = None) -> None:
        _checkpoint_greenlet()
        cursor.execute(statement)

    def create_connect_args(self, url: URL) -> ConnectArgsType:
        args, options = super().create_connect_args(url)
        options["factory"] = _Connection
        return args, options

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool
        return pool.StaticPool

    def get_driver_connection(self, connection: Any) -> Any:
        return connection


def register() -> None:
    """Make `sqlite+dataflow_inline://` resolvable (idempotent)."""
    registry.register("sqlite.dataflow_inline", __name__, "SQLiteDialect_inline")


register()


# Execution option: this connection only reads (SQLite: deferred BEGIN).
READ_ONLY_OPTION = "dataflow_read_only"


class WalCheckpointer:
    """Passive WAL checkpoints of a SQLite file, on a thread, every `every` commits.

    A passive checkpoint copies committed pages from the WAL into the
    database file without blocking readers or writers; it is what SQLite
    would otherwise do inside a commit (on the event loop) every thousand
    pages. At most one runs at a time; `close` waits for it.
    """

    def __init__(self, path: str, every: int = 256) -> None:
        self._path = path
        self._every = every
        self._commits = 0
        self._thread: threading.Thread | None = None

    def note_commit(self) -> None:
        self._commits += 1
        if self._commits < self._every or (self._thread and self._thread.is_alive()):
            return
        self._commits = 0
        self._thread = threading.Thread(target=self._checkpoint, name="wal-checkpoint")
        self._thread.daemon = True
        self._thread.start()

    def _checkpoint(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            connection = sqlite3.connect(self._path, timeout=1.0)
            try:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                connection.close()

    def close(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=30)
