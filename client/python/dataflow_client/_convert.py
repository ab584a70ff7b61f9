"""Conversions between Python values and the generated messages, and the
request builders both clients share."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, BinaryIO, TypeAlias

from google.protobuf import json_format, struct_pb2

from dataflow.v1 import (
    execution_pb2,
    execution_service_pb2,
    file_service_pb2,
    secret_service_pb2,
    webhook_service_pb2,
    workflow_pb2,
    workflow_service_pb2,
)

from ._errors import FieldViolation, invalid_argument
from ._model import Execution, File, Page, Secret, WebhookDelivery, Workflow, to_json_value

__all__ = [
    "Definition",
    "ExecutionStatusLike",
    "FileLike",
    "UploadSource",
    "delivery_page",
    "execute_request",
    "execution_page",
    "execution_status",
    "file_id_of",
    "list_executions_request",
    "message_to_dict",
    "to_struct",
    "to_workflow",
    "workflow_page",
]

#: A workflow definition: the Getting Started JSON body as a dict, a
#: :class:`Workflow` (its definition) or a ``dataflow.v1.Workflow`` message.
Definition: TypeAlias = Mapping[str, Any] | Workflow | workflow_pb2.Workflow
#: A file: its ``file-…`` id or a :class:`File`.
FileLike: TypeAlias = str | File
#: An execution status: ``"RUNNING"`` (any case) or the enum value.
ExecutionStatusLike: TypeAlias = str | int
#: What ``upload_file`` reads: a path, bytes, or a binary stream.
UploadSource: TypeAlias = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO


def to_workflow(definition: Definition) -> workflow_pb2.Workflow:
    """A ``Workflow`` from a definition dict (the seed body) or a message.

    ``{"workflow": {...}}`` (the grpcurl request form) is accepted too.
    """
    if isinstance(definition, workflow_pb2.Workflow):
        return definition
    if isinstance(definition, Workflow):
        definition = definition.definition()
    if not isinstance(definition, Mapping):
        raise invalid_argument(
            f"a workflow definition must be a JSON object, not {type(definition).__name__}"
        )
    body: Mapping[str, Any] = definition
    inner = body.get("workflow")
    if len(body) == 1 and isinstance(inner, Mapping):
        body = inner
    workflow = workflow_pb2.Workflow()
    try:
        json_format.ParseDict(dict(body), workflow)
    except json_format.ParseError as exc:
        raise invalid_argument(f"invalid workflow definition: {exc}") from exc
    return workflow


def to_struct(values: Mapping[str, Any] | None, what: str = "inputs") -> struct_pb2.Struct:
    """A ``google.protobuf.Struct`` from a JSON-like mapping (`File` values allowed)."""
    struct = struct_pb2.Struct()
    if values:
        try:
            json_format.ParseDict(to_json_value(values), struct)
        except (json_format.ParseError, TypeError, ValueError) as exc:
            raise invalid_argument(
                f"{what} must be a JSON object", FieldViolation(what, str(exc))
            ) from exc
    return struct


def message_to_dict(message: Any) -> dict[str, Any]:
    """The proto3 JSON form of a message, as a dict (snake_case field names)."""
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


_EXECUTION_STATUSES = [
    name
    for name in execution_pb2.Execution.Status.keys()  # noqa: SIM118 if name != "STATUS_UNSPECIFIED"
]


def execution_status(
    status: ExecutionStatusLike | None,
) -> execution_pb2.Execution.Status.ValueType:
    """The enum value of an execution status given by name or number."""
    if status is None or status == "":
        return execution_pb2.Execution.STATUS_UNSPECIFIED
    if isinstance(status, int):
        if status in execution_pb2.Execution.Status.values():
            return execution_pb2.Execution.Status.ValueType(status)
    elif status.upper() in _EXECUTION_STATUSES:
        return execution_pb2.Execution.Status.Value(status.upper())
    raise invalid_argument(
        f"unknown execution status {status!r}",
        FieldViolation("status", "must be one of " + ", ".join(_EXECUTION_STATUSES)),
    )


def execute_request(
    workflow_id: str,
    inputs: Mapping[str, Any] | None,
    webhook: str | None,
    request_id: str | None,
    wait: float | None = None,
) -> execution_service_pb2.ExecuteWorkflowRequest:
    request = execution_service_pb2.ExecuteWorkflowRequest(
        workflow_id=workflow_id,
        inputs=to_struct(inputs),
        request_id=request_id or "",
    )
    if webhook:
        request.monitoring.webhook = webhook
    if wait is not None:
        request.wait.FromNanoseconds(round(wait * 1e9))
    return request


def list_executions_request(
    workflow_id: str,
    status: ExecutionStatusLike | None,
    page_size: int,
    page_token: str,
    full: bool,
) -> execution_service_pb2.ListExecutionsRequest:
    return execution_service_pb2.ListExecutionsRequest(
        workflow_id=workflow_id,
        status=execution_status(status),
        page_size=page_size,
        page_token=page_token,
        view=execution_pb2.EXECUTION_VIEW_FULL if full else execution_pb2.EXECUTION_VIEW_BASIC,
    )


def list_workflows_request(
    page_size: int, page_token: str, show_archived: bool
) -> workflow_service_pb2.ListWorkflowsRequest:
    return workflow_service_pb2.ListWorkflowsRequest(
        page_size=page_size, page_token=page_token, show_archived=show_archived
    )


def watch_request(
    execution_id: str, after_sequence: int, event_types: Iterable[str]
) -> execution_service_pb2.WatchExecutionRequest:
    return execution_service_pb2.WatchExecutionRequest(
        workflow_execution_id=execution_id,
        after_sequence=after_sequence,
        event_types=list(event_types),
        batch_events=True,
    )


def upload_metadata(
    name: str, content_type: str | None, size: int | None, sha256: str | None
) -> file_service_pb2.UploadFileRequest:
    return file_service_pb2.UploadFileRequest(
        metadata=file_service_pb2.UploadFileMetadata(
            name=name,
            content_type=content_type or "",
            size_bytes=size or 0,
            sha256=sha256 or "",
        )
    )


def file_id_of(file: FileLike) -> str:
    return file.file_id if isinstance(file, File) else file


def workflow_page(response: workflow_service_pb2.ListWorkflowsResponse) -> Page[Workflow]:
    return Page(
        [Workflow.from_proto(w) for w in response.workflows], response.next_page_token, response
    )


def execution_page(response: execution_service_pb2.ListExecutionsResponse) -> Page[Execution]:
    return Page(
        [Execution.from_proto(e) for e in response.executions], response.next_page_token, response
    )


def delivery_page(
    response: webhook_service_pb2.ListWebhookDeliveriesResponse,
) -> Page[WebhookDelivery]:
    return Page(
        [WebhookDelivery.from_proto(d) for d in response.deliveries],
        response.next_page_token,
        response,
    )


def secret_page(response: secret_service_pb2.ListSecretsResponse) -> Page[Secret]:
    return Page(
        [Secret.from_proto(s) for s in response.secrets], response.next_page_token, response
    )
