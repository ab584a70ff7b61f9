"""The HTTP routes, read from the protos' `google.api.http` annotations.

The protos are the one definition of the API: each RPC's annotation gives its
HTTP method, path template, which request field the body fills (`body`) and
which response field is returned (`response_body`). The HTTP app and the
OpenAPI generator both read this table, so neither keeps its own copy.

What an annotation cannot say is listed here, next to the reason: which
routes create a resource (201 with a `Location`), which headers fill a field,
and which RPCs have no HTTP route at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from google.api import annotations_pb2, http_pb2
from google.protobuf.descriptor import FieldDescriptor, MethodDescriptor, ServiceDescriptor

from dataflow.v1 import (
    execution_service_pb2,
    file_service_pb2,
    secret_service_pb2,
    webhook_service_pb2,
    workflow_service_pb2,
)

__all__ = [
    "GRPC_ONLY",
    "SERVICES",
    "HttpRoute",
    "http_routes",
]

SERVICES: tuple[ServiceDescriptor, ...] = (
    workflow_service_pb2.DESCRIPTOR.services_by_name["WorkflowService"],
    execution_service_pb2.DESCRIPTOR.services_by_name["ExecutionService"],
    file_service_pb2.DESCRIPTOR.services_by_name["FileService"],
    webhook_service_pb2.DESCRIPTOR.services_by_name["WebhookService"],
    secret_service_pb2.DESCRIPTOR.services_by_name["SecretService"],
)

# RPCs deliberately without an HTTP route, by full method name, with the reason.
# tests/http/test_routes.py fails for an RPC that has neither.
GRPC_ONLY: Mapping[str, str] = {
    "dataflow.v1.ExecutionService.ExecuteAndWatch": (
        "a POST answered with an event stream is poorly served by HTTP clients and proxies; "
        "over HTTP, POST the execution, then GET its event stream"
    ),
}

# Creations answer 201 Created with a Location built from the returned JSON.
_CREATED: Mapping[str, str] = {
    "dataflow.v1.WorkflowService.CreateWorkflow": "/workflows/{workflow_id}",
    "dataflow.v1.ExecutionService.ExecuteWorkflow": (
        "/workflows/{workflow_id}/executions/{workflow_execution_id}"
    ),
    "dataflow.v1.FileService.UploadFile": "/files/{file_id}",
}

# Request headers that fill a request field (Stripe's Idempotency-Key).
_HEADER_FIELDS: Mapping[str, Mapping[str, str]] = {
    "dataflow.v1.ExecutionService.ExecuteWorkflow": {"Idempotency-Key": "request_id"},
}

_VARIABLE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class HttpRoute:
    """One RPC's HTTP binding."""

    method: MethodDescriptor
    verb: str  # "GET", "POST", ...
    path: str  # "/workflows/{workflow_id}" (Starlette and OpenAPI use the same syntax)
    body: str  # "" (no body), "*" (the whole request) or a field of the request
    response_body: str  # "" (the whole response) or a field of the response
    location: str | None  # a Location template for 201 Created, else None
    header_fields: Mapping[str, str]  # header name → request field
    additional: bool = False  # from `additional_bindings`, beside the RPC's main path

    @property
    def full_name(self) -> str:
        return self.method.full_name

    @property
    def operation_id(self) -> str:
        """Unique per route: the RPC's name, or for an additional binding the name
        and its path's fields (GetExecutionByWorkflowExecutionId)."""
        if not self.additional:
            return str(self.method.name)
        fields = "And".join(f.title().replace("_", "") for f in self.path_fields)
        return f"{self.method.name}By{fields}"

    @property
    def path_fields(self) -> tuple[str, ...]:
        return tuple(_VARIABLE.findall(self.path))

    @property
    def status(self) -> int:
        return 201 if self.location is not None else 200

    @property
    def streams_request(self) -> bool:
        return bool(self.method.client_streaming)

    @property
    def streams_response(self) -> bool:
        return bool(self.method.server_streaming)

    def query_fields(self) -> tuple[FieldDescriptor, ...]:
        """Request fields that come from the query string: neither path, body nor header."""
        if self.body == "*" or self.streams_request:
            return ()
        taken = {*self.path_fields, self.body, *self.header_fields.values()}
        return tuple(
            f
            for f in self.method.input_type.fields
            if f.name not in taken and f.type != FieldDescriptor.TYPE_MESSAGE
        )


def _routes(method: MethodDescriptor) -> list[HttpRoute]:
    options = method.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return []
    rule: http_pb2.HttpRule = options.Extensions[annotations_pb2.http]
    # `additional_bindings`: more paths for the same RPC (GET /executions/{id}).
    return [
        _route(method, binding, additional=index > 0)
        for index, binding in enumerate((rule, *rule.additional_bindings))
    ]


def _route(method: MethodDescriptor, rule: http_pb2.HttpRule, additional: bool) -> HttpRoute:
    pattern = rule.WhichOneof("pattern")
    if pattern is None or pattern == "custom":
        raise ValueError(f"{method.full_name}: unsupported google.api.http pattern {pattern}")
    path = getattr(rule, pattern)
    fields = {f.name for f in method.input_type.fields}
    for name in _VARIABLE.findall(path):
        if name not in fields:
            raise ValueError(f"{method.full_name}: path variable {name!r} is not a request field")
    if rule.body not in ("", "*") and rule.body not in fields:
        raise ValueError(f"{method.full_name}: body {rule.body!r} is not a request field")
    return HttpRoute(
        method=method,
        verb=pattern.upper(),
        path=path,
        body=rule.body,
        response_body=rule.response_body,
        location=_CREATED.get(method.full_name),
        header_fields=_HEADER_FIELDS.get(method.full_name, {}),
        additional=additional,
    )


def http_routes() -> Iterator[HttpRoute]:
    """Every annotated RPC's route, in the protos' order."""
    for service in SERVICES:
        for method in service.methods:
            yield from _routes(method)
