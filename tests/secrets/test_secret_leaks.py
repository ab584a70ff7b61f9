"""A planted secret value is used by the tasks that reference it, and appears nowhere
else: not in the database files (SQLite and its WAL) or rows (PostgreSQL), the
server's log, any gRPC or HTTP response, event, or webhook body, after workflows
that succeed and fail, including providers that echo it back."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import grpc
import httpx
from google.protobuf import json_format
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from dataflow.v1 import (
    execution_pb2,
    execution_service_pb2,
    secret_service_pb2,
    secret_service_pb2_grpc,
    webhook_service_pb2,
    webhook_service_pb2_grpc,
)
from dataflow_server.store.database import normalize_database_url
from dataflow_server.store.models import metadata
from tests.net.loopback import Recorded, Reply, loopback_server
from tests.support.api import create_request, stubs, wait_terminal
from tests.support.openai_server import FakeOpenAI
from tests.support.receiver import Receiver
from tests.support.servers import new_server_process

ES = execution_service_pb2
TOKEN = "tok-planted-" + "Xy7q" * 8
OPENAI_KEY = "sk-tenant-planted-" + "Lm3p" * 8


def echo(request: Recorded) -> Reply:
    """Echoes the Authorization header it got in a header and the body; /fail with a 400."""
    seen = request.headers.get("authorization", "")
    status = 400 if request.target.startswith("/fail") else 200
    return Reply(status, [("X-Echo", seen), ("Content-Type", "text/plain")], seen.encode())


def http_workflow(url: str, allow_error: bool) -> dict[str, Any]:
    return {
        "title": "calls an API with a secret",
        "tasks": [
            {
                "name": "call",
                "type": "http.request",
                "inputs": {
                    "url": url,
                    "headers": {"Authorization": "Bearer {{secrets.api_token}}"},
                    "allow_error_status": allow_error,
                },
                "retry": {"max_attempts": 1},
            },
            {
                "name": "quote",
                "type": "text.template",
                "inputs": {"template": "got {{tasks.call.outputs.body}}"},
            },
        ],
        "outputs": [
            {"name": "body", "type": "text", "value": "{{tasks.call.outputs.body}}"},
            {"name": "headers", "type": "json", "value": "{{tasks.call.outputs.headers}}"},
            {"name": "quote", "type": "text", "value": "{{tasks.quote.outputs.text}}"},
        ],
    }


CHAT = {
    "title": "chat on the tenant's account",
    "tasks": [
        {
            "name": "t",
            "type": "openai.chat.completion",
            "inputs": {"prompt": "hi"},
            "retry": {"max_attempts": 1},
        }
    ],
    "outputs": [{"name": "text", "type": "text", "value": "{{tasks.t.outputs.text}}"}],
}


async def test_a_planted_secret_appears_nowhere(
    database_url: str, tmp_path: Path, receiver: Receiver, openai_server: FakeOpenAI
) -> None:
    proc = new_server_process(
        database_url,
        tmp_path / "data",
        {
            **openai_server.env(),
            "DATAFLOW_ALLOW_PRIVATE_NETWORKS": "true",
            # The upstream requests are counted: a lease lost on a busy machine (the
            # default 2 s of tests/support/servers.py) would run a task twice.
            "DATAFLOW_LEASE_SECONDS": "30",
        },
    )
    proc.start()
    openai_server.other_keys.add(OPENAI_KEY)
    seen: list[str] = []
    try:
        async with grpc.aio.insecure_channel(proc.address) as channel, loopback_server(echo) as web:
            api = stubs(channel)
            secrets = secret_service_pb2_grpc.SecretServiceStub(channel)
            for name, value in (("api_token", TOKEN), ("openai_api_key", OPENAI_KEY)):
                reply = await secrets.SetSecret(
                    secret_service_pb2.SetSecretRequest(name=name, value=value)
                )
                seen.append(json_format.MessageToJson(reply))
            runs = [
                (http_workflow(web.url("/ok"), allow_error=False), "COMPLETED"),
                (http_workflow(web.url("/fail"), allow_error=False), "FAILED"),
                (CHAT, "COMPLETED"),
                (CHAT, "FAILED"),  # the provider echoes the key in its error
            ]
            ids: list[tuple[str, str]] = []
            for definition, expected in runs:
                if expected == "FAILED" and definition is CHAT:
                    openai_server.fail_next(400, message="bad key {authorization}")
                created = await api.workflows.CreateWorkflow(create_request(definition))
                request = ES.ExecuteWorkflowRequest(workflow_id=created.workflow_id)
                request.monitoring.webhook = receiver.url
                started = await api.executions.ExecuteWorkflow(request)
                await wait_terminal(api, started.workflow_execution_id)
                ids.append((created.workflow_id, started.workflow_execution_id))
                seen.append(json_format.MessageToJson(started))
                got = await api.executions.GetExecution(
                    ES.GetExecutionRequest(workflow_execution_id=started.workflow_execution_id)
                )
                status = got.execution.Status.Name(got.execution.status)
                assert status == expected, (definition["title"], got.execution.error)

            # Positive controls: the value did reach the upstreams, and came back masked.
            assert [r.headers["authorization"] for r in web.requests] == [f"Bearer {TOKEN}"] * 2
            chats = openai_server.requests_to("/chat/completions")
            assert [r.headers["authorization"] for r in chats] == [f"Bearer {OPENAI_KEY}"] * 2
            assert OPENAI_KEY.encode() in chats[-1].response  # echoed in the error body

            seen += await _everything_readable(channel, proc.http_address, ids)
            await _wait_for_webhooks(receiver, len(ids))
    finally:
        proc.kill()
    seen += [r.body.decode() for r in receiver.delivered()]
    seen.append(proc.log())
    joined = "\n".join(seen)
    assert "Bearer ***" in joined  # masked where an upstream echoed it
    assert TOKEN not in joined and OPENAI_KEY not in joined
    stored = await _stored_bytes(database_url, tmp_path / "data")
    assert stored  # the check below looked at something
    for value in (TOKEN, OPENAI_KEY):
        assert value.encode() not in stored
        assert value.encode("utf-16-le") not in stored


async def _everything_readable(
    channel: grpc.aio.Channel, http_address: str, ids: list[tuple[str, str]]
) -> list[str]:
    """Every answer a client can get about the executions, as text."""
    api = stubs(channel)
    webhooks = webhook_service_pb2_grpc.WebhookServiceStub(channel)
    found: list[str] = []
    async with httpx.AsyncClient(base_url=f"http://{http_address}") as http:
        for workflow_id, execution_id in ids:
            got = await api.executions.GetExecution(
                ES.GetExecutionRequest(workflow_execution_id=execution_id)
            )
            found.append(json_format.MessageToJson(got))
            async for message in api.executions.WatchExecution(
                ES.WatchExecutionRequest(workflow_execution_id=execution_id)
            ):
                found.append(json_format.MessageToJson(message))
            listed = await api.executions.ListExecutions(
                ES.ListExecutionsRequest(
                    workflow_id=workflow_id, view=execution_pb2.EXECUTION_VIEW_FULL
                )
            )
            found.append(json_format.MessageToJson(listed))
            deliveries = await webhooks.ListWebhookDeliveries(
                webhook_service_pb2.ListWebhookDeliveriesRequest(workflow_execution_id=execution_id)
            )
            found.append(json_format.MessageToJson(deliveries))
            for path in (
                f"/workflows/{workflow_id}",
                f"/workflows/{workflow_id}/executions/{execution_id}",
                f"/workflows/{workflow_id}/executions/{execution_id}/events",
            ):
                found.append((await http.get(path)).text)
        found.append((await http.get("/secrets")).text)
    return found


async def _wait_for_webhooks(receiver: Receiver, executions: int) -> None:
    """Until every execution's terminal event was delivered (bounded)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        bodies = [json.loads(r.body) for r in receiver.delivered()]
        terminal = [b for b in bodies if b["type"] in ("execution.completed", "execution.failed")]
        if len(terminal) >= executions:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"webhooks not delivered: {len(receiver.delivered())}")


async def _stored_bytes(database_url: str, data_dir: Path) -> bytes:
    """Every byte the server stored: its data dir's files (the SQLite database, WAL,
    file store) and, on PostgreSQL, every row of every table as text."""
    chunks = await asyncio.to_thread(
        lambda: [p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()]
    )
    if database_url.startswith("postgresql"):
        engine = create_async_engine(normalize_database_url(database_url))
        try:
            async with engine.connect() as conn:
                for table in metadata.sorted_tables:
                    rows = await conn.execute(text(f"SELECT t::text FROM {table.name} t"))
                    chunks += [row[0].encode() for row in rows]
        finally:
            await engine.dispose()
    return b"\n".join(chunks)
