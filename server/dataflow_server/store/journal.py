"""Fenced state transitions of executions, each with its events, in one statement group.

A `Transition` is everything one step of an execution changes: the execution
row, some task runs, and the events that announce it. `hot_sql.apply_transitions`
writes it conditional on the lease token (fencing): a worker whose lease was
taken over writes nothing. Event sequences are allocated from
`executions.last_sequence` by the same UPDATE, so they are gap-free and unique
per execution even across replicas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain.records import EventRecord, ExecutionStatus, TaskError, TaskStatus

__all__ = [
    "LeaseLost",
    "NewEvent",
    "TaskUpdate",
    "Transition",
    "task_states_per_event",
]


class LeaseLost(Exception):
    """The execution's lease belongs to someone else now (or its state moved on)."""


@dataclass(frozen=True, slots=True)
class NewEvent:
    type: str
    task_name: str = ""
    task_status: TaskStatus | None = None
    attempt: int = 0
    error: TaskError | None = None
    # The execution's status after this event; None: its status after the whole
    # transition (a transition that carries several steps names each one's).
    status: ExecutionStatus | None = None


@dataclass(frozen=True, slots=True)
class TaskUpdate:
    """New values of one task run; None leaves a column unchanged."""

    position: int
    status: TaskStatus
    attempts: int | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    outputs: dict[str, Any] | None = None
    error: TaskError | None = None
    clear_results: bool = False  # reset outputs, error and times (RetryExecution)


@dataclass(frozen=True, slots=True)
class Transition:
    execution_id: str
    # The lease token the writer holds; None: only if nobody holds a live lease.
    lease_token: str | None
    status: ExecutionStatus | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    outputs: dict[str, Any] | None = None
    error: TaskError | None = None
    tasks: tuple[TaskUpdate, ...] = ()
    events: tuple[NewEvent, ...] = ()
    # Extra guard: the execution must currently have one of these statuses.
    expect_status: tuple[ExecutionStatus, ...] = ()
    release_lease: bool = False  # terminal or handed back to the queue
    requeue: bool = False  # RetryExecution: PENDING again, results cleared, new epoch


def task_states_per_event(
    before: list[tuple[int, str, str]],
    updates: tuple[TaskUpdate, ...],
    records: list[EventRecord],
) -> list[list[tuple[str, str]]]:
    """Each event's view of the task statuses (for its webhook payload).

    A transition may carry several steps (a task's running and completed
    events, the execution's completion): each event shows the tasks as they
    were right after it, not as they are at the end of the transition. Updates
    that no event announces (a retry's reset to PENDING) come first.
    """
    announced = {r.task_name for r in records if r.task_name}
    names = {position: name for position, name, _ in before}
    state = {name: status for _, name, status in before}
    for update_ in updates:
        name = names.get(update_.position)
        if name is not None and name not in announced:
            state[name] = update_.status.value
    out: list[list[tuple[str, str]]] = []
    for record in records:
        if record.task_name and record.task_status is not None:
            state[record.task_name] = record.task_status.value
        out.append([(name, state[name]) for _, name, _ in before])
    return out
