"""Tenant isolation in the store, on SQLite and PostgreSQL: every read takes the
caller's tenant, and another tenant's row is answered exactly like a missing one
(the same NotFound message, from the same query)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dataflow_server.domain import ids
from dataflow_server.domain.definitions import WorkflowDefinition, definition_from_dict
from dataflow_server.domain.errors import NotFound
from dataflow_server.domain.records import FileRecord, NewExecution
from dataflow_server.files.content_store import ContentStore
from dataflow_server.store.sql import SqlStore

A, B = "tenant-a", "tenant-b"


def definition() -> WorkflowDefinition:
    return definition_from_dict(
        {"title": "t", "tasks": [{"name": "t", "type": "text.template", "inputs": {}}]}
    )


def new_execution(tenant_id: str, workflow_id: str, **kw: Any) -> NewExecution:
    return NewExecution(
        execution_id=ids.new_id(ids.EXECUTION),
        workflow_id=workflow_id,
        workflow_version=1,
        inputs={},
        task_names_and_types=(("t", "text.template"),),
        tenant_id=tenant_id,
        **kw,
    )


async def not_found_message(call: Awaitable[Any], resource_id: str) -> str:
    """The NotFound message with the id blanked (ids differ; nothing else may)."""
    with pytest.raises(NotFound) as caught:
        await call
    return str(caught.value).replace(resource_id, "<id>")


async def same_as_missing(
    call: Callable[[str], Awaitable[Any]], foreign_id: str, prefix: str
) -> None:
    missing_id = ids.new_id(prefix)
    assert await not_found_message(call(foreign_id), foreign_id) == await not_found_message(
        call(missing_id), missing_id
    )


async def test_workflows_of_another_tenant_are_not_found(store: SqlStore) -> None:
    workflow_id = ids.new_id(ids.WORKFLOW)
    await store.create_workflow(A, workflow_id, definition())

    await same_as_missing(lambda wid: store.get_workflow(B, wid), workflow_id, ids.WORKFLOW)
    await same_as_missing(lambda wid: store.get_workflow(B, wid, 1), workflow_id, ids.WORKFLOW)
    await same_as_missing(
        lambda wid: store.add_workflow_version(B, wid, definition()), workflow_id, ids.WORKFLOW
    )
    await same_as_missing(lambda wid: store.archive_workflow(B, wid), workflow_id, ids.WORKFLOW)
    # B's refused writes changed nothing of A's workflow.
    kept = await store.get_workflow(A, workflow_id)
    assert (kept.version, kept.state.value, kept.tenant_id) == (1, "ACTIVE", A)
    # The version cache (filled by A's read above) does not serve B either.
    with pytest.raises(NotFound):
        await store.get_workflow(B, workflow_id, 1)


async def test_lists_and_page_tokens_stay_in_their_tenant(store: SqlStore) -> None:
    a_ids = [ids.new_id(ids.WORKFLOW) for _ in range(3)]
    for wid in a_ids:
        await store.create_workflow(A, wid, definition())
    b_id = ids.new_id(ids.WORKFLOW)
    await store.create_workflow(B, b_id, definition())

    first = await store.list_workflows(A, 2, None)
    assert len(first.items) == 2 and first.next_cursor is not None
    rest = await store.list_workflows(A, 2, first.next_cursor)
    assert {w.workflow_id for w in (*first.items, *rest.items)} == set(a_ids)
    # A's cursor replayed by B: B's rows only (the tenant is in the WHERE clause).
    replayed = await store.list_workflows(B, 10, first.next_cursor)
    assert {w.workflow_id for w in replayed.items} <= {b_id}
    assert [w.workflow_id for w in (await store.list_workflows(B, 10, None)).items] == [b_id]

    for _ in range(3):
        await store.create_execution(new_execution(A, a_ids[0]))
    page = await store.list_executions(A, a_ids[0], 2, None)
    assert len(page.items) == 2 and page.next_cursor is not None
    assert (await store.list_executions(B, a_ids[0], 10, None)).items == ()
    assert (await store.list_executions(B, a_ids[0], 10, page.next_cursor)).items == ()


async def test_executions_of_another_tenant_are_not_found(store: SqlStore) -> None:
    workflow_id = ids.new_id(ids.WORKFLOW)
    await store.create_workflow(A, workflow_id, definition())
    record, _ = await store.create_execution(
        new_execution(A, workflow_id, webhook_url="https://example.com/hook")
    )
    eid = record.execution_id
    assert record.tenant_id == A

    await same_as_missing(lambda e: store.get_execution(B, e), eid, ids.EXECUTION)
    await same_as_missing(lambda e: store.get_execution_and_events(B, e), eid, ids.EXECUTION)
    await same_as_missing(
        lambda e: store.list_webhook_deliveries(B, e, 10, None), eid, ids.EXECUTION
    )
    assert await store.list_events(B, eid) == []
    assert [e.sequence for e in await store.list_events(A, eid)] == [1]
    assert not await store.request_cancel(B, eid)
    assert not (await store.get_execution(A, eid)).status.is_terminal

    deliveries = await store.list_webhook_deliveries(A, eid, 10, None)
    assert len(deliveries.items) == 1
    webhook_id = deliveries.items[0].webhook_id
    await same_as_missing(lambda w: store.redeliver_webhook(B, w), webhook_id, "msg")
    assert (await store.redeliver_webhook(A, webhook_id)).webhook_id == webhook_id


@pytest.mark.parametrize("with_request_id", [False, True])
async def test_an_execution_of_another_tenants_workflow_is_refused(
    store: SqlStore, with_request_id: bool
) -> None:
    workflow_id = ids.new_id(ids.WORKFLOW)
    await store.create_workflow(A, workflow_id, definition())
    extra = {"request_id": "r-1", "request_hash": "h"} if with_request_id else {}
    refused = new_execution(B, workflow_id, **extra)
    with pytest.raises(NotFound):
        await store.create_execution(refused)
    with pytest.raises(NotFound):
        await store.get_execution(A, refused.execution_id)
    with pytest.raises(NotFound):
        await store.get_execution(B, refused.execution_id)


async def test_request_ids_are_per_tenant(store: SqlStore) -> None:
    a_workflow, b_workflow = ids.new_id(ids.WORKFLOW), ids.new_id(ids.WORKFLOW)
    await store.create_workflow(A, a_workflow, definition())
    await store.create_workflow(B, b_workflow, definition())
    same = {"request_id": "same-key", "request_hash": "h"}
    in_a, created_a = await store.create_execution(new_execution(A, a_workflow, **same))
    in_b, created_b = await store.create_execution(new_execution(B, b_workflow, **same))
    assert created_a and created_b and in_a.execution_id != in_b.execution_id
    found_a = await store.find_execution_by_request_id(A, "same-key")
    found_b = await store.find_execution_by_request_id(B, "same-key")
    assert found_a is not None and found_a.execution_id == in_a.execution_id
    assert found_b is not None and found_b.execution_id == in_b.execution_id
    assert await store.find_execution_by_request_id("tenant-c", "same-key") is None


async def test_files_of_another_tenant_are_not_found(store: SqlStore) -> None:
    record = FileRecord(
        file_id=ids.new_id(ids.FILE),
        name="a.txt",
        content_type="text/plain",
        size_bytes=3,
        sha256="ab" * 32,
        created_at=datetime.now(UTC),
        tenant_id=A,
    )
    await store.create_file(record)
    assert (await store.get_file(A, record.file_id)).tenant_id == A
    await same_as_missing(lambda f: store.get_file(B, f), record.file_id, ids.FILE)


async def test_content_is_stored_per_tenant(tmp_path: Path) -> None:
    content = ContentStore(tmp_path)
    a_blob = await content.write_bytes(A, b"secret of a", 100)
    b_blob = await content.write_bytes(B, b"secret of a", 100)
    assert a_blob == b_blob  # same content, same hash …
    a_path, b_path = content.path_of(A, a_blob.sha256), content.path_of(B, b_blob.sha256)
    assert a_path != b_path and a_path.is_file() and b_path.is_file()  # … stored twice
    only_a = await content.write_bytes(A, b"only in a", 100)
    with pytest.raises(FileNotFoundError):
        [chunk async for chunk in content.read(B, only_a.sha256)]
    assert b"".join([c async for c in content.read(A, only_a.sha256)]) == b"only in a"
    # No tenant name shapes a path: it is hashed under files/tenants/.
    odd = await content.write_bytes("../../etc", b"x", 10)
    odd_path = content.path_of("../../etc", odd.sha256)
    assert odd_path.is_relative_to(tmp_path / "tenants")
    assert re.fullmatch(r"[0-9a-f]{32}", odd_path.parent.parent.name)
