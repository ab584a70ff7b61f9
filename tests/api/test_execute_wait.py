"""ExecuteWorkflow with `wait`: one call that answers with the execution's outcome,
or with the execution as it stands when the wait, the call's deadline or the
server's drain comes first; a refused wait stores nothing."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import duration_pb2

from dataflow.v1 import execution_pb2, execution_service_pb2
from dataflow_server.config import Settings
from dataflow_server.server import DataflowServer, start_server
from tests.support import engine_tasks
from tests.support.api import create_request, stubs, violations, wait_terminal
from tests.support.engine_tasks import HELD, Recorder

ES = execution_service_pb2
EX = execution_pb2.Execution

CHAIN = {
    "title": "three templates",
    "inputs": [{"name": "name", "type": "text"}],
    "tasks": [
        {"name": "a", "type": "text.template", "inputs": {"template": "<{{inputs.name}}>"}},
        {"name": "b", "type": "text.template", "inputs": {"template": "{{tasks.a.outputs.text}}!"}},
        {
            "name": "c",
            "type": "text.template",
            "inputs": {"template": "[{{tasks.b.outputs.text}}]"},
        },
    ],
    "outputs": [{"name": "text", "type": "text", "value": "{{tasks.c.outputs.text}}"}],
}
FAILING = {
    "title": "fails",
    "inputs": [],
    "tasks": [
        {
            "name": "boom",
            "type": "test.fail",
            "inputs": {"code": "BAD_INPUT", "message": "no", "retryable": False},
        }
    ],
    "outputs": [],
}


def seconds(value: float) -> duration_pb2.Duration:
    wait = duration_pb2.Duration()
    wait.FromNanoseconds(round(value * 1e9))
    return wait


async def create(channel: grpc.aio.Channel, definition: dict[str, Any]) -> str:
    reply = await stubs(channel).workflows.CreateWorkflow(create_request(definition))
    return reply.workflow_id


async def execute(
    channel: grpc.aio.Channel, request: ES.ExecuteWorkflowRequest, timeout: float = 30
) -> ES.ExecuteWorkflowResponse:
    return await stubs(channel).executions.ExecuteWorkflow(request, timeout=timeout)


async def test_the_answer_is_the_outcome(channel: grpc.aio.Channel) -> None:
    workflow_id = await create(channel, CHAIN)
    request = ES.ExecuteWorkflowRequest(workflow_id=workflow_id, wait=seconds(30))
    request.inputs.update({"name": "Ada"})
    reply = await execute(channel, request)

    assert reply.status == EX.COMPLETED
    assert reply.execution.status == EX.COMPLETED
    assert reply.execution.workflow_execution_id == reply.workflow_execution_id
    assert reply.execution.outputs["text"] == "[<Ada>!]"
    assert [t.status for t in reply.execution.tasks] == [execution_pb2.TaskRun.COMPLETED] * 3
    # The same execution, as every other read sees it.
    final = await wait_terminal(stubs(channel), reply.workflow_execution_id)
    assert final.last_sequence == reply.execution.last_sequence

    # Without `wait`, the answer is as before: queued, no execution.
    request.ClearField("wait")
    plain = await execute(channel, request)
    assert plain.status == EX.PENDING and not plain.HasField("execution")


async def test_a_failure_is_an_answer_not_an_error(channel: grpc.aio.Channel) -> None:
    workflow_id = await create(channel, FAILING)
    reply = await execute(
        channel, ES.ExecuteWorkflowRequest(workflow_id=workflow_id, wait=seconds(30))
    )
    assert reply.status == EX.FAILED
    assert reply.execution.error.code == "BAD_INPUT"


async def test_the_wait_running_out_answers_with_the_execution_as_it_stands(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    workflow_id = await create(channel, HELD)
    started = time.monotonic()
    reply = await execute(
        channel, ES.ExecuteWorkflowRequest(workflow_id=workflow_id, wait=seconds(0.3))
    )
    assert 0.3 <= time.monotonic() - started < 5
    assert reply.status in (EX.PENDING, EX.RUNNING)
    assert reply.execution.status == reply.status
    assert reply.execution.workflow_execution_id == reply.workflow_execution_id

    # Accepted all the same: it completes once released.
    recorder.release.set()
    final = await wait_terminal(stubs(channel), reply.workflow_execution_id)
    assert final.status == EX.COMPLETED

    # A repeat of the request (its request_id) with a wait answers with the outcome at once.
    request = ES.ExecuteWorkflowRequest(workflow_id=workflow_id, request_id="held-1")
    first = await execute(channel, request)
    await wait_terminal(stubs(channel), first.workflow_execution_id)
    request.wait.CopyFrom(seconds(30))
    repeat = await execute(channel, request)
    assert repeat.workflow_execution_id == first.workflow_execution_id
    assert repeat.execution.status == EX.COMPLETED


async def test_the_answer_comes_before_the_calls_deadline(
    channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    """A wait longer than the call's deadline must not cost the caller the id."""
    workflow_id = await create(channel, HELD)
    reply = await execute(
        channel,
        ES.ExecuteWorkflowRequest(workflow_id=workflow_id, wait=seconds(60)),
        timeout=1.5,
    )
    assert reply.status in (EX.PENDING, EX.RUNNING)
    assert reply.workflow_execution_id.startswith("we-")


