"""Size limits keep every accepted execution readable (issue 10, item 6).

With the defaults, an execution at the value limit is readable through
GetExecution, WatchExecution and a FULL list by a client with gRPC's default
4 MiB receive limit. With small configured limits: values over the limit are
refused with the field path and the file hint, oversized task outputs fail the
task with OUTPUT_TOO_LARGE (nothing of the output stored), workflow outputs
that would overflow the record fail the execution, list pages are bounded in
bytes. SQLite and PostgreSQL, over a real port.
"""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from dataflow.v1 import execution_pb2, execution_service_pb2, workflow_service_pb2
from dataflow_server.config import Settings
from dataflow_server.domain.limits import DEFAULT_DATA_LIMITS
from dataflow_server.server import DataflowServer
from tests.support.api import Stubs, create_request, stubs, violations, wait_terminal

ES = execution_service_pb2
Ex = execution_pb2.Execution
TR = execution_pb2.TaskRun
SMALL = {"max_value_bytes": 4096, "max_execution_bytes": 16384, "max_definition_bytes": 4096}
STRING_OVERHEAD = 6  # encoded_size of a plain string: its bytes + 6


def _echo(copies: int = 1, outputs: int = 1) -> dict[str, Any]:
    template = "{{inputs.text}}" * copies
    return {
        "title": "echo",
        "inputs": [{"name": "text", "type": "text"}],
        "tasks": [{"name": "t", "type": "text.template", "inputs": {"template": template}}],
        "outputs": [
            {"name": f"out{i}", "type": "text", "value": "{{tasks.t.outputs.text}}"}
            for i in range(outputs)
        ],
    }


async def _run(api: Stubs, definition: dict[str, Any], text: str) -> tuple[str, Any]:
    wf = (await api.workflows.CreateWorkflow(create_request(definition))).workflow_id
    started = await api.executions.ExecuteWorkflow(
        json_format.ParseDict(
            {"workflow_id": wf, "inputs": {"text": text}}, ES.ExecuteWorkflowRequest()
        )
    )
    return wf, await wait_terminal(api, started.workflow_execution_id)


