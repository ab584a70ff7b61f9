"""Workflow and version queries (run inside a transaction opened by SqlStore)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.definitions import WorkflowDefinition, definition_from_dict, definition_to_dict
from ..domain.errors import FailedPrecondition, NotFound
from ..domain.records import Page, WorkflowRecord, WorkflowState
from .models import AnyRow, WorkflowRow, WorkflowVersionRow, table_of
from .pagination import after_cursor, decode_cursor, encode_cursor

__all__ = [
    "add_workflow_version",
    "archive_workflow",
    "create_workflow",
    "get_workflow",
    "list_workflows",
]

W = table_of(WorkflowRow)
V = table_of(WorkflowVersionRow)

# One row = a workflow at one of its versions.
_COLUMNS = (
    W.c.id,
    W.c.tenant_id,
    W.c.state,
    W.c.created_at,
    V.c.version,
    V.c.definition,
    V.c.created_at.label("version_created_at"),
)


def _record(row: AnyRow) -> WorkflowRecord:
    return WorkflowRecord(
        workflow_id=row.id,
        version=row.version,
        definition=definition_from_dict(row.definition),
        state=WorkflowState(row.state),
        created_at=row.created_at,
        updated_at=row.version_created_at,
        tenant_id=row.tenant_id,
    )


def _not_found(workflow_id: str) -> NotFound:
    return NotFound(f"workflow {workflow_id} not found")


async def create_workflow(
    conn: AsyncConnection,
    tenant_id: str,
    workflow_id: str,
    definition: WorkflowDefinition,
    now: datetime,
) -> WorkflowRecord:
    await conn.execute(
        insert(W).values(
            id=workflow_id,
            tenant_id=tenant_id,
            state=WorkflowState.ACTIVE.value,
            latest_version=1,
            created_at=now,
            updated_at=now,
        )
    )
    await conn.execute(
        insert(V).values(
            workflow_id=workflow_id,
            version=1,
            tenant_id=tenant_id,
            definition=definition_to_dict(definition),
            created_at=now,
        )
    )
    return WorkflowRecord(
        workflow_id=workflow_id,
        version=1,
        definition=definition,
        state=WorkflowState.ACTIVE,
        created_at=now,
        updated_at=now,
        tenant_id=tenant_id,
    )


async def add_workflow_version(
    conn: AsyncConnection,
    tenant_id: str,
    workflow_id: str,
    definition: WorkflowDefinition,
    now: datetime,
) -> WorkflowRecord:
    # One atomic statement allocates the version: the row lock it takes
    # (PostgreSQL: FOR NO KEY UPDATE, which does not block FK checks of
    # concurrent inserts) or SQLite's immediate transaction serialises callers.
    allocated = (
        await conn.execute(
            update(W)
            .where(
                W.c.id == workflow_id,
                W.c.tenant_id == tenant_id,
                W.c.state == WorkflowState.ACTIVE.value,
            )
            .values(latest_version=W.c.latest_version + 1, updated_at=now)
            .returning(W.c.latest_version, W.c.created_at)
        )
    ).one_or_none()
    if allocated is None:
        state = (
            await conn.execute(
                select(W.c.state).where(W.c.id == workflow_id, W.c.tenant_id == tenant_id)
            )
        ).scalar_one_or_none()
        if state is None:
            raise _not_found(workflow_id)
        raise FailedPrecondition(f"workflow {workflow_id} is archived: it takes no new versions")
    version: int = allocated.latest_version
    await conn.execute(
        insert(V).values(
            workflow_id=workflow_id,
            version=version,
            tenant_id=tenant_id,
            definition=definition_to_dict(definition),
            created_at=now,
        )
    )
    return WorkflowRecord(
        workflow_id=workflow_id,
        version=version,
        definition=definition,
        state=WorkflowState.ACTIVE,
        created_at=allocated.created_at,
        updated_at=now,
        tenant_id=tenant_id,
    )


async def get_workflow(
    conn: AsyncConnection, tenant_id: str, workflow_id: str, version: int | None
) -> WorkflowRecord:
    """`version` None (or 0, proto3's unset) means the latest."""
    wanted = version if version else W.c.latest_version
    row = (
        await conn.execute(
            select(*_COLUMNS)
            .select_from(W.join(V, (V.c.workflow_id == W.c.id) & (V.c.version == wanted)))
            .where(W.c.id == workflow_id, W.c.tenant_id == tenant_id)
        )
    ).one_or_none()
    if row is not None:
        return _record(row)
    exists = (
        await conn.execute(
            select(func.count())
            .select_from(W)
            .where(W.c.id == workflow_id, W.c.tenant_id == tenant_id)
        )
    ).scalar_one()
    if not exists:
        raise _not_found(workflow_id)
    raise NotFound(f"workflow {workflow_id} has no version {version}")


async def archive_workflow(
    conn: AsyncConnection, tenant_id: str, workflow_id: str, now: datetime
) -> WorkflowRecord:
    await conn.execute(
        update(W)
        .where(
            W.c.id == workflow_id,
            W.c.tenant_id == tenant_id,
            W.c.state == WorkflowState.ACTIVE.value,
        )
        .values(state=WorkflowState.ARCHIVED.value, archived_at=now, updated_at=now)
    )
    return await get_workflow(conn, tenant_id, workflow_id, None)


async def list_workflows(
    conn: AsyncConnection,
    tenant_id: str,
    page_size: int,
    cursor: str | None,
    show_archived: bool,
) -> Page[WorkflowRecord]:
    after = decode_cursor(cursor)
    query = (
        select(*_COLUMNS)
        .select_from(W.join(V, (V.c.workflow_id == W.c.id) & (V.c.version == W.c.latest_version)))
        .where(W.c.tenant_id == tenant_id)
        .order_by(W.c.created_at.desc(), W.c.id.desc())
        .limit(page_size + 1)
    )
    if not show_archived:
        query = query.where(W.c.state == WorkflowState.ACTIVE.value)
    if after is not None:
        query = query.where(after_cursor(W.c.created_at, W.c.id, after))
    rows = (await conn.execute(query)).all()
    items = tuple(_record(r) for r in rows[:page_size])
    next_cursor = None
    if len(rows) > page_size:
        last = items[-1]
        next_cursor = encode_cursor(last.created_at, last.workflow_id)
    return Page(items=items, next_cursor=next_cursor)
