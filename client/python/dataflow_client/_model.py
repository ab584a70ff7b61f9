"""The typed results of the client: frozen dataclasses built from the messages.

Statuses are enums that print their names (``COMPLETED``, and compare equal to
that string); timestamps are timezone-aware ``datetime`` (``None`` when unset);
inputs and outputs are plain dicts of JSON values, where whole numbers are
``int`` and file values are :class:`File`. Every object keeps the message it
was built from in ``raw`` (not shown, not compared), for what the typed view
leaves out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Generic, TypeVar

from google.protobuf import json_format, struct_pb2, timestamp_pb2
from google.protobuf.message import Message

from dataflow.v1 import (
    execution_pb2,
    execution_service_pb2,
    file_pb2,
    secret_service_pb2,
    webhook_pb2,
    workflow_pb2,
    workflow_service_pb2,
)

__all__ = [
    "DeliveryStatus",
    "Execution",
    "ExecutionError",
    "ExecutionEvent",
    "ExecutionStatus",
    "File",
    "Page",
    "RetryPolicy",
    "Secret",
    "StartedExecution",
    "Task",
    "TaskItemRun",
    "TaskRun",
    "TaskStatus",
    "TaskType",
    "TaskTypeField",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSecret",
    "Workflow",
    "WorkflowInput",
    "WorkflowOutput",
    "WorkflowRef",
    "WorkflowState",
    "to_json_value",
]

_T = TypeVar("_T")
_E = TypeVar("_E", bound=StrEnum)


# -- enums -------------------------------------------------------------------------


class ExecutionStatus(StrEnum):
    """The status of an execution; ``str()`` is its name."""

    UNSPECIFIED = "UNSPECIFIED"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    @property
    def terminal(self) -> bool:
        return self in (
            ExecutionStatus.COMPLETED,
            ExecutionStatus.FAILED,
            ExecutionStatus.CANCELLED,
        )


class TaskStatus(StrEnum):
    """The status of one task of an execution."""

    UNSPECIFIED = "UNSPECIFIED"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    SKIPPED = "SKIPPED"


class WorkflowState(StrEnum):
    """Whether a workflow can be executed (ACTIVE) or was deleted (ARCHIVED)."""

    UNSPECIFIED = "UNSPECIFIED"
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class DeliveryStatus(StrEnum):
    """Where a webhook delivery stands."""

    UNSPECIFIED = "UNSPECIFIED"
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"


_ENUM_MEMBERS: dict[tuple[type[StrEnum], int], StrEnum] = {}


def _enum(kind: type[_E], proto_enum: Any, number: int, prefix: str) -> _E:
    """The member of `kind` for a proto enum number; UNSPECIFIED for a number
    this client does not know (a newer server). Memoised: a watch converts
    several enums per event."""
    member = _ENUM_MEMBERS.get((kind, number))
    if member is None:
        try:
            name = str(proto_enum.Name(number)).removeprefix(prefix)
        except ValueError:
            name = "UNSPECIFIED"
        member = kind(name) if name in kind.__members__ else kind("UNSPECIFIED")
        _ENUM_MEMBERS[(kind, number)] = member
    return member  # type: ignore[return-value]


# -- values ------------------------------------------------------------------------

#: The keys of a file value (the server's ``FILE_VALUE_KEYS``).
_FILE_KEYS = frozenset({"file_id", "name", "content_type", "size_bytes", "sha256", "created_at"})

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _when(ts: timestamp_pb2.Timestamp) -> datetime | None:
    # What `ts.ToDatetime(tzinfo=UTC)` returns, without its validation (a quarter
    # of the time; a valid Timestamp has 0 <= nanos < 10**9).
    if not (ts.seconds or ts.nanos):
        return None
    return _EPOCH + timedelta(seconds=ts.seconds, microseconds=ts.nanos // 1000)


@dataclass(frozen=True)
class Secret:
    """A secret of the caller's tenant: its name and times. Values are write-only:
    no call returns one."""

    name: str
    created_at: datetime | None = None
    updated_at: datetime | None = None
    raw: secret_service_pb2.Secret | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_proto(cls, message: secret_service_pb2.Secret) -> Secret:
        return cls(
            name=message.name,
            created_at=_when(message.create_time),
            updated_at=_when(message.update_time),
            raw=message,
        )


@dataclass(frozen=True)
class File:
    """A stored file: its metadata, or a file value in inputs and outputs.

    Pass it as an input value as it is (``client.execute(wf, {"audio": file})``),
    or download it with ``client.download_file(file, "out.mp3")``.
    """

    file_id: str
    name: str = ""
    content_type: str = ""
    size_bytes: int = 0
    sha256: str = ""
    created_at: datetime | None = None
    raw: file_pb2.File | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_proto(cls, message: file_pb2.File) -> File:
        return cls(
            file_id=message.file_id,
            name=message.name,
            content_type=message.content_type,
            size_bytes=message.size_bytes,
            sha256=message.sha256,
            created_at=_when(message.created_at),
            raw=message,
        )

    def to_value(self) -> dict[str, Any]:
        """The file value as the API's JSON (``{"file_id": ..., ...}``)."""
        value: dict[str, Any] = {"file_id": self.file_id}
        for key in ("name", "content_type", "sha256"):
            if getattr(self, key):
                value[key] = getattr(self, key)
        if self.size_bytes:
            value["size_bytes"] = self.size_bytes
        return value


