"""Fenced state transitions of executions, each with its events, in one statement group.

A `Transition` is everything one step of an execution changes: the execution
row, some task runs, and the events that announce it. `apply_transition`
writes it inside a caller's transaction, conditional on the lease token
(fencing): a worker whose lease was taken over writes nothing. Event
sequences are allocated from `executions.last_sequence` by the same UPDATE,
so they are gap-free and unique per execution even across replicas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Update, and_, bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.records import EventRecord, ExecutionStatus, TaskError, TaskItemRecord, TaskStatus
from .executions import EV, TR, E
from .outbox import enqueue_deliveries

__all__ = ["LeaseLost", "NewEvent", "TaskUpdate", "Transition", "apply_transition"]


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
    item_index: int | None = None  # task.item.* events
    skip_reason: str = ""


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
    outputs: dict[str, Any] | None = None
    error: TaskError | None = None
    tasks: tuple[TaskUpdate, ...] = ()
    events: tuple[NewEvent, ...] = ()
    # Extra guard: the execution must currently have one of these statuses.
    expect_status: tuple[ExecutionStatus, ...] = ()
    release_lease: bool = False  # terminal or handed back to the queue
    requeue: bool = False  # RetryExecution: PENDING again, results cleared, new epoch


# Statements are built once per shape (which columns a transition sets) and
# reused with bound parameters: building and hashing a statement for every
# execution cost more than running it (docs/performance.md).
_INSERT_EVENTS = insert(EV).returning(EV.c.id, sort_by_parameter_order=True)
_RETURNING = (
    E.c.last_sequence,
    E.c.status,
    E.c.tenant_id,
    E.c.webhook_url,
    E.c.workflow_id,
    E.c.workflow_version,
)
_EXECUTION_UPDATES: dict[tuple[tuple[str, ...], bool, bool, bool], Update] = {}
_TASK_UPDATES: dict[tuple[str, ...], Update] = {}


def _execution_update(
    columns: tuple[str, ...], fenced: bool, expect_status: bool, requeue: bool
) -> Update:
    key = (columns, fenced, expect_status, requeue)
    statement = _EXECUTION_UPDATES.get(key)
    if statement is not None:
        return statement
    values: dict[str, Any] = {c: bindparam(f"v_{c}", type_=E.c[c].type) for c in columns}
    values["last_sequence"] = E.c.last_sequence + bindparam("w_events", type_=Integer)
    if requeue:
        values["attempt_epoch"] = E.c.attempt_epoch + 1
    condition = E.c.id == bindparam("w_id")
    if fenced:
        condition = and_(condition, E.c.lease_token == bindparam("w_token"))
    else:
        condition = and_(
            condition,
            or_(E.c.lease_token.is_(None), E.c.lease_expires_at < bindparam("w_now")),
        )
    if expect_status:
        condition = and_(condition, E.c.status.in_(bindparam("w_expect", expanding=True)))
    statement = update(E).where(condition).values(values).returning(*_RETURNING)
    _EXECUTION_UPDATES[key] = statement
    return statement


def _task_update(columns: tuple[str, ...]) -> Update:
    statement = _TASK_UPDATES.get(columns)
    if statement is None:
        statement = (
            update(TR)
            .where(TR.c.execution_id == bindparam("w_id"), TR.c.position == bindparam("w_position"))
            .values({c: bindparam(f"v_{c}", type_=TR.c[c].type) for c in columns})
        )
        _TASK_UPDATES[columns] = statement
    return statement


async def apply_transition(
    conn: AsyncConnection,
    t: Transition,
    now: datetime,
    outbox: list[str] | None = None,
) -> list[EventRecord]:
    """Write `t`; returns its events with their sequences. Raises LeaseLost.

    When webhook deliveries were enqueued, the execution id is appended to `outbox`.
    """
    values: dict[str, Any] = {"updated_at": now}
    if t.status is not None:
        values["status"] = t.status.value
    if t.started_at is not None:
        values["started_at"] = t.started_at
    if t.completed_at is not None:
        values["completed_at"] = t.completed_at
    if t.outputs is not None:
        values["outputs"] = t.outputs
    if t.error is not None:
        values["error"] = t.error.to_dict()
    if t.release_lease:
        values.update(lease_owner=None, lease_token=None, lease_expires_at=None, available_at=now)
    if t.requeue:
        values.update(error=None, outputs=None, completed_at=None, cancel_requested=False)

    params: dict[str, Any] = {f"v_{k}": v for k, v in values.items()}
    params["w_id"] = t.execution_id
    params["w_events"] = len(t.events)
    if t.lease_token is not None:
        params["w_token"] = t.lease_token
    else:
        params["w_now"] = now
    if t.expect_status:
        params["w_expect"] = [s.value for s in t.expect_status]
    statement = _execution_update(
        tuple(sorted(values)), t.lease_token is not None, bool(t.expect_status), t.requeue
    )
    row = (await conn.execute(statement, params)).one_or_none()
    if row is None:
        raise LeaseLost(t.execution_id)

    before: list[tuple[int, str, str]] = []  # (position, name, status): webhook payloads
    if row.webhook_url and t.events:
        before = [
            (r.position, r.name, r.status)
            for r in await conn.execute(
                select(TR.c.position, TR.c.name, TR.c.status)
                .where(TR.c.execution_id == t.execution_id)
                .order_by(TR.c.position)
            )
        ]

    for task in t.tasks:
        task_values: dict[str, Any] = {"status": task.status.value}
        if task.clear_results:
            task_values.update(
                outputs=None,
                error=None,
                started_at=None,
                completed_at=None,
                skip_reason=None,
                items=None,
            )
        if task.attempts is not None:
            task_values["attempts"] = task.attempts
        if task.started_at is not None:
            task_values["started_at"] = task.started_at
        if task.completed_at is not None:
            task_values["completed_at"] = task.completed_at
        if task.outputs is not None:
            task_values["outputs"] = task.outputs
        if task.error is not None:
            task_values["error"] = task.error.to_dict()
        if task.skip_reason is not None:
            task_values["skip_reason"] = task.skip_reason
        if task.items is not None:
            task_values["items"] = [item.to_dict() for item in task.items]
        task_params = {f"v_{k}": v for k, v in task_values.items()}
        task_params["w_id"] = t.execution_id
        task_params["w_position"] = task.position
        await conn.execute(_task_update(tuple(sorted(task_values))), task_params)

    if not t.events:
        return []
    status = ExecutionStatus(row.status)
    first = row.last_sequence - len(t.events) + 1
    records = [
        EventRecord(
            execution_id=t.execution_id,
            sequence=first + i,
            type=e.type,
            status=e.status or status,
            timestamp=now,
            task_name=e.task_name,
            task_status=e.task_status,
            attempt=e.attempt,
            error=e.error,
            item_index=e.item_index,
            skip_reason=e.skip_reason,
        )
        for i, e in enumerate(t.events)
    ]
    ids = (
        (
            await conn.execute(
                _INSERT_EVENTS,
                [
                    {
                        "execution_id": r.execution_id,
                        "tenant_id": row.tenant_id,
                        "sequence": r.sequence,
                        "type": r.type,
                        "status": r.status.value,
                        "task_name": r.task_name or None,
                        "task_status": r.task_status.value if r.task_status else None,
                        "attempt": r.attempt,
                        "error": r.error.to_dict() if r.error else None,
                        "created_at": now,
                        "item_index": r.item_index,
                        "skip_reason": r.skip_reason or None,
                    }
                    for r in records
                ],
            )
        )
        .scalars()
        .all()
    )
    if row.webhook_url:
        await enqueue_deliveries(
            conn,
            tenant_id=row.tenant_id,
            url=row.webhook_url,
            workflow_id=row.workflow_id,
            workflow_version=row.workflow_version,
            events=list(zip(ids, records, strict=True)),
            outputs=t.outputs,
            now=now,
            tasks_per_event=_task_states_per_event(before, t.tasks, records),
        )
        if outbox is not None:
            outbox.append(t.execution_id)
    return records


def _task_states_per_event(
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
