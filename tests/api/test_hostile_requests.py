"""Requests a hostile or careless client can send get clean answers (issue 10, items 1–5, 9).

Out-of-range enums, NaN/±Infinity in Struct values, bytes that do not decode,
huge ids echoed back, malformed ids: each is INVALID_ARGUMENT with a field
path (never INTERNAL or UNKNOWN), short enough for a client's trailer limit,
and nothing of the request is stored. SQLite and PostgreSQL, over a real port.
"""

from __future__ import annotations

import math
from typing import Any

import grpc
import pytest
from google.protobuf import json_format, struct_pb2

from dataflow.v1 import (
    execution_service_pb2,
    file_service_pb2,
    workflow_pb2,
    workflow_service_pb2,
)
from tests.support.api import Stubs, create_request, hello_world, stubs, violations
from tests.support.wire import raw_stream_unary, raw_unary_stream, raw_unary_unary

ES = execution_service_pb2
WS = workflow_service_pb2

ECHO = {
    "title": "echo",
    "inputs": [
        {"name": "text", "type": "text"},
        {"name": "data", "type": "json", "required": False},
    ],
    "tasks": [{"name": "t", "type": "text.template", "inputs": {"template": "{{inputs.text}}"}}],
    "outputs": [{"name": "out", "type": "text", "value": "{{tasks.t.outputs.text}}"}],
}


async def _refused(call: Any) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call
    return err.value


async def _workflow(api: Stubs, definition: dict[str, Any] | None = None) -> str:
    return (await api.workflows.CreateWorkflow(create_request(definition or ECHO))).workflow_id


async def _workflow_count(api: Stubs) -> int:
    reply = await api.workflows.ListWorkflows(WS.ListWorkflowsRequest(page_size=1000))
    return len(reply.workflows)


async def _execution_count(api: Stubs, workflow_id: str) -> int:
    reply = await api.executions.ListExecutions(
        ES.ListExecutionsRequest(workflow_id=workflow_id, page_size=1000)
    )
    return len(reply.executions)


# -- 1. enums out of range ------------------------------------------------------


