"""WatchExecution: replay the event log after a sequence, then follow it live.

Subscribing happens before the replay read, so an event committed in between
is seen either in the replay or live; sequences de-duplicate. A gap in the
live feed (a publish missed, another replica's event) is filled from the log.
The first event sent and the terminal event carry the execution snapshot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass

from ..domain.errors import InvalidArgument, ResourceExhausted
from ..domain.records import EventRecord, ExecutionRecord
from ..engine.events import EventHub
from ..store.interface import Store
from .executions import checked_execution_id

__all__ = ["EVENT_TYPES", "WatchLagged", "WatchedEvent", "watch_execution"]

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


async def watch_execution(
    store: Store,
    hub: EventHub,
    execution_id: str,
    after_sequence: int = 0,
    event_types: Collection[str] = (),
) -> AsyncIterator[WatchedEvent]:
    checked_execution_id(execution_id)
    if after_sequence < 0:
        raise InvalidArgument.single("after_sequence", "must not be negative")
    unknown = sorted(set(event_types) - EVENT_TYPES)
    if unknown:
        raise InvalidArgument.single(
            "event_types", f"unknown event types {unknown}; known: {sorted(EVENT_TYPES)}"
        )
    wanted = frozenset(event_types)

    with hub.subscribe(execution_id) as subscription:
        execution = await store.get_execution(execution_id)  # NOT_FOUND before streaming
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
                snapshot = await store.get_execution(execution_id)
                final = snapshot.last_sequence == event.sequence
            if wanted and event.type not in wanted:
                return None, final
            if not sent_any and snapshot is None:
                snapshot = await store.get_execution(execution_id)
            sent_any = True
            return WatchedEvent(event, snapshot), final

        if execution.status.is_terminal and last >= execution.last_sequence:
            return
        while True:
            # Replay whatever the log has after `last` (also fills live gaps).
            batch = await store.list_events(execution_id, last, _REPLAY_BATCH)
            for event in batch:
                last = subscription.position = event.sequence
                item, final = await emit(event)
                if item is not None:
                    yield item
                if final:
                    return
            if len(batch) == _REPLAY_BATCH:
                continue
            # Live: take published events in order (the hub's tailer also brings
            # those written by other replicas); on a gap, re-read the log.
            while True:
                subscription.position = last
                live = await subscription.next()
                if live is None:
                    raise WatchLagged(last)
                if live.sequence <= last:
                    continue
                if live.sequence != last + 1:
                    break  # gap: fill from the log
                last = live.sequence
                item, final = await emit(live)
                if item is not None:
                    yield item
                if final:
                    return
