"""In-process fan-out of committed events to watchers.

Writers publish events after they are durable; each watcher holds a bounded
queue. A watcher that falls behind is marked overflowed instead of blocking
the publisher, and its stream ends so that the client resumes by sequence.

Events written by another process (a replica sharing the database) are not
published here. A `ChangeFeed` (store/change_feed.py: LISTEN/NOTIFY on
PostgreSQL, the log's high-water mark on SQLite) tells this process which
executions got events elsewhere; one tailer task per process reads just those
from the log and publishes them, and every `TAIL_SECONDS` checks every watched
execution with a single query (the safety net for news a feed missed).
Watchers never poll the database themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Protocol

from ..domain.records import EventRecord

__all__ = ["ChangeFeed", "EventHub", "EventLog", "Subscription"]

DEFAULT_WATCH_BUFFER = 1024
TAIL_SECONDS = 1.0

logger = logging.getLogger(__name__)


class Subscription:
    """One watcher's view of an execution's live events (bounded)."""

    def __init__(
        self,
        hub: EventHub,
        execution_id: str,
        maxsize: int,
        types: Collection[str] | None = None,
    ) -> None:
        self._hub = hub
        self.execution_id = execution_id
        self._maxsize = maxsize
        # Only these event types are buffered (None: all); the others only move
        # `position`, without waking the watcher.
        self._types = types
        self._items: deque[EventRecord] = deque()
        self._ready = asyncio.Event()
        self.overflowed = False
        # The last sequence this watcher has handled (the tailer starts after it).
        self.position = 0

    def offer(self, event: EventRecord) -> None:
        if self.overflowed:
            return
        if self._types is not None and event.type not in self._types:
            if event.sequence == self.position + 1:
                self.position = event.sequence
            return
        if len(self._items) >= self._maxsize:
            self.overflowed = True
        else:
            self._items.append(event)
        self._ready.set()

    async def next(self, timeout: float | None = None) -> EventRecord | None:
        """The next buffered event; None once the buffer overflowed and is drained,
        or when `timeout` passes with nothing new (callers tell these apart by
        `overflowed`)."""
        while not self._items:
            if self.overflowed:
                return None
            self._ready.clear()
            try:
                await asyncio.wait_for(self._ready.wait(), timeout)
            except TimeoutError:
                return None
        return self._items.popleft()

    def take_ready(self) -> list[EventRecord]:
        """Every buffered event, without waiting (an overflow is reported by `next`)."""
        items = list(self._items)
        self._items.clear()
        return items

    def close(self) -> None:
        self._hub._unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EventLog(Protocol):
    """What the tailer reads (the store), across tenants: a watcher subscribes
    to an execution it has found in its own tenant."""

    async def last_sequences(self, execution_ids: Collection[str]) -> dict[str, int]: ...

    async def tail_events(
        self, execution_id: str, after_sequence: int = 0, limit: int = 1000
    ) -> list[EventRecord]: ...


class ChangeFeed(Protocol):
    """News of events committed by other processes on the same database."""

    def announce(self, events: Sequence[EventRecord]) -> None:
        """Events this process committed (for the other processes); must not block."""

    async def run(
        self,
        changed: Callable[[Mapping[str, int] | None], None],
        watching: Callable[[], bool],
    ) -> None:
        """Report news until cancelled: `changed({execution id: last sequence})`, or
        `changed(None)` when news may have been missed. `watching()`: whether this
        process has watchers at all."""


class EventHub:
    def __init__(self, buffer_size: int = DEFAULT_WATCH_BUFFER) -> None:
        self._buffer_size = buffer_size
        self._subscribers: defaultdict[str, set[Subscription]] = defaultdict(set)
        # Highest sequence published here, per watched execution.
        self._published: dict[str, int] = {}
        self._tailer: asyncio.Task[None] | None = None
        self._feed: ChangeFeed | None = None
        self._feed_task: asyncio.Task[None] | None = None
        # Reported by the feed, not yet read: last sequence per watched execution.
        self._news: dict[str, int] = {}
        self._check_all = False
        self._wake = asyncio.Event()

    def subscribe(self, execution_id: str, types: Collection[str] | None = None) -> Subscription:
        """A watcher's subscription: every event, or only those of `types`."""
        sub = Subscription(self, execution_id, self._buffer_size, types)
        self._subscribers[execution_id].add(sub)
        return sub

    def _unsubscribe(self, sub: Subscription) -> None:
        subs = self._subscribers.get(sub.execution_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subscribers[sub.execution_id]
                self._published.pop(sub.execution_id, None)

    def publish(self, events: Iterable[EventRecord]) -> None:
        """Events this process committed: to its watchers, and announced to the others."""
        batch: Sequence[EventRecord] = events if isinstance(events, Sequence) else tuple(events)
        if self._feed is not None:
            self._feed.announce(batch)
        self._deliver(batch)

    def _deliver(self, events: Iterable[EventRecord]) -> None:
        for event in events:
            subs = self._subscribers.get(event.execution_id)
            if not subs:
                continue
            if event.sequence > self._published.get(event.execution_id, 0):
                self._published[event.execution_id] = event.sequence
            for sub in subs:
                sub.offer(event)

    # --- events written elsewhere ------------------------------------------------
    def start_tailer(
        self, log: EventLog, feed: ChangeFeed | None = None, interval: float = TAIL_SECONDS
    ) -> None:
        if self._tailer is None:
            self._feed = feed
            self._tailer = asyncio.create_task(self._tail(log, interval), name="event-tailer")
            if feed is not None:
                self._feed_task = asyncio.create_task(self._follow(feed), name="change-feed")

    async def stop(self) -> None:
        tasks = [t for t in (self._feed_task, self._tailer) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tailer = self._feed_task = self._feed = None

    async def _follow(self, feed: ChangeFeed) -> None:
        while True:
            try:
                await feed.run(self._changed, lambda: bool(self._subscribers))
            except Exception:
                logger.warning("event tailer: the change feed failed", exc_info=True)
            self._changed(None)
            await asyncio.sleep(TAIL_SECONDS)

    def _changed(self, news: Mapping[str, int] | None) -> None:
        """The feed's report: wake the tailer for watched executions with news."""
        if news is None:
            self._check_all = True
        else:
            for execution_id, sequence in news.items():
                if execution_id in self._subscribers and sequence > max(
                    self._news.get(execution_id, 0), self._published.get(execution_id, 0)
                ):
                    self._news[execution_id] = sequence
        if self._check_all or self._news:
            self._wake.set()

    async def _tail(self, log: EventLog, interval: float) -> None:
        loop = asyncio.get_running_loop()
        check_all_at = loop.time() + interval
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0.0, check_all_at - loop.time()))
            self._wake.clear()
            news, self._news = self._news, {}
            check_all = self._check_all or loop.time() >= check_all_at
            self._check_all = False
            try:
                if check_all:
                    check_all_at = loop.time() + interval
                    await self.tail_once(log)
                elif news:
                    await self._catch_up(log, news)
            except Exception:  # the database may be briefly unavailable
                logger.warning("event tailer: reading the log failed", exc_info=True)

    async def tail_once(self, log: EventLog) -> None:
        """Publish what the log has beyond what watchers have seen (one query for all)."""
        if not self._subscribers:
            return
        await self._catch_up(log, await log.last_sequences(list(self._subscribers)))

    async def _catch_up(self, log: EventLog, last: Mapping[str, int]) -> None:
        """Deliver the events up to `last` (per execution) that watchers have not seen."""
        for execution_id, sequence in last.items():
            subs = self._subscribers.get(execution_id)
            if not subs:
                continue
            seen = min(sub.position for sub in subs)
            if sequence <= max(seen, self._published.get(execution_id, 0)):
                continue
            self._deliver(await log.tail_events(execution_id, seen))

    def published_sequence(self, execution_id: str) -> int:
        """The highest sequence published here for a watched execution (0 if none)."""
        return self._published.get(execution_id, 0)

    def watcher_count(self, execution_id: str) -> int:
        return len(self._subscribers.get(execution_id, ()))
