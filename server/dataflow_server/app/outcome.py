"""ExecuteWorkflow with `wait`: answer once the execution has ended.

Run-and-get-the-outcome in one call (Kestra's `wait`, Conductor's synchronous
execute, Temporal's `execute_workflow`), without a second RPC to watch it.

The waiter subscribes to the event hub in the same step as the execution is
stored: this process's runner is only scheduled then, so it cannot publish
before the subscription exists. What another replica commits meanwhile reaches
the subscription through the hub's tailer, which tails every watched execution
from the subscription's position. The waiter looks only at event types and
reads the execution once, when a terminal event arrives (through the snapshot
reader watchers share). A terminal event is the outcome only if the execution
is still terminal when read: RetryExecution may already have restarted it.
"""

from __future__ import annotations

import asyncio

from ..domain.errors import InvalidArgument
from ..domain.records import ExecutionRecord
from ..engine.events import EventHub
from ..store.interface import Store
from .watch import TERMINAL_EVENT_TYPES, SnapshotReader

__all__ = ["MAX_WAIT_SECONDS", "OutcomeWaiters", "checked_wait", "within_deadline"]

MAX_WAIT_SECONDS = 60.0


def checked_wait(seconds: float) -> float:
    """The `wait` of an ExecuteWorkflow request, refused when out of range."""
    if not 0.0 <= seconds <= MAX_WAIT_SECONDS:
        raise InvalidArgument.single(
            "wait", f"must be between 0s and {MAX_WAIT_SECONDS:.0f}s (got {seconds:g}s)"
        )
    return seconds


def within_deadline(seconds: float, time_left: float | None) -> float:
    """The wait shortened to answer before the call's deadline: a tenth of the time
    left (at most 0.5 s) is kept for the answer's way back."""
    if time_left is None:
        return seconds
    return max(0.0, min(seconds, time_left - min(0.5, time_left / 10)))


class OutcomeWaiters:
    """The calls waiting for their execution's outcome, released together on drain."""

    def __init__(self, store: Store, hub: EventHub, snapshots: SnapshotReader) -> None:
        self._store = store
        self._hub = hub
        self._snapshots = snapshots
        self._scopes: set[asyncio.Timeout] = set()
        self._released = False

    def release(self) -> None:
        """Answer every waiting call now with its execution as it stands (the
        server drains; the clients follow the executions elsewhere)."""
        self._released = True
        now = asyncio.get_running_loop().time()
        for scope in self._scopes:
            scope.reschedule(now)

    async def wait(
        self, tenant_id: str, record: ExecutionRecord, seconds: float
    ) -> ExecutionRecord:
        """The execution once it has ended, or as it stands after `seconds`.

        Must be called in the same step as `record` was returned by the store
        (no await in between), so that no event of this process is missed."""
        if seconds <= 0 or record.status.is_terminal or self._released:
            return record
        try:
            async with asyncio.timeout(seconds) as scope:
                self._scopes.add(scope)
                try:
                    return await self._until_terminal(tenant_id, record)
                finally:
                    self._scopes.discard(scope)
        except TimeoutError:
            pass
        return await self._store.get_execution(tenant_id, record.execution_id)

    async def _until_terminal(self, tenant_id: str, record: ExecutionRecord) -> ExecutionRecord:
        execution_id = record.execution_id
        position = record.last_sequence
        while True:
            with self._hub.subscribe(execution_id, TERMINAL_EVENT_TYPES) as subscription:
                if position < 0:
                    # The buffer overflowed (a long burst of task events): read the
                    # execution again, subscribed, so nothing after the read is missed.
                    current = await self._store.get_execution(tenant_id, execution_id)
                    if current.status.is_terminal:
                        return current
                    position = current.last_sequence
                subscription.position = position
                # Only terminal events wake this loop (the subscription filters).
                while (event := await subscription.next()) is not None:
                    subscription.position = max(subscription.position, event.sequence)
                    current = await self._snapshots.at_least(
                        tenant_id, execution_id, event.sequence
                    )
                    if current.status.is_terminal:
                        return current
                position = -1
