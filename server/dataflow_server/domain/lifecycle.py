"""The execution state machine: event types, transitions, and the pure functions that
make each step. No I/O: the engine decides when a step happens, the store persists
the `Transition` it is given, fenced by the lease token.

A `Transition` is everything one step changes: the execution's row, some task
runs, and the events that announce it. The store writes it only if the lease
token still matches (a worker whose lease was taken over writes nothing:
`LeaseLost`) and allocates the events' sequences from the execution's
`last_sequence` in the same statement, so the log is gap-free and ordered.

Steps (each function returns one transition):
- `start`: PENDING → RUNNING (`execution.running`);
- `start_task`: a task attempt begins (`task.running`);
- `complete_task`, `retry_task`, `skip_task`: a task's attempt ended;
- `complete`, `fail`, `cancel`: the execution ends (the rest SKIPPED);
- `requeue`: RetryExecution, FAILED/CANCELLED → PENDING (`execution.pending`).
`accepted_event` is event 1 of a new execution, written by the store with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from .errors import AlreadyExists, preview
from .records import (
    EventRecord,
    ExecutionRecord,
    ExecutionStatus,
    TaskError,
    TaskItemRecord,
    TaskRunRecord,
    TaskStatus,
)
from .values import JsonObject

__all__ = [
    "ACTIVE",
    "RETRYABLE",
    "AppliedBatch",
    "EventType",
    "LeaseLost",
    "NewEvent",
    "TaskUpdate",
    "Transition",
    "accepted_event",
    "cancel",
    "complete",
    "complete_task",
    "fail",
    "repeat_of",
    "requeue",
    "retry_task",
    "skip_task",
    "start",
    "start_task",
]


class EventType(StrEnum):
    EXECUTION_PENDING = "execution.pending"
    EXECUTION_RUNNING = "execution.running"
    EXECUTION_COMPLETED = "execution.completed"
    EXECUTION_FAILED = "execution.failed"
    EXECUTION_CANCELLED = "execution.cancelled"
    TASK_RUNNING = "task.running"
    TASK_COMPLETED = "task.completed"
    TASK_FAILED = "task.failed"
    TASK_SKIPPED = "task.skipped"
    TASK_RETRYING = "task.retrying"
    TASK_CANCELLED = "task.cancelled"
    # One item of a for_each task (`item_index`); `task_status` is the item's.
    TASK_ITEM_RUNNING = "task.item.running"
    TASK_ITEM_COMPLETED = "task.item.completed"
    TASK_ITEM_FAILED = "task.item.failed"
    TASK_ITEM_RETRYING = "task.item.retrying"
    TASK_ITEM_CANCELLED = "task.item.cancelled"
    TASK_ITEM_SKIPPED = "task.item.skipped"

    @property
    def is_terminal(self) -> bool:
        """An execution's last event."""
        return self in _TERMINAL


_TERMINAL = frozenset(
    {EventType.EXECUTION_COMPLETED, EventType.EXECUTION_FAILED, EventType.EXECUTION_CANCELLED}
)
ACTIVE = (ExecutionStatus.PENDING, ExecutionStatus.RUNNING)
RETRYABLE = (ExecutionStatus.FAILED, ExecutionStatus.CANCELLED)


class LeaseLost(Exception):
    """The execution's lease belongs to someone else now (or its state moved on)."""


class AppliedBatch(NamedTuple):
    """What one transaction of transitions did."""

    # Per transition: its events with their sequences, or LeaseLost (nothing written).
    results: list[list[EventRecord] | LeaseLost]
    # Whether webhook deliveries were enqueued.
    outbox: bool
    # The executions asked to be read back that ended in this transaction, as
    # committed (what watchers and waiting calls are about to ask for).
    snapshots: list[ExecutionRecord]


@dataclass(frozen=True, slots=True)
class NewEvent:
    type: EventType
    task_name: str = ""
    task_status: TaskStatus | None = None
    attempt: int = 0
    error: TaskError | None = None
    # The execution's status after this event; None: its status after the whole
    # transition (a transition that carries several steps names each one's).
    status: ExecutionStatus | None = None
    item_index: int | None = None  # task.item.* events (task_status is the item's)
    skip_reason: str = ""