async def test_an_execution_at_the_default_limit_is_readable_by_a_default_client(
    server: DataflowServer,
) -> None:
    text = "A" * (DEFAULT_DATA_LIMITS.max_value_bytes - STRING_OVERHEAD)
    # A client as people use it: gRPC's default 4 MiB receive limit.
    async with grpc.aio.insecure_channel(server.address) as channel:
        api = stubs(channel)
        wf, final = await _run(api, _echo(), text)
        assert final.status == Ex.COMPLETED
        execution_id = final.workflow_execution_id
        got = await api.executions.GetExecution(
            ES.GetExecutionRequest(workflow_execution_id=execution_id)
        )
        assert got.execution.outputs["out0"] == text
        events = [
            m.event
            async for m in api.executions.WatchExecution(
                ES.WatchExecutionRequest(workflow_execution_id=execution_id)
            )
        ]
        assert events[-1].execution.outputs["out0"] == text
        listed = await api.executions.ListExecutions(
            ES.ListExecutionsRequest(workflow_id=wf, view=execution_pb2.EXECUTION_VIEW_FULL)
        )
        assert [e.workflow_execution_id for e in listed.executions] == [execution_id]
        # One byte more is refused, and says where large content belongs.
        error = await _refused(
            api.executions.ExecuteWorkflow(
                json_format.ParseDict(
                    {"workflow_id": wf, "inputs": {"text": text + "A"}},
                    ES.ExecuteWorkflowRequest(),
                )
            )
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        described = violations(error)["inputs.text"]
        assert "DATAFLOW_MAX_VALUE_BYTES" in described and "UploadFile" in described


async def _refused(call: Any) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call
    return err.value


@pytest.mark.parametrize("server_settings", [SMALL])
async def test_input_values_at_and_over_the_limit(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    at_limit = "é" * ((4096 - STRING_OVERHEAD) // 2)  # two bytes each in UTF-8
    wf, final = await _run(api, _echo(), at_limit)
    assert final.status == Ex.COMPLETED
    for too_big in (at_limit + "A" * 2, "\x00" * 1000):  # NUL is 6 bytes of JSON
        error = await _refused(
            api.executions.ExecuteWorkflow(
                json_format.ParseDict(
                    {"workflow_id": wf, "inputs": {"text": too_big}}, ES.ExecuteWorkflowRequest()
                )
            )
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert set(violations(error)) == {"inputs.text"}
    listed = await api.executions.ListExecutions(ES.ListExecutionsRequest(workflow_id=wf))
    assert len(listed.executions) == 1  # nothing stored for the refused ones


@pytest.mark.parametrize("server_settings", [SMALL])
async def test_task_output_over_the_limit_fails_the_task(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    _, final = await _run(api, _echo(copies=2), "A" * 3000)
    assert final.status == Ex.FAILED
    assert (final.error.code, final.error.task_name) == ("OUTPUT_TOO_LARGE", "t")
    assert "DATAFLOW_MAX_VALUE_BYTES" in final.error.message and "file" in final.error.message
    [run] = final.tasks
    assert run.status == TR.FAILED and not run.outputs.fields  # nothing of it kept


@pytest.mark.parametrize("server_settings", [SMALL])
async def test_workflow_outputs_that_overflow_the_record_fail_the_execution(
    channel: grpc.aio.Channel,
) -> None:
    api = stubs(channel)
    # 3 KB in, 3 KB out of the task, then 4 outputs of 3 KB: over 16 KB in all.
    _, final = await _run(api, _echo(outputs=4), "A" * 3000)
    assert final.status == Ex.FAILED
    assert final.error.code == "OUTPUT_TOO_LARGE" and not final.error.task_name
    assert "DATAFLOW_MAX_EXECUTION_BYTES" in final.error.message
    assert not final.outputs.fields
    assert final.tasks[0].status == TR.COMPLETED


@pytest.mark.parametrize("server_settings", [SMALL])
async def test_definitions_over_the_limit_are_refused(channel: grpc.aio.Channel) -> None:
    definition = _echo()
    definition["description"] = "d" * 5000
    error = await _refused(stubs(channel).workflows.CreateWorkflow(create_request(definition)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "4096 bytes" in violations(error)["workflow"]


@pytest.mark.parametrize("server_settings", [SMALL])
async def test_list_pages_are_bounded_in_bytes(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = (await api.workflows.CreateWorkflow(create_request(_echo()))).workflow_id
    started = []
    for i in range(8):
        reply = await api.executions.ExecuteWorkflow(
            json_format.ParseDict(
                {"workflow_id": wf, "inputs": {"text": f"{i}" * 3000}},
                ES.ExecuteWorkflowRequest(),
            )
        )
        started.append(reply.workflow_execution_id)
    for execution_id in started:
        await wait_terminal(api, execution_id)
    seen: list[str] = []
    pages = 0
    token = ""
    while True:
        page = await api.executions.ListExecutions(
            ES.ListExecutionsRequest(
                workflow_id=wf,
                page_size=100,
                page_token=token,
                view=execution_pb2.EXECUTION_VIEW_FULL,
            )
        )
        pages += 1
        assert 1 <= len(page.executions) < 8  # each record is ~9 KB of data: 16 KB pages
        assert page.ByteSize() < 2 * 16384
        seen += [e.workflow_execution_id for e in page.executions]
        token = page.next_page_token
        if not token:
            break
    assert sorted(seen) == sorted(started) and pages >= 4
    # The basic view is small: one page holds them all.
    basic = await api.executions.ListExecutions(
        ES.ListExecutionsRequest(workflow_id=wf, page_size=100)
    )
    assert len(basic.executions) == 8 and not basic.next_page_token


def test_limits_are_configured_by_environment() -> None:
    settings = Settings.from_env(
        {
            "DATAFLOW_MAX_VALUE_BYTES": "1000",
            "DATAFLOW_MAX_EXECUTION_BYTES": "5000",
            "DATAFLOW_MAX_DEFINITION_BYTES": "3000",
        }
    )
    assert settings.data_limits.max_value_bytes == 1000
    assert settings.data_limits.max_execution_bytes == 5000
    assert settings.definition_limits.max_definition_bytes == 3000
    defaults = Settings.from_env({})
    assert defaults.data_limits == DEFAULT_DATA_LIMITS


@pytest.mark.parametrize("server_settings", [SMALL])
async def test_workflow_list_pages_are_bounded_too(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    big = _echo()
    big["description"] = "d" * 3500
    created = [
        (await api.workflows.CreateWorkflow(create_request(big))).workflow_id for _ in range(6)
    ]
    seen: list[str] = []
    token = ""
    while True:
        page = await api.workflows.ListWorkflows(
            workflow_service_pb2.ListWorkflowsRequest(page_size=100, page_token=token)
        )
        assert 1 <= len(page.workflows) < 6  # ~4 KB each: 16 KB pages
        seen += [w.workflow_id for w in page.workflows]
        token = page.next_page_token
        if not token:
            break
    assert sorted(seen) == sorted(created)
