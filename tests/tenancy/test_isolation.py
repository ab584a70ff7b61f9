"""Tenants cannot see each other: the "other tenant" column of the auth matrix.

A real server that requires keys, on SQLite and PostgreSQL; tenant A owns a
workflow, an execution (with a webhook delivery and a file input) and a file.
For every RPC and HTTP route that takes an id, tenant B asking for A's id gets
exactly what B gets for an id that does not exist (same code, same message
once the id is blanked), while A itself is served. Lists, page tokens, watch
streams, SSE, delivery lists and downloads never show A's data to B, and the
same request_id in both tenants makes two executions.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import grpc
import httpx
import pytest
import pytest_asyncio
from google.protobuf import json_format, message_factory
from google.protobuf.message import Message

from dataflow.v1 import (
    execution_service_pb2,
    file_service_pb2,
    secret_service_pb2,
    secret_service_pb2_grpc,
    webhook_service_pb2,
    webhook_service_pb2_grpc,
    workflow_service_pb2,
)
from dataflow_server.api.http.routes import SERVICES, HttpRoute, http_routes
from dataflow_server.domain import ids
from dataflow_server.server import DataflowServer
from dataflow_server.store.outbox import new_webhook_id
from tests.support.api import Stubs, create_request, stubs
from tests.support.keys import AUTH_REQUIRED, IssuedKey, issue_test_key
from tests.support.receiver import Receiver

pytestmark = pytest.mark.parametrize(
    "server_settings", [AUTH_REQUIRED | {"allow_private_networks": True}]
)

SECRET_TEXT = "tenant-a-only-7f3c"
WORKFLOW = {
    "title": "Isolated",
    "inputs": [{"name": "text", "type": "text"}, {"name": "doc", "type": "file"}],
    "tasks": [{"name": "say", "type": "text.template", "inputs": {"template": "{{inputs.text}}"}}],
    "outputs": [
        {"name": "said", "type": "text", "value": "{{tasks.say.outputs.text}}"},
        {"name": "document", "type": "file", "value": "{{inputs.doc}}"},
    ],
}
ID_FIELDS = ("workflow_id", "workflow_execution_id", "file_id", "webhook_id")
# Tenant A's secret: routes that name a secret ({name}) are checked like id routes.
OWNED_SECRET = "tenant_a_token"
TERMINAL = ["execution.completed", "execution.failed", "execution.cancelled"]


@dataclass(frozen=True)
class Owned:
    """Tenant A's resources, by the request field that names each."""

    workflow_id: str
    workflow_execution_id: str
    file_id: str
    webhook_id: str

    def ids(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in ID_FIELDS}


def missing_ids() -> dict[str, str]:
    """Well-formed ids that name nothing (in any tenant)."""
    return {
        "workflow_id": ids.new_id(ids.WORKFLOW),
        "workflow_execution_id": ids.new_id(ids.EXECUTION),
        "file_id": ids.new_id(ids.FILE),
        "webhook_id": new_webhook_id(),
    }


@dataclass
class Tenants:
    a: IssuedKey
    b: IssuedKey
    api: Stubs
    webhooks: webhook_service_pb2_grpc.WebhookServiceStub
    owned: Owned
    webhook_url: str


async def upload(api: Stubs, key: IssuedKey, data: bytes) -> str:
    async def messages() -> AsyncIterator[file_service_pb2.UploadFileRequest]:
        yield file_service_pb2.UploadFileRequest(
            metadata=file_service_pb2.UploadFileMetadata(name="a.txt", content_type="text/plain")
        )
        yield file_service_pb2.UploadFileRequest(data=data)

    reply = await api.files.UploadFile(messages(), metadata=key.metadata)
    return str(reply.file.file_id)


async def execute(
    api: Stubs, key: IssuedKey, workflow_id: str, file_id: str, **kw: Any
) -> execution_service_pb2.ExecuteWorkflowResponse:
    request = json_format.ParseDict(
        {
            "workflow_id": workflow_id,
            "inputs": {"text": SECRET_TEXT, "doc": {"file_id": file_id}},
            **kw,
        },
        execution_service_pb2.ExecuteWorkflowRequest(),
    )
    reply: execution_service_pb2.ExecuteWorkflowResponse = await api.executions.ExecuteWorkflow(
        request, metadata=key.metadata
    )
    return reply