@dataclass(frozen=True, slots=True)
class TaskUpdate:
    """New values of one task run; None leaves a column unchanged."""

    position: int
    status: TaskStatus
    attempts: int | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    outputs: JsonObject | None = None
    error: TaskError | None = None
    clear_results: bool = False  # reset outputs, error, times, items (RetryExecution)
    skip_reason: str | None = None
    # A for_each task's items, written whole (after clear_results, if both).
    items: tuple[TaskItemRecord, ...] | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    execution_id: str
    # The lease token the writer holds; None: only if nobody holds a live lease.
    lease_token: str | None
    status: ExecutionStatus | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    outputs: JsonObject | None = None
    error: TaskError | None = None
    tasks: tuple[TaskUpdate, ...] = ()
    events: tuple[NewEvent, ...] = ()
    # Extra guard: the execution must currently have one of these statuses.
    expect_status: tuple[ExecutionStatus, ...] = ()
    release_lease: bool = False  # terminal or handed back to the queue
    requeue: bool = False  # RetryExecution: PENDING again, results cleared, new epoch


def repeat_of(original: ExecutionRecord, request_hash: str | None) -> ExecutionRecord:
    """The original execution of a reused request_id, when the request is the same
    one (same hash); AlreadyExists otherwise."""
    if original.request_hash != request_hash:
        raise AlreadyExists(
            f"request_id {preview(original.request_id)} was already used for a different "
            f"request (execution {original.execution_id})"
        )
    return original


def accepted_event(execution_id: str, created_at: datetime) -> EventRecord:
    """Event 1 of every execution, written with it."""
    return EventRecord(
        execution_id, 1, EventType.EXECUTION_PENDING, ExecutionStatus.PENDING, created_at
    )


def start(execution: ExecutionRecord, token: str, now: datetime) -> Transition:
    return Transition(
        execution.execution_id,
        token,
        status=ExecutionStatus.RUNNING,
        started_at=execution.started_at or now,
        events=(NewEvent(EventType.EXECUTION_RUNNING),),
    )


def start_task(
    execution_id: str, token: str, run: TaskRunRecord, attempt: int, started_at: datetime
) -> Transition:
    return Transition(
        execution_id,
        token,
        tasks=(
            TaskUpdate(run.position, TaskStatus.RUNNING, attempts=attempt, started_at=started_at),
        ),
        events=(NewEvent(EventType.TASK_RUNNING, run.name, TaskStatus.RUNNING, attempt),),
    )


def complete_task(
    execution_id: str,
    token: str,
    run: TaskRunRecord,
    attempt: int,
    outputs: JsonObject,
    now: datetime,
) -> Transition:
    return Transition(
        execution_id,
        token,
        tasks=(TaskUpdate(run.position, TaskStatus.COMPLETED, completed_at=now, outputs=outputs),),
        events=(NewEvent(EventType.TASK_COMPLETED, run.name, TaskStatus.COMPLETED, attempt),),
    )


def retry_task(
    execution_id: str, token: str, run: TaskRunRecord, attempt: int, error: TaskError
) -> Transition:
    """The attempt failed retryably; the task stays RUNNING until the next attempt."""
    return Transition(
        execution_id,
        token,
        tasks=(TaskUpdate(run.position, TaskStatus.RUNNING, error=error),),
        events=(NewEvent(EventType.TASK_RETRYING, run.name, TaskStatus.RUNNING, attempt, error),),
    )


def fail_task(
    execution_id: str, token: str, run: TaskRunRecord, error: TaskError, now: datetime
) -> Transition:
    """A task failed for good (the execution goes on until its running branches end)."""
    return Transition(
        execution_id,
        token,
        tasks=(TaskUpdate(run.position, TaskStatus.FAILED, completed_at=now, error=error),),
        events=(NewEvent(EventType.TASK_FAILED, run.name, TaskStatus.FAILED, run.attempts, error),),
    )


