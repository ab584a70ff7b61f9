"""What bounds work: executions awaiting I/O hold no worker; the process-wide cap on
executions in flight queues the rest (never refuses them); a resource's concurrency
bound holds back only the tasks that use it. In-process server, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from dataflow.v1 import execution_pb2, execution_service_pb2
from tests.support.api import Stubs, create_request, stubs, wait_terminal
from tests.support.engine_tasks import Recorder, until

ES = execution_service_pb2
Ex = execution_pb2.Execution
TR = execution_pb2.TaskRun


async def submit(
    api: Stubs, task_type: str, count: int, inputs: dict[str, Any] | None = None
) -> list[str]:
    definition = {
        "title": task_type,
        "tasks": [{"name": "t", "type": task_type, "inputs": inputs or {}}],
        "outputs": [],
    }
    wf = (await api.workflows.CreateWorkflow(create_request(definition))).workflow_id
    request = json_format.ParseDict({"workflow_id": wf, "inputs": {}}, ES.ExecuteWorkflowRequest())
    replies = await asyncio.gather(*(api.executions.ExecuteWorkflow(request) for _ in range(count)))
    return [r.workflow_execution_id for r in replies]


async def get(api: Stubs, execution_id: str) -> Any:
    request = ES.GetExecutionRequest(workflow_execution_id=execution_id)
    return (await api.executions.GetExecution(request)).execution


async def finish(api: Stubs, recorder: Recorder, execution_ids: list[str]) -> list[Any]:
    recorder.release.set()
    return list(await asyncio.gather(*(wait_terminal(api, eid) for eid in execution_ids)))


async def test_executions_awaiting_io_all_wait_at_once(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    # More than the 16 worker slots of the first engine: each waits as a coroutine.
    api = stubs(channel)
    ids = await submit(api, "test.wait", 40)
    await until(lambda: recorder.running == 40, "40 executions waiting at once")
    finals = await finish(api, recorder, ids)
    assert [f.status for f in finals] == [Ex.COMPLETED] * 40


@pytest.mark.parametrize("server_settings", [{"max_in_flight": 3}])
async def test_in_flight_cap_queues_the_rest(channel: grpc.aio.Channel, recorder: Recorder) -> None:
    api = stubs(channel)
    ids = await submit(api, "test.wait", 8)  # all accepted: nothing refused
    await until(lambda: recorder.running == 3, "three executions in flight")
    queued = [await get(api, eid) for eid in ids]
    assert sum(e.status == Ex.PENDING for e in queued) == 5
    finals = await finish(api, recorder, ids)
    assert [f.status for f in finals] == [Ex.COMPLETED] * 8
    assert recorder.max_running == 3


@pytest.mark.parametrize("server_settings", [{"http_max_concurrent": 2}])
async def test_resource_bound_holds_back_only_its_tasks(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    api = stubs(channel)
    ids = await submit(api, "test.gated", 5)
    await until(lambda: recorder.running == 2, "two attempts holding the resource")
    # The other three wait for a slot: their task has not started (not RUNNING).
    tasks = [(await get(api, eid)).tasks[0] for eid in ids]
    assert sorted(t.status for t in tasks) == sorted([TR.RUNNING] * 2 + [TR.PENDING] * 3)
    # Work that does not use the resource is not held back by it.
    (other,) = await submit(api, "core.sleep", 1, {"seconds": 0})
    assert (await wait_terminal(api, other)).status == Ex.COMPLETED
    finals = await finish(api, recorder, ids)
    assert [f.status for f in finals] == [Ex.COMPLETED] * 5
    assert recorder.max_running == 2
