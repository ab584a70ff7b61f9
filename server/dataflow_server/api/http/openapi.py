"""The OpenAPI 3.1 document of the HTTP API, generated from the protos (`make gen`).

    python -m dataflow_server.api.http.openapi > server/dataflow_server/api/http/openapi.json

It reads what the server reads: the same `google.api.http` route table
(routes.py) and the same message descriptors, plus the protos' comments
(from protoc's descriptor set with source info) as descriptions. Schemas
follow the proto3 JSON mapping the server speaks, with proto field names:
int64 as a decimal string, Timestamp as RFC 3339, Struct as an object, enums
by name. Generic generators (gnostic's protoc-gen-openapi writes 3.0,
protoc-gen-connect-openapi describes the Connect protocol) do not know this
edge's own parts (201 with Location, problem+json errors, the SSE stream,
raw file bodies, the Idempotency-Key header), which schemathesis checks the
live server against; so the document is generated here, from one table.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

from dataflow.v1 import execution_pb2

from ..scopes import required_scope
from .problems import PROBLEM_MEDIA_TYPE
from .routes import SERVICES, HttpRoute, http_routes

__all__ = ["Comments", "build_document", "main", "proto_comments"]

REPO = Path(__file__).resolve().parents[4]
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
BEARER_SCHEME = "apiKey"
_INT32 = {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}
_UINT32 = {"type": "integer", "format": "uint32", "minimum": 0, "maximum": 2**32 - 1}
_INT64 = {"type": ["string", "integer"], "format": "int64", "pattern": "^-?[0-9]{1,19}$"}
_SCALARS: dict[int, dict[str, Any]] = {
    FieldDescriptor.TYPE_STRING: {"type": "string"},
    FieldDescriptor.TYPE_BOOL: {"type": "boolean"},
    FieldDescriptor.TYPE_BYTES: {"type": "string", "contentEncoding": "base64"},
    FieldDescriptor.TYPE_DOUBLE: {"type": "number", "format": "double"},
    FieldDescriptor.TYPE_FLOAT: {"type": "number", "format": "float"},
    FieldDescriptor.TYPE_INT32: _INT32,
    FieldDescriptor.TYPE_SINT32: _INT32,
    FieldDescriptor.TYPE_SFIXED32: _INT32,
    FieldDescriptor.TYPE_UINT32: _UINT32,
    FieldDescriptor.TYPE_FIXED32: _UINT32,
    FieldDescriptor.TYPE_INT64: _INT64,
    FieldDescriptor.TYPE_SINT64: _INT64,
    FieldDescriptor.TYPE_SFIXED64: _INT64,
    FieldDescriptor.TYPE_UINT64: _INT64,
    FieldDescriptor.TYPE_FIXED64: _INT64,
}
# The well-known types' JSON forms (proto3 JSON mapping).
_WELL_KNOWN: dict[str, dict[str, Any]] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?s$"},
    "google.protobuf.Struct": {"type": "object"},
    "google.protobuf.Value": {},
    "google.protobuf.ListValue": {"type": "array"},
}


class Comments:
    """Leading comments of the protos' messages, fields, enums, services, methods."""

    def __init__(self, files: Iterable[descriptor_pb2.FileDescriptorProto]) -> None:
        self._by_name: dict[str, str] = {}
        for file in files:
            located = {
                tuple(loc.path): loc.leading_comments.strip()
                for loc in file.source_code_info.location
                if loc.leading_comments
            }
            for name, path in _named_paths(file):
                if path in located:
                    self._by_name[name] = " ".join(
                        line.strip() for line in located[path].splitlines()
                    )

    def __call__(self, full_name: str) -> str:
        return self._by_name.get(full_name, "")


