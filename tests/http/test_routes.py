"""One definition: every RPC has an HTTP route (or a stated reason not to), the
routes come from the protos, and /openapi.json is the committed generated document."""

from __future__ import annotations

import json

import httpx

from dataflow_server.api.http.app import openapi_document
from dataflow_server.api.http.openapi import build_document, proto_comments
from dataflow_server.api.http.routes import GRPC_ONLY, SERVICES, http_routes
from dataflow_server.api.scopes import method_scopes


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
    assert operations == {r.operation_id for r in http_routes()}


async def test_the_server_serves_it(http: httpx.AsyncClient) -> None:
    served = await http.get("/openapi.json")
    assert served.status_code == 200
    assert served.json() == openapi_document()


def test_an_additional_binding_is_a_route_of_its_own() -> None:
    """GetExecution over HTTP also by the execution's id alone (the web console's need)."""
    gets = [r for r in http_routes() if r.method.name == "GetExecution"]
    assert [(r.path, r.operation_id) for r in gets] == [
        ("/workflows/{workflow_id}/executions/{workflow_execution_id}", "GetExecution"),
        ("/executions/{workflow_execution_id}", "GetExecutionByWorkflowExecutionId"),
    ]
    assert all(r.response_body == "execution" for r in gets)


def test_the_document_declares_the_bearer_key_and_each_operations_scope() -> None:
    document = openapi_document()
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert document["security"] == [{"apiKey": []}]
    scopes = method_scopes()
    for route in http_routes():
        operation = document["paths"][route.path][route.verb.lower()]
        expected = scopes[f"/{route.full_name.rsplit('.', 1)[0]}/{route.method.name}"]
        assert expected is not None
        assert operation["x-required-scope"] == expected.label, route.full_name
    for open_path in ("/healthz", "/readyz", "/openapi.json"):
        assert document["paths"][open_path]["get"]["security"] == []
