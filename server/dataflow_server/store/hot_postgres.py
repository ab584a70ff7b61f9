"""The hot path on PostgreSQL: asyncpg, each statement prepared once per connection.

asyncpg prepares a statement the first time a connection runs it and keeps it
in the connection's statement cache, so the hot statements are parsed and
planned once per connection. A write runs in a READ COMMITTED transaction
(row locks and `FOR UPDATE SKIP LOCKED` serialise what must be), a read in a
REPEATABLE READ read-only one (one snapshot).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from .errors import translate_driver_errors
from .hot_sql import Program, Row

__all__ = ["PostgresCodec", "PostgresHotPath"]

POOL_SIZE = 10
_PLACEHOLDER = re.compile(r"\?")


class PostgresCodec:
    skip_locked = " FOR UPDATE SKIP LOCKED"  # concurrent claimers skip each other's rows

    def ts(self, value: datetime | None) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def from_ts(self, value: Any) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def any_of(self, column: str, values: Sequence[Any]) -> tuple[str, tuple[Any, ...]]:
        return f"{column} = ANY(?)", (list(values),)


_numbered: dict[str, str] = {}


def numbered(sql: str) -> str:
    """`?` placeholders as asyncpg's `$1, $2, …` (the hot SQL has no `?` in literals)."""
    out = _numbered.get(sql)
    if out is None:
        count = iter(range(1, 10_000))
        out = _PLACEHOLDER.sub(lambda _: f"${next(count)}", sql)
        _numbered[sql] = out
    return out


async def _run(conn: asyncpg.Connection, program: Program) -> Any:
    rows: list[Row] = []
    try:
        statement = next(program)
        while True:
            sql = numbered(statement.sql)
            if statement.rows is not None:
                await conn.executemany(sql, statement.rows)
                rows = []
            elif statement.fetch:
                rows = await conn.fetch(sql, *statement.params)
            else:
                await conn.execute(sql, *statement.params)
                rows = []
            statement = program.send(rows)
    except StopIteration as done:
        return done.value


async def _session_unchanged(conn: asyncpg.Connection) -> None:
    """The pool's reset: the hot path never changes session state (no SET, LISTEN,
    cursors or advisory locks), so asyncpg's default reset query, one more round
    trip per transaction, has nothing to undo. (An open transaction is still
    rolled back by asyncpg before this.)"""


class PostgresHotPath:
    codec = PostgresCodec()

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, url: str) -> PostgresHotPath:
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with translate_driver_errors():
            pool = await asyncpg.create_pool(
                dsn, min_size=1, max_size=POOL_SIZE, reset=_session_unchanged
            )
        return cls(pool)

    async def write(self, program: Program) -> Any:
        with translate_driver_errors():
            async with self._pool.acquire() as conn, conn.transaction():
                return await _run(conn, program)

    async def read(self, program: Program) -> Any:
        with translate_driver_errors():
            async with (
                self._pool.acquire() as conn,
                conn.transaction(isolation="repeatable_read", readonly=True),
            ):
                return await _run(conn, program)

    async def read_autocommit(self, program: Program) -> Any:
        with translate_driver_errors():
            async with self._pool.acquire() as conn:
                return await _run(conn, program)

    async def close(self) -> None:
        await self._pool.close()
