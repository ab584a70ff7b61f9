"""Execution, task run and event queries (run inside a transaction opened by SqlStore).

The row → record converters are public: the engine's queries reuse them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.errors import NotFound
from ..domain.lifecycle import accepted_event
from ..domain.records import (
    EventRecord,
    ExecutionRecord,
    ExecutionStatus,
    NewExecution,
    Page,
    TaskError,
    TaskItemRecord,
    TaskRunRecord,
    TaskStatus,
)
from .models import AnyRow, ExecutionEventRow, ExecutionRow, TaskRunRow, WorkflowRow, table_of
from .outbox import enqueue_deliveries
from .pagination import after_cursor, decode_cursor, encode_cursor

__all__ = [
    "EV",
    "EXECUTION_COLUMNS",
    "TR",
    "E",
    "event_record",
    "execution_record",
    "get_execution",
    "last_sequences",
    "list_executions",
    "tail_events",
    "task_run_record",
    "tasks_of",
]

E = table_of(ExecutionRow)
TR = table_of(TaskRunRow)
EV = table_of(ExecutionEventRow)
W = table_of(WorkflowRow)

# Everything of an execution but the engine's private queue/lease columns.
EXECUTION_COLUMNS = (
    E.c.id,
    E.c.tenant_id,
    E.c.workflow_id,
    E.c.workflow_version,
    E.c.status,
    E.c.inputs,
    E.c.outputs,
    E.c.error,
    E.c.webhook_url,
    E.c.request_id,
    E.c.request_hash,
    E.c.created_at,
    E.c.started_at,
    E.c.completed_at,
    E.c.last_sequence,
)


# Hot statements, built once (see journal.py).
_GET_EXECUTION = select(*EXECUTION_COLUMNS).where(
    E.c.id == bindparam("id"), E.c.tenant_id == bindparam("tenant_id")
)
_TASKS_OF = (
    select(TR)
    .where(TR.c.execution_id.in_(bindparam("ids", expanding=True)))
    .order_by(TR.c.execution_id, TR.c.position)
)
# The engine's tailer reads across tenants (callers' reads go through hot_sql).
_TAIL_EVENTS = (
    select(EV)
    .where(
        EV.c.execution_id == bindparam("execution_id"),
        EV.c.sequence > bindparam("after"),
    )
    .order_by(EV.c.sequence)
    .limit(bindparam("limit"))
)


def task_run_record(row: AnyRow) -> TaskRunRecord:
    return TaskRunRecord(
        position=row.position,
        name=row.name,
        type=row.type,
        status=TaskStatus(row.status),
        attempts=row.attempts,
        started_at=row.started_at,
        completed_at=row.completed_at,
        outputs=row.outputs,
        error=TaskError.from_dict(row.error),
        skip_reason=row.skip_reason or "",
        items=tuple(TaskItemRecord.from_dict(i) for i in row.items)
        if row.items is not None
        else None,
    )


def execution_record(row: AnyRow, tasks: Iterable[TaskRunRecord] = ()) -> ExecutionRecord:
    return ExecutionRecord(
        execution_id=row.id,
        workflow_id=row.workflow_id,
        workflow_version=row.workflow_version,
        status=ExecutionStatus(row.status),
        inputs=row.inputs,
        created_at=row.created_at,
        tasks=tuple(tasks),
        outputs=row.outputs,
        error=TaskError.from_dict(row.error),
        webhook_url=row.webhook_url,
        request_id=row.request_id,
        request_hash=row.request_hash,
        started_at=row.started_at,
        completed_at=row.completed_at,
        last_sequence=row.last_sequence,
        tenant_id=row.tenant_id,
    )


def event_record(row: AnyRow) -> EventRecord:
    return EventRecord(
        execution_id=row.execution_id,
        sequence=row.sequence,
        type=row.type,
        status=ExecutionStatus(row.status),
        timestamp=row.created_at,
        task_name=row.task_name or "",
        task_status=TaskStatus(row.task_status) if row.task_status else None,
        attempt=row.attempt,
        error=TaskError.from_dict(row.error),
        item_index=row.item_index,
        skip_reason=row.skip_reason or "",
    )


async def tasks_of(
    conn: AsyncConnection, execution_ids: Sequence[str]
) -> dict[str, list[TaskRunRecord]]:
    out: dict[str, list[TaskRunRecord]] = defaultdict(list)
    if not execution_ids:
        return out
    rows = await conn.execute(_TASKS_OF, {"ids": list(execution_ids)})
    for row in rows:
        out[row.execution_id].append(task_run_record(row))
    return out


async def get_execution(
    conn: AsyncConnection, tenant_id: str, execution_id: str
) -> ExecutionRecord:
    row = (
        await conn.execute(_GET_EXECUTION, {"id": execution_id, "tenant_id": tenant_id})
    ).one_or_none()
    if row is None:
        raise NotFound(f"execution {execution_id} not found")
    tasks = await tasks_of(conn, [execution_id])
    return execution_record(row, tasks.get(execution_id, ()))


async def _enqueue_first_delivery(
    conn: AsyncConnection, new: NewExecution, event_id: int, now: datetime
) -> None:
    """The webhook delivery of event 1 (`execution.pending`), when there is a webhook."""
    if not new.webhook_url:
        return
    first = accepted_event(new.execution_id, now)
    await enqueue_deliveries(
        conn,
        tenant_id=new.tenant_id,
        url=new.webhook_url,
        workflow_id=new.workflow_id,
        workflow_version=new.workflow_version,
        events=[(event_id, first)],
        outputs=None,
        now=now,
    )


async def list_executions(
    conn: AsyncConnection,
    tenant_id: str,
    workflow_id: str,
    page_size: int,
    cursor: str | None,
    status: ExecutionStatus | None,
    with_tasks: bool,
) -> Page[ExecutionRecord]:
    """Newest first; an unknown workflow simply has no executions."""
    after = decode_cursor(cursor)
    query = (
        select(*EXECUTION_COLUMNS)
        .where(E.c.workflow_id == workflow_id, E.c.tenant_id == tenant_id)
        .order_by(E.c.created_at.desc(), E.c.id.desc())
        .limit(page_size + 1)
    )
    if status is not None:
        query = query.where(E.c.status == status.value)
    if after is not None:
        query = query.where(after_cursor(E.c.created_at, E.c.id, after))
    rows = (await conn.execute(query)).all()
    page_rows = rows[:page_size]
    tasks = await tasks_of(conn, [r.id for r in page_rows]) if with_tasks else {}
    items = tuple(execution_record(r, tasks.get(r.id, ())) for r in page_rows)
    next_cursor = None
    if len(rows) > page_size:
        last = items[-1]
        next_cursor = encode_cursor(last.created_at, last.execution_id)
    return Page(items=items, next_cursor=next_cursor)


async def tail_events(
    conn: AsyncConnection, execution_id: str, after_sequence: int, limit: int
) -> list[EventRecord]:
    """For the engine's tailer only (any tenant): its events go to watchers who
    found the execution in their own tenant first."""
    rows = await conn.execute(
        _TAIL_EVENTS, {"execution_id": execution_id, "after": after_sequence, "limit": limit}
    )
    return [event_record(r) for r in rows]


async def last_sequences(conn: AsyncConnection, execution_ids: Collection[str]) -> dict[str, int]:
    rows = await conn.execute(
        select(E.c.id, E.c.last_sequence).where(E.c.id.in_(list(execution_ids)))
    )
    return {row.id: row.last_sequence for row in rows}
