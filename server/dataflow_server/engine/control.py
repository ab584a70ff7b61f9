"""CancelExecution and RetryExecution, as fenced transitions on the event log."""

from __future__ import annotations

import asyncio

from ..domain import lifecycle
from ..domain.errors import FailedPrecondition
from ..domain.lifecycle import LeaseLost
from ..domain.records import ExecutionRecord
from .events import EventHub, Subscription
from .executor import Executor
from .group_commit import GroupCommitWriter
from .ports import EngineStore

__all__ = ["ExecutionControl"]

# How long CancelExecution waits for a running execution's worker to record it.
CANCEL_WAIT_SECONDS = 10.0
_TERMINAL_EVENTS = frozenset(t for t in lifecycle.EventType if t.is_terminal)


class ExecutionControl:
    def __init__(
        self, store: EngineStore, writer: GroupCommitWriter, executor: Executor, hub: EventHub
    ) -> None:
        self._store = store
        self._writer = writer
        self._executor = executor
        self._hub = hub

    async def cancel(self, tenant_id: str, execution_id: str, reason: str) -> ExecutionRecord:
        execution = await self._store.get_execution(tenant_id, execution_id)
        if execution.status.is_terminal:
            raise FailedPrecondition(
                f"execution {execution_id} is already {execution.status.value}"
            )
        message = reason or "cancelled on request"
        try:
            # Nobody holds a live lease (it is queued): record it here and now.
            await self._writer.apply(lifecycle.cancel(execution, None, self._store.now(), message))
            return await self._store.get_execution(tenant_id, execution_id)
        except LeaseLost:
            pass
        with self._hub.subscribe(execution_id) as subscription:
            flagged = await self._store.request_cancel(tenant_id, execution_id)
            if not flagged:
                current = await self._store.get_execution(tenant_id, execution_id)
                raise FailedPrecondition(
                    f"execution {execution_id} is already {current.status.value}"
                )
            # Its worker records CANCELLED: here at once, on another replica at its heartbeat.
            self._executor.cancel_local(execution_id, message)
            await self._wait_terminal(tenant_id, execution_id, subscription)
        return await self._store.get_execution(tenant_id, execution_id)

    async def _wait_terminal(
        self, tenant_id: str, execution_id: str, subscription: Subscription
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CANCEL_WAIT_SECONDS
        while (remaining := deadline - loop.time()) > 0:
            event = await subscription.next(timeout=min(remaining, 1.0))
            if event is not None and event.type in _TERMINAL_EVENTS:
                return
            if event is None:
                current = await self._store.get_execution(tenant_id, execution_id)
                if current.status.is_terminal:
                    return

    async def retry(self, tenant_id: str, execution_id: str) -> ExecutionRecord:
        execution = await self._store.get_execution(tenant_id, execution_id)
        if execution.status not in lifecycle.RETRYABLE:
            raise FailedPrecondition(
                f"execution {execution_id} is {execution.status.value}; "
                "only FAILED or CANCELLED executions can be retried"
            )
        try:
            await self._writer.apply(lifecycle.requeue(execution))
        except LeaseLost:
            current = await self._store.get_execution(tenant_id, execution_id)
            raise FailedPrecondition(
                f"execution {execution_id} is {current.status.value}; it cannot be retried now"
            ) from None
        self._executor.notify()
        return await self._store.get_execution(tenant_id, execution_id)