async def watch_to_the_end(api: Stubs, key: IssuedKey, execution_id: str) -> list[Any]:
    call = api.executions.WatchExecution(
        execution_service_pb2.WatchExecutionRequest(workflow_execution_id=execution_id),
        metadata=key.metadata,
    )
    return [m.event async for m in call]


@pytest_asyncio.fixture
async def tenants(server: DataflowServer, channel: grpc.aio.Channel, receiver: Receiver) -> Tenants:
    a = await issue_test_key(server, tenant="tenant-a", scope="admin")
    b = await issue_test_key(server, tenant="tenant-b", scope="admin")
    api = stubs(channel)
    created = await api.workflows.CreateWorkflow(create_request(WORKFLOW), metadata=a.metadata)
    file_id = await upload(api, a, b"content of tenant a")
    run = await execute(
        api,
        a,
        created.workflow_id,
        file_id,
        monitoring={"webhook": receiver.url},
        request_id="same-key",
    )
    events = await asyncio.wait_for(watch_to_the_end(api, a, run.workflow_execution_id), 30)
    assert events[-1].type == "execution.completed"
    webhooks = webhook_service_pb2_grpc.WebhookServiceStub(channel)
    deliveries = await webhooks.ListWebhookDeliveries(
        webhook_service_pb2.ListWebhookDeliveriesRequest(
            workflow_execution_id=run.workflow_execution_id
        ),
        metadata=a.metadata,
    )
    assert deliveries.deliveries
    await secret_service_pb2_grpc.SecretServiceStub(channel).SetSecret(
        secret_service_pb2.SetSecretRequest(name=OWNED_SECRET, value="value of tenant a"),
        metadata=a.metadata,
    )
    owned = Owned(
        created.workflow_id,
        run.workflow_execution_id,
        file_id,
        deliveries.deliveries[0].webhook_id,
    )
    return Tenants(a, b, api, webhooks, owned, receiver.url)


# --- gRPC: every RPC that takes an id ------------------------------------------------


def _request(method: Any, values: dict[str, str]) -> bytes:
    message: Message = message_factory.GetMessageClass(method.input_type)()
    for name in ID_FIELDS:
        if name in method.input_type.fields_by_name:
            setattr(message, name, values[name])
    return message.SerializeToString()


async def _grpc_answer(
    channel: grpc.aio.Channel, method: Any, body: bytes, key: IssuedKey
) -> tuple[grpc.StatusCode, str]:
    path = f"/{method.containing_service.full_name}/{method.name}"
    try:
        if method.server_streaming:
            call = channel.unary_stream(path)(body, metadata=key.metadata, timeout=15)
            async for _ in call:
                pass
        else:
            await channel.unary_unary(path)(body, metadata=key.metadata, timeout=15)
    except grpc.aio.AioRpcError as exc:
        return exc.code(), exc.details() or ""
    return grpc.StatusCode.OK, ""


def _blank(text: str, values: dict[str, str]) -> str:
    for value in values.values():
        text = text.replace(value, "<id>")
    return text


ID_METHODS = [
    m
    for service in SERVICES
    for m in service.methods
    if not m.client_streaming and set(ID_FIELDS) & set(m.input_type.fields_by_name)
]


async def test_every_rpc_answers_another_tenants_id_like_a_missing_one(
    channel: grpc.aio.Channel, tenants: Tenants
) -> None:
    assert len(ID_METHODS) >= 12
    owned = tenants.owned.ids()
    # Mutating RPCs last, so that A's own answers are from the state above.
    for method in sorted(ID_METHODS, key=lambda m: m.name in ("DeleteWorkflow",)):
        missing = missing_ids()
        foreign_code, foreign = await _grpc_answer(
            channel, method, _request(method, owned), tenants.b
        )
        missing_code, absent = await _grpc_answer(
            channel, method, _request(method, missing), tenants.b
        )
        where = (method.full_name, foreign, absent)
        assert foreign_code == missing_code, where
        assert foreign_code in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT), where
        assert _blank(foreign, owned) == _blank(absent, missing), where
        assert SECRET_TEXT not in foreign
        # A itself is served (or refused for another reason than existence).
        own_code, own = await _grpc_answer(channel, method, _request(method, owned), tenants.a)
        assert own_code != grpc.StatusCode.NOT_FOUND, (method.full_name, own)