def _is_file_value(value: dict[str, Any]) -> bool:
    file_id = value.get("file_id")
    return isinstance(file_id, str) and file_id.startswith("file-") and value.keys() <= _FILE_KEYS


def _plain(value: Any) -> Any:
    """A JSON value from a ``Struct``: whole numbers as ``int``, file values as `File`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        if _is_file_value(value):
            return File(
                file_id=value["file_id"],
                name=str(value.get("name", "")),
                content_type=str(value.get("content_type", "")),
                size_bytes=int(value.get("size_bytes") or 0),
                sha256=str(value.get("sha256", "")),
            )
        return {k: _plain(v) for k, v in value.items()}
    return value


def _json(value: struct_pb2.Value) -> Any:
    """A ``Value`` as what ``json_format.MessageToDict`` gives, read directly
    (json_format walks descriptors in pure Python: 20× slower)."""
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return {k: _json(v) for k, v in value.struct_value.fields.items()}
    if kind == "list_value":
        return [_json(v) for v in value.list_value.values]
    if kind == "null_value" or kind is None:
        return None
    return getattr(value, kind)


def _struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    if not struct.fields:
        return {}
    return {k: _plain(_json(v)) for k, v in struct.fields.items()}


def _value(message: struct_pb2.Value, present: bool = True) -> Any:
    """A ``google.protobuf.Value`` as a plain value (None when absent)."""
    return _plain(_json(message)) if present else None


def to_json_value(value: Any) -> Any:
    """A value to send (inputs): a `File` becomes ``{"file_id": ...}`` (the server
    fills in the rest from its store), an enum its name."""
    if isinstance(value, File):
        return {"file_id": value.file_id}
    if isinstance(value, StrEnum):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    return value


# -- workflows ---------------------------------------------------------------------


@dataclass(frozen=True)
class WorkflowRef:
    """A stored workflow version: what CreateWorkflow and UpdateWorkflow answer."""

    workflow_id: str
    workflow_version: int
    raw: Message | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_proto(
        cls,
        message: workflow_service_pb2.CreateWorkflowResponse
        | workflow_service_pb2.UpdateWorkflowResponse,
    ) -> WorkflowRef:
        return cls(message.workflow_id, message.workflow_version, message)


@dataclass(frozen=True)
class RetryPolicy:
    """How a task is retried; ``None`` fields take the task type's default."""

    max_attempts: int | None = None
    initial_backoff_seconds: float | None = None
    backoff_multiplier: float | None = None
    max_backoff_seconds: float | None = None

    @classmethod
    def from_proto(cls, message: workflow_pb2.RetryPolicy) -> RetryPolicy:
        m = message
        return cls(
            m.max_attempts if m.HasField("max_attempts") else None,
            m.initial_backoff_seconds if m.HasField("initial_backoff_seconds") else None,
            m.backoff_multiplier if m.HasField("backoff_multiplier") else None,
            m.max_backoff_seconds if m.HasField("max_backoff_seconds") else None,
        )


@dataclass(frozen=True)
class WorkflowInput:
    name: str
    type: str
    description: str = ""
    required: bool = True
    default: Any = None

    @classmethod
    def from_proto(cls, message: workflow_pb2.WorkflowInput) -> WorkflowInput:
        return cls(
            name=message.name,
            type=message.type,
            description=message.description,
            required=message.required if message.HasField("required") else True,
            default=_value(message.default, message.HasField("default")),
        )


