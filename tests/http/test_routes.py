"""One definition: every RPC has an HTTP route (or a stated reason not to), the
routes come from the protos, and /openapi.json is the committed generated document."""

from __future__ import annotations

import json

import httpx

from dataflow_server.api.http.app import openapi_document
from dataflow_server.api.http.openapi import build_document, proto_comments
from dataflow_server.api.http.routes import GRPC_ONLY, SERVICES, http_routes


def test_every_rpc_has_an_http_route_or_is_grpc_only_with_a_reason() -> None:
    routed = {route.full_name for route in http_routes()}
    for service in SERVICES:
        for method in service.methods:
            name = method.full_name
            reason = GRPC_ONLY.get(name, "")
            assert name in routed or reason.strip(), f"{name}: no HTTP route and no reason"
            assert not (name in routed and name in GRPC_ONLY), f"{name}: routed and gRPC-only"
    # WatchExecution's route is the server-sent events one.
    (watch,) = [r for r in http_routes() if r.method.name == "WatchExecution"]
    assert watch.path.endswith("/events") and watch.streams_response


def test_the_seed_routes_are_the_pages_paths() -> None:
    table = {(r.verb, r.path): r for r in http_routes()}
    assert table["POST", "/workflows"].status == 201
    assert table["POST", "/workflows/{workflow_id}/executions"].status == 201
    one = table["GET", "/workflows/{workflow_id}/executions/{workflow_execution_id}"]
    assert one.response_body == "execution"  # the execution itself, no wrapper
    assert ("GET", "/workflows/{workflow_id}/executions") in table


def test_the_committed_document_is_generated_from_the_protos() -> None:
    document = openapi_document()
    assert document == json.loads(json.dumps(build_document(proto_comments())))
    assert document["openapi"] == "3.1.0"
    operations = {
        op["operationId"]
        for item in document["paths"].values()
        for op in item.values()
        if "operationId" in op
    }
    assert operations == {r.method.name for r in http_routes()}


async def test_the_server_serves_it(http: httpx.AsyncClient) -> None:
    served = await http.get("/openapi.json")
    assert served.status_code == 200
    assert served.json() == openapi_document()