async def test_another_tenants_file_cannot_be_an_input(tenants: Tenants) -> None:
    api, b = tenants.api, tenants.b
    b_workflow = await api.workflows.CreateWorkflow(create_request(WORKFLOW), metadata=b.metadata)
    answers = []
    for file_id in (tenants.owned.file_id, ids.new_id(ids.FILE)):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await execute(api, b, b_workflow.workflow_id, file_id)
        answers.append((refused.value.code(), (refused.value.details() or "").replace(file_id, "")))
    assert answers[0] == answers[1]
    assert answers[0][0] == grpc.StatusCode.INVALID_ARGUMENT


async def test_lists_and_page_tokens_never_show_another_tenant(tenants: Tenants) -> None:
    api, a, b = tenants.api, tenants.a, tenants.b
    await api.workflows.CreateWorkflow(create_request(WORKFLOW), metadata=a.metadata)
    b_workflow = await api.workflows.CreateWorkflow(create_request(WORKFLOW), metadata=b.metadata)

    first = await api.workflows.ListWorkflows(
        workflow_service_pb2.ListWorkflowsRequest(page_size=1), metadata=a.metadata
    )
    assert first.next_page_token
    a_ids = {w.workflow_id for w in first.workflows}
    page = first
    while page.next_page_token:
        page = await api.workflows.ListWorkflows(
            workflow_service_pb2.ListWorkflowsRequest(page_size=1, page_token=page.next_page_token),
            metadata=a.metadata,
        )
        a_ids |= {w.workflow_id for w in page.workflows}
    assert tenants.owned.workflow_id in a_ids and b_workflow.workflow_id not in a_ids

    listed = await api.workflows.ListWorkflows(
        workflow_service_pb2.ListWorkflowsRequest(), metadata=b.metadata
    )
    assert [w.workflow_id for w in listed.workflows] == [b_workflow.workflow_id]
    # A's page token replayed by B: B's rows only.
    replayed = await api.workflows.ListWorkflows(
        workflow_service_pb2.ListWorkflowsRequest(page_token=first.next_page_token),
        metadata=b.metadata,
    )
    assert {w.workflow_id for w in replayed.workflows} <= {b_workflow.workflow_id}

    executions = await api.executions.ListExecutions(
        execution_service_pb2.ListExecutionsRequest(workflow_id=b_workflow.workflow_id),
        metadata=b.metadata,
    )
    assert list(executions.executions) == []


async def test_the_same_request_id_in_two_tenants_makes_two_executions(
    tenants: Tenants,
) -> None:
    api, a, b = tenants.api, tenants.a, tenants.b
    b_workflow = await api.workflows.CreateWorkflow(create_request(WORKFLOW), metadata=b.metadata)
    b_file = await upload(api, b, b"content of tenant b")
    in_b = await execute(api, b, b_workflow.workflow_id, b_file, request_id="same-key")
    assert in_b.workflow_execution_id != tenants.owned.workflow_execution_id
    assert in_b.workflow_id == b_workflow.workflow_id
    # A's repeat still answers A's original, B's answers B's.
    again = await execute(
        api,
        a,
        tenants.owned.workflow_id,
        tenants.owned.file_id,
        monitoring={"webhook": tenants.webhook_url},
        request_id="same-key",
    )
    assert again.workflow_execution_id == tenants.owned.workflow_execution_id
    b_again = await execute(api, b, b_workflow.workflow_id, b_file, request_id="same-key")
    assert b_again.workflow_execution_id == in_b.workflow_execution_id