@dataclass(frozen=True)
class Task:
    """A task of a definition; ``inputs`` are literals and ``{{…}}`` templates."""

    name: str
    type: str
    inputs: dict[str, Any]
    retry: RetryPolicy | None = None
    timeout_seconds: float | None = None
    description: str = ""
    #: The tasks it runs after; None: after the task listed before it.
    depends_on: list[str] | None = None
    when: str = ""
    for_each: str = ""
    max_parallel: int | None = None
    allow_skipped_dependencies: bool = False

    @classmethod
    def from_proto(cls, message: workflow_pb2.Task) -> Task:
        return cls(
            name=message.name,
            type=message.type,
            inputs=_struct(message.inputs),
            retry=RetryPolicy.from_proto(message.retry) if message.HasField("retry") else None,
            timeout_seconds=(
                message.timeout_seconds if message.HasField("timeout_seconds") else None
            ),
            description=message.description,
            depends_on=(
                [str(name) for name in message.depends_on]
                if message.HasField("depends_on")
                else None
            ),
            when=message.when,
            for_each=message.for_each,
            max_parallel=message.max_parallel if message.HasField("max_parallel") else None,
            allow_skipped_dependencies=message.allow_skipped_dependencies,
        )


@dataclass(frozen=True)
class WorkflowOutput:
    name: str
    type: str
    value: Any
    description: str = ""
    #: The value when the tasks it reads were skipped (None: no default).
    default: Any = None

    @classmethod
    def from_proto(cls, message: workflow_pb2.WorkflowOutput) -> WorkflowOutput:
        return cls(
            name=message.name,
            type=message.type,
            value=_value(message.value, message.HasField("value")),
            description=message.description,
            default=_value(message.default, message.HasField("default")),
        )


@dataclass(frozen=True)
class Workflow:
    """One version of a workflow."""

    workflow_id: str
    workflow_version: int
    title: str
    description: str
    inputs: list[WorkflowInput]
    tasks: list[Task]
    outputs: list[WorkflowOutput]
    state: WorkflowState
    created_at: datetime | None
    updated_at: datetime | None
    raw: workflow_pb2.Workflow = field(repr=False, compare=False)

    @classmethod
    def from_proto(cls, message: workflow_pb2.Workflow) -> Workflow:
        return cls(
            workflow_id=message.workflow_id,
            workflow_version=message.workflow_version,
            title=message.title,
            description=message.description,
            inputs=[WorkflowInput.from_proto(i) for i in message.inputs],
            tasks=[Task.from_proto(t) for t in message.tasks],
            outputs=[WorkflowOutput.from_proto(o) for o in message.outputs],
            state=_enum(
                WorkflowState, workflow_pb2.WorkflowState, message.state, "WORKFLOW_STATE_"
            ),
            created_at=_when(message.created_at),
            updated_at=_when(message.updated_at),
            raw=message,
        )

    def definition(self) -> dict[str, Any]:
        """The definition as the API's JSON body (what ``create_workflow`` takes)."""
        body = json_format.MessageToDict(self.raw, preserving_proto_field_name=True)
        for key in ("workflow_id", "workflow_version", "state", "created_at", "updated_at"):
            body.pop(key, None)
        return body


@dataclass(frozen=True)
class TaskTypeField:
    name: str
    type: str
    description: str
    required: bool
    default: Any = None
    allowed_values: list[Any] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None

    @classmethod
    def from_proto(cls, message: workflow_pb2.TaskTypeField) -> TaskTypeField:
        return cls(
            name=message.name,
            type=message.type,
            description=message.description,
            required=message.required,
            default=_value(message.default, message.HasField("default")),
            allowed_values=[_value(v) for v in message.allowed_values],
            minimum=message.minimum if message.HasField("minimum") else None,
            maximum=message.maximum if message.HasField("maximum") else None,
        )


@dataclass(frozen=True)
class TaskType:
    """A task type definitions can use, with its fields and defaults."""

    name: str
    description: str
    inputs: list[TaskTypeField]
    outputs: list[TaskTypeField]
    default_retry: RetryPolicy
    default_timeout_seconds: float
    raw: workflow_pb2.TaskType = field(repr=False, compare=False)

    @classmethod
    def from_proto(cls, message: workflow_pb2.TaskType) -> TaskType:
        return cls(
            name=message.name,
            description=message.description,
            inputs=[TaskTypeField.from_proto(f) for f in message.inputs],
            outputs=[TaskTypeField.from_proto(f) for f in message.outputs],
            default_retry=RetryPolicy.from_proto(message.default_retry),
            default_timeout_seconds=message.default_timeout_seconds,
            raw=message,
        )


# -- executions --------------------------------------------------------------------


