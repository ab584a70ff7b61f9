"""The engine's fast paths keep the guarantees (docs/performance.md):

- steps written together still give every event in order, each with the
  execution status of its own step;
- a task with side effects starts only once its task.running is committed;
- executions created together (group commit) each get their own answer;
- an execution accepted by a server with a free worker is stored leased to it;
- watchers of one execution share the terminal snapshot and all see every event.
"""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest

from dataflow.v1 import execution_pb2, execution_service_pb2
from dataflow_server.domain.access import DEFAULT_TENANT
from dataflow_server.domain.definitions import definition_from_dict
from dataflow_server.domain.errors import FailedPrecondition, NotFound
from dataflow_server.domain.records import NewExecution
from dataflow_server.server import DataflowServer
from dataflow_server.store.database import open_store
from tests.support.api import create_request, stubs, wait_terminal
from tests.support.engine_tasks import Recorder

ES = execution_service_pb2
Ex = execution_pb2.Execution


def _task(name: str, type_: str, **inputs: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "inputs": inputs}


async def _events(channel: grpc.aio.Channel, execution_id: str) -> list[Any]:
    call = stubs(channel).executions.WatchExecution(
        ES.WatchExecutionRequest(workflow_execution_id=execution_id)
    )
    return [m.event async for m in call]


async def test_pure_chain_events_in_order_with_their_own_status(
    channel: grpc.aio.Channel,
) -> None:
    api = stubs(channel)
    wf = (
        await api.workflows.CreateWorkflow(
            create_request(
                {
                    "title": "chain",
                    "tasks": [
                        _task("a", "text.template", template="a"),
                        _task("b", "text.template", template="{{tasks.a.outputs.text}}b"),
                        _task("c", "json.parse", text='"{{tasks.b.outputs.text}}c"'),
                    ],
                    "outputs": [
                        {"name": "out", "type": "json", "value": "{{tasks.c.outputs.value}}"}
                    ],
                }
            )
        )
    ).workflow_id
    reply = await api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf))
    final = await wait_terminal(api, reply.workflow_execution_id)
    assert final.status == Ex.COMPLETED
    assert final.outputs["out"] == "abc"
    assert all(t.attempts == 1 and t.started_at.seconds for t in final.tasks)
    events = await _events(channel, reply.workflow_execution_id)
    assert [(e.sequence, e.type, e.task_name) for e in events] == [
        (1, "execution.pending", ""),
        (2, "execution.running", ""),
        (3, "task.running", "a"),
        (4, "task.completed", "a"),
        (5, "task.running", "b"),
        (6, "task.completed", "b"),
        (7, "task.running", "c"),
        (8, "task.completed", "c"),
        (9, "execution.completed", ""),
    ]
    assert [e.status for e in events] == [Ex.PENDING] + [Ex.RUNNING] * 7 + [Ex.COMPLETED]


async def test_task_with_effects_starts_after_its_running_event_is_committed(
    channel: grpc.aio.Channel, server: DataflowServer, recorder: Recorder
) -> None:
    api = stubs(channel)
    wf = (
        await api.workflows.CreateWorkflow(
            create_request(
                {
                    "title": "effects",
                    "tasks": [
                        _task("pure", "text.template", template="x"),
                        _task("h", "test.hold"),
                    ],
                }
            )
        )
    ).workflow_id
    reply = await api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf))
    await asyncio.wait_for(recorder.started.wait(), 10)
    # The hold task is running: its task.running (and what came before) is in the log.
    logged = await server.store.list_events(DEFAULT_TENANT, reply.workflow_execution_id)
    assert [(e.type, e.task_name) for e in logged][-2:] == [
        ("task.completed", "pure"),
        ("task.running", "h"),
    ]
    recorder.release.set()
    final = await wait_terminal(api, reply.workflow_execution_id)
    assert final.status == Ex.COMPLETED