async def test_watch_and_outputs_stay_in_their_tenant(tenants: Tenants) -> None:
    """A's watch replays A's execution; B's execution of its own file outputs B's file."""
    api, a, b = tenants.api, tenants.a, tenants.b
    replay = await asyncio.wait_for(
        watch_to_the_end(api, a, tenants.owned.workflow_execution_id), 30
    )
    assert [e.sequence for e in replay] == list(range(1, len(replay) + 1))
    final = replay[-1].execution
    assert final.outputs["said"] == SECRET_TEXT
    assert final.outputs["document"]["file_id"] == tenants.owned.file_id

    b_workflow = await api.workflows.CreateWorkflow(create_request(WORKFLOW), metadata=b.metadata)
    b_file = await upload(api, b, b"content of tenant a")  # the same bytes, B's own file
    run = await execute(api, b, b_workflow.workflow_id, b_file, request_id="b-run")
    events = await asyncio.wait_for(watch_to_the_end(api, b, run.workflow_execution_id), 30)
    assert events[-1].execution.outputs["document"]["file_id"] == b_file
    downloaded = [
        m
        async for m in api.files.DownloadFile(
            file_service_pb2.DownloadFileRequest(file_id=b_file), metadata=b.metadata
        )
    ]
    assert b"".join(m.data for m in downloaded) == b"content of tenant a"


# --- HTTP: every route that takes an id (SSE and downloads included) ------------------


def _url(route: HttpRoute, values: dict[str, str]) -> str:
    return re.sub(r"\{([a-z_]+)\}", lambda m: values[m.group(1)], route.path)


async def _http_answer(
    client: httpx.AsyncClient, route: HttpRoute, values: dict[str, str], key: IssuedKey
) -> httpx.Response:
    headers = dict(key.headers)
    body = b"{}" if route.body else None
    if body is not None:
        headers["Content-Type"] = "application/json"
    return await client.request(route.verb, _url(route, values), headers=headers, content=body)


def _problem(answer: httpx.Response, values: dict[str, str]) -> dict[str, Any]:
    """The problem document with the ids blanked, without its per-request id."""
    problem = dict(json.loads(_blank(answer.text, values)))
    assert problem.pop("request_id")
    return problem


async def test_every_http_route_answers_another_tenants_id_like_a_missing_one(
    server: DataflowServer, tenants: Tenants
) -> None:
    assert server.http is not None
    # SetSecret looks nothing up: B setting A's secret's name creates B's own secret.
    routes = [r for r in http_routes() if "{" in r.path and not r.full_name.endswith(".SetSecret")]
    assert len(routes) >= 14
    owned = {**tenants.owned.ids(), "name": OWNED_SECRET}
    async with httpx.AsyncClient(base_url=f"http://{server.http.address}", timeout=15) as client:
        for route in sorted(routes, key=lambda r: r.verb == "DELETE"):
            missing = {**missing_ids(), "name": f"never_set_{uuid.uuid4().hex[:8]}"}
            foreign = await _http_answer(client, route, owned, tenants.b)
            absent = await _http_answer(client, route, missing, tenants.b)
            where = (route.verb, route.path, foreign.text[:300], absent.text[:300])
            assert foreign.status_code == absent.status_code, where
            assert foreign.status_code in (404, 400), where
            assert _problem(foreign, owned) == _problem(absent, missing), where
            assert foreign.headers.get("content-type") == absent.headers.get("content-type")
            assert SECRET_TEXT not in foreign.text
            own = await _http_answer(client, route, owned, tenants.a)
            assert own.status_code != 404, (route.verb, route.path, own.text[:300])


async def test_sse_and_downloads_serve_their_owner_only(
    server: DataflowServer, tenants: Tenants
) -> None:
    assert server.http is not None
    o = tenants.owned
    events = f"/workflows/{o.workflow_id}/executions/{o.workflow_execution_id}/events"
    content = f"/files/{o.file_id}/content"
    async with httpx.AsyncClient(base_url=f"http://{server.http.address}", timeout=15) as client:
        stream = await client.get(events, headers=tenants.a.headers)
        assert stream.status_code == 200 and "execution.completed" in stream.text
        assert SECRET_TEXT in stream.text
        refused = await client.get(events, headers=tenants.b.headers)
        assert refused.status_code == 404 and SECRET_TEXT not in refused.text
        assert (await client.get(content, headers=tenants.a.headers)).content == (
            b"content of tenant a"
        )
        refused = await client.get(content, headers=tenants.b.headers)
        assert refused.status_code == 404 and b"content of tenant a" not in refused.content