@dataclass(frozen=True)
class ExecutionError:
    """Why a task or an execution failed (a value, not an exception)."""

    code: str
    message: str
    retryable: bool = False
    task_name: str = ""

    @classmethod
    def from_proto(cls, message: execution_pb2.ExecutionError) -> ExecutionError:
        return cls(message.code, message.message, message.retryable, message.task_name)

    def __str__(self) -> str:
        where = f"[{self.task_name}] " if self.task_name else ""
        return f"{where}{self.code}: {self.message}" if self.code else where + self.message


def _error(message: execution_pb2.ExecutionError) -> ExecutionError | None:
    return ExecutionError.from_proto(message) if message.code or message.message else None


@dataclass(frozen=True)
class StartedExecution:
    """What ExecuteWorkflow answers: the new (or, for a repeated request_id, the
    existing) execution, PENDING when new. With ``wait``, ``execution`` is the
    execution when the answer was sent: its outcome when it ended in time."""

    workflow_execution_id: str
    workflow_id: str
    workflow_version: int
    status: ExecutionStatus
    raw: execution_service_pb2.ExecuteWorkflowResponse = field(repr=False, compare=False)
    execution: Execution | None = None

    @classmethod
    def from_proto(cls, message: execution_service_pb2.ExecuteWorkflowResponse) -> StartedExecution:
        return cls(
            message.workflow_execution_id,
            message.workflow_id,
            message.workflow_version,
            _enum(ExecutionStatus, execution_pb2.Execution.Status, message.status, "STATUS_"),
            message,
            Execution.from_proto(message.execution) if message.HasField("execution") else None,
        )


def _task_status(number: int) -> TaskStatus:
    return _enum(TaskStatus, execution_pb2.TaskRun.Status, number, "STATUS_")


@dataclass(frozen=True)
class TaskItemRun:
    """The run of one item of a ``for_each`` task."""

    index: int
    status: TaskStatus
    attempts: int
    outputs: dict[str, Any]
    error: ExecutionError | None
    started_at: datetime | None
    completed_at: datetime | None

    @classmethod
    def from_proto(cls, message: execution_pb2.TaskItemRun) -> TaskItemRun:
        return cls(
            index=message.index,
            status=_task_status(message.status),
            attempts=message.attempts,
            outputs=_struct(message.outputs),
            error=_error(message.error),
            started_at=_when(message.started_at),
            completed_at=_when(message.completed_at),
        )


@dataclass(frozen=True)
class TaskRun:
    """One task of an execution (``items``: the runs of a ``for_each`` task)."""

    name: str
    type: str
    status: TaskStatus
    attempts: int
    outputs: dict[str, Any]
    error: ExecutionError | None
    started_at: datetime | None
    completed_at: datetime | None
    skip_reason: str | None
    items: list[TaskItemRun]
    raw: execution_pb2.TaskRun = field(repr=False, compare=False)

    @classmethod
    def from_proto(cls, message: execution_pb2.TaskRun) -> TaskRun:
        return cls(
            name=message.name,
            type=message.type,
            status=_task_status(message.status),
            attempts=message.attempts,
            outputs=_struct(message.outputs),
            error=_error(message.error),
            started_at=_when(message.started_at),
            completed_at=_when(message.completed_at),
            skip_reason=message.skip_reason or None,
            items=[TaskItemRun.from_proto(i) for i in message.items],
            raw=message,
        )


@dataclass(frozen=True)
class Execution:
    """An execution: its status, tasks, inputs, outputs and error."""

    workflow_execution_id: str
    workflow_id: str
    workflow_version: int
    status: ExecutionStatus
    tasks: list[TaskRun]
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    error: ExecutionError | None
    webhook: str | None
    request_id: str | None
    created_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    last_sequence: int
    raw: execution_pb2.Execution = field(repr=False, compare=False)

    @classmethod
    def from_proto(cls, message: execution_pb2.Execution) -> Execution:
        return cls(
            workflow_execution_id=message.workflow_execution_id,
            workflow_id=message.workflow_id,
            workflow_version=message.workflow_version,
            status=_enum(
                ExecutionStatus, execution_pb2.Execution.Status, message.status, "STATUS_"
            ),
            tasks=[TaskRun.from_proto(t) for t in message.tasks],
            inputs=_struct(message.inputs),
            outputs=_struct(message.outputs),
            error=_error(message.error),
            webhook=message.monitoring.webhook or None,
            request_id=message.request_id or None,
            created_at=_when(message.created_at),
            started_at=_when(message.started_at),
            completed_at=_when(message.completed_at),
            last_sequence=message.last_sequence,
            raw=message,
        )


