"""Group commit: many executions' transitions share one transaction.

One transaction per state change caps an engine at a few hundred commits a
second (SQLAlchemy async + aiosqlite). The writer queues transitions from
every runner, applies whatever is waiting (up to `max_batch`) in one
transaction, and acknowledges each caller only after the commit: the same
durability as committing alone, at a fraction of the cost. A transition
whose fence fails (LeaseLost) is skipped inside the batch without aborting
the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from ..domain.lifecycle import Transition
from ..domain.records import EventRecord
from .sql import SqlStore

__all__ = ["GroupCommitWriter"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Pending:
    transition: Transition
    future: asyncio.Future[list[EventRecord]]


class GroupCommitWriter:
    def __init__(
        self,
        store: SqlStore,
        on_committed: Callable[[list[EventRecord]], None] | None = None,
        max_batch: int = 256,
        on_outbox: Callable[[], None] | None = None,
    ) -> None:
        self._store = store
        self._on_committed = on_committed
        self._on_outbox = on_outbox  # webhook deliveries were enqueued
        self._max_batch = max_batch
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="group-commit-writer")

    async def stop(self) -> None:
        """Flush what is queued, then stop."""
        if self._task is None:
            return
        await self._queue.join()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def apply(self, transition: Transition) -> list[EventRecord]:
        """Durably apply `transition`; its events with sequences. Raises LeaseLost."""
        if self._task is None:
            raise RuntimeError("GroupCommitWriter is not started")
        future: asyncio.Future[list[EventRecord]] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Pending(transition, future))
        return await future

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._commit(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    async def _commit(self, batch: list[_Pending]) -> None:
        try:
            results, outbox = await self._store.apply_transitions(
                [item.transition for item in batch]
            )
        except Exception as exc:  # the whole transaction failed: tell every caller
            log.warning("group commit of %d transitions failed: %s", len(batch), exc)
            for item in batch:
                if not item.future.done():
                    item.future.set_exception(exc)
            return
        committed: list[EventRecord] = []
        for item, result in zip(batch, results, strict=True):
            if not isinstance(result, BaseException):
                committed.extend(result)
            if item.future.done():  # the caller stopped waiting; the write stands
                continue
            if isinstance(result, BaseException):
                item.future.set_exception(result)
            else:
                item.future.set_result(result)
        if committed and self._on_committed is not None:
            self._on_committed(committed)
        if outbox and self._on_outbox is not None:
            self._on_outbox()