@pytest.mark.parametrize(
    ("wait", "why"),
    [
        (seconds(60.001), "between 0s and 60s"),
        (seconds(-1), "between 0s and 60s"),
        (duration_pb2.Duration(seconds=315_576_000_000), "between 0s and 60s"),
        (duration_pb2.Duration(seconds=1, nanos=-5), "not a valid duration"),
        (duration_pb2.Duration(nanos=2_000_000_000), "not a valid duration"),
    ],
)
async def test_a_wait_out_of_range_is_refused_and_nothing_is_stored(
    channel: grpc.aio.Channel, wait: duration_pb2.Duration, why: str
) -> None:
    workflow_id = await create(channel, CHAIN)
    request = ES.ExecuteWorkflowRequest(workflow_id=workflow_id, wait=wait)
    request.inputs.update({"name": "x"})
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await execute(channel, request)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert why in violations(refused.value)["wait"]
    listed = await stubs(channel).executions.ListExecutions(
        ES.ListExecutionsRequest(workflow_id=workflow_id)
    )
    assert len(listed.executions) == 0


async def test_many_waiting_calls_each_get_their_own_outcome(channel: grpc.aio.Channel) -> None:
    workflow_id = await create(channel, CHAIN)

    async def run(i: int) -> ES.ExecuteWorkflowResponse:
        request = ES.ExecuteWorkflowRequest(workflow_id=workflow_id, wait=seconds(30))
        request.inputs.update({"name": f"n{i}"})
        return await execute(channel, request)

    replies = await asyncio.gather(*(run(i) for i in range(50)))
    assert [r.execution.outputs["text"] for r in replies] == [f"[<n{i}>!]" for i in range(50)]
    assert len({r.workflow_execution_id for r in replies}) == 50


async def test_a_draining_server_answers_the_waiting_calls(
    database_url: str, tmp_path: Path, recorder: Recorder
) -> None:
    settings = Settings(
        listen="127.0.0.1:0",
        data_dir=tmp_path / "data",
        database_url=database_url,
        http_listen="",
        shutdown_grace_seconds=1.0,
    )
    server: DataflowServer = await start_server(
        settings, registry=engine_tasks.test_registry(recorder)
    )
    stopped = False
    try:
        async with grpc.aio.insecure_channel(server.address) as channel:
            workflow_id = await create(channel, HELD)
            call = asyncio.create_task(
                execute(
                    channel, ES.ExecuteWorkflowRequest(workflow_id=workflow_id, wait=seconds(60))
                )
            )
            await asyncio.wait_for(recorder.started.wait(), 30)
            stopping = asyncio.create_task(server.stop(grace=1.0))
            reply = await asyncio.wait_for(call, 20)
            assert reply.workflow_execution_id.startswith("we-")
            assert reply.status in (EX.PENDING, EX.RUNNING)
            await stopping
            stopped = True
    finally:
        recorder.release.set()
        if not stopped:
            await server.stop(grace=1.0)


async def test_a_caller_that_goes_away_leaves_nothing_waiting(
    channel: grpc.aio.Channel, server: DataflowServer, recorder: Recorder
) -> None:
    workflow_id = await create(channel, HELD)
    call = stubs(channel).executions.ExecuteWorkflow(
        ES.ExecuteWorkflowRequest(workflow_id=workflow_id, wait=seconds(60))
    )
    await asyncio.wait_for(recorder.started.wait(), 30)
    (execution_id,) = list(server.hub._subscribers)
    assert server.hub.watcher_count(execution_id) == 1
    call.cancel()
    for _ in range(200):
        if server.hub.watcher_count(execution_id) == 0:
            break
        await asyncio.sleep(0.01)
    assert server.hub.watcher_count(execution_id) == 0


async def test_the_outcome_comes_from_the_commit_not_another_read(
    channel: grpc.aio.Channel, server: DataflowServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An execution followed here is read back in the transaction that ends it:
    the waiting call answers without reading it again, with what a read returns."""
    workflow_id = await create(channel, CHAIN)
    reads: list[str] = []
    read = server.store.get_execution

    async def counted(tenant_id: str, execution_id: str) -> Any:
        reads.append(execution_id)
        return await read(tenant_id, execution_id)

    monkeypatch.setattr(server.store, "get_execution", counted)
    replies = []
    for i in range(5):
        request = ES.ExecuteWorkflowRequest(workflow_id=workflow_id, wait=seconds(30))
        request.inputs.update({"name": f"r{i}"})
        replies.append(await execute(channel, request))
    assert reads == []
    for reply in replies:
        assert reply.status == EX.COMPLETED
        got = await stubs(channel).executions.GetExecution(
            ES.GetExecutionRequest(workflow_execution_id=reply.workflow_execution_id)
        )
        assert got.execution == reply.execution
