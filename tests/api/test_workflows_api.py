"""WorkflowService over gRPC (in-process server on a real port), SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from dataflow.v1 import workflow_pb2, workflow_service_pb2
from tests.support.api import (
    PIPELINE,
    create_request,
    hello_world,
    seed_hello_world_body,
    stubs,
    violations,
)

WS = workflow_service_pb2


async def test_create_seed_body_verbatim(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    created = await api.workflows.CreateWorkflow(create_request(seed_hello_world_body()))
    assert created.workflow_id.startswith("wf-") and len(created.workflow_id) >= 11
    assert created.workflow_version == 1
    got = await api.workflows.GetWorkflow(WS.GetWorkflowRequest(workflow_id=created.workflow_id))
    body = json_format.MessageToDict(got.workflow, preserving_proto_field_name=True)
    for key in ("workflow_id", "workflow_version", "state", "created_at", "updated_at"):
        body.pop(key)
    assert body == seed_hello_world_body()
    assert got.workflow.state == workflow_pb2.WORKFLOW_STATE_ACTIVE


async def test_pipeline_is_valid(channel: grpc.aio.Channel) -> None:
    created = await stubs(channel).workflows.CreateWorkflow(create_request(PIPELINE))
    assert created.workflow_version == 1


async def test_update_stores_new_versions_and_get_returns_any(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = (await api.workflows.CreateWorkflow(create_request(hello_world()))).workflow_id
    for expected in (2, 3):
        body = hello_world()
        body["title"] = f"v{expected}"
        upd = await api.workflows.UpdateWorkflow(
            json_format.ParseDict({"workflow_id": wf, "workflow": body}, WS.UpdateWorkflowRequest())
        )
        assert (upd.workflow_id, upd.workflow_version) == (wf, expected)
    latest = await api.workflows.GetWorkflow(WS.GetWorkflowRequest(workflow_id=wf))
    assert (latest.workflow.workflow_version, latest.workflow.title) == (3, "v3")
    first = await api.workflows.GetWorkflow(
        WS.GetWorkflowRequest(workflow_id=wf, workflow_version=1)
    )
    assert first.workflow.title == "Hello World Workflow"
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.workflows.GetWorkflow(WS.GetWorkflowRequest(workflow_id=wf, workflow_version=9))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


async def test_invalid_update_stores_nothing(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = (await api.workflows.CreateWorkflow(create_request(hello_world()))).workflow_id
    bad = hello_world()
    bad["tasks"][0]["type"] = "nope"
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.workflows.UpdateWorkflow(
            json_format.ParseDict({"workflow_id": wf, "workflow": bad}, WS.UpdateWorkflowRequest())
        )
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "tasks[0].type" in violations(err.value)
    latest = await api.workflows.GetWorkflow(WS.GetWorkflowRequest(workflow_id=wf))
    assert latest.workflow.workflow_version == 1


async def test_unknown_and_malformed_ids(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.workflows.GetWorkflow(WS.GetWorkflowRequest(workflow_id="wf-doesnotexist1"))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    # An id that cannot be one of ours names the field and the expected form.
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.workflows.GetWorkflow(WS.GetWorkflowRequest(workflow_id="nonsense"))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "expected wf- followed by" in violations(err.value)["workflow_id"]
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.workflows.GetWorkflow(WS.GetWorkflowRequest())
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(violations(err.value)) == {"workflow_id"}
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.workflows.UpdateWorkflow(
            json_format.ParseDict(
                {"workflow_id": "wf-doesnotexist1", "workflow": hello_world()},
                WS.UpdateWorkflowRequest(),
            )
        )
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


async def test_missing_workflow_body(channel: grpc.aio.Channel) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stubs(channel).workflows.CreateWorkflow(WS.CreateWorkflowRequest())
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "workflow" in violations(err.value)


async def test_delete_archives(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    wf = (await api.workflows.CreateWorkflow(create_request(hello_world()))).workflow_id
    deleted = await api.workflows.DeleteWorkflow(WS.DeleteWorkflowRequest(workflow_id=wf))
    assert deleted.workflow.state == workflow_pb2.WORKFLOW_STATE_ARCHIVED
    got = await api.workflows.GetWorkflow(WS.GetWorkflowRequest(workflow_id=wf))
    assert got.workflow.state == workflow_pb2.WORKFLOW_STATE_ARCHIVED
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.workflows.UpdateWorkflow(
            json_format.ParseDict(
                {"workflow_id": wf, "workflow": hello_world()}, WS.UpdateWorkflowRequest()
            )
        )
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    listed = await api.workflows.ListWorkflows(WS.ListWorkflowsRequest())
    assert wf not in [w.workflow_id for w in listed.workflows]
    listed = await api.workflows.ListWorkflows(WS.ListWorkflowsRequest(show_archived=True))
    assert wf in [w.workflow_id for w in listed.workflows]


async def test_list_workflows_pagination_newest_first(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    ids = []
    for i in range(7):
        body = hello_world()
        body["title"] = f"w{i}"
        ids.append((await api.workflows.CreateWorkflow(create_request(body))).workflow_id)
    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        page = await api.workflows.ListWorkflows(
            WS.ListWorkflowsRequest(page_size=3, page_token=token)
        )
        assert len(page.workflows) <= 3
        seen += [w.workflow_id for w in page.workflows]
        pages += 1
        token = page.next_page_token
        if not token:
            break
    assert seen == list(reversed(ids))
    assert pages == 3
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.workflows.ListWorkflows(WS.ListWorkflowsRequest(page_token="garbage!"))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "page_token" in violations(err.value)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.workflows.ListWorkflows(WS.ListWorkflowsRequest(page_size=-1))
    assert "page_size" in violations(err.value)


async def test_list_task_types(channel: grpc.aio.Channel) -> None:
    reply = await stubs(channel).workflows.ListTaskTypes(WS.ListTaskTypesRequest())
    names = [t.name for t in reply.task_types]
    assert names == sorted(names)
    for expected in (
        "openai.audio.tts",
        "openai.chat.completion",
        "openai.audio.transcription",
        "openai.embeddings",
        "openai.images.generate",
        "http.request",
        "html.extract_text",
        "text.template",
        "json.parse",
        "core.sleep",
    ):
        assert expected in names
    tts = next(t for t in reply.task_types if t.name == "openai.audio.tts")
    voice = next(f for f in tts.inputs if f.name == "voice")
    assert "alloy" in [v.string_value for v in voice.allowed_values]
    assert [(o.name, o.type) for o in tts.outputs] == [("audio", "file")]


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    body = hello_world()
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


_DELETE = object()

# (definition change, expected violated field path)
INVALID_DEFINITIONS = [
    (["title"], _DELETE, "title"),
    (["inputs", 0, "name"], "1bad", "inputs[0].name"),
    (["inputs", 0, "type"], "string", "inputs[0].type"),
    (["tasks", 0, "type"], "openai.audio.speak", "tasks[0].type"),
    (["tasks", 0, "name"], "", "tasks[0].name"),
    (["tasks", 0, "inputs", "voice"], "darth", "tasks[0].inputs.voice"),
    (["tasks", 0, "inputs", "colour"], "blue", "tasks[0].inputs.colour"),
    (["tasks", 0, "inputs", "text"], "{{inputs.txt}}", "tasks[0].inputs.text"),
    (["tasks", 0, "inputs", "text"], "{{ inputs.text | upper }}", "tasks[0].inputs.text"),
    (["tasks", 0, "inputs", "text"], "{{ __import__('os') }}", "tasks[0].inputs.text"),
    (["tasks", 0, "inputs", "text"], _DELETE, "tasks[0].inputs.text"),
    (["tasks", 0, "retry"], {"max_attempts": 1000}, "tasks[0].retry.max_attempts"),
    (["tasks", 0, "timeout_seconds"], -1, "tasks[0].timeout_seconds"),
    (["outputs", 0, "value"], "{{tasks.text_to_speech.outputs.sound}}", "outputs[0].value"),
    (["outputs", 0, "type"], "text", "outputs[0].value"),
    (["outputs", 0, "value"], "{{tasks.later.outputs.audio}}", "outputs[0].value"),
    (["tasks"], [], "tasks"),
]


@pytest.mark.parametrize(("path", "value", "field"), INVALID_DEFINITIONS)
async def test_invalid_definition_field_path_and_nothing_stored(
    channel: grpc.aio.Channel, path: list[Any], value: Any, field: str
) -> None:
    api = stubs(channel)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.workflows.CreateWorkflow(create_request(_with(path, value)))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    found = violations(err.value)
    assert field in found, found
    listed = await api.workflows.ListWorkflows(WS.ListWorkflowsRequest(show_archived=True))
    assert list(listed.workflows) == []


async def test_every_problem_is_reported_at_once(channel: grpc.aio.Channel) -> None:
    body = hello_world()
    body["inputs"][0]["type"] = "string"
    body["tasks"][0]["inputs"]["voice"] = "darth"
    body["outputs"][0]["name"] = "has space"
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stubs(channel).workflows.CreateWorkflow(create_request(body))
    assert {"inputs[0].type", "tasks[0].inputs.voice", "outputs[0].name"} <= set(
        violations(err.value)
    )


async def test_file_cannot_feed_text(channel: grpc.aio.Channel) -> None:
    body = hello_world()
    body["tasks"].append(
        {
            "name": "chat",
            "type": "openai.chat.completion",
            "inputs": {"prompt": "{{tasks.text_to_speech.outputs.audio}}"},
        }
    )
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stubs(channel).workflows.CreateWorkflow(create_request(body))
    assert "tasks[1].inputs.prompt" in violations(err.value)


async def test_graph_errors_are_reported_with_their_paths(channel: grpc.aio.Channel) -> None:
    body = {
        "title": "graph",
        "inputs": [{"name": "text", "type": "text"}],
        "tasks": [
            {"name": "a", "type": "text.template", "inputs": {"template": "x"}, "depends_on": []},
            {
                "name": "b",
                "type": "text.template",
                "inputs": {"template": "{{item}}"},
                "depends_on": ["aa"],
                "when": "tasks.a.outputs.txt == ''",
                "for_each": "{{inputs.text}}",
            },
        ],
        "outputs": [],
    }
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stubs(channel).workflows.CreateWorkflow(create_request(body))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    found = violations(err.value)
    assert set(found) == {"tasks[1].depends_on[0]", "tasks[1].when", "tasks[1].for_each"}
    assert "did you mean 'a'?" in found["tasks[1].depends_on[0]"]
    assert "unknown name 'tasks.a.outputs.txt'" in found["tasks[1].when"]
