"""The hot path on SQLite: one hand-off to the aiosqlite connection's thread per
transaction.

aiosqlite runs each DBAPI call on the connection's thread and hands the result
back through the event loop: three to five hops per statement through
SQLAlchemy. Here a whole transaction (`BEGIN IMMEDIATE` or a deferred `BEGIN`
for a read snapshot, the program's statements, `COMMIT`) is one function run on
that thread, so a transaction costs one hop whatever its statement count. The
connection is left clean whatever happens: the function commits or rolls back
before it returns, even when its caller stopped waiting.

Writers use one connection (they take turns anyway: `SqlStore` serialises them
with the cold path's writers, and `BEGIN IMMEDIATE` with the busy timeout waits
for other processes on the thread, not on the loop); readers share a few
connections, each read a complete snapshot on its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from itertools import cycle
from typing import Any, cast

import aiosqlite

from .errors import translate_driver_errors
from .hot_sql import Program, Row

__all__ = ["SqliteCodec", "SqliteHotPath"]

BUSY_TIMEOUT_MS = 30_000
READERS = 2


class SqliteCodec:
    """What SQLAlchemy's `UtcDateTime` and `JSON` store on SQLite."""

    skip_locked = ""  # BEGIN IMMEDIATE serialises claimers

    def ts(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")

    def from_ts(self, value: Any) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)

    def any_of(self, column: str, values: Sequence[Any]) -> tuple[str, tuple[Any, ...]]:
        return f"{column} IN ({', '.join('?' * len(values))})", tuple(values)


def _run(conn: sqlite3.Connection, program: Program, begin: str) -> Any:
    """The whole transaction, on the connection's thread."""
    conn.execute(begin)
    try:
        rows: list[Row] = []
        statement = next(program)
        while True:
            if statement.rows is not None:
                conn.executemany(statement.sql, statement.rows)
                rows = []
            else:
                cursor = conn.execute(statement.sql, statement.params)
                rows = cursor.fetchall() if statement.fetch else []
            statement = program.send(rows)
    except StopIteration as done:
        conn.execute("COMMIT")
        return done.value
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


async def _connect(path: str) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(
        path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    for pragma in (
        f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA foreign_keys = ON",
    ):
        await conn.execute(pragma)
    return conn


class SqliteHotPath:
    codec = SqliteCodec()

    def __init__(self, writer: aiosqlite.Connection, readers: list[aiosqlite.Connection]) -> None:
        self._writer = writer
        self._readers = readers
        self._next_reader = cycle(readers)

    @classmethod
    async def open(cls, path: str) -> SqliteHotPath:
        writer = await _connect(path)
        readers = [await _connect(path) for _ in range(READERS)]
        return cls(writer, readers)

    @staticmethod
    async def _on_thread(conn: aiosqlite.Connection, program: Program, begin: str) -> Any:
        # aiosqlite's own hand-off (`_execute` runs a function on the connection's
        # thread): the one place we reach past its per-statement API.
        hand_off = cast(Callable[..., Awaitable[Any]], conn._execute)
        with translate_driver_errors():
            return await hand_off(_run, conn._conn, program, begin)

    async def write(self, program: Program) -> Any:
        return await self._on_thread(self._writer, program, "BEGIN IMMEDIATE")

    async def read(self, program: Program) -> Any:
        return await self._on_thread(next(self._next_reader), program, "BEGIN")

    async def read_autocommit(self, program: Program) -> Any:
        return await self.read(program)  # BEGIN and COMMIT cost nothing here

    async def close(self) -> None:
        for conn in (self._writer, *self._readers):
            await conn.close()
