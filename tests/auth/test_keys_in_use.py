"""API keys at work on a server that requires them: scopes, rate limits, revocation
(of open event streams too), and the key's secret kept out of the database and the
error messages."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import grpc
import httpx
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from dataflow.v1 import execution_service_pb2, workflow_service_pb2, workflow_service_pb2_grpc
from dataflow_server.server import DataflowServer
from tests.support.api import TERMINAL_EVENTS, create_request, hello_world, stubs
from tests.support.engine_tasks import Recorder
from tests.support.keys import AUTH_REQUIRED, IssuedKey, issue_test_key, revoke_test_key

LIST = workflow_service_pb2.ListWorkflowsRequest()


def _stub(channel: grpc.aio.Channel) -> Any:
    return workflow_service_pb2_grpc.WorkflowServiceStub(channel)


async def _code(call: Any) -> grpc.StatusCode:
    try:
        await call
    except grpc.aio.AioRpcError as exc:
        return exc.code()
    return grpc.StatusCode.OK


@pytest.mark.parametrize("server_settings", [AUTH_REQUIRED])
async def test_a_server_without_keys_says_how_to_make_one(
    server: DataflowServer, caplog: pytest.LogCaptureFixture
) -> None:
    said = " ".join(r.getMessage() for r in caplog.get_records("setup"))
    assert "there is no usable API key yet" in said
    assert "dataflow-server keys create --tenant NAME" in said


@pytest.mark.parametrize("server_settings", [AUTH_REQUIRED])
async def test_higher_scopes_include_lower_ones(
    server: DataflowServer, channel: grpc.aio.Channel
) -> None:
    read, execute, admin = [
        await issue_test_key(server, scope=s) for s in ("read", "execute", "admin")
    ]
    stub = _stub(channel)
    for key in (read, execute, admin):
        assert await _code(stub.ListWorkflows(LIST, metadata=key.metadata)) == grpc.StatusCode.OK
    create = create_request(hello_world())
    for key in (read, execute):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.CreateWorkflow(create, metadata=key.metadata)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert f"has scope '{key.record.scope.label}'" in (refused.value.details() or "")
        assert "needs 'admin'" in (refused.value.details() or "")
    # A refused request stored nothing.
    listed = await stub.ListWorkflows(LIST, metadata=admin.metadata)
    assert list(listed.workflows) == []
    created = await stub.CreateWorkflow(create, metadata=admin.metadata)
    assert created.workflow_id.startswith("wf-")


@pytest.mark.parametrize("server_settings", [AUTH_REQUIRED | {"key_cache_seconds": 0.05}])
async def test_a_revoked_key_is_refused_once_the_cache_expires(
    server: DataflowServer, channel: grpc.aio.Channel
) -> None:
    key = await issue_test_key(server, scope="read")
    stub = _stub(channel)
    assert await _code(stub.ListWorkflows(LIST, metadata=key.metadata)) == grpc.StatusCode.OK
    await revoke_test_key(server, key)
    await asyncio.sleep(0.2)  # > key_cache_seconds: the documented bound
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.ListWorkflows(LIST, metadata=key.metadata)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert f"the API key {key.key_id} was revoked" in (refused.value.details() or "")
    assert key.key not in (refused.value.details() or "")


def _retry_delay(error: grpc.aio.AioRpcError) -> float:
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    assert status is not None
    for detail in status.details:
        info = error_details_pb2.RetryInfo()
        if detail.Unpack(info):
            return info.retry_delay.ToTimedelta().total_seconds()
    raise AssertionError("no RetryInfo")


# One request per 100 s after a burst of 2: the third request at once is over the limit
# however slow the machine is.
SLOW = AUTH_REQUIRED | {"key_rate_limit": 0.01, "key_rate_burst": 2}


@pytest.mark.parametrize("server_settings", [SLOW])
async def test_rate_limit_is_resource_exhausted_with_retry_info(
    server: DataflowServer, channel: grpc.aio.Channel
) -> None:
    key, other = (
        await issue_test_key(server, scope="read"),
        await issue_test_key(server, scope="read"),
    )
    stub = _stub(channel)
    for _ in range(2):
        assert await _code(stub.ListWorkflows(LIST, metadata=key.metadata)) == grpc.StatusCode.OK
    with pytest.raises(grpc.aio.AioRpcError) as limited:
        await stub.ListWorkflows(LIST, metadata=key.metadata)
    assert limited.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert f"the API key {key.key_id} is over its rate limit" in (limited.value.details() or "")
    assert 0 < _retry_delay(limited.value) <= 100
    # Buckets are per key.
    assert await _code(stub.ListWorkflows(LIST, metadata=other.metadata)) == grpc.StatusCode.OK


@pytest.mark.parametrize("server_settings", [SLOW])
async def test_rate_limit_is_429_with_retry_after(server: DataflowServer) -> None:
    assert server.http is not None
    key = await issue_test_key(server, scope="read")
    async with httpx.AsyncClient(base_url=f"http://{server.http.address}", timeout=15) as http:
        for _ in range(2):
            assert (await http.get("/workflows", headers=key.headers)).status_code == 200
        limited = await http.get("/workflows", headers=key.headers)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 100
    assert limited.json()["code"] == "RESOURCE_EXHAUSTED"


async def _signed_in(http: httpx.AsyncClient, key: IssuedKey) -> str:
    """Signs `http` in to the console with `key` (it keeps the cookie); its CSRF token."""
    answer = await http.post("/ui/session", json={"api_key": key.key})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["csrf_token"])


def _assert_limited(answer: httpx.Response, key: IssuedKey) -> None:
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert 1 <= int(answer.headers["Retry-After"]) <= 100
    body = answer.json()
    assert body["code"] == "RESOURCE_EXHAUSTED"
    assert f"the API key {key.key_id} is over its rate limit" in body["detail"]


@pytest.mark.parametrize(
    "server_settings", [AUTH_REQUIRED | {"key_rate_limit": 0.01, "key_rate_burst": 3}]
)
async def test_console_requests_spend_their_keys_rate_limit(server: DataflowServer) -> None:
    """A console session (cookie) and the key's own header requests share one bucket."""
    assert server.http is not None
    base_url = f"http://{server.http.address}"
    key, other = await issue_test_key(server, "acme"), await issue_test_key(server, "acme")
    same_origin = {"origin": base_url, "sec-fetch-site": "same-origin"}
    async with (
        httpx.AsyncClient(base_url=base_url, headers=same_origin, timeout=15) as console,
        httpx.AsyncClient(base_url=base_url, timeout=15) as script,
    ):
        csrf = await _signed_in(console, key)  # signing in spends no token
        assert (await console.get("/workflows")).status_code == 200
        made = await console.post("/workflows", json=hello_world(), headers={"x-csrf-token": csrf})
        assert made.status_code == 201, made.text
        assert (await script.get("/workflows", headers=key.headers)).status_code == 200
        # The burst of 3 is spent: by cookie, a read and a change are refused alike...
        _assert_limited(await console.get("/workflows"), key)
        refused = await console.post(
            "/workflows", json=hello_world(), headers={"x-csrf-token": csrf}
        )
        _assert_limited(refused, key)
        # ...and so is the key in a header: the same bucket.
        _assert_limited(await script.get("/workflows", headers=key.headers), key)

        # The other way round: another key spent by header requests, then its session.
        for _ in range(3):
            assert (await script.get("/workflows", headers=other.headers)).status_code == 200
        async with httpx.AsyncClient(base_url=base_url, headers=same_origin) as console2:
            await _signed_in(console2, other)
            _assert_limited(await console2.get("/workflows"), other)
        # Being over the limit does not end the session.
        assert (await console.get("/ui/session")).json()["signed_in"] is True
    # Nothing of the refused change was stored.
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as fresh:
        third = await issue_test_key(server, "acme", scope="read")
        workflows = (await fresh.get("/workflows", headers=third.headers)).json()["workflows"]
    assert [w["workflow_id"] for w in workflows] == [made.json()["workflow_id"]]


