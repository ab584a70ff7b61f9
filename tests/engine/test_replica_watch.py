"""Two server processes on one database: a watcher on replica B follows, live and in
order, an execution that replica A runs. B learns of A's events through the change
feed (LISTEN/NOTIFY on PostgreSQL, the log's high-water mark on SQLite); how soon is
measured by `make bench` (the replica_watch scenario), not here."""

from __future__ import annotations

import asyncio

import grpc
from google.protobuf import json_format

from dataflow.v1 import execution_pb2, execution_service_pb2
from tests.support.api import Stubs, create_request, stubs
from tests.support.servers import ServerProcess

ES = execution_service_pb2

WORKFLOW = {
    "title": "watched on another replica",
    "inputs": [{"name": "n", "type": "integer"}],
    "tasks": [
        # Long enough for B's watch to attach first: what follows arrives live.
        {"name": "hold", "type": "core.sleep", "inputs": {"seconds": 0.5}},
        {"name": "a", "type": "text.template", "inputs": {"template": "{{inputs.n}}"}},
        {"name": "b", "type": "text.template", "inputs": {"template": "{{tasks.a.outputs.text}}!"}},
    ],
    "outputs": [{"name": "out", "type": "text", "value": "{{tasks.b.outputs.text}}"}],
}


async def watch(api: Stubs, execution_id: str) -> list[execution_pb2.ExecutionEvent]:
    call = api.executions.WatchExecution(
        ES.WatchExecutionRequest(workflow_execution_id=execution_id), timeout=60
    )
    return [message.event async for message in call]


def shape(events: list[execution_pb2.ExecutionEvent]) -> list[tuple[int, str, str]]:
    return [(e.sequence, e.type, e.task_name) for e in events]


async def test_a_watcher_on_one_replica_follows_an_execution_another_runs(
    replica_processes: list[ServerProcess],
) -> None:
    a, b = replica_processes
    async with (
        grpc.aio.insecure_channel(a.address) as channel_a,
        grpc.aio.insecure_channel(b.address) as channel_b,
    ):
        api_a, api_b = stubs(channel_a), stubs(channel_b)
        workflow_id = (await api_a.workflows.CreateWorkflow(create_request(WORKFLOW))).workflow_id
        ids = []
        for n in range(3):
            request = json_format.ParseDict(
                {"workflow_id": workflow_id, "inputs": {"n": n}}, ES.ExecuteWorkflowRequest()
            )
            ids.append((await api_a.executions.ExecuteWorkflow(request)).workflow_execution_id)
        on_b = await asyncio.gather(*(watch(api_b, i) for i in ids))
        for n, (execution_id, events) in enumerate(zip(ids, on_b, strict=True)):
            # Every event, once, in order, as A's log has it.
            assert [e.sequence for e in events] == list(range(1, len(events) + 1))
            assert shape(events) == shape(await watch(api_a, execution_id))
            types = [e.type for e in events]
            assert types[0] == "execution.pending"
            assert types[-1] == "execution.completed"
            assert [e.task_name for e in events if e.type == "task.completed"] == [
                "hold",
                "a",
                "b",
            ]
            final = events[-1].execution
            assert final.status == execution_pb2.Execution.COMPLETED
            assert json_format.MessageToDict(final.outputs) == {"out": f"{n}!"}