def _named_paths(file: descriptor_pb2.FileDescriptorProto) -> Iterator[tuple[str, tuple[int, ...]]]:
    """(full name, source path) of everything in a file that can carry a comment."""
    package = file.package

    def message(m: descriptor_pb2.DescriptorProto, prefix: str, path: tuple[int, ...]) -> Any:
        name = f"{prefix}.{m.name}"
        yield name, path
        for i, f in enumerate(m.field):
            yield f"{name}.{f.name}", (*path, 2, i)
        for i, nested in enumerate(m.nested_type):
            yield from message(nested, name, (*path, 3, i))
        for i, e in enumerate(m.enum_type):
            yield from enum(e, name, (*path, 4, i))

    def enum(e: descriptor_pb2.EnumDescriptorProto, prefix: str, path: tuple[int, ...]) -> Any:
        yield f"{prefix}.{e.name}", path
        for i, v in enumerate(e.value):
            yield f"{prefix}.{e.name}.{v.name}", (*path, 2, i)

    for i, m in enumerate(file.message_type):
        yield from message(m, package, (4, i))
    for i, e in enumerate(file.enum_type):
        yield from enum(e, package, (5, i))
    for i, s in enumerate(file.service):
        yield f"{package}.{s.name}", (6, i)
        for j, method in enumerate(s.method):
            yield f"{package}.{s.name}.{method.name}", (6, i, 2, j)


def _message_type(field: FieldDescriptor) -> Descriptor:
    assert field.message_type is not None, field.full_name
    return field.message_type


def _enum_type(field: FieldDescriptor) -> EnumDescriptor:
    assert field.enum_type is not None, field.full_name
    return field.enum_type


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


class _Schemas:
    """components/schemas, filled with every message and enum an operation uses."""

    def __init__(self, comments: Comments) -> None:
        self.comments = comments
        self.schemas: dict[str, Any] = {}

    def enum(self, enum: EnumDescriptor) -> dict[str, Any]:
        if enum.full_name not in self.schemas:
            self.schemas[enum.full_name] = _described(
                {"type": "string", "enum": [v.name for v in enum.values]},
                self.comments(enum.full_name),
            )
        return _ref(enum.full_name)

    def message(self, message: Descriptor) -> dict[str, Any]:
        if message.full_name in _WELL_KNOWN:
            return dict(_WELL_KNOWN[message.full_name])
        if message.full_name not in self.schemas:
            self.schemas[message.full_name] = {}  # placeholder: recursion ends here
            self.schemas[message.full_name] = self.object(message.fields, message.full_name)
        return _ref(message.full_name)

    def object(self, fields: Iterable[FieldDescriptor], described_as: str = "") -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {f.name: self.field(f) for f in fields},
            "additionalProperties": False,
        }
        return _described(schema, self.comments(described_as))

    def value(self, field: FieldDescriptor) -> dict[str, Any]:
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            return self.message(_message_type(field))
        if field.type == FieldDescriptor.TYPE_ENUM:
            return self.enum(_enum_type(field))
        return dict(_SCALARS[field.type])

    def field(self, field: FieldDescriptor) -> dict[str, Any]:
        schema = self.value(field)
        if field.is_repeated:
            if field.message_type is not None and field.message_type.GetOptions().map_entry:
                value_field = field.message_type.fields_by_name["value"]
                schema = {"type": "object", "additionalProperties": self.value(value_field)}
            else:
                schema = {"type": "array", "items": schema}
        comment = self.comments(field.full_name)
        if comment.startswith("Output only."):
            schema["readOnly"] = True
        return _described(schema, comment)


def _described(schema: dict[str, Any], description: str) -> dict[str, Any]:
    if description:
        schema["description"] = description
    return schema


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _problem(description: str = "An error, as RFC 9457 problem details.") -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}}


