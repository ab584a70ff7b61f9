"""News of events committed by other processes on the same database (replicas).

The event hub (`engine.events`) feeds its watchers in-process; a replica's
events reach them through one of these feeds, which tell the hub which
watched executions have new events (`{execution id: last sequence}`), so that
it reads just those from the log:

- PostgreSQL, `PostgresChangeFeed`: each process LISTENs on one channel on a
  dedicated asyncpg connection and, after its own commits, NOTIFYs the
  executions and last sequences it wrote (coalesced: one NOTIFY in flight at a
  time, the next carries whatever was committed meanwhile). Event ids come from
  a sequence and do not commit in order, so a high-water mark would miss events.
- SQLite, `SqliteChangeFeed`: writers take turns (`BEGIN IMMEDIATE`), so the
  log's AUTOINCREMENT ids commit in order: while this process has watchers it
  reads, every `interval`, the executions of the events above the last id seen
  (an index range on the primary key: a few rows, or none).

A feed that may have missed news (a reconnect, a pause) reports None: the hub
then checks every watched execution. The hub's periodic check stays as the
safety net either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import asyncpg

from ..domain.records import EventRecord
from .sql import SqlStore

__all__ = ["PostgresChangeFeed", "SqliteChangeFeed", "change_feed", "format_news", "parse_news"]

CHANNEL = "dataflow_events"
SQLITE_INTERVAL_SECONDS = 0.025
# PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
MAX_PAYLOAD_BYTES = 7000
RECONNECT_SECONDS = 1.0

logger = logging.getLogger(__name__)
# What a feed reports: {execution id: last sequence}, or None for "check every watched one".
Changed = Callable[[Mapping[str, int] | None], None]


def change_feed(store: SqlStore) -> PostgresChangeFeed | SqliteChangeFeed:
    """The feed for the store's backend."""
    if store.dialect_name == "postgresql":
        url = store.engine.url.set(drivername="postgresql")
        return PostgresChangeFeed(url.render_as_string(hide_password=False))
    return SqliteChangeFeed(store)


def format_news(last: Mapping[str, int]) -> list[str]:
    """`id:sequence,…` payloads, each under PostgreSQL's limit."""
    payloads: list[str] = []
    entries: list[str] = []
    size = 0
    for execution_id, sequence in last.items():
        entry = f"{execution_id}:{sequence}"
        if entries and size + len(entry) + 1 > MAX_PAYLOAD_BYTES:
            payloads.append(",".join(entries))
            entries, size = [], 0
        entries.append(entry)
        size += len(entry) + 1
    if entries:
        payloads.append(",".join(entries))
    return payloads


def parse_news(payload: str) -> dict[str, int]:
    """The inverse of `format_news`; malformed entries are skipped."""
    news: dict[str, int] = {}
    for entry in payload.split(","):
        execution_id, _, sequence = entry.rpartition(":")
        if execution_id and sequence.isdigit():
            news[execution_id] = max(news.get(execution_id, 0), int(sequence))
    return news


class PostgresChangeFeed:
    """LISTEN/NOTIFY on a connection of its own (not one of the pool's)."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._outgoing: dict[str, int] = {}
        self._ready = asyncio.Event()

    def announce(self, events: Sequence[EventRecord]) -> None:
        for event in events:
            if event.sequence > self._outgoing.get(event.execution_id, 0):
                self._outgoing[event.execution_id] = event.sequence
        if self._outgoing:
            self._ready.set()

    async def run(self, changed: Changed, watching: Callable[[], bool]) -> None:
        while True:
            try:
                await self._session(changed)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                logger.warning("change feed: PostgreSQL connection lost", exc_info=True)
            changed(None)  # notifications may have been missed meanwhile
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _session(self, changed: Changed) -> None:
        conn = await asyncpg.connect(self._dsn)
        lost = asyncio.Event()
        own_pid = conn.get_server_pid()

        def on_notify(_conn: Any, pid: int, _channel: str, payload: str) -> None:
            if pid != own_pid:
                changed(parse_news(payload))

        try:
            conn.add_termination_listener(lambda _conn: lost.set())
            await conn.add_listener(CHANNEL, on_notify)
            changed(None)  # what was committed before we listened
            while True:
                ready = asyncio.ensure_future(self._ready.wait())
                gone = asyncio.ensure_future(lost.wait())
                try:
                    await asyncio.wait((ready, gone), return_when=asyncio.FIRST_COMPLETED)
                finally:
                    ready.cancel()
                    gone.cancel()
                if lost.is_set():
                    raise OSError("the listening connection was closed")
                self._ready.clear()
                outgoing, self._outgoing = self._outgoing, {}
                for payload in format_news(outgoing):
                    await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
        finally:
            with contextlib.suppress(Exception):
                await conn.close(timeout=1)


class SqliteChangeFeed:
    """The log's high-water mark, read at a short interval while there are watchers."""

    def __init__(self, store: SqlStore, interval: float = SQLITE_INTERVAL_SECONDS) -> None:
        self._store = store
        self._interval = interval

    def announce(self, events: Sequence[EventRecord]) -> None:
        """Nothing to do: other processes read the log's high-water mark."""

    async def run(self, changed: Changed, watching: Callable[[], bool]) -> None:
        mark: int | None = None  # None: not following (no watchers)
        while True:
            await asyncio.sleep(self._interval)
            if not watching():
                mark = None
                continue
            try:
                if mark is None:
                    mark = await self._high_water_mark()
                    changed(None)  # what was committed while nobody watched
                    continue
                news, mark = await self._since(mark)
            except Exception:  # the database may be briefly busy or unavailable
                logger.warning("change feed: reading the event log failed", exc_info=True)
                mark = None
                continue
            if news:
                changed(news)

    async def _high_water_mark(self) -> int:
        return await self._store.event_mark()

    async def _since(self, mark: int) -> tuple[dict[str, int], int]:
        # Through the hot path: one hand-off per poll, every 25 ms while watched.
        return await self._store.events_since(mark)