@pytest.mark.parametrize("status", [99, -1, 6, 2147483647])
async def test_out_of_range_status_is_invalid_argument(
    channel: grpc.aio.Channel, status: int
) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    error = await _refused(
        api.executions.ListExecutions(ES.ListExecutionsRequest(workflow_id=wf, status=status))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    described = violations(error)["status"]
    assert str(status) in described and "PENDING" in described


async def test_out_of_range_view_is_invalid_argument(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    error = await _refused(
        api.executions.ListExecutions(ES.ListExecutionsRequest(workflow_id=wf, view=7))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "EXECUTION_VIEW_FULL" in violations(error)["view"]


# -- 2. NaN and ±Infinity -------------------------------------------------------


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
async def test_non_finite_execution_input_is_refused(
    channel: grpc.aio.Channel, number: float
) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    request = ES.ExecuteWorkflowRequest(workflow_id=wf)
    request.inputs["text"] = number
    request.inputs.get_or_create_struct("data")["deep"] = [1, number]
    error = await _refused(api.executions.ExecuteWorkflow(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(violations(error)) == {"inputs.text", "inputs.data.deep[1]"}
    assert await _execution_count(api, wf) == 0


def _definition_with(number: float) -> workflow_pb2.Workflow:
    message = json_format.ParseDict(ECHO, workflow_pb2.Workflow())
    message.tasks[0].inputs["template"] = number
    message.inputs[1].default.number_value = number
    message.outputs[0].value.number_value = number
    message.tasks[0].timeout_seconds = number
    message.tasks[0].retry.initial_backoff_seconds = number
    return message


async def test_non_finite_numbers_in_definitions_are_refused(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    expected = {
        "tasks[0].inputs.template",
        "inputs[1].default",
        "outputs[0].value",
        "tasks[0].timeout_seconds",
        "tasks[0].retry.initial_backoff_seconds",
    }
    for number in (math.nan, math.inf, -math.inf):
        error = await _refused(
            api.workflows.CreateWorkflow(
                WS.CreateWorkflowRequest(workflow=_definition_with(number))
            )
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert expected <= set(violations(error))
        error = await _refused(
            api.workflows.UpdateWorkflow(
                WS.UpdateWorkflowRequest(workflow_id=wf, workflow=_definition_with(number))
            )
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert expected <= set(violations(error))
    assert await _workflow_count(api) == 1
    got = await api.workflows.GetWorkflow(WS.GetWorkflowRequest(workflow_id=wf))
    assert got.workflow.workflow_version == 1


async def test_values_nested_too_deep_are_refused(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    value: Any = "bottom"
    for _ in range(25):
        value = {"a": value}
    request = json_format.ParseDict(
        {"workflow_id": wf, "inputs": {"text": "x", "data": value}}, ES.ExecuteWorkflowRequest()
    )
    error = await _refused(api.executions.ExecuteWorkflow(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    [(path, description)] = violations(error).items()
    assert path.startswith("inputs.data.a.a") and "nested at most 20" in description
    assert await _execution_count(api, wf) == 0


# -- 3. bytes that do not decode ------------------------------------------------

GARBAGE = {
    "one byte ff": b"\xff",
    "truncated": b"\x0a\x10we-abc",
    "bad wire type": b"\x0f\x01",
}


def _deep_struct_request(levels: int) -> bytes:
    value = struct_pb2.Value(string_value="bottom")
    for _ in range(levels):
        outer = struct_pb2.Value()
        outer.struct_value.fields["a"].CopyFrom(value)
        value = outer
    request = ES.ExecuteWorkflowRequest(workflow_id="wf-abcdefgh1234")
    request.inputs.fields["text"].CopyFrom(value)
    return request.SerializeToString()


def _assert_clean_decode_error(error: grpc.aio.AioRpcError) -> None:
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error
    details = error.details() or ""
    assert "is not a valid" in details
    for internal in ("DecodeError", "class", "Traceback", "upb", "google.protobuf"):
        assert internal not in details


@pytest.mark.parametrize("name", sorted(GARBAGE))
async def test_undecodable_bytes_on_every_kind_of_rpc(channel: grpc.aio.Channel, name: str) -> None:
    data = GARBAGE[name]
    unary = raw_unary_unary(channel, "/dataflow.v1.ExecutionService/GetExecution")
    _assert_clean_decode_error(await _refused(unary(data)))
    stream = raw_unary_stream(channel, "/dataflow.v1.ExecutionService/WatchExecution")
    _assert_clean_decode_error(await _refused(_drain(stream(data))))
    upload = raw_stream_unary(channel, "/dataflow.v1.FileService/UploadFile")
    _assert_clean_decode_error(await _refused(upload(_one(data))))


async def test_invalid_utf8_names_the_field(channel: grpc.aio.Channel) -> None:
    unary = raw_unary_unary(channel, "/dataflow.v1.ExecutionService/GetExecution")
    error = await _refused(unary(b"\x0a\x02\xff\xfe"))
    _assert_clean_decode_error(error)
    assert violations(error) == {"workflow_execution_id": "is not valid UTF-8"}
    # Inside a nested message, the path goes down to the field.
    request = WS.CreateWorkflowRequest(
        workflow=json_format.ParseDict(ECHO, workflow_pb2.Workflow())
    )
    data = request.SerializeToString().replace(b"echo", b"ec\xff\xfe")
    create = raw_unary_unary(channel, "/dataflow.v1.WorkflowService/CreateWorkflow")
    error = await _refused(create(data))
    _assert_clean_decode_error(error)
    assert set(violations(error)) == {"workflow.title"}


async def test_struct_nested_past_the_decoder_limit(channel: grpc.aio.Channel) -> None:
    execute = raw_unary_unary(channel, "/dataflow.v1.ExecutionService/ExecuteWorkflow")
    error = await _refused(execute(_deep_struct_request(40)))
    _assert_clean_decode_error(error)
    assert set(violations(error)) == {"inputs"}


async def _drain(call: Any) -> None:
    async for _ in call:
        pass


async def _one(data: bytes) -> Any:
    yield data


# -- 4. echoed user text is capped ----------------------------------------------

HUGE = "A" * 100_000


async def test_huge_ids_and_tokens_are_not_echoed(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    calls = [
        api.executions.GetExecution(ES.GetExecutionRequest(workflow_execution_id=HUGE)),
        api.executions.CancelExecution(ES.CancelExecutionRequest(workflow_execution_id=HUGE)),
        api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=HUGE)),
        api.workflows.GetWorkflow(WS.GetWorkflowRequest(workflow_id=HUGE)),
        api.files.GetFile(file_service_pb2.GetFileRequest(file_id=HUGE)),
        api.workflows.ListWorkflows(WS.ListWorkflowsRequest(page_token=HUGE)),
        api.executions.ListExecutions(ES.ListExecutionsRequest(workflow_id=wf, page_token=HUGE)),
        api.executions.ExecuteWorkflow(
            json_format.ParseDict(
                {"workflow_id": wf, "inputs": {HUGE: 1, "text": "x"}}, ES.ExecuteWorkflowRequest()
            )
        ),
        api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id=wf, request_id=HUGE)),
    ]
    for call in calls:
        error = await _refused(call)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
        assert len(error.details() or "") < 1000
        found = violations(error)
        assert found and all(len(f) + len(d) < 1000 for f, d in found.items())


async def test_huge_names_in_a_definition_are_not_echoed(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    definition = hello_world()
    definition["tasks"][0]["type"] = HUGE[:60_000]
    definition["inputs"][0]["name"] = "B" * 60_000
    definition["tasks"][0]["inputs"]["C" * 60_000] = "{{inputs.text}}"
    error = await _refused(api.workflows.CreateWorkflow(create_request(definition)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert len(error.details() or "") < 1000
    found = violations(error)
    assert sum(len(f) + len(d) for f, d in found.items()) < 4000
    assert "tasks[0].type" in found and "inputs[0].name" in found
    assert "tasks[0].inputs" in found  # the key is too long to be part of a path


# -- 5. malformed ids -------------------------------------------------------------


async def test_malformed_ids_are_invalid_argument_and_unknown_ones_not_found(
    channel: grpc.aio.Channel,
) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    malformed = [
        (
            api.executions.ExecuteWorkflow(
                ES.ExecuteWorkflowRequest(workflow_id="12345; drop table")
            ),
            "workflow_id",
            "wf-",
        ),
        (
            api.executions.GetExecution(ES.GetExecutionRequest(workflow_execution_id="wf-abc")),
            "workflow_execution_id",
            "we-",
        ),
        (
            api.executions.GetExecution(
                ES.GetExecutionRequest(workflow_execution_id="we-abcdefgh1234", workflow_id="x")
            ),
            "workflow_id",
            "wf-",
        ),
        (
            api.executions.RetryExecution(ES.RetryExecutionRequest(workflow_execution_id="WE-1")),
            "workflow_execution_id",
            "we-",
        ),
        (api.files.GetFile(file_service_pb2.GetFileRequest(file_id="../etc")), "file_id", "file-"),
        (
            api.workflows.DeleteWorkflow(WS.DeleteWorkflowRequest(workflow_id=wf + "!")),
            "workflow_id",
            "wf-",
        ),
    ]
    for call, field, prefix in malformed:
        error = await _refused(call)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert f"expected {prefix} followed by" in violations(error)[field]
    unknown = [
        api.executions.ExecuteWorkflow(ES.ExecuteWorkflowRequest(workflow_id="wf-doesnotexist1")),
        api.executions.GetExecution(
            ES.GetExecutionRequest(workflow_execution_id="we-doesnotexist1")
        ),
        api.files.GetFile(file_service_pb2.GetFileRequest(file_id="file-doesnotexist1")),
    ]
    for call in unknown:
        assert (await _refused(call)).code() == grpc.StatusCode.NOT_FOUND


# -- texts kept as columns: PostgreSQL cannot store NUL ----------------------------


async def test_control_characters_in_column_texts_are_refused(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = await _workflow(api)
    request = ES.ExecuteWorkflowRequest(workflow_id=wf, request_id="key\x00")
    request.inputs["text"] = "hello"
    request.monitoring.webhook = "http://192.0.2.1/\x00hook"
    error = await _refused(api.executions.ExecuteWorkflow(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(violations(error)) == {"request_id", "monitoring.webhook"}
    assert await _execution_count(api, wf) == 0
    upload = api.files.UploadFile(
        iter(
            [
                file_service_pb2.UploadFileRequest(
                    metadata=file_service_pb2.UploadFileMetadata(
                        name="a\x00.txt", content_type="text/plain\x00"
                    )
                ),
                file_service_pb2.UploadFileRequest(data=b"hello"),
            ]
        )
    )
    error = await _refused(upload)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(violations(error)) == {"metadata.name", "metadata.content_type"}