def _parameters(route: HttpRoute, schemas: _Schemas) -> list[dict[str, Any]]:
    fields = route.method.input_type.fields_by_name
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": schemas.field(fields[name])}
        for name in route.path_fields
    ]
    query = route.query_fields()
    if route.streams_request:  # an upload: the metadata comes from the query
        query = tuple(_message_type(route.method.input_type.fields_by_name["metadata"]).fields)
    parameters += [
        {"name": f.name, "in": "query", "required": False, "schema": schemas.field(f)}
        for f in query
    ]
    parameters += [
        {
            "name": header,
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 128},
            "description": f"Sets `{field}`: {schemas.comments(fields[field].full_name)}",
        }
        for header, field in route.header_fields.items()
    ]
    return parameters


def _request_body(route: HttpRoute, schemas: _Schemas) -> dict[str, Any] | None:
    if not route.body:
        return None
    if route.streams_request:
        return {
            "required": True,
            "description": "The file's content (its Content-Type is the file's).",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    if route.body == "*":
        taken = {*route.path_fields, *route.header_fields.values()}
        fields = [f for f in route.method.input_type.fields if f.name not in taken]
        return {"required": False, "content": _json(schemas.object(fields))}
    field = route.method.input_type.fields_by_name[route.body]
    return {"required": True, "content": _json(schemas.value(field))}


def _success(route: HttpRoute, schemas: _Schemas) -> dict[str, Any]:
    output = route.method.output_type
    if route.streams_response and route.response_body:  # a download: raw bytes
        return {
            "description": "The content, with the file's Content-Type and Content-Length.",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    if route.streams_response:  # server-sent events of the response's message field
        event = _message_type(output.fields[0])
        return {
            "description": (
                "Server-sent events: `id:` the event's sequence, `event:` its type, `data:` "
                f"the `{event.full_name}` as JSON; comment lines keep the stream alive. An "
                "`error` event carries problem details and ends the stream."
            ),
            "content": {
                "text/event-stream": {
                    "schema": {"type": "string"},
                    "x-event-data-schema": schemas.message(event),
                }
            },
        }
    if route.response_body:
        schema = schemas.field(output.fields_by_name[route.response_body])
    else:
        schema = schemas.message(output)
    response: dict[str, Any] = {"description": "OK" if route.status == 200 else "Created"}
    if route.location is not None:
        response["headers"] = {
            "Location": {"description": "The new resource's path.", "schema": {"type": "string"}}
        }
    response["content"] = _json(schema)
    return response


def _operation(route: HttpRoute, schemas: _Schemas) -> dict[str, Any]:
    description = schemas.comments(route.full_name)
    operation: dict[str, Any] = {
        "operationId": route.operation_id,
        "tags": [route.method.containing_service.name],
        "summary": description.split(". ")[0].rstrip("."),
        "description": description,
        "parameters": _parameters(route, schemas),
    }
    if route.streams_response and not route.response_body:
        operation["parameters"] += [
            {
                "name": "Last-Event-ID",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "pattern": "^[0-9]{1,9}$"},
                "description": "Resume after this event (sets `after_sequence`).",
            },
            {
                "name": "last_event_id",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "pattern": "^[0-9]{1,9}$"},
                "description": "`Last-Event-ID` for clients that cannot set headers.",
            },
        ]
    body = _request_body(route, schemas)
    if body is not None:
        operation["requestBody"] = body
    operation["responses"] = {str(route.status): _success(route, schemas), "default": _problem()}
    scope = required_scope(route.method)
    if scope is not None:
        # Bearer schemes have no scopes in OpenAPI: the key's scope is an extension.
        operation["x-required-scope"] = scope.label
    return operation


_STATUS = {
    "type": "object",
    "properties": {"status": {"type": "string", "enum": ["SERVING"]}},
    "required": ["status"],
}


def _operational_paths() -> dict[str, Any]:
    def get(summary: str, response: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "get": {
                "summary": summary,
                "tags": ["Operations"],
                "security": [],  # open: probes and the schema need no key
                "responses": {"200": response, **extra},
            }
        }

    return {
        "/healthz": get(
            "Liveness: the process answers.", {"description": "OK", "content": _json(_STATUS)}
        ),
        "/readyz": get(
            "Readiness: 503 while starting or draining.",
            {"description": "OK", "content": _json(_STATUS)},
            default=_problem("Not ready (UNAVAILABLE)."),
        ),
        "/openapi.json": get(
            "This document.", {"description": "OK", "content": _json({"type": "object"})}
        ),
    }


