"""A counting gRPC client for the property-based suite, and its oracle.

Every answer is checked as it arrives:
- the code is a clean one (never INTERNAL, UNKNOWN, or a transport error);
- an INVALID_ARGUMENT carries a `google.rpc.BadRequest` whose every field path
  names a field of the request (for a definition, of `workflow`); only bytes
  that do not decode at all may come without one;
- the message is short and names no internals.
What was accepted is remembered, so that `assert_nothing_else_stored` can
compare it with what the server lists.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf import message_factory, struct_pb2
from google.protobuf.message import Message
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from dataflow.v1 import (
    execution_service_pb2,
    file_service_pb2,
    secret_service_pb2,
    webhook_service_pb2,
    workflow_service_pb2,
)

__all__ = ["CLEAN_CODES", "FIGURES", "METHODS", "FuzzClient", "Method", "path_exists"]

# (rpc, code name) → count, over the whole run.
FIGURES: Counter[tuple[str, str]] = Counter()

CLEAN_CODES = frozenset(
    {
        grpc.StatusCode.OK,
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.ALREADY_EXISTS,
        grpc.StatusCode.RESOURCE_EXHAUSTED,
    }
)
_INTERNALS = ("Traceback", "Exception", "Error parsing", "DecodeError", "<class", "upb")
_TIMEOUT = 20.0


@dataclass(frozen=True)
class Method:
    path: str  # /dataflow.v1.Service/Name
    name: str
    request: type[Message]
    response: type[Message]
    client_streaming: bool
    server_streaming: bool


def _methods() -> dict[str, Method]:
    found = {}
    for module in (
        workflow_service_pb2,
        execution_service_pb2,
        file_service_pb2,
        webhook_service_pb2,
        secret_service_pb2,
    ):
        for service in module.DESCRIPTOR.services_by_name.values():
            for m in service.methods:
                found[m.name] = Method(
                    f"/{service.full_name}/{m.name}",
                    m.name,
                    message_factory.GetMessageClass(m.input_type),
                    message_factory.GetMessageClass(m.output_type),
                    m.client_streaming,
                    m.server_streaming,
                )
    return found


METHODS = _methods()


@dataclass
class Answer:
    code: grpc.StatusCode
    responses: list[Any] = field(default_factory=list)
    details: str = ""
    violations: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.code == grpc.StatusCode.OK

    @property
    def response(self) -> Any:
        return self.responses[0] if self.responses else None


class FuzzClient:
    def __init__(self, channel: grpc.Channel) -> None:
        self._channel = channel
        self.workflow_ids: list[str] = []
        self.execution_ids: list[str] = []
        self.file_ids: list[str] = []
        self.page_tokens: list[str] = []
        self.stored_workflows: set[str] = set()
        self.stored_executions: dict[str, set[str]] = {}

    # -- calls ---------------------------------------------------------------

    def call(self, name: str, request: Message | Sequence[Message]) -> Answer:
        """Send a request (a list of them for a client stream) and check the answer."""
        method = METHODS[name]
        answer = self._send(method, request, serialize=True)
        if isinstance(request, Message):
            message: Message = request
        else:  # a client stream: paths refer to its messages (an empty one has none)
            message = request[0] if request else method.request()
        self._check(method, answer, message)
        if answer.ok:
            self._remember(method, request, answer)
        return answer

    def raw(self, name: str, data: bytes | Sequence[bytes]) -> Answer:
        """Send bytes as they are (a list of them for a client stream)."""
        method = METHODS[name]
        answer = self._send(method, data, serialize=False)
        self._check(method, answer, None)
        if answer.ok:  # mutated bytes can still be a valid request
            self._remember(method, data, answer)
        return answer

    def _send(self, method: Method, request: Any, *, serialize: bool) -> Answer:
        serializer = (lambda m: m.SerializeToString()) if serialize else None
        deserializer = method.response.FromString
        try:
            if method.client_streaming:
                call = self._channel.stream_unary(method.path, serializer, deserializer)
                responses = [call(iter(list(request)), timeout=_TIMEOUT)]
            elif method.server_streaming:
                stream = self._channel.unary_stream(method.path, serializer, deserializer)
                responses = list(stream(request, timeout=_TIMEOUT))
            else:
                call = self._channel.unary_unary(method.path, serializer, deserializer)
                responses = [call(request, timeout=_TIMEOUT)]
        except grpc.RpcError as error:
            answer = Answer(error.code(), details=error.details() or "")
            answer.violations = _violations(error)
        else:
            answer = Answer(grpc.StatusCode.OK, responses)
        FIGURES[(method.name, answer.code.name)] += 1
        return answer

    def _check(self, method: Method, answer: Answer, request: Message | None) -> None:
        where = f"{method.name}: {answer.code.name}: {answer.details[:300]!r}"
        assert answer.code in CLEAN_CODES, where
        assert len(answer.details) < 2000, where
        assert not any(word in answer.details for word in _INTERNALS), where
        if answer.code != grpc.StatusCode.INVALID_ARGUMENT:
            return
        if request is None:  # raw bytes: a BadRequest is optional, its paths unchecked
            return
        assert answer.violations, f"no BadRequest: {where}"
        for path in answer.violations:
            assert path_exists(request, path), f"{path!r} is not in the request: {where}"

    def _remember(self, method: Method, request: Any, answer: Answer) -> None:
        response = answer.response
        if method.name == "CreateWorkflow":
            self.workflow_ids.append(response.workflow_id)
            self.stored_workflows.add(response.workflow_id)
        elif method.name in ("ExecuteWorkflow", "ExecuteAndWatch"):
            started = response if method.name == "ExecuteWorkflow" else response.started
            execution_id = started.workflow_execution_id
            self.stored_executions.setdefault(started.workflow_id, set()).add(execution_id)
            if execution_id not in self.execution_ids:
                self.execution_ids.append(execution_id)
        elif method.name == "UploadFile":
            self.file_ids.append(response.file.file_id)
        token = getattr(response, "next_page_token", "") if response is not None else ""
        if token and len(self.page_tokens) < 50:
            self.page_tokens.append(token)

    # -- state ---------------------------------------------------------------

    def serving(self) -> bool:
        stub = health_pb2_grpc.HealthStub(self._channel)
        reply = stub.Check(health_pb2.HealthCheckRequest(), timeout=_TIMEOUT)
        return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)

    def seed(self) -> None:
        """Known-good resources for the generators to aim at."""
        from tests.fuzz.strategies import ECHO, workflow_message

        for _ in range(2):
            created = self.call(
                "CreateWorkflow",
                workflow_service_pb2.CreateWorkflowRequest(workflow=workflow_message(ECHO)),
            )
            assert created.ok, created.details
        for text in ("hello", "world"):
            request = execution_service_pb2.ExecuteWorkflowRequest(workflow_id=self.workflow_ids[0])
            request.inputs["text"] = text
            assert self.call("ExecuteWorkflow", request).ok
        upload = [
            file_service_pb2.UploadFileRequest(
                metadata=file_service_pb2.UploadFileMetadata(name="a.txt")
            ),
            file_service_pb2.UploadFileRequest(data=b"hello"),
        ]
        assert self.call("UploadFile", upload).ok
        for execution_id in self.execution_ids:  # watched to the end: terminal
            self.call(
                "WatchExecution",
                execution_service_pb2.WatchExecutionRequest(workflow_execution_id=execution_id),
            )

    def assert_nothing_else_stored(self) -> None:
        """What the server lists is exactly what it accepted: refusals stored nothing."""
        listed = set(
            self._list_all(
                "ListWorkflows",
                lambda token: workflow_service_pb2.ListWorkflowsRequest(
                    page_size=1000, page_token=token, show_archived=True
                ),
                "workflows",
                "workflow_id",
            )
        )
        assert listed == self.stored_workflows, (
            listed - self.stored_workflows,
            self.stored_workflows - listed,
        )
        for workflow_id, accepted in self.stored_executions.items():
            executions = set(
                self._list_all(
                    "ListExecutions",
                    lambda token, wf=workflow_id: execution_service_pb2.ListExecutionsRequest(
                        workflow_id=wf, page_size=1000, page_token=token
                    ),
                    "executions",
                    "workflow_execution_id",
                )
            )
            assert executions == accepted, (workflow_id, executions ^ accepted)

    def _list_all(self, name: str, request: Any, items: str, key: str) -> Iterable[str]:
        token = ""
        while True:
            answer = self.call(name, request(token))
            assert answer.ok, answer.details
            yield from (getattr(item, key) for item in getattr(answer.response, items))
            token = answer.response.next_page_token
            if not token:
                return


def _violations(error: Any) -> dict[str, str]:
    status = rpc_status.from_call(error)
    found: dict[str, str] = {}
    for detail in status.details if status is not None else ():
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            found.update({v.field: v.description for v in bad_request.field_violations})
    return found


# -- field paths ---------------------------------------------------------------

_SEGMENT = re.compile(r'\.?([A-Za-z0-9_\-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def _segments(path: str) -> list[str | int] | None:
    import json

    found: list[str | int] = []
    pos = 0
    while pos < len(path):
        m = _SEGMENT.match(path, pos)
        if m is None or m.end() == pos:
            return None
        name, index, quoted = m.groups()
        found.append(
            name if name is not None else int(index) if index is not None else json.loads(quoted)
        )
        pos = m.end()
    return found


def path_exists(request: Message, path: str) -> bool:
    """Whether `path` names a field of `request` (or, for a definition, of its
    `workflow`): message fields by name, list items within bounds, and inside
    JSON values any member (a missing member is what "is required" names)."""
    segments = _segments(path)
    if segments is None:
        return False
    roots = [request]
    if "workflow" in request.DESCRIPTOR.fields_by_name:
        roots.append(request.workflow)  # type: ignore[attr-defined]
    return any(_walk(root, segments) for root in roots)


def _walk(node: Any, segments: list[str | int]) -> bool:
    for k, segment in enumerate(segments):
        if isinstance(node, struct_pb2.Struct | struct_pb2.Value | struct_pb2.ListValue):
            return _walk_json(_python(node), segments[k:])
        if isinstance(node, Message):
            if not isinstance(segment, str) or segment not in node.DESCRIPTOR.fields_by_name:
                return False
            node = getattr(node, segment)
        elif isinstance(segment, int) and hasattr(node, "__len__") and not isinstance(node, str):
            if segment >= len(node):
                return False
            node = node[segment]
        else:
            return False
    return True


def _walk_json(value: Any, segments: list[str | int]) -> bool:
    for segment in segments:
        if isinstance(value, dict) and isinstance(segment, str):
            if segment not in value:
                return True  # a member that is missing (e.g. a required one)
            value = value[segment]
        elif isinstance(value, list) and isinstance(segment, int) and segment < len(value):
            value = value[segment]
        else:
            return False
    return True


def _python(message: Any) -> Any:
    if isinstance(message, struct_pb2.Struct):
        return {k: _python(v) for k, v in message.fields.items()}
    if isinstance(message, struct_pb2.ListValue):
        return [_python(v) for v in message.values]
    kind = message.WhichOneof("kind")
    if kind in ("struct_value", "list_value"):
        return _python(getattr(message, kind))
    return getattr(message, kind) if kind else None


def names_in(items: Iterable[Message], key: str) -> list[str]:
    return [getattr(item, key) for item in items]
