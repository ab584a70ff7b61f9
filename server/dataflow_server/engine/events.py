"""In-process fan-out of committed events to watchers.

Writers publish events after they are durable; each watcher holds a bounded
queue. A watcher that falls behind is marked overflowed instead of blocking
the publisher, and its stream ends so that the client resumes by sequence.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from collections.abc import Iterable

from ..domain.records import EventRecord

__all__ = ["EventHub", "Subscription"]

DEFAULT_WATCH_BUFFER = 1024


class Subscription:
    """One watcher's view of an execution's live events (bounded)."""

    def __init__(self, hub: EventHub, execution_id: str, maxsize: int) -> None:
        self._hub = hub
        self.execution_id = execution_id
        self._maxsize = maxsize
        self._items: deque[EventRecord] = deque()
        self._ready = asyncio.Event()
        self.overflowed = False

    def offer(self, event: EventRecord) -> None:
        if self.overflowed:
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

    def close(self) -> None:
        self._hub._unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EventHub:
    def __init__(self, buffer_size: int = DEFAULT_WATCH_BUFFER) -> None:
        self._buffer_size = buffer_size
        self._subscribers: defaultdict[str, set[Subscription]] = defaultdict(set)

    def subscribe(self, execution_id: str) -> Subscription:
        sub = Subscription(self, execution_id, self._buffer_size)
        self._subscribers[execution_id].add(sub)
        return sub

    def _unsubscribe(self, sub: Subscription) -> None:
        subs = self._subscribers.get(sub.execution_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subscribers[sub.execution_id]

    def publish(self, events: Iterable[EventRecord]) -> None:
        for event in events:
            for sub in self._subscribers.get(event.execution_id, ()):
                sub.offer(event)

    def watcher_count(self, execution_id: str) -> int:
        return len(self._subscribers.get(execution_id, ()))
