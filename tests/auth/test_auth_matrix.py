"""Every RPC and every HTTP route × every kind of credential: the exact answer.

The RPCs come from the service descriptors and the routes from `http_routes()`,
so a new RPC or route is in the matrix without touching this file. Refusals
(no key, malformed, bad checksum, unknown, expired, revoked, wrong scope) are
checked before the request is even decoded, so an empty request is enough.
A key with exactly the method's scope must get what the same request gets from
a server with authentication off on the same database (the oracle) — and never
UNAUTHENTICATED or PERMISSION_DENIED. The "other tenant" column belongs to the
tenancy tests.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
import pytest_asyncio
from google.protobuf.descriptor import MethodDescriptor

from dataflow_server.api.http.routes import SERVICES, HttpRoute, http_routes
from dataflow_server.api.scopes import required_scope
from dataflow_server.config import Settings
from dataflow_server.domain.access import Scope
from dataflow_server.domain.api_keys import new_key
from dataflow_server.server import DataflowServer, start_server
from tests.support.keys import AUTH_REQUIRED, IssuedKey, issue_test_key, revoke_test_key
from tests.support.wire import raw_stream_unary, raw_unary_stream, raw_unary_unary

pytestmark = pytest.mark.parametrize("server_settings", [AUTH_REQUIRED])

CASES = ("none", "malformed", "bad_checksum", "unknown", "expired", "revoked", "wrong_scope")
REFUSED_GRPC = {case: grpc.StatusCode.UNAUTHENTICATED for case in CASES}
REFUSED_GRPC["wrong_scope"] = grpc.StatusCode.PERMISSION_DENIED
REFUSED_HTTP = {case: 401 for case in CASES} | {"wrong_scope": 403}

METHODS: list[MethodDescriptor] = [m for service in SERVICES for m in service.methods]


@dataclass
class Credentials:
    """An `authorization` value for each case; wrong scope and right key by scope."""

    fixed: dict[str, str | None]
    by_scope: dict[Scope, IssuedKey]

    def authorization(self, case: str, needed: Scope) -> str | None:
        if case == "right":
            return f"Bearer {self.by_scope[needed].key}"
        if case == "wrong_scope":
            return f"Bearer {self.by_scope[Scope(needed - 1)].key}"
        return self.fixed[case]

    def cases(self, needed: Scope) -> list[str]:
        """READ is the lowest scope: no key lacks it."""
        return [c for c in (*CASES, "right") if c != "wrong_scope" or needed > Scope.READ]


def _bad_checksum(key: str) -> str:
    last = key[-1]
    return key[:-1] + ("A" if last != "A" else "B")


@pytest_asyncio.fixture
async def credentials(server: DataflowServer) -> Credentials:
    revoked = await issue_test_key(server, scope="admin")
    await revoke_test_key(server, revoked)
    expired = await issue_test_key(server, scope="admin", expired=True)
    good = new_key()
    return Credentials(
        {
            "none": None,
            "malformed": "Bearer not-a-dataflow-key",
            "bad_checksum": f"Bearer {_bad_checksum(good)}",
            "unknown": f"Bearer {good}",
            "expired": f"Bearer {expired.key}",
            "revoked": f"Bearer {revoked.key}",
        },
        {scope: await issue_test_key(server, scope=scope.label) for scope in Scope},
    )


@pytest_asyncio.fixture
async def oracle(
    server: DataflowServer, database_url: str, tmp_path: Path
) -> AsyncIterator[DataflowServer]:
    """A second server on the same database with authentication off."""
    running = await start_server(
        Settings(
            listen="127.0.0.1:0",
            http_listen="127.0.0.1:0",
            data_dir=tmp_path / "oracle",
            database_url=database_url,
            auth="off",
            shutdown_grace_seconds=1.0,
        )
    )
    try:
        yield running
    finally:
        await running.stop(grace=1.0)


# --- gRPC --------------------------------------------------------------------


def _grpc_call(channel: grpc.aio.Channel, method: MethodDescriptor) -> Callable[..., Any]:
    path = f"/{method.containing_service.full_name}/{method.name}"
    if method.client_streaming:
        call = raw_stream_unary(channel, path)
        return lambda **kw: call(iter([b""]), **kw)
    if method.server_streaming:
        return lambda **kw: _drain(raw_unary_stream(channel, path)(b"", **kw))
    return lambda **kw: raw_unary_unary(channel, path)(b"", **kw)


async def _drain(call: Any) -> None:
    async for _ in call:
        pass


async def _grpc_code(call: Callable[..., Awaitable[Any]], authorization: str | None) -> Any:
    metadata = () if authorization is None else (("authorization", authorization),)
    try:
        await call(metadata=metadata, timeout=15)
    except grpc.aio.AioRpcError as exc:
        return exc.code(), exc.details() or ""
    return grpc.StatusCode.OK, ""


async def test_every_rpc_answers_each_credential_with_its_exact_code(
    server: DataflowServer, oracle: DataflowServer, credentials: Credentials
) -> None:
    assert len(METHODS) >= 17
    seen: dict[tuple[str, str], Any] = {}
    async with (
        grpc.aio.insecure_channel(server.address) as channel,
        grpc.aio.insecure_channel(oracle.address) as open_channel,
    ):
        for method in METHODS:
            needed = required_scope(method)
            assert needed is not None, method.full_name
            call = _grpc_call(channel, method)
            for case in credentials.cases(needed):
                code, details = await _grpc_code(call, credentials.authorization(case, needed))
                seen[method.full_name, case] = code
                if case == "right":
                    expected, _ = await _grpc_code(_grpc_call(open_channel, method), None)
                    assert code not in (
                        grpc.StatusCode.UNAUTHENTICATED,
                        grpc.StatusCode.PERMISSION_DENIED,
                    )
                else:
                    expected = REFUSED_GRPC[case]
                assert code == expected, (method.full_name, case, details)
                _assert_no_key_in(details, credentials)
    # The right key got through to the servicers (ListWorkflows, ListTaskTypes answer OK).
    assert grpc.StatusCode.OK in {code for (_, case), code in seen.items() if case == "right"}
    # Every refusal column was exercised on every method that has it.
    assert sum(1 for (_, case) in seen if case == "wrong_scope") == sum(
        1 for m in METHODS if required_scope(m) != Scope.READ
    )


def _assert_no_key_in(text: str, credentials: Credentials) -> None:
    for value in credentials.fixed.values():
        if value is not None:
            assert value.removeprefix("Bearer ") not in text
    for key in credentials.by_scope.values():
        assert key.key not in text
    assert "dfk_" not in text or "dfk_ followed by" in text


# --- HTTP --------------------------------------------------------------------

_PLACEHOLDERS = {
    "workflow_id": "wf-000000000000",
    "workflow_execution_id": "we-000000000000",
    "file_id": "file-000000000000",
}


def _url(route: HttpRoute) -> str:
    return re.sub(
        r"\{([a-z_]+)\}", lambda m: _PLACEHOLDERS.get(m.group(1), "x000000000000"), route.path
    )


async def _http_answer(
    client: httpx.AsyncClient, route: HttpRoute, authorization: str | None
) -> httpx.Response:
    headers = {} if authorization is None else {"Authorization": authorization}
    body = b"{}" if route.body else None
    if body is not None:
        headers["Content-Type"] = "application/json"
    return await client.request(route.verb, _url(route), headers=headers, content=body)


async def test_every_http_route_answers_each_credential_with_its_exact_status(
    server: DataflowServer, oracle: DataflowServer, credentials: Credentials
) -> None:
    assert server.http is not None and oracle.http is not None
    routes = list(http_routes())
    assert len(routes) >= 17
    async with (
        httpx.AsyncClient(base_url=f"http://{server.http.address}", timeout=15) as client,
        httpx.AsyncClient(base_url=f"http://{oracle.http.address}", timeout=15) as open_client,
    ):
        right: set[int] = set()
        for route in routes:
            needed = required_scope(route.method)
            assert needed is not None, route.full_name
            for case in credentials.cases(needed):
                answer = await _http_answer(client, route, credentials.authorization(case, needed))
                where = (route.verb, route.path, case, answer.text[:300])
                if case == "right":
                    right.add(answer.status_code)
                    reference = await _http_answer(open_client, route, None)
                    assert answer.status_code == reference.status_code, where
                    assert answer.status_code not in (401, 403), where
                    continue
                assert answer.status_code == REFUSED_HTTP[case], where
                problem = answer.json()
                assert problem["status"] == REFUSED_HTTP[case]
                assert problem["code"] == REFUSED_GRPC[case].name
                if answer.status_code == 401:
                    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
                _assert_no_key_in(answer.text, credentials)
    assert 200 in right  # GET /workflows and /task-types got through


async def test_probes_and_the_schema_stay_open(server: DataflowServer) -> None:
    assert server.http is not None
    async with httpx.AsyncClient(base_url=f"http://{server.http.address}", timeout=15) as client:
        for path in ("/healthz", "/readyz", "/openapi.json"):
            assert (await client.get(path)).status_code == 200, path
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    async with grpc.aio.insecure_channel(server.address) as channel:
        health = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        async for reply in reflection.ServerReflectionInfo(iter([request])):
            names = {s.name for s in reply.list_services_response.service}
            assert "dataflow.v1.WorkflowService" in names
            break