async def test_accepted_execution_is_stored_leased_to_this_server(
    channel: grpc.aio.Channel, server: DataflowServer, recorder: Recorder
) -> None:
    api = stubs(channel)
    wf = (
        await api.workflows.CreateWorkflow(
            create_request({"title": "lease", "tasks": [_task("h", "test.hold")]})
        )
    ).workflow_id
    before = server.executor.claimed_total
    reply = await api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf))
    await asyncio.wait_for(recorder.started.wait(), 10)
    assert server.executor.runs(reply.workflow_execution_id)
    assert server.executor.claimed_total == before + 1
    from sqlalchemy import text

    async with server.store.read_transaction() as conn:
        owner = (
            await conn.execute(
                text("SELECT lease_owner FROM executions WHERE id = :id"),
                {"id": reply.workflow_execution_id},
            )
        ).scalar_one()
    assert owner == server.executor.owner
    recorder.release.set()
    assert (await wait_terminal(api, reply.workflow_execution_id)).status == Ex.COMPLETED


async def test_executions_created_together_get_their_own_answers(database_url: str) -> None:
    store = await open_store(database_url)
    try:
        body = {"title": "t", "tasks": [{"name": "t", "type": "text.template", "inputs": {}}]}
        await store.create_workflow(DEFAULT_TENANT, "wf-activeaaaaaa", definition_from_dict(body))
        await store.create_workflow(DEFAULT_TENANT, "wf-archivedaaaa", definition_from_dict(body))
        await store.archive_workflow(DEFAULT_TENANT, "wf-archivedaaaa")

        def new(i: int, workflow_id: str) -> NewExecution:
            return NewExecution(
                f"we-batch{i:08d}",
                workflow_id,
                1,
                {"i": i},
                (("t", "text.template"),),
                tenant_id=DEFAULT_TENANT,
            )

        results = await asyncio.gather(
            *(store.create_execution(new(i, "wf-activeaaaaaa")) for i in range(5)),
            store.create_execution(new(5, "wf-missingaaaaa")),
            store.create_execution(new(6, "wf-archivedaaaa")),
            return_exceptions=True,
        )
        assert [type(r) for r in results[5:]] == [NotFound, FailedPrecondition]
        created = [r for r in results[:5] if isinstance(r, tuple)]
        assert len(created) == 5 and all(flag for _, flag in created)
        for i in range(5):
            stored = await store.get_execution(DEFAULT_TENANT, f"we-batch{i:08d}")
            assert stored.inputs == {"i": i} and stored.last_sequence == 1
            assert [
                e.sequence for e in await store.list_events(DEFAULT_TENANT, stored.execution_id)
            ] == [1]
        with pytest.raises(NotFound):
            await store.get_execution(DEFAULT_TENANT, "we-batch00000005")
        # The queue keeps their order.
        created_at = [r.created_at for r, _ in created]
        assert created_at == sorted(created_at) and len(set(created_at)) == 5
    finally:
        await store.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_watchers_share_the_terminal_snapshot(
    channel: grpc.aio.Channel, server: DataflowServer, recorder: Recorder
) -> None:
    api = stubs(channel)
    wf = (
        await api.workflows.CreateWorkflow(
            create_request(
                {
                    "title": "shared",
                    "tasks": [_task("h", "test.hold"), _task("t", "text.template", template="x")],
                }
            )
        )
    ).workflow_id
    reply = await api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf))
    await asyncio.wait_for(recorder.started.wait(), 10)
    calls = [
        api.executions.WatchExecution(
            ES.WatchExecutionRequest(workflow_execution_id=reply.workflow_execution_id)
        )
        for _ in range(50)
    ]
    firsts = await asyncio.gather(*(c.read() for c in calls))
    assert all(f.event.sequence == 1 and f.event.HasField("execution") for f in firsts)
    recorder.release.set()

    async def rest(call: Any) -> list[Any]:
        out = []
        while (message := await call.read()) is not grpc.aio.EOF:
            out.append(message.event)
        return out

    streams = await asyncio.gather(*(rest(c) for c in calls))
    last = streams[0][-1]
    assert last.type == "execution.completed" and last.execution.status == Ex.COMPLETED
    for events in streams:
        assert [e.sequence for e in events] == list(range(2, last.sequence + 1))
        assert events[-1].execution.last_sequence == last.sequence
        assert events[-1].execution.tasks[1].outputs["text"] == "x"
