"""ExecutionService over gRPC: validation before queueing, pinning, idempotency, lists."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from dataflow.v1 import execution_pb2, execution_service_pb2, workflow_service_pb2
from tests.support.api import Stubs, create_request, hello_world, stubs, violations, wait_terminal

ES = execution_service_pb2
PENDING = execution_pb2.Execution.PENDING


def execute_request(workflow_id: str, inputs: dict[str, Any] | None = None, **extra: Any) -> Any:
    body: dict[str, Any] = {"workflow_id": workflow_id, "inputs": inputs or {}, **extra}
    return json_format.ParseDict(body, ES.ExecuteWorkflowRequest())


async def _workflow(api: Stubs, definition: dict[str, Any] | None = None) -> str:
    created = await api.workflows.CreateWorkflow(create_request(definition or hello_world()))
    return created.workflow_id


TYPED = {
    "title": "typed inputs",
    "inputs": [
        {"name": "text", "type": "text"},
        {"name": "count", "type": "integer", "required": False, "default": 2},
        {"name": "ratio", "type": "number", "required": False},
        {"name": "flag", "type": "boolean", "required": False},
        {"name": "data", "type": "json", "required": False},
    ],
    "tasks": [
        {
            "name": "render",
            "type": "text.template",
            "inputs": {"template": "{{inputs.text}} x{{inputs.count}}"},
        }
    ],
    "outputs": [{"name": "out", "type": "text", "value": "{{tasks.render.outputs.text}}"}],
}


async def test_execute_answers_pending_and_is_readable(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    reply = await api.executions.ExecuteWorkflow(execute_request(wf, {"text": "Hello"}))
    assert reply.workflow_execution_id.startswith("we-")
    assert (reply.workflow_id, reply.workflow_version, reply.status) == (wf, 1, PENDING)
    got = (
        await api.executions.GetExecution(
            ES.GetExecutionRequest(
                workflow_execution_id=reply.workflow_execution_id, workflow_id=wf
            )
        )
    ).execution
    assert got.workflow_execution_id == reply.workflow_execution_id
    # The executor may already have picked it up.
    assert [t.name for t in got.tasks] == ["text_to_speech"]
    assert json_format.MessageToDict(got.inputs) == {"text": "Hello"}
    assert got.created_at.seconds > 0
    assert got.last_sequence >= 1
    # The workflow id, when given, must match.
    other = await _workflow(api)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.executions.GetExecution(
            ES.GetExecutionRequest(
                workflow_execution_id=reply.workflow_execution_id, workflow_id=other
            )
        )
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


async def test_inputs_typed_and_defaults_applied(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api, TYPED)
    reply = await api.executions.ExecuteWorkflow(
        execute_request(wf, {"text": "a", "ratio": 0.5, "flag": True, "data": {"k": [1]}})
    )
    got = (
        await api.executions.GetExecution(
            ES.GetExecutionRequest(workflow_execution_id=reply.workflow_execution_id)
        )
    ).execution
    inputs = json_format.MessageToDict(got.inputs)
    assert inputs["count"] == 2 and inputs["ratio"] == 0.5 and inputs["flag"] is True
    assert inputs["data"] == {"k": [1]}


@pytest.mark.parametrize(
    ("inputs", "fields"),
    [
        ({}, {"inputs.text"}),
        ({"text": 5}, {"inputs.text"}),
        ({"text": "a", "count": 1.5}, {"inputs.count"}),
        ({"text": "a", "count": "3"}, {"inputs.count"}),
        ({"text": "a", "flag": "yes"}, {"inputs.flag"}),
        ({"text": "a", "extra": 1}, {"inputs.extra"}),
        ({"count": "x", "nope": 1}, {"inputs.text", "inputs.count", "inputs.nope"}),
    ],
)
async def test_invalid_inputs_refused_and_nothing_queued(
    channel: grpc.aio.Channel, inputs: dict[str, Any], fields: set[str]
) -> None:
    api = stubs(channel)
    wf = await _workflow(api, TYPED)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.executions.ExecuteWorkflow(execute_request(wf, inputs))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(violations(err.value)) == fields
    listed = await api.executions.ListExecutions(ES.ListExecutionsRequest(workflow_id=wf))
    assert list(listed.executions) == []


async def test_unknown_workflow_and_archived(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.executions.ExecuteWorkflow(execute_request("wf-unknown0000", {"text": "x"}))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    wf = await _workflow(api)
    done = await api.executions.ExecuteWorkflow(execute_request(wf, {"text": "x"}))
    await api.workflows.DeleteWorkflow(workflow_service_pb2.DeleteWorkflowRequest(workflow_id=wf))
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.executions.ExecuteWorkflow(execute_request(wf, {"text": "x"}))
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    # Existing executions stay readable.
    got = await api.executions.GetExecution(
        ES.GetExecutionRequest(workflow_execution_id=done.workflow_execution_id)
    )
    assert got.execution.workflow_id == wf


async def test_version_is_pinned_across_updates(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    first = await api.executions.ExecuteWorkflow(execute_request(wf, {"text": "x"}))
    v2 = hello_world()
    v2["inputs"].append({"name": "voice", "type": "text", "required": False, "default": "nova"})
    v2["tasks"][0]["inputs"]["voice"] = "{{inputs.voice}}"
    await api.workflows.UpdateWorkflow(
        json_format.ParseDict(
            {"workflow_id": wf, "workflow": v2}, workflow_service_pb2.UpdateWorkflowRequest()
        )
    )
    second = await api.executions.ExecuteWorkflow(
        execute_request(wf, {"text": "x", "voice": "echo"})
    )
    assert (first.workflow_version, second.workflow_version) == (1, 2)
    again = await api.executions.GetExecution(
        ES.GetExecutionRequest(workflow_execution_id=first.workflow_execution_id)
    )
    assert again.execution.workflow_version == 1


async def test_request_id_idempotency(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    a = await api.executions.ExecuteWorkflow(execute_request(wf, {"text": "x"}, request_id="k-1"))
    b = await api.executions.ExecuteWorkflow(execute_request(wf, {"text": "x"}, request_id="k-1"))
    assert a.workflow_execution_id == b.workflow_execution_id
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.executions.ExecuteWorkflow(execute_request(wf, {"text": "y"}, request_id="k-1"))
    assert err.value.code() == grpc.StatusCode.ALREADY_EXISTS
    # Concurrent repeats of a new key still make one execution.
    replies = await asyncio.gather(
        *[
            api.executions.ExecuteWorkflow(execute_request(wf, {"text": "z"}, request_id="k-2"))
            for _ in range(10)
        ]
    )
    assert len({r.workflow_execution_id for r in replies}) == 1
    listed = await api.executions.ListExecutions(ES.ListExecutionsRequest(workflow_id=wf))
    assert len(listed.executions) == 2


async def test_a_repeat_returns_the_original_even_after_the_workflow_changed(
    channel: grpc.aio.Channel,
) -> None:
    """The repeat of a request is found before its inputs are checked against the
    workflow as it is now: a new version with other inputs, then an archive."""
    api = stubs(channel)
    wf = await _workflow(api)
    original = await api.executions.ExecuteWorkflow(
        execute_request(wf, {"text": "x"}, request_id="k-changed")
    )
    renamed = hello_world()
    renamed["inputs"] = [{"name": "words", "type": "text"}]
    renamed["tasks"][0]["inputs"]["text"] = "{{inputs.words}}"
    update = workflow_service_pb2.UpdateWorkflowRequest(workflow_id=wf)
    update.workflow.CopyFrom(create_request(renamed).workflow)
    await api.workflows.UpdateWorkflow(update)
    repeat = await api.executions.ExecuteWorkflow(
        execute_request(wf, {"text": "x"}, request_id="k-changed")
    )
    assert repeat.workflow_execution_id == original.workflow_execution_id
    assert repeat.workflow_version == 1
    await api.workflows.DeleteWorkflow(workflow_service_pb2.DeleteWorkflowRequest(workflow_id=wf))
    archived = await api.executions.ExecuteWorkflow(
        execute_request(wf, {"text": "x"}, request_id="k-changed")
    )
    assert archived.workflow_execution_id == original.workflow_execution_id
    with pytest.raises(grpc.aio.AioRpcError) as err:  # a new key is refused: archived
        await api.executions.ExecuteWorkflow(execute_request(wf, {"text": "x"}, request_id="k-new"))
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_webhook_must_be_http(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    for url in ("ftp://example.com/hook", "not a url", "https://user:pw@example.com/"):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await api.executions.ExecuteWorkflow(
                execute_request(wf, {"text": "x"}, monitoring={"webhook": url})
            )
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert set(violations(err.value)) == {"monitoring.webhook"}
    listed = await api.executions.ListExecutions(ES.ListExecutionsRequest(workflow_id=wf))
    assert list(listed.executions) == []


async def test_list_executions_pagination_and_filter(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api, TYPED)
    ids = [
        (
            await api.executions.ExecuteWorkflow(execute_request(wf, {"text": str(i)}))
        ).workflow_execution_id
        for i in range(5)
    ]
    seen: list[str] = []
    token = ""
    while True:
        page = await api.executions.ListExecutions(
            ES.ListExecutionsRequest(workflow_id=wf, page_size=2, page_token=token)
        )
        seen += [e.workflow_execution_id for e in page.executions]
        assert all(not e.tasks for e in page.executions)  # BASIC view
        token = page.next_page_token
        if not token:
            break
    assert seen == list(reversed(ids))
    for execution_id in ids:
        await wait_terminal(api, execution_id)
    completed = await api.executions.ListExecutions(
        ES.ListExecutionsRequest(
            workflow_id=wf,
            status=execution_pb2.Execution.COMPLETED,
            view=execution_pb2.EXECUTION_VIEW_FULL,
        )
    )
    assert len(completed.executions) == 5 and all(e.tasks for e in completed.executions)
    pending = await api.executions.ListExecutions(
        ES.ListExecutionsRequest(workflow_id=wf, status=PENDING)
    )
    assert list(pending.executions) == []
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.executions.ListExecutions(ES.ListExecutionsRequest(workflow_id="wf-unknown0000"))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


async def test_watch_replays_first_event_with_snapshot(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    reply = await api.executions.ExecuteWorkflow(execute_request(wf, {"text": "x"}))
    call = api.executions.WatchExecution(
        ES.WatchExecutionRequest(workflow_execution_id=reply.workflow_execution_id)
    )
    first = await asyncio.wait_for(call.read(), 10)
    event = first.event
    assert (event.sequence, event.type, event.status) == (1, "execution.pending", PENDING)
    assert event.execution.workflow_execution_id == reply.workflow_execution_id
    assert [t.name for t in event.execution.tasks] == ["text_to_speech"]
    call.cancel()
    with pytest.raises(grpc.aio.AioRpcError) as err:
        call = api.executions.WatchExecution(
            ES.WatchExecutionRequest(workflow_execution_id="we-unknown0000")
        )
        await call.read()
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as err:
        call = api.executions.WatchExecution(
            ES.WatchExecutionRequest(
                workflow_execution_id=reply.workflow_execution_id, event_types=["task.exploded"]
            )
        )
        await call.read()
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(violations(err.value)) == {"event_types"}
