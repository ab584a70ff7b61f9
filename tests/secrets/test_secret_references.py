"""`{{secrets.NAME}}` in task inputs, on a real server (SQLite and PostgreSQL): the
static checks at CreateWorkflow / UpdateWorkflow / ExecuteWorkflow, resolution inside
the running task, OpenAI accounts per tenant secret, and values stored under
another key failing cleanly."""

from __future__ import annotations

import base64
import dataclasses
import os
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from dataflow.v1 import (
    execution_pb2,
    execution_service_pb2,
    secret_service_pb2,
    secret_service_pb2_grpc,
    workflow_service_pb2,
)
from dataflow_server.config import Settings
from dataflow_server.server import DataflowServer, start_server
from tests.net.loopback import Recorded, Reply, loopback_server
from tests.support.api import Stubs, create_request, stubs, violations, wait_terminal
from tests.support.keys import AUTH_REQUIRED, issue_test_key
from tests.support.openai_server import FakeOpenAI

ES = execution_service_pb2
EX = execution_pb2.Execution
PRIVATE_OK = pytest.mark.parametrize(
    "server_settings", [{"allow_private_networks": True}], ids=["private-allowed"]
)


def request_with_header(header: str, url: str = "http://example.com/") -> dict[str, Any]:
    return {
        "title": "a request with a secret header",
        "tasks": [
            {
                "name": "call",
                "type": "http.request",
                "inputs": {"url": url, "headers": {"Authorization": header}},
                "retry": {"max_attempts": 1},
            }
        ],
        "outputs": [{"name": "body", "type": "text", "value": "{{tasks.call.outputs.body}}"}],
    }


def chat(**inputs: Any) -> dict[str, Any]:
    return {
        "title": "chat",
        "tasks": [
            {
                "name": "t",
                "type": "openai.chat.completion",
                "inputs": {"prompt": "hi", **inputs},
                "retry": {"max_attempts": 1},
            }
        ],
        "outputs": [{"name": "text", "type": "text", "value": "{{tasks.t.outputs.text}}"}],
    }


async def set_secret(channel: grpc.aio.Channel, name: str, value: str) -> None:
    await secret_service_pb2_grpc.SecretServiceStub(channel).SetSecret(
        secret_service_pb2.SetSecretRequest(name=name, value=value)
    )