def skip_task(
    execution_id: str, token: str | None, run: TaskRunRecord, reason: str = ""
) -> Transition:
    """A task that will not run (the execution ended, or its branch was not taken)."""
    return Transition(
        execution_id,
        token,
        tasks=(TaskUpdate(run.position, TaskStatus.SKIPPED, skip_reason=reason),),
        events=(
            NewEvent(EventType.TASK_SKIPPED, run.name, TaskStatus.SKIPPED, skip_reason=reason),
        ),
    )


# -- for_each tasks: the task runs once per item ---------------------------------


def with_item(run: TaskRunRecord, item: TaskItemRecord) -> TaskRunRecord:
    """`run` with its item `item.index` replaced by `item` (a for_each task whose
    items are known)."""
    items = list(run.items or ())
    items[item.index] = item
    return replace(run, items=tuple(items))


def start_map(execution_id: str, token: str, run: TaskRunRecord) -> Transition:
    """A for_each task starts: `run` is RUNNING with its items (all known now)."""
    return Transition(
        execution_id,
        token,
        tasks=(
            TaskUpdate(
                run.position, TaskStatus.RUNNING, started_at=run.started_at, items=run.items
            ),
        ),
        events=(NewEvent(EventType.TASK_RUNNING, run.name, TaskStatus.RUNNING),),
    )


def item_step(
    execution_id: str,
    token: str,
    run: TaskRunRecord,
    index: int,
    event: EventType,
    error: TaskError | None = None,
) -> Transition:
    """Item `index` of `run` changed (run carries the change): the items are
    written whole, with one event for the item."""
    assert run.items is not None
    item = run.items[index]
    return Transition(
        execution_id,
        token,
        tasks=(TaskUpdate(run.position, run.status, items=run.items),),
        events=(NewEvent(event, run.name, item.status, item.attempts, error, item_index=index),),
    )


_MAP_END = {
    TaskStatus.COMPLETED: EventType.TASK_COMPLETED,
    TaskStatus.FAILED: EventType.TASK_FAILED,
    TaskStatus.CANCELLED: EventType.TASK_CANCELLED,
}


def finish_map(
    execution_id: str, token: str | None, run: TaskRunRecord, skipped_items: tuple[int, ...]
) -> Transition:
    """A for_each task ends (`run` carries its end status, outputs or error, and
    the items that never started already SKIPPED): one event per such item, then
    the task's."""
    events = [
        NewEvent(EventType.TASK_ITEM_SKIPPED, run.name, TaskStatus.SKIPPED, item_index=j)
        for j in skipped_items
    ]
    events.append(NewEvent(_MAP_END[run.status], run.name, run.status, error=run.error))
    return Transition(
        execution_id,
        token,
        tasks=(
            TaskUpdate(
                run.position,
                run.status,
                completed_at=run.completed_at,
                outputs=run.outputs,
                error=run.error,
                items=run.items,
            ),
        ),
        events=tuple(events),
    )


_FINAL_EVENT = {
    ExecutionStatus.FAILED: EventType.EXECUTION_FAILED,
    ExecutionStatus.CANCELLED: EventType.EXECUTION_CANCELLED,
}


def _end(
    execution_id: str,
    token: str | None,
    status: ExecutionStatus,
    now: datetime,
    error: TaskError,
    parts: list[Transition],
) -> Transition:
    """The execution ends with `status`: the tasks' steps, then its own event."""
    return Transition(
        execution_id,
        token,
        status=status,
        completed_at=now,
        error=error,
        tasks=tuple(u for p in parts for u in p.tasks),
        events=(
            *(e for p in parts for e in p.events),
            NewEvent(_FINAL_EVENT[status], error=error),
        ),
        release_lease=True,
    )


def complete(execution_id: str, token: str, outputs: JsonObject, now: datetime) -> Transition:
    return Transition(
        execution_id,
        token,
        status=ExecutionStatus.COMPLETED,
        completed_at=now,
        outputs=outputs,
        release_lease=True,
        events=(NewEvent(EventType.EXECUTION_COMPLETED),),
    )