@pytest.mark.parametrize("server_settings", [AUTH_REQUIRED])
async def test_a_keys_own_rate_limit_overrides_the_default(
    server: DataflowServer, channel: grpc.aio.Channel
) -> None:
    limited = await issue_test_key(server, scope="read", rate_limit=0.01)  # burst 1
    unlimited = await issue_test_key(server, scope="read")
    stub = _stub(channel)
    assert await _code(stub.ListWorkflows(LIST, metadata=limited.metadata)) == grpc.StatusCode.OK
    code = await _code(stub.ListWorkflows(LIST, metadata=limited.metadata))
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
    for _ in range(5):
        code = await _code(stub.ListWorkflows(LIST, metadata=unlimited.metadata))
        assert code == grpc.StatusCode.OK


@pytest.mark.parametrize("server_settings", [AUTH_REQUIRED])
async def test_event_streams_are_admitted_then_run_to_their_end(server: DataflowServer) -> None:
    """Streamed answers (SSE) are admitted when they start (401 without a key), then
    run to their end while the key stays valid."""
    assert server.http is not None
    key: IssuedKey = await issue_test_key(server, scope="admin")
    async with httpx.AsyncClient(base_url=f"http://{server.http.address}", timeout=15) as http:
        created = await http.post("/workflows", json=hello_world(), headers=key.headers)
        assert created.status_code == 201, created.text
        workflow_id = created.json()["workflow_id"]
        started = await http.post(
            f"/workflows/{workflow_id}/executions",
            json={"inputs": {"text": "hello"}},
            headers=key.headers,
        )
        assert started.status_code == 201, started.text
        execution_id = started.json()["workflow_execution_id"]
        events = await http.get(
            f"/workflows/{workflow_id}/executions/{execution_id}/events", headers=key.headers
        )
        assert events.status_code == 200
        assert any(f"event: {t}\n" in events.text for t in TERMINAL_EVENTS), events.text
        refused = await http.get(f"/workflows/{workflow_id}/executions/{execution_id}/events")
        assert refused.status_code == 401


