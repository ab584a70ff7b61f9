"""Group commit: items submitted while a transaction runs share the next one.

One transaction per item caps a store at a few hundred commits a second; a
`GroupCommit` queues items from every caller, commits whatever is waiting (up
to `max_batch`) in one call of `commit`, and answers each caller only after
that call returned: the same durability as committing alone, at a fraction
of the cost.

The one failure policy: `commit` returns one result per item, where an item
refused by the store's own logic (a lease lost, an archived workflow) is an
exception *result* for that caller only. Should the call fail as a whole (the
database, a constraint), each item is committed again alone, so that every
caller gets the answer it would have got alone and no item fails another.

An item handed over is written even if its caller stops waiting (as if the
commit had happened a moment before): a runner cancelled mid-step must not
lose a step that other writes of the same execution already follow.

Generic (no SQL): the store batches new executions with it, the engine its
transitions (engine/group_commit.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from ..domain.errors import Unavailable

__all__ = ["GroupCommit", "GroupCommitClosed"]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class GroupCommitClosed(Unavailable):
    """Submitted after `close` (the server is stopping): the caller may retry
    (UNAVAILABLE, like the store's `StoreUnavailable`)."""


class GroupCommit(Generic[T, R]):
    def __init__(
        self,
        commit: Callable[[Sequence[T]], Awaitable[Sequence[R | Exception]]],
        *,
        name: str,
        max_batch: int = 256,
    ) -> None:
        self._commit = commit
        self._name = name
        self._max_batch = max_batch
        self._queue: deque[tuple[T, asyncio.Future[R]]] = deque()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    async def submit(self, item: T) -> R:
        """Durably commit `item`; its result (or its own exception)."""
        if self._closed:
            raise GroupCommitClosed(f"{self._name}: closed")
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name=self._name)
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch = [self._queue.popleft() for _ in range(min(self._max_batch, len(self._queue)))]
            try:
                results = await self._commit([item for item, _ in batch])
            except Exception as exc:
                if len(batch) == 1:
                    _answer(batch[0][1], exc)
                    continue
                log.warning(
                    "%s: a batch of %d failed (%s); one by one", self._name, len(batch), exc
                )
                for item, future in batch:
                    try:
                        (result,) = await self._commit([item])
                    except Exception as alone:
                        result = alone
                    _answer(future, result)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                _answer(future, result)

    async def close(self) -> None:
        """Commit what is queued, then refuse new items."""
        self._closed = True
        if self._task is not None:
            with contextlib.suppress(Exception):
                await self._task


def _answer(future: asyncio.Future[R], result: R | Exception) -> None:
    if future.done():  # the caller stopped waiting: the write stands
        return
    if isinstance(result, Exception):
        future.set_exception(result)
    else:
        future.set_result(result)
