"""The group-commit writer of transitions: every runner's steps share transactions.

Transitions from every runner are committed together (`concurrency.GroupCommit`);
a transition whose fence fails (LeaseLost) is refused alone, without
aborting the others. After each commit the committed events are published to
watchers and, when webhook deliveries were enqueued, the dispatcher is woken.

An execution that ends while someone here follows it (a watcher, a call waiting
for its outcome) is read back in the commit's own transaction and handed over
before its events are published: they would otherwise each read it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..concurrency.group_commit import GroupCommit
from ..domain.lifecycle import LeaseLost, Transition
from ..domain.records import EventRecord, ExecutionRecord
from .ports import Journal

__all__ = ["GroupCommitWriter"]


class GroupCommitWriter:
    def __init__(
        self,
        store: Journal,
        on_committed: Callable[[list[EventRecord]], None] | None = None,
        max_batch: int = 256,
        on_outbox: Callable[[], None] | None = None,
        followed: Callable[[str], bool] | None = None,
        on_ended: Callable[[list[ExecutionRecord]], None] | None = None,
    ) -> None:
        self._store = store
        self._on_committed = on_committed
        self._on_outbox = on_outbox  # webhook deliveries were enqueued
        # Whether an execution is followed here; the ones that end are read back
        # and given to `on_ended` before their events are published.
        self._followed = followed
        self._on_ended = on_ended
        self._batches: GroupCommit[Transition, list[EventRecord]] = GroupCommit(
            self._commit, name="group-commit-writer", max_batch=max_batch
        )

    async def stop(self) -> None:
        """Commit what is queued, then stop."""
        await self._batches.close()

    async def apply(self, transition: Transition) -> list[EventRecord]:
        """Durably apply `transition`; its events with sequences. Raises LeaseLost."""
        return await self._batches.submit(transition)

    async def _commit(self, batch: Sequence[Transition]) -> Sequence[list[EventRecord] | Exception]:
        read_back: set[str] = set()
        if self._followed is not None and self._on_ended is not None:
            read_back = {
                t.execution_id
                for t in batch
                if t.status is not None and t.status.is_terminal and self._followed(t.execution_id)
            }
        results, outbox, ended = await self._store.apply_transitions(batch, read_back)
        if ended and self._on_ended is not None:
            self._on_ended(ended)
        committed = [e for r in results if not isinstance(r, LeaseLost) for e in r]
        if committed and self._on_committed is not None:
            self._on_committed(committed)
        if outbox and self._on_outbox is not None:
            self._on_outbox()
        return results