async def refused(api: Stubs, definition: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await api.workflows.CreateWorkflow(create_request(definition))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    return violations(error.value)


async def run(api: Stubs, definition: dict[str, Any]) -> Any:
    created = await api.workflows.CreateWorkflow(create_request(definition))
    started = await api.executions.ExecuteWorkflow(
        ES.ExecuteWorkflowRequest(workflow_id=created.workflow_id)
    )
    await wait_terminal(api, started.workflow_execution_id)
    got = await api.executions.GetExecution(
        ES.GetExecutionRequest(workflow_execution_id=started.workflow_execution_id)
    )
    return got.execution


# ------------------------------------------------------------------ static checks


async def test_where_a_secret_may_go(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    await set_secret(channel, "token", "t0ken-value")
    # Unknown name: refused at the reference's path, nothing stored.
    unknown = await refused(api, request_with_header("Bearer {{secrets.nope}}"))
    assert (
        "references secret 'nope', which is not set"
        in unknown["tasks[0].inputs.headers.Authorization"]
    )
    # In an input that does not accept secrets, in an output, in a condition.
    leaky = {
        "title": "leaky",
        "tasks": [
            {"name": "t", "type": "text.template", "inputs": {"template": "{{secrets.token}}"}}
        ],
        "outputs": [
            {"name": "o", "type": "text", "value": "{{secrets.token}}"},
            {"name": "p", "type": "text", "value": "x {{secrets.token}}"},
        ],
    }
    found = await refused(api, leaky)
    for path in ("tasks[0].inputs.template", "outputs[0].value", "outputs[1].value"):
        assert "a secret goes only into task inputs that accept secrets" in found[path], path
    # A key written in a definition, or passed through an input, is refused.
    literal = await refused(api, chat(api_key="sk-in-the-definition"))
    assert "must be a reference to a secret alone" in literal["tasks[0].inputs.api_key"]
    via_input = chat(api_key="{{inputs.key}}")
    via_input["inputs"] = [{"name": "key", "type": "text"}]
    assert "tasks[0].inputs.api_key" in await refused(api, via_input)
    # A bad reference is a template syntax error with a hint.
    syntax = await refused(api, request_with_header("{{secrets.a.b}}"))
    assert "expected {{secrets.NAME}}" in syntax["tasks[0].inputs.headers.Authorization"]
    # What is allowed: a secret in a header, mixed with text, and as an api_key.
    await api.workflows.CreateWorkflow(create_request(request_with_header("B {{secrets.token}}")))
    await api.workflows.CreateWorkflow(create_request(chat(api_key="{{secrets.token}}")))
    listed = await api.workflows.ListWorkflows(workflow_service_pb2.ListWorkflowsRequest())
    assert len(listed.workflows) == 2  # the refused ones stored nothing


async def test_task_types_say_which_inputs_accept_secrets(channel: grpc.aio.Channel) -> None:
    reply = await stubs(channel).workflows.ListTaskTypes(
        workflow_service_pb2.ListTaskTypesRequest()
    )
    capable = {
        (t.name, f.name, f.secret_only)
        for t in reply.task_types
        for f in t.inputs
        if f.accepts_secrets
    }
    assert ("http.request", "headers", False) in capable
    assert ("openai.chat.completion", "api_key", True) in capable
    assert not [c for c in capable if c[1] not in ("headers", "api_key")]


async def test_execute_needs_the_secret_to_exist(channel: grpc.aio.Channel) -> None:
    api = stubs(channel)
    await set_secret(channel, "token", "t0ken-value")
    created = await api.workflows.CreateWorkflow(
        create_request(request_with_header("Bearer {{secrets.token}}"))
    )
    await secret_service_pb2_grpc.SecretServiceStub(channel).DeleteSecret(
        secret_service_pb2.DeleteSecretRequest(name="token")
    )
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await api.executions.ExecuteWorkflow(
            ES.ExecuteWorkflowRequest(workflow_id=created.workflow_id)
        )
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    found = violations(error.value)
    assert (
        "tasks[0].inputs.headers.Authorization references secret 'token'" in (found["workflow_id"])
    )
    listed = await api.executions.ListExecutions(
        ES.ListExecutionsRequest(workflow_id=created.workflow_id)
    )
    assert not listed.executions  # nothing of the refused request was stored


# ------------------------------------------------------------------ resolution


@PRIVATE_OK
async def test_the_running_task_gets_the_current_value(channel: grpc.aio.Channel) -> None:
    def echo(request: Recorded) -> Reply:
        return Reply(
            200, [("Content-Type", "text/plain")], request.headers["authorization"].encode()
        )

    api = stubs(channel)
    await set_secret(channel, "token", "first-value")
    async with loopback_server(echo) as web:
        definition = request_with_header("Bearer {{secrets.token}}", web.url("/"))
        first = await run(api, definition)
        await set_secret(channel, "token", "second-value")  # replaced: the next run uses it
        second = await run(api, definition)
    assert [r.headers["authorization"] for r in web.requests] == [
        "Bearer first-value",
        "Bearer second-value",
    ]
    for execution in (first, second):
        assert execution.status == EX.COMPLETED, execution.error
        assert json_format.MessageToDict(execution.outputs) == {"body": "Bearer ***"}


async def test_openai_accounts_by_precedence_with_one_client_each(
    channel: grpc.aio.Channel, server: DataflowServer, openai_server: FakeOpenAI
) -> None:
    """The task's api_key input, else the tenant's openai_api_key, else the server's
    key; one client per account, reused."""
    api = stubs(channel)
    tenant_key, team_key = "sk-tenant-" + "a" * 20, "sk-team-" + "b" * 20
    openai_server.other_keys |= {tenant_key, team_key}
    await run(api, chat())
    await run(api, chat())
    await set_secret(channel, "openai_api_key", tenant_key)
    await run(api, chat())
    await set_secret(channel, "team_key", team_key)
    await run(api, chat(api_key="{{secrets.team_key}}"))
    await run(api, chat(api_key="{{secrets.team_key}}"))
    used = [r.headers["authorization"] for r in openai_server.requests_to("/chat/completions")]
    assert used == [
        f"Bearer {openai_server.api_key}",
        f"Bearer {openai_server.api_key}",
        f"Bearer {tenant_key}",
        f"Bearer {team_key}",
        f"Bearer {team_key}",
    ]
    openai = server.task_services.openai
    assert openai is not None and openai.size == 3


@PRIVATE_OK
async def test_a_tenant_base_url(channel: grpc.aio.Channel, openai_server: FakeOpenAI) -> None:
    """The tenant's openai_base_url (checked by the SSRF guard, allowed here)."""
    api = stubs(channel)
    await set_secret(channel, "openai_api_key", openai_server.api_key)
    await set_secret(channel, "openai_base_url", openai_server.base_url)
    execution = await run(api, chat())
    assert execution.status == EX.COMPLETED, execution.error
    assert len(openai_server.requests_to("/chat/completions")) == 1


async def test_a_tenant_base_url_to_a_private_address_is_refused(
    channel: grpc.aio.Channel, openai_server: FakeOpenAI
) -> None:
    await set_secret(channel, "openai_base_url", openai_server.base_url)  # loopback
    execution = await run(stubs(channel), chat())
    assert execution.status == EX.FAILED
    assert execution.error.code == "INVALID_BASE_URL"
    assert openai_server.requests == []


# ------------------------------------------------------------------ key at rest


async def test_values_under_another_key_fail_cleanly(database_url: str, tmp_path: Path) -> None:
    """A server started with another DATAFLOW_SECRETS_KEY serves on, and tasks that
    need such a secret fail with SECRET_UNAVAILABLE saying why (never INTERNAL)."""
    settings = Settings(
        listen="127.0.0.1:0",
        data_dir=tmp_path / "data",
        database_url=database_url,
        shutdown_grace_seconds=1.0,
        secrets_key=base64.b64encode(os.urandom(32)).decode(),
    )
    first = await start_server(settings)
    try:
        async with grpc.aio.insecure_channel(first.address) as channel:
            await set_secret(channel, "token", "t0ken-value")
            created = await stubs(channel).workflows.CreateWorkflow(
                create_request(request_with_header("Bearer {{secrets.token}}"))
            )
    finally:
        await first.stop(grace=1.0)
    other = dataclasses.replace(settings, secrets_key=base64.b64encode(os.urandom(32)).decode())
    second = await start_server(other)
    try:
        async with grpc.aio.insecure_channel(second.address) as channel:
            api = stubs(channel)
            started = await api.executions.ExecuteWorkflow(
                ES.ExecuteWorkflowRequest(workflow_id=created.workflow_id)
            )
            await wait_terminal(api, started.workflow_execution_id)
            got = await api.executions.GetExecution(
                ES.GetExecutionRequest(workflow_execution_id=started.workflow_execution_id)
            )
    finally:
        await second.stop(grace=1.0)
    error = got.execution.error
    assert (got.execution.status, error.code) == (EX.FAILED, "SECRET_UNAVAILABLE")
    assert "was stored under another secrets key" in error.message
    assert "restore the key it was written with, or set the secret again" in error.message


@pytest.mark.parametrize("server_settings", [AUTH_REQUIRED])
async def test_two_tenants_reach_openai_with_their_own_keys(
    channel: grpc.aio.Channel, server: DataflowServer, openai_server: FakeOpenAI
) -> None:
    """Tenants do not share one account: each one's openai_api_key secret is its own,
    and a tenant without one falls back to the server's key."""
    api = stubs(channel)
    secrets = secret_service_pb2_grpc.SecretServiceStub(channel)
    keys = {
        tenant: await issue_test_key(server, tenant=tenant, scope="admin")
        for tenant in ("acme", "globex", "initech")
    }
    own = {"acme": "sk-acme-" + "a" * 20, "globex": "sk-globex-" + "g" * 20}
    openai_server.other_keys |= set(own.values())
    for tenant, value in own.items():
        await secrets.SetSecret(
            secret_service_pb2.SetSecretRequest(name="openai_api_key", value=value),
            metadata=keys[tenant].metadata,
        )
    for tenant in ("acme", "globex", "initech", "acme"):
        metadata = keys[tenant].metadata
        created = await api.workflows.CreateWorkflow(create_request(chat()), metadata=metadata)
        started = await api.executions.ExecuteWorkflow(
            ES.ExecuteWorkflowRequest(workflow_id=created.workflow_id), metadata=metadata
        )
        async for _ in api.executions.WatchExecution(
            ES.WatchExecutionRequest(
                workflow_execution_id=started.workflow_execution_id,
                event_types=["execution.completed", "execution.failed"],
            ),
            metadata=metadata,
        ):
            pass
    used = [r.headers["authorization"] for r in openai_server.requests_to("/chat/completions")]
    assert used == [
        f"Bearer {own['acme']}",
        f"Bearer {own['globex']}",
        f"Bearer {openai_server.api_key}",
        f"Bearer {own['acme']}",
    ]
    # Each tenant lists only its own secrets.
    listed = await secrets.ListSecrets(
        secret_service_pb2.ListSecretsRequest(), metadata=keys["initech"].metadata
    )
    assert not listed.secrets
