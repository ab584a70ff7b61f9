"""WatchExecution: replay the event log after a sequence, then follow it live.

Subscribing happens before the replay read, so an event committed in between
is seen either in the replay or live; sequences de-duplicate. A gap in the
live feed (a publish missed, another replica's event) is filled from the log.
The first event sent and the terminal event carry the execution snapshot: its
current state, never older than the event (`last_sequence` says which event it
is current to; on the terminal event that ends the stream, exactly that one).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Collection, Iterable
from dataclasses import dataclass

from ..domain.errors import InvalidArgument, ResourceExhausted, preview
from ..domain.lifecycle import accepted_event
from ..domain.records import EventRecord, ExecutionRecord
from ..engine.events import EventHub
from ..store.interface import Store
from .checks import check_in_workflow, checked_execution_id

__all__ = [
    "EVENT_TYPES",
    "SnapshotReader",
    "WatchLagged",
    "WatchedEvent",
    "checked_event_types",
    "watch_execution",
    "watch_execution_batches",
]

EVENT_TYPES = frozenset(
    {
        "execution.pending",
        "execution.running",
        "execution.completed",
        "execution.failed",
        "execution.cancelled",
        "task.running",
        "task.completed",
        "task.failed",
        "task.skipped",
        "task.retrying",
        "task.cancelled",
    }
)
TERMINAL_EVENT_TYPES = frozenset({"execution.completed", "execution.failed", "execution.cancelled"})

_REPLAY_BATCH = 500


class WatchLagged(ResourceExhausted):
    """The watcher fell behind its bounded buffer; resume with `after_sequence`."""

    def __init__(self, last_sequence: int) -> None:
        super().__init__(
            f"the watcher fell behind the event stream; resume with after_sequence={last_sequence}"
        )
        self.last_sequence = last_sequence


@dataclass(frozen=True, slots=True)
class WatchedEvent:
    event: EventRecord
    snapshot: ExecutionRecord | None


class SnapshotReader:
    """Execution snapshots for watchers, read once for many of them.

    A thousand watchers of one execution all need its snapshot with the
    terminal event; they share one read. A snapshot serves an event when it
    was read after the event was committed, i.e. its `last_sequence` is at
    least the event's, and when nothing newer was published here since (so
    that "is this terminal event the last one?" is answered as freshly as a
    read of one's own would). A read in flight is joined only if it started
    after the event was published here. Entries live `ttl` seconds.
    """

    def __init__(self, store: Store, hub: EventHub, ttl: float = 0.5, size: int = 1024) -> None:
        self._store = store
        self._hub = hub
        self._ttl = ttl
        self._size = size
        self._cache: dict[str, tuple[ExecutionRecord, float]] = {}
        # execution id → (published sequence when the read started, the read)
        self._reads: dict[str, tuple[int, asyncio.Future[ExecutionRecord]]] = {}

    def offer(self, snapshot: ExecutionRecord) -> None:
        """A snapshot read elsewhere (a watcher's first read)."""
        current = self._cache.get(snapshot.execution_id)
        if current is None or current[0].last_sequence <= snapshot.last_sequence:
            if current is None and len(self._cache) >= self._size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[snapshot.execution_id] = (snapshot, time.monotonic())

    async def at_least(self, tenant_id: str, execution_id: str, sequence: int) -> ExecutionRecord:
        """A snapshot read after event `sequence` was committed.

        Shared by watchers of every tenant, keyed by execution id (globally
        unique); a watcher asks only after its own tenant-filtered read found
        the execution, so what it is served is of its tenant."""
        needed = max(sequence, self._hub.published_sequence(execution_id))
        cached = self._cache.get(execution_id)
        if (
            cached is not None
            and cached[0].last_sequence >= needed
            and time.monotonic() - cached[1] <= self._ttl
        ):
            return cached[0]
        read = self._reads.get(execution_id)
        if read is not None and read[0] >= needed:
            try:
                return await asyncio.shield(read[1])
            except asyncio.CancelledError:
                if not read[1].cancelled():
                    raise  # this watcher is cancelled
                # The reader went away (its watcher was cancelled): read here.
        future: asyncio.Future[ExecutionRecord] = asyncio.get_running_loop().create_future()
        self._reads[execution_id] = (self._hub.published_sequence(execution_id), future)
        try:
            snapshot = await self._store.get_execution(tenant_id, execution_id)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: joiners re-raise it, nobody else must
            raise
        finally:
            if self._reads.get(execution_id, (0, None))[1] is future:
                del self._reads[execution_id]
        future.set_result(snapshot)
        self.offer(snapshot)
        return snapshot


async def watch_execution(
    store: Store,
    hub: EventHub,
    tenant_id: str,
    execution_id: str,
    after_sequence: int = 0,
    event_types: Collection[str] = (),
    snapshots: SnapshotReader | None = None,
    workflow_id: str = "",
) -> AsyncIterator[WatchedEvent]:
    """The events one at a time (see `watch_execution_batches`)."""
    async for batch in watch_execution_batches(
        store, hub, tenant_id, execution_id, after_sequence, event_types, snapshots, workflow_id
    ):
        for item in batch:
            yield item


def checked_event_types(event_types: Collection[str]) -> None:
    unknown = sorted(set(event_types) - EVENT_TYPES)
    if unknown:
        raise InvalidArgument.single(
            "event_types", f"unknown event types {preview(unknown)}; known: {sorted(EVENT_TYPES)}"
        )


async def watch_execution_batches(
    store: Store,
    hub: EventHub,
    tenant_id: str,
    execution_id: str,
    after_sequence: int = 0,
    event_types: Collection[str] = (),
    snapshots: SnapshotReader | None = None,
    workflow_id: str = "",
    *,
    accepted: ExecutionRecord | None = None,
) -> AsyncIterator[list[WatchedEvent]]:
    """The events in batches: each batch is every event ready at that moment (a
    page of the log, or what was published while the watcher was busy), never
    empty, in sequence order.

    `accepted`: the execution as this process just created it, in the same step
    (ExecuteAndWatch): nothing of it can have been published yet, so the log is
    not read. The first batch is then yielded at once, even if empty."""
    checked_execution_id(execution_id)
    if after_sequence < 0:
        raise InvalidArgument.single("after_sequence", "must not be negative")
    checked_event_types(event_types)
    wanted = frozenset(event_types)

    reader = snapshots or SnapshotReader(store, hub)
    with hub.subscribe(execution_id) as subscription:
        if accepted is not None:
            execution = accepted
            first_batch = [accepted_event(accepted.execution_id, accepted.created_at)]
        else:
            # NOT_FOUND before streaming; the first replay comes from the same snapshot.
            execution, first_batch = await store.get_execution_and_events(
                tenant_id, execution_id, after_sequence, _REPLAY_BATCH
            )
            check_in_workflow(execution, workflow_id)
            reader.offer(execution)
        last = after_sequence
        sent_any = False

        async def emit(event: EventRecord) -> tuple[WatchedEvent | None, bool]:
            """What to send for `event` (None: filtered out), and whether the stream ends.

            A terminal event ends the stream only if it is still the last one:
            RetryExecution appends after an earlier terminal event.
            """
            nonlocal sent_any
            terminal = event.type in TERMINAL_EVENT_TYPES
            snapshot = None
            final = False
            if terminal:
                snapshot = await reader.at_least(tenant_id, execution_id, event.sequence)
                final = snapshot.last_sequence == event.sequence
            if wanted and event.type not in wanted:
                return None, final
            if not sent_any and snapshot is None:
                # The first read serves when it is at least as new as the event.
                snapshot = (
                    execution
                    if execution.last_sequence >= event.sequence
                    else await reader.at_least(tenant_id, execution_id, event.sequence)
                )
            sent_any = True
            return WatchedEvent(event, snapshot), final

        async def advance(events: Iterable[EventRecord]) -> tuple[list[WatchedEvent], bool, bool]:
            """What to send for the events that follow `last` in `events` (older ones
            are duplicates), whether the stream ends, and whether a gap stopped it."""
            nonlocal last
            out: list[WatchedEvent] = []
            for event in events:
                if event.sequence <= last:
                    continue
                if event.sequence != last + 1:
                    return out, False, True
                last = subscription.position = event.sequence
                item, final = await emit(event)
                if item is not None:
                    out.append(item)
                if final:
                    return out, True, False
            return out, False, False

        if execution.status.is_terminal and last >= execution.last_sequence:
            return
        batch: list[EventRecord] | None = first_batch
        while True:
            # Replay whatever the log has after `last` (also fills live gaps).
            if batch is None:
                batch = await store.list_events(tenant_id, execution_id, last, _REPLAY_BATCH)
            out, final, _ = await advance(batch)
            if out or accepted is not None:
                yield out
                accepted = None
            if final:
                return
            if len(batch) == _REPLAY_BATCH:
                batch = None
                continue
            batch = None
            # Live: take published events in order, with the first whatever else was
            # published meanwhile (the hub's tailer also brings those written by other
            # replicas); on a gap, re-read the log.
            gap = False
            while not gap:
                subscription.position = last
                live = await subscription.next()
                if live is None:
                    raise WatchLagged(last)
                out, final, gap = await advance((live, *subscription.take_ready()))
                if out:
                    yield out
                if final:
                    return
