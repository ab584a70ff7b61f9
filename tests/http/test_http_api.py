"""The REST/JSON API: the Getting Started page's paths, bodies and codes, the
rest of the API in the same style, and problem details for every refusal."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import httpx
import pytest

from dataflow.v1 import execution_service_pb2
from dataflow_server.api.http.app import HttpApi, Readiness
from dataflow_server.api.http.server import start_http_server
from dataflow_server.server import DataflowServer
from tests.support.api import hello_world, seed_hello_world_body, stubs, violations
from tests.support.engine_tasks import HELD, Recorder

PROBLEM = "application/problem+json"


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["request_id"] == response.headers["x-request-id"]
    assert body["type"] == "about:blank" and body["title"] and body["detail"]
    assert "Traceback" not in response.text
    return body


async def create(http: httpx.AsyncClient, definition: dict[str, Any] | None = None) -> str:
    response = await http.post("/workflows", json=definition or hello_world())
    assert response.status_code == 201, response.text
    return str(response.json()["workflow_id"])


async def test_the_getting_started_page_over_http(http: httpx.AsyncClient) -> None:
    # 1. POST /workflows with the page's body, verbatim → 201 Created + Location.
    created = await http.post("/workflows", json=seed_hello_world_body())
    assert created.status_code == 201, created.text
    workflow_id = created.json()["workflow_id"]
    assert workflow_id.startswith("wf-")
    assert created.json() == {"workflow_id": workflow_id, "workflow_version": 1}
    assert created.headers["location"] == f"/workflows/{workflow_id}"

    # 2. POST /workflows/{id}/executions → the page's four fields, PENDING.
    started = await http.post(
        f"/workflows/{workflow_id}/executions", json={"inputs": {"text": "Hi"}}
    )
    assert started.status_code == 201, started.text
    execution_id = started.json()["workflow_execution_id"]
    assert execution_id.startswith("we-")
    assert started.json() == {
        "workflow_execution_id": execution_id,
        "workflow_id": workflow_id,
        "workflow_version": 1,
        "status": "PENDING",
    }
    location = f"/workflows/{workflow_id}/executions/{execution_id}"
    assert started.headers["location"] == location

    # 3. GET one execution: the execution itself, no wrapper, with its tasks.
    got = await http.get(location)
    assert got.status_code == 200
    execution = got.json()
    assert execution["workflow_execution_id"] == execution_id
    assert execution["workflow_id"] == workflow_id and execution["workflow_version"] == 1
    assert execution["status"] in ("PENDING", "RUNNING", "COMPLETED", "FAILED")
    assert [t["name"] for t in execution["tasks"]] == ["text_to_speech"]
    assert execution["created_at"].endswith("Z")  # RFC 3339

    # 4. GET the workflow's executions.
    listed = await http.get(f"/workflows/{workflow_id}/executions")
    assert listed.status_code == 200
    (item,) = listed.json()["executions"]
    assert item["workflow_execution_id"] == execution_id and "created_at" in item


async def test_invalid_inputs_are_400_with_the_grpc_field_violations(
    server: DataflowServer, http: httpx.AsyncClient
) -> None:
    workflow_id = await create(http)
    refused = await http.post(
        f"/workflows/{workflow_id}/executions", json={"inputs": {"txt": "Hi"}}
    )
    body = problem(refused, 400, "INVALID_ARGUMENT")
    over_http = {v["field"]: v["description"] for v in body["field_violations"]}
    async with grpc.aio.insecure_channel(server.address) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await stubs(channel).executions.ExecuteWorkflow(
                execution_service_pb2.ExecuteWorkflowRequest(
                    workflow_id=workflow_id, inputs={"txt": "Hi"}
                )
            )
    assert over_http == violations(error.value)
    assert set(over_http) == {"inputs.txt", "inputs.text"}
    # Nothing of a refused request is stored.
    listed = await http.get(f"/workflows/{workflow_id}/executions")
    assert listed.json() == {}


@pytest.mark.parametrize(
    ("content", "headers", "status", "code"),
    [
        (b'{"inputs": ', {"content-type": "application/json"}, 400, "INVALID_ARGUMENT"),
        (
            b'{"inputs": {"text": NaN}}',
            {"content-type": "application/json"},
            400,
            "INVALID_ARGUMENT",
        ),
        (b"[1, 2]", {"content-type": "application/json"}, 400, "INVALID_ARGUMENT"),
        (
            b'{"inputs": {"text": 1e400}}',
            {"content-type": "application/json"},
            400,
            "INVALID_ARGUMENT",
        ),
        (
            b'{"inputs": {"text": "\\ud800"}}',
            {"content-type": "application/json"},
            400,
            "INVALID_ARGUMENT",
        ),
        (b"[" * 5000 + b"]" * 5000, {"content-type": "application/json"}, 400, "INVALID_ARGUMENT"),
        (
            b'{"inputs": {}, "bogus": 1}',
            {"content-type": "application/json"},
            400,
            "INVALID_ARGUMENT",
        ),
        (b'{"inputs": "text"}', {"content-type": "application/json"}, 400, "INVALID_ARGUMENT"),
        (b'{"inputs": {"text": "Hi"}}', {"content-type": "text/plain"}, 415, "INVALID_ARGUMENT"),
        (
            b"inputs=1",
            {"content-type": "application/x-www-form-urlencoded"},
            415,
            "INVALID_ARGUMENT",
        ),
    ],
)
async def test_malformed_bodies_are_refused_cleanly(
    http: httpx.AsyncClient, content: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    workflow_id = await create(http)
    response = await http.post(
        f"/workflows/{workflow_id}/executions", content=content, headers=headers
    )
    problem(response, status, code)
    assert (await http.get(f"/workflows/{workflow_id}/executions")).json() == {}


async def test_unknown_paths_methods_and_parameters(http: httpx.AsyncClient) -> None:
    problem(await http.get("/no/such/path"), 404, "NOT_FOUND")
    problem(await http.delete("/task-types"), 405, "UNIMPLEMENTED")
    bad = problem(await http.get("/workflows", params={"page_sise": "2"}), 400, "INVALID_ARGUMENT")
    assert bad["field_violations"][0]["field"] == "page_sise"
    bad = problem(await http.get("/workflows", params={"page_size": "x"}), 400, "INVALID_ARGUMENT")
    assert bad["field_violations"][0]["field"] == "page_size"
    bad = problem(await http.get("/workflows", params={"page_size": "-1"}), 400, "INVALID_ARGUMENT")
    assert bad["field_violations"][0]["field"] == "page_size"
    bad = problem(
        await http.get("/workflows", params={"show_archived": "maybe"}), 400, "INVALID_ARGUMENT"
    )
    assert bad["field_violations"][0]["field"] == "show_archived"
    numbered = await http.get("/workflows/wf-doesnotexist/executions", params={"status": "99"})
    bad = problem(numbered, 400, "INVALID_ARGUMENT")
    assert bad["field_violations"][0]["field"] == "status"
    bad = problem(
        await http.get("/workflows", params={"page_size": "99999999999"}), 400, "INVALID_ARGUMENT"
    )
    assert bad["field_violations"][0]["field"] == "page_size"
    problem(await http.get("/workflows/wf-doesnotexist"), 404, "NOT_FOUND")
    problem(await http.get("/workflows/wf-doesnotexist/executions"), 404, "NOT_FOUND")
    response = await http.get("/task-types", headers={"X-Request-Id": "trace-42"})
    assert response.headers["x-request-id"] == "trace-42"


async def test_workflows_list_get_update_archive(http: httpx.AsyncClient) -> None:
    first = await create(http)
    second = await create(http)
    page = (await http.get("/workflows", params={"page_size": 1})).json()
    assert [w["workflow_id"] for w in page["workflows"]] == [second]
    rest = (await http.get("/workflows", params={"page_token": page["next_page_token"]})).json()
    assert [w["workflow_id"] for w in rest["workflows"]] == [first]

    changed = hello_world() | {"title": "Hello again"}
    updated = await http.put(f"/workflows/{first}", json=changed)
    assert updated.status_code == 200, updated.text
    assert updated.json() == {"workflow_id": first, "workflow_version": 2}
    latest = (await http.get(f"/workflows/{first}")).json()
    assert latest["title"] == "Hello again" and latest["workflow_version"] == 2
    v1 = (await http.get(f"/workflows/{first}", params={"workflow_version": 1})).json()
    assert v1["title"] == "Hello World Workflow"

    archived = await http.delete(f"/workflows/{first}")
    assert archived.status_code == 200
    assert archived.json()["state"] == "WORKFLOW_STATE_ARCHIVED"
    refused = await http.post(f"/workflows/{first}/executions", json={"inputs": {"text": "x"}})
    problem(refused, 409, "FAILED_PRECONDITION")
    shown = (await http.get("/workflows", params={"show_archived": "true"})).json()
    assert {w["workflow_id"] for w in shown["workflows"]} == {first, second}
    assert [w["workflow_id"] for w in (await http.get("/workflows")).json()["workflows"]] == [
        second
    ]

    invalid = await http.post("/workflows", json={"title": "x", "tasks": [{"name": "t"}]})
    body = problem(invalid, 400, "INVALID_ARGUMENT")
    assert any(v["field"].startswith("tasks[0]") for v in body["field_violations"])


async def test_idempotency_key_header(http: httpx.AsyncClient) -> None:
    workflow_id = await create(http)
    url = f"/workflows/{workflow_id}/executions"
    key = {"Idempotency-Key": "order-7"}
    first = await http.post(url, json={"inputs": {"text": "a"}}, headers=key)
    again = await http.post(url, json={"inputs": {"text": "a"}}, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["workflow_execution_id"] == again.json()["workflow_execution_id"]
    other = await http.post(url, json={"inputs": {"text": "b"}}, headers=key)
    problem(other, 409, "ALREADY_EXISTS")
    assert len((await http.get(url)).json()["executions"]) == 1


async def test_cancel_retry_and_list_filters(http: httpx.AsyncClient, recorder: Recorder) -> None:
    workflow_id = await create(http, HELD)
    started = await http.post(f"/workflows/{workflow_id}/executions", json={})
    execution = started.json()["workflow_execution_id"]
    path = f"/workflows/{workflow_id}/executions/{execution}"
    await asyncio.wait_for(recorder.started.wait(), 30)

    other = await create(http, HELD)
    problem(await http.post(f"/workflows/{other}/executions/{execution}/cancel"), 404, "NOT_FOUND")
    cancelled = await http.post(f"{path}/cancel", json={"reason": "enough"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] in ("RUNNING", "CANCELLED")
    problem(await http.post(f"{path}/cancel"), 409, "FAILED_PRECONDITION")
    final = (await http.get(path)).json()
    assert final["status"] == "CANCELLED"

    by_status = await http.get(
        f"/workflows/{workflow_id}/executions",
        params={"status": "CANCELLED", "view": "EXECUTION_VIEW_FULL"},
    )
    (listed,) = by_status.json()["executions"]
    assert listed["tasks"][0]["status"] == "CANCELLED"
    assert (
        await http.get(f"/workflows/{workflow_id}/executions", params={"status": "COMPLETED"})
    ).json() == {}
    problem(
        await http.get(f"/workflows/{workflow_id}/executions", params={"status": "DONE"}),
        400,
        "INVALID_ARGUMENT",
    )

    recorder.release.set()
    retried = await http.post(f"{path}/retry")
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "PENDING"


async def test_files_upload_metadata_download(http: httpx.AsyncClient) -> None:
    content = bytes(range(256)) * 5000  # > 1 MiB: several upload messages
    uploaded = await http.post(
        "/files",
        params={"name": "blob.bin"},
        content=content,
        headers={"content-type": "application/octet-stream"},
    )
    assert uploaded.status_code == 201, uploaded.text
    file = uploaded.json()
    assert file["size_bytes"] == str(len(content))  # int64: a string in proto3 JSON
    assert uploaded.headers["location"] == f"/files/{file['file_id']}"
    assert (await http.get(f"/files/{file['file_id']}")).json() == file

    downloaded = await http.get(f"/files/{file['file_id']}/content")
    assert downloaded.status_code == 200
    assert downloaded.content == content
    assert downloaded.headers["content-type"] == "application/octet-stream"
    assert downloaded.headers["content-length"] == str(len(content))
    assert "blob.bin" in downloaded.headers["content-disposition"]

    mismatch = await http.post(
        "/files",
        params={"name": "x.txt", "size_bytes": "3"},
        content=b"four",
    )
    problem(mismatch, 400, "INVALID_ARGUMENT")
    garbled = await http.post(
        "/files",
        params={"name": "x.txt"},
        content=b"abc",
        headers={"content-type": "\u00b3".encode("latin-1")},
    )
    bad_type = problem(garbled, 400, "INVALID_ARGUMENT")
    assert bad_type["field_violations"][0]["field"] == "metadata.content_type"
    problem(await http.get("/files/file-nothere1234/content"), 404, "NOT_FOUND")


async def test_task_types_health_and_readiness(
    server: DataflowServer, http: httpx.AsyncClient
) -> None:
    names = [t["name"] for t in (await http.get("/task-types")).json()["task_types"]]
    assert "openai.audio.tts" in names and names == sorted(names)
    assert (await http.get("/healthz")).json() == {"status": "SERVING"}
    assert (await http.get("/readyz")).status_code == 200
    assert server.readiness is not None
    server.readiness.serving = False  # what stop() does first when draining
    problem(await http.get("/readyz"), 503, "UNAVAILABLE")
    server.readiness.serving = True


async def test_a_body_over_the_limit_is_413_before_it_is_read(server: DataflowServer) -> None:
    assert server.http is not None
    small = HttpApi(server.http.api.servicers, Readiness(serving=True), max_body_bytes=1024)
    edge = await start_http_server(small, "127.0.0.1:0")
    try:
        async with httpx.AsyncClient(base_url=f"http://{edge.address}") as http:
            response = await http.post("/workflows", json={"title": "x" * 2048})
            body = problem(response, 413, "RESOURCE_EXHAUSTED")
            assert "1024 bytes" in body["detail"]
            assert (await http.get("/workflows")).json() == {}  # nothing stored
    finally:
        await edge.stop(grace=1.0)


async def test_a_busy_http_port_fails_the_start(server: DataflowServer) -> None:
    assert server.http is not None
    api = HttpApi(server.http.api.servicers, Readiness(), max_body_bytes=1024)
    with pytest.raises(OSError, match="cannot listen for HTTP"):
        await start_http_server(api, server.http.address)


async def test_executing_with_wait_answers_with_the_outcome(http: httpx.AsyncClient) -> None:
    chain = {
        "title": "two templates",
        "inputs": [{"name": "name", "type": "text"}],
        "tasks": [
            {"name": "a", "type": "text.template", "inputs": {"template": "<{{inputs.name}}>"}},
            {
                "name": "b",
                "type": "text.template",
                "inputs": {"template": "{{tasks.a.outputs.text}}!"},
            },
        ],
        "outputs": [{"name": "text", "type": "text", "value": "{{tasks.b.outputs.text}}"}],
    }
    workflow_id = await create(http, chain)
    path = f"/workflows/{workflow_id}/executions"
    done = await http.post(path, json={"inputs": {"name": "Ada"}, "wait": "20s"})
    assert done.status_code == 201, done.text
    body = done.json()
    assert body["status"] == "COMPLETED"
    assert body["execution"]["status"] == "COMPLETED"
    assert body["execution"]["outputs"] == {"text": "<Ada>!"}
    assert done.headers["location"] == f"{path}/{body['workflow_execution_id']}"

    for wait, why in (("61s", "between 0s and 60s"), ("-1s", "between 0s and 60s")):
        refused = problem(
            await http.post(path, json={"inputs": {"name": "x"}, "wait": wait}),
            400,
            "INVALID_ARGUMENT",
        )
        assert why in {v["field"]: v["description"] for v in refused["field_violations"]}["wait"]
    problem(
        await http.post(path, json={"inputs": {"name": "x"}, "wait": "soon"}),
        400,
        "INVALID_ARGUMENT",
    )
    listed = (await http.get(path)).json()
    assert [e["workflow_execution_id"] for e in listed["executions"]] == [
        body["workflow_execution_id"]
    ]