def fail(
    execution_id: str,
    token: str,
    tasks: tuple[TaskRunRecord, ...] | list[TaskRunRecord],
    failed: TaskRunRecord | None,
    error: TaskError,
    now: datetime,
) -> Transition:
    """FAILED: the failed task (None: the execution's outputs) FAILED, the pending
    tasks after it SKIPPED."""
    parts: list[Transition] = []
    if failed is not None:
        parts.append(
            Transition(
                execution_id,
                token,
                tasks=(
                    TaskUpdate(failed.position, TaskStatus.FAILED, completed_at=now, error=error),
                ),
                events=(
                    NewEvent(
                        EventType.TASK_FAILED,
                        failed.name,
                        TaskStatus.FAILED,
                        failed.attempts,
                        error,
                    ),
                ),
            )
        )
    for later in tasks:
        if later.status == TaskStatus.PENDING and (
            failed is None or later.position > failed.position
        ):
            parts.append(skip_task(execution_id, token, later))
    return _end(execution_id, token, ExecutionStatus.FAILED, now, error, parts)


def cancel(execution: ExecutionRecord, token: str | None, now: datetime, reason: str) -> Transition:
    """CANCELLED: running tasks and items CANCELLED, pending ones SKIPPED, one event each."""
    error = TaskError("CANCELLED", reason or "cancelled on request")
    eid = execution.execution_id
    parts: list[Transition] = []
    for run in execution.tasks:
        if run.status == TaskStatus.RUNNING and run.items is not None:
            parts.append(_cancel_map(eid, token, run, now))
        elif run.status == TaskStatus.RUNNING:
            parts.append(
                Transition(
                    eid,
                    token,
                    tasks=(TaskUpdate(run.position, TaskStatus.CANCELLED, completed_at=now),),
                    events=(
                        NewEvent(
                            EventType.TASK_CANCELLED, run.name, TaskStatus.CANCELLED, run.attempts
                        ),
                    ),
                )
            )
        elif run.status == TaskStatus.PENDING:
            parts.append(skip_task(eid, token, run, "the execution was cancelled"))
    return replace(
        _end(eid, token, ExecutionStatus.CANCELLED, now, error, parts), expect_status=ACTIVE
    )


def _cancel_map(eid: str, token: str | None, run: TaskRunRecord, now: datetime) -> Transition:
    """A running for_each task: running items CANCELLED, pending ones SKIPPED, the task
    CANCELLED."""
    cancelled = [i.index for i in run.items or () if i.status is TaskStatus.RUNNING]
    skipped = tuple(i.index for i in run.items or () if i.status is TaskStatus.PENDING)
    items = run.items or ()
    for j in cancelled:
        run = with_item(run, replace(items[j], status=TaskStatus.CANCELLED, completed_at=now))
    for j in skipped:
        run = with_item(run, replace(items[j], status=TaskStatus.SKIPPED))
    run = replace(run, status=TaskStatus.CANCELLED, completed_at=now)
    events = tuple(
        NewEvent(
            EventType.TASK_ITEM_CANCELLED,
            run.name,
            TaskStatus.CANCELLED,
            run.items[j].attempts if run.items else 0,
            item_index=j,
        )
        for j in cancelled
    )
    finished = finish_map(eid, token, run, skipped)
    return replace(finished, events=events + finished.events)


def requeue(execution: ExecutionRecord) -> Transition:
    """RetryExecution: PENDING again, every task that did not complete (completed
    tasks keep their outputs, and a for_each task its completed items),
    claimable by any worker."""
    return Transition(
        execution.execution_id,
        None,
        status=ExecutionStatus.PENDING,
        tasks=tuple(
            TaskUpdate(
                run.position,
                TaskStatus.PENDING,
                attempts=0,
                clear_results=True,
                items=None
                if run.items is None
                else tuple(
                    item if item.status is TaskStatus.COMPLETED else TaskItemRecord(item.index)
                    for item in run.items
                ),
            )
            for run in execution.tasks
            if run.status != TaskStatus.COMPLETED
        ),
        events=(NewEvent(EventType.EXECUTION_PENDING),),
        expect_status=RETRYABLE,
        release_lease=True,
        requeue=True,
    )