@dataclass(frozen=True)
class ExecutionEvent:
    """One entry of an execution's event log (``sequence`` 1, 2, 3…).

    Task events name the task (``task_name``, ``task_status``, ``attempt``);
    the first event sent by a watch and the terminal one carry ``execution``.
    """

    sequence: int
    type: str
    workflow_execution_id: str
    status: ExecutionStatus
    timestamp: datetime | None
    task_name: str | None
    task_status: TaskStatus | None
    attempt: int
    error: ExecutionError | None
    execution: Execution | None
    #: The item of a ``task.item.*`` event; why a task or item was skipped.
    item_index: int | None
    skip_reason: str | None
    raw: execution_pb2.ExecutionEvent = field(repr=False, compare=False)

    @classmethod
    def from_proto(cls, message: execution_pb2.ExecutionEvent) -> ExecutionEvent:
        task_status = _enum(
            TaskStatus, execution_pb2.TaskRun.Status, message.task_status, "STATUS_"
        )
        return cls(
            sequence=message.sequence,
            type=message.type,
            workflow_execution_id=message.workflow_execution_id,
            status=_enum(
                ExecutionStatus, execution_pb2.Execution.Status, message.status, "STATUS_"
            ),
            timestamp=_when(message.timestamp),
            task_name=message.task_name or None,
            task_status=None if task_status is TaskStatus.UNSPECIFIED else task_status,
            attempt=message.attempt,
            error=_error(message.error) if message.HasField("error") else None,
            execution=(
                Execution.from_proto(message.execution) if message.HasField("execution") else None
            ),
            item_index=message.item_index if message.HasField("item_index") else None,
            skip_reason=message.skip_reason or None,
            raw=message,
        )


# -- webhooks ----------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookAttempt:
    """One try of a delivery: the HTTP status, or what failed, and how long it took."""

    attempted_at: datetime | None
    status_code: int | None
    error: str | None
    latency_ms: int

    @classmethod
    def from_proto(cls, message: webhook_pb2.WebhookAttempt) -> WebhookAttempt:
        return cls(
            _when(message.attempted_at),
            message.status_code or None,
            message.error or None,
            message.latency_ms,
        )


@dataclass(frozen=True)
class WebhookDelivery:
    """One event sent to an execution's webhook, with every attempt."""

    webhook_id: str
    workflow_execution_id: str
    sequence: int
    event_type: str
    url: str
    status: DeliveryStatus
    attempt_count: int
    attempts: list[WebhookAttempt]
    created_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    raw: webhook_pb2.WebhookDelivery = field(repr=False, compare=False)

    @classmethod
    def from_proto(cls, message: webhook_pb2.WebhookDelivery) -> WebhookDelivery:
        return cls(
            webhook_id=message.webhook_id,
            workflow_execution_id=message.workflow_execution_id,
            sequence=message.sequence,
            event_type=message.event_type,
            url=message.url,
            status=_enum(
                DeliveryStatus, webhook_pb2.WebhookDelivery.Status, message.status, "STATUS_"
            ),
            attempt_count=message.attempt_count,
            attempts=[WebhookAttempt.from_proto(a) for a in message.attempts],
            created_at=_when(message.created_at),
            next_attempt_at=_when(message.next_attempt_at),
            delivered_at=_when(message.delivered_at),
            raw=message,
        )


@dataclass(frozen=True)
class WebhookSecret:
    """The secrets your tenant's webhook deliveries are signed with: pass
    `secrets` to `verify_webhook`. `previous` still signs (alongside `current`)
    until `previous_expires_at`, after a rotation."""

    current: str
    previous: str | None
    previous_expires_at: datetime | None
    rotated_at: datetime | None
    raw: webhook_pb2.WebhookSecret = field(repr=False, compare=False)

    @property
    def secrets(self) -> list[str]:
        """The secrets a delivery may be signed with now: current first."""
        return [self.current] if self.previous is None else [self.current, self.previous]

    @classmethod
    def from_proto(cls, message: webhook_pb2.WebhookSecret) -> WebhookSecret:
        return cls(
            current=message.current_secret,
            previous=message.previous_secret or None,
            previous_expires_at=_when(message.previous_expires_at),
            rotated_at=_when(message.rotated_at),
            raw=message,
        )


# -- pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class Page(Generic[_T]):
    """One page of a list: its items, and the token of the next page ("" at the end)."""

    items: list[_T]
    next_page_token: str
    raw: Message = field(repr=False, compare=False)

    def __iter__(self) -> Iterator[_T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
