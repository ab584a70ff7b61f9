"""HTTP request ⇄ proto messages, by the route's `google.api.http` rule.

Path variables, the query string, the JSON body and mapped headers fill the
RPC's request message; the response message (or its `response_body` field)
becomes the proto3 JSON that grpcurl prints. JSON is read strictly: no NaN or
Infinity literals, no unknown fields, the declared types only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass
from google.rpc import code_pb2
from starlette.requests import Request

from ...domain.errors import InvalidArgument
from .problems import HttpError
from .routes import HttpRoute

__all__ = ["fill_query", "json_body", "parse_into", "read_body", "request_message", "response_json"]

JSON_MEDIA_TYPE = "application/json"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range for a JSON number")
    return value


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == JSON_MEDIA_TYPE


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 beyond `limit` bytes (before reading all of it)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> HttpError:
    return HttpError(413, code_pb2.RESOURCE_EXHAUSTED, f"the request body exceeds {limit} bytes")


async def json_body(request: Request, limit: int) -> dict[str, Any] | None:
    """The body as a JSON object, or None when there is none."""
    raw = await read_body(request, limit)
    if not raw.strip():
        return None
    if not _is_json(request.headers.get("content-type", "")):
        raise HttpError(
            415, code_pb2.INVALID_ARGUMENT, f"the request body must be {JSON_MEDIA_TYPE}"
        )
    try:
        value = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite)
    except (ValueError, RecursionError) as exc:
        raise InvalidArgument.single("body", f"is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise InvalidArgument.single("body", "must be a JSON object")
    return value


def parse_into(value: dict[str, Any], message: Message, field: str) -> None:
    try:
        json_format.ParseDict(value, message)
    except (json_format.ParseError, ValueError, TypeError, RecursionError) as exc:
        raise InvalidArgument.single(field, str(exc)) from None


def _query_value(field: FieldDescriptor, values: list[str]) -> Any:
    if field.type == FieldDescriptor.TYPE_ENUM:
        assert field.enum_type is not None
        names = [v.name for v in field.enum_type.values]
        for v in values:  # by name: a number would name no value, or a hidden one
            if v not in names:
                raise InvalidArgument.single(field.name, f"must be one of {', '.join(names)}")
    if field.type == FieldDescriptor.TYPE_BOOL:
        parsed = []
        for v in values:
            if v.lower() not in ("true", "false", "1", "0"):
                raise InvalidArgument.single(field.name, "must be true or false")
            parsed.append(v.lower() in ("true", "1"))
        values = parsed  # type: ignore[assignment]
    if field.is_repeated:
        return values
    if len(values) > 1:
        raise InvalidArgument.single(field.name, "must be given at most once")
    return values[0]


def fill_query(
    request: Request,
    fields: Mapping[str, FieldDescriptor],
    message: Message,
    skip: frozenset[str] = frozenset(),
) -> None:
    """Sets `message`'s fields from the query string; an unknown parameter is refused."""
    given: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key in skip:
            continue
        if key not in fields:
            known = ", ".join(sorted(fields)) or "none"
            raise InvalidArgument.single(key, f"unknown query parameter; known: {known}")
        given.setdefault(key, []).append(value)
    for key, values in given.items():
        parse_into({key: _query_value(fields[key], values)}, message, key)


async def request_message(
    route: HttpRoute, request: Request, limit: int, skip_query: frozenset[str] = frozenset()
) -> Message:
    """The RPC's request message for this HTTP request (body-less routes and JSON bodies)."""
    message: Message = GetMessageClass(route.method.input_type)()
    if route.body:
        body = await json_body(request, limit)
        if body is not None:
            if route.body == "*":
                parse_into(body, message, "body")
            else:
                target = getattr(message, route.body)
                parse_into(body, target, "body")
                target.SetInParent()
    fill_query(request, {f.name: f for f in route.query_fields()}, message, skip_query)
    for header, field in route.header_fields.items():
        value = request.headers.get(header)
        if value is not None:
            parse_into({field: value}, message, header)
    # Path variables last: the path names the resource, whatever the body says.
    for name in route.path_fields:
        parse_into({name: request.path_params[name]}, message, name)
    return message


def response_json(route: HttpRoute, response: Message) -> Any:
    """The response's proto3 JSON form (only `response_body` when the route names one)."""
    if route.response_body:
        response = getattr(response, route.response_body)
    return json_format.MessageToDict(response, preserving_proto_field_name=True)