HELD = {"title": "held", "tasks": [{"name": "h", "type": "test.hold", "inputs": {}}]}


async def _lines_until(lines: AsyncIterator[str], wanted: str) -> None:
    async for line in lines:
        if line == wanted:
            return
    raise AssertionError(f"the stream ended before {wanted!r}")


@pytest.mark.parametrize("server_settings", [AUTH_REQUIRED | {"key_cache_seconds": 0.05}])
async def test_open_event_streams_end_once_their_key_is_revoked(
    server: DataflowServer, channel: grpc.aio.Channel, recorder: Recorder
) -> None:
    """A watch (gRPC) and SSE streams opened with a key (in a header, or by a console
    session) end with UNAUTHENTICATED once the key is revoked, idle as they are; a
    stream of another key goes on."""
    assert server.http is not None
    key, admin = await issue_test_key(server, scope="read"), await issue_test_key(server)
    api = stubs(channel)
    created = await api.workflows.CreateWorkflow(create_request(HELD), metadata=admin.metadata)
    started = await api.executions.ExecuteWorkflow(
        execution_service_pb2.ExecuteWorkflowRequest(workflow_id=created.workflow_id),
        metadata=admin.metadata,
    )
    execution_id = started.workflow_execution_id
    watch = execution_service_pb2.WatchExecutionRequest(workflow_execution_id=execution_id)
    watched = api.executions.WatchExecution(watch, metadata=key.metadata)
    other = api.executions.WatchExecution(watch, metadata=admin.metadata)
    for call in (watched, other):  # both streams are open and have caught up
        while (await asyncio.wait_for(call.read(), 30)).event.type != "task.running":
            pass
    url = f"/workflows/{created.workflow_id}/executions/{execution_id}/events"
    base_url = f"http://{server.http.address}"
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=30) as http,
        httpx.AsyncClient(base_url=base_url, timeout=30, headers={"origin": base_url}) as console,
    ):
        await _signed_in(console, key)
        async with (
            http.stream("GET", url, headers=key.headers) as by_header,
            console.stream("GET", url) as by_cookie,
        ):
            sse = [by_header.aiter_lines(), by_cookie.aiter_lines()]
            for lines in sse:
                await asyncio.wait_for(_lines_until(lines, "event: task.running"), 30)

            await revoke_test_key(server, key)
            with pytest.raises(grpc.aio.AioRpcError) as ended:
                await asyncio.wait_for(watched.read(), 30)
            assert ended.value.code() == grpc.StatusCode.UNAUTHENTICATED
            assert f"the API key {key.key_id} was revoked" in (ended.value.details() or "")
            for lines in sse:
                await asyncio.wait_for(_lines_until(lines, "event: error"), 30)
                error = json.loads((await anext(lines)).removeprefix("data: "))
                assert error["code"] == "UNAUTHENTICATED" and "revoked" in error["detail"]
                assert [line async for line in lines] == [""]  # then the stream ends

    # The execution and the other key's stream go on to the end.
    recorder.release.set()
    last = None
    while (message := await asyncio.wait_for(other.read(), 30)) != grpc.aio.EOF:
        last = message.event.type
    assert last == "execution.completed"