def _problem_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "RFC 9457 problem details, with the gRPC status code's name.",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "code": {"type": "string", "description": "The gRPC status code (docs/http.md)."},
            "request_id": {"type": "string", "description": "Also the X-Request-Id header."},
            "field_violations": {
                "type": "array",
                "description": "As gRPC's google.rpc.BadRequest (INVALID_ARGUMENT).",
                "items": {
                    "type": "object",
                    "properties": {"field": {"type": "string"}, "description": {"type": "string"}},
                    "required": ["field", "description"],
                },
            },
        },
        "required": ["type", "title", "status", "detail", "code", "request_id"],
    }


def _returned_fields(route: HttpRoute) -> set[str]:
    output = route.method.output_type
    if route.response_body:
        output = _message_type(output.fields_by_name[route.response_body])
    return {f.name for f in output.fields}


def _links(created: HttpRoute, routes: list[HttpRoute]) -> dict[str, Any]:
    """From a creation to every operation its answer names the resource for: clients
    (and schemathesis' stateful phase) follow them."""
    returned = _returned_fields(created)
    return {
        route.operation_id: {
            "operationId": route.operation_id,
            "parameters": {name: f"$response.body#/{name}" for name in route.path_fields},
        }
        for route in routes
        if route is not created and route.path_fields and set(route.path_fields) <= returned
    }


def build_document(comments: Comments) -> dict[str, Any]:
    schemas = _Schemas(comments)
    paths: dict[str, Any] = {}
    routes = list(http_routes())
    for route in routes:
        operation = _operation(route, schemas)
        if route.location is not None:
            operation["responses"][str(route.status)]["links"] = _links(route, routes)
        paths.setdefault(route.path, {})[route.verb.lower()] = operation
    paths.update(_operational_paths())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Dataflow API",
            "version": execution_pb2.DESCRIPTOR.package,
            "description": (
                "The dataflow.v1 gRPC API over HTTP. Bodies are the proto3 JSON form of the "
                "same messages (field names as in the protos); errors are "
                f"`{PROBLEM_MEDIA_TYPE}`. Generated from proto/ by `make gen`."
            ),
        },
        "tags": [{"name": s.name, "description": comments(s.full_name)} for s in SERVICES],
        "paths": paths,
        "security": [{BEARER_SCHEME: []}],
        "components": {
            "schemas": {**dict(sorted(schemas.schemas.items())), "Problem": _problem_schema()},
            "securitySchemes": {
                BEARER_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        "An API key (`dfk_…`, from `dataflow-server keys create`), needed "
                        "when the server runs with DATAFLOW_AUTH=required. Missing or "
                        "invalid: 401; its scope below the operation's `x-required-scope` "
                        "(read < execute < admin): 403."
                    ),
                }
            },
        },
    }


def proto_comments() -> Comments:
    """The protos' comments, compiled by protoc (grpcio-tools, a dev dependency)."""
    from grpc_tools import protoc  # type: ignore[import-untyped]

    protos = sorted(
        str(p.relative_to(REPO / "proto")) for p in (REPO / "proto" / "dataflow").rglob("*.proto")
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "descriptors.binpb"
        status = protoc.main(
            [
                "protoc",
                f"-I{REPO / 'proto'}",
                f"-I{resources.files('grpc_tools') / '_proto'}",
                "--include_source_info",
                f"--descriptor_set_out={out}",
                *protos,
            ]
        )
        if status != 0:
            raise SystemExit(f"protoc failed ({status})")
        return Comments(descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file)


def main() -> None:
    document = build_document(proto_comments())
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
