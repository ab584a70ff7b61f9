"""Proto messages ⇄ domain records. No logic beyond shape conversion."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.protobuf import duration_pb2, json_format, struct_pb2, timestamp_pb2
from google.protobuf.descriptor import EnumDescriptor

from dataflow.v1 import execution_pb2, file_pb2, secret_service_pb2, webhook_pb2, workflow_pb2

from ..domain.definitions import RetryPolicy, definition_to_dict
from ..domain.errors import InvalidArgument
from ..domain.records import (
    DeliveryRecord,
    EventRecord,
    ExecutionRecord,
    ExecutionStatus,
    FileRecord,
    TaskError,
    TaskItemRecord,
    TaskRunRecord,
    TaskStatus,
    WorkflowRecord,
)
from ..domain.secrets import SecretRecord
from ..domain.task_types import FieldSpec, TaskTypeSpec
from ..domain.values import JsonObject, JsonValue
from ..domain.webhook_secrets import WebhookSecrets

__all__ = [
    "checked_enum",
    "delivery_to_proto",
    "duration_to_seconds",
    "event_to_proto",
    "execution_status_from_proto",
    "execution_to_proto",
    "file_to_proto",
    "full_view_from_proto",
    "message_to_dict",
    "secret_to_proto",
    "struct_to_dict",
    "task_type_to_proto",
    "value_to_python",
    "webhook_secret_to_proto",
    "workflow_to_proto",
]

_OUTPUT_ONLY_WORKFLOW_FIELDS = (
    "workflow_id",
    "workflow_version",
    "state",
    "created_at",
    "updated_at",
)


# The Struct/Value fields of a definition: (list of the Workflow, field of its items).
_WORKFLOW_VALUE_FIELDS = (("tasks", "inputs"), ("inputs", "default"), ("outputs", "value"))


def message_to_dict(message: Any) -> dict[str, Any]:
    """proto3 JSON form with the proto field names (the seed's snake_case)."""
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def workflow_definition_dict(message: workflow_pb2.Workflow) -> dict[str, Any]:
    """The definition part of a Workflow message (output-only fields dropped).

    Its Struct and Value fields are converted by `value_to_python`, so that NaN
    and ±Infinity reach validation, which reports them with their paths.
    """
    plain = workflow_pb2.Workflow()
    plain.CopyFrom(message)
    for section, name in _WORKFLOW_VALUE_FIELDS:
        for item in getattr(plain, section):
            item.ClearField(name)
    d = message_to_dict(plain)
    for key in _OUTPUT_ONLY_WORKFLOW_FIELDS:
        d.pop(key, None)
    for section, name in _WORKFLOW_VALUE_FIELDS:
        for item, converted in zip(getattr(message, section), d.get(section, ()), strict=True):
            if item.HasField(name):
                converted[name] = value_to_python(getattr(item, name))
    return d


def struct_to_dict(message: struct_pb2.Struct) -> JsonObject:
    """A Struct as a dict. Unlike json_format, NaN and ±Infinity pass through:
    the domain refuses them with a field path (they are not JSON)."""
    return {key: value_to_python(value) for key, value in message.fields.items()}


def value_to_python(message: struct_pb2.Struct | struct_pb2.Value) -> JsonValue:
    if isinstance(message, struct_pb2.Struct):
        return struct_to_dict(message)
    kind = message.WhichOneof("kind")
    if kind == "struct_value":
        return struct_to_dict(message.struct_value)
    if kind == "list_value":
        return [value_to_python(item) for item in message.list_value.values]
    if kind == "number_value":
        return message.number_value
    if kind == "string_value":
        return message.string_value
    if kind == "bool_value":
        return message.bool_value
    return None


def duration_to_seconds(message: duration_pb2.Duration, field: str) -> float:
    """A Duration as seconds; a malformed one (nanos out of range, or of another
    sign than the seconds) is refused, as proto JSON would refuse it."""
    seconds, nanos = message.seconds, message.nanos
    if abs(nanos) > 999_999_999 or (seconds > 0 and nanos < 0) or (seconds < 0 and nanos > 0):
        raise InvalidArgument.single(field, "is not a valid duration")
    return seconds + nanos / 1e9


def checked_enum(value: int, enum: EnumDescriptor, field: str) -> int:
    """`value` if `enum` defines it; proto3 keeps unknown numbers, we refuse them."""
    if value not in enum.values_by_number:
        known = ", ".join(v.name for v in enum.values if v.number != 0)
        raise InvalidArgument.single(
            field, f"{value} is not a value of {enum.name}; use one of {known}, or leave it unset"
        )
    return value


def _struct(value: dict[str, Any] | None) -> struct_pb2.Struct | None:
    if value is None:
        return None
    s = struct_pb2.Struct()
    s.update(value)
    return s


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_NAIVE = datetime(1970, 1, 1)
# Enum numbers by name (EnumTypeWrapper.Value is a Python call per lookup).
_EXECUTION_STATUS: dict[str, execution_pb2.Execution.Status.ValueType] = dict(
    execution_pb2.Execution.Status.items()
)
_TASK_STATUS: dict[str, execution_pb2.TaskRun.Status.ValueType] = dict(
    execution_pb2.TaskRun.Status.items()
)


def _ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    """What `Timestamp.FromDatetime` gives (naive means UTC), by arithmetic: every
    watched event and snapshot converts several, and FromDatetime goes through
    `timetuple` and `calendar.timegm`."""
    if value is None:
        return None
    delta = value - (_EPOCH if value.tzinfo is not None else _EPOCH_NAIVE)
    return timestamp_pb2.Timestamp(
        seconds=delta.days * 86400 + delta.seconds, nanos=delta.microseconds * 1000
    )


def _value(v: Any) -> struct_pb2.Value:
    out = struct_pb2.Value()
    json_format.ParseDict(v, out)
    return out


def workflow_to_proto(record: WorkflowRecord) -> workflow_pb2.Workflow:
    message = workflow_pb2.Workflow()
    json_format.ParseDict(definition_to_dict(record.definition), message)
    message.workflow_id = record.workflow_id
    message.workflow_version = record.version
    message.state = (
        workflow_pb2.WORKFLOW_STATE_ARCHIVED
        if record.state == "ARCHIVED"
        else workflow_pb2.WORKFLOW_STATE_ACTIVE
    )
    message.created_at.FromDatetime(record.created_at)
    message.updated_at.FromDatetime(record.updated_at)
    return message


def _error(error: TaskError | None) -> execution_pb2.ExecutionError | None:
    if error is None:
        return None
    return execution_pb2.ExecutionError(
        code=error.code, message=error.message, retryable=error.retryable, task_name=error.task_name
    )


def _run_fields(run: TaskRunRecord | TaskItemRecord) -> dict[str, Any]:
    """What a task run and an item run have alike."""
    return {
        "status": _TASK_STATUS[run.status.value],
        "started_at": _ts(run.started_at),
        "completed_at": _ts(run.completed_at),
        "attempts": run.attempts,
        "outputs": _struct(run.outputs),
        "error": _error(run.error),
    }


def _task_run(run: TaskRunRecord) -> execution_pb2.TaskRun:
    return execution_pb2.TaskRun(
        name=run.name,
        type=run.type,
        skip_reason=run.skip_reason,
        items=[
            execution_pb2.TaskItemRun(index=item.index, **_run_fields(item))
            for item in run.items or ()
        ],
        **_run_fields(run),
    )


def execution_to_proto(record: ExecutionRecord, *, full: bool = True) -> execution_pb2.Execution:
    message = execution_pb2.Execution(
        workflow_execution_id=record.execution_id,
        workflow_id=record.workflow_id,
        workflow_version=record.workflow_version,
        status=_EXECUTION_STATUS[record.status.value],
        error=_error(record.error),
        created_at=_ts(record.created_at),
        started_at=_ts(record.started_at),
        completed_at=_ts(record.completed_at),
        request_id=record.request_id or "",
        last_sequence=record.last_sequence,
    )
    if record.webhook_url:
        message.monitoring.webhook = record.webhook_url
    if full:
        message.tasks.extend(_task_run(t) for t in record.tasks)
        message.inputs.update(record.inputs)
        if record.outputs is not None:
            message.outputs.update(record.outputs)
    return message


def execution_status_from_proto(value: int, field: str = "status") -> ExecutionStatus | None:
    descriptor = execution_pb2.Execution.Status.DESCRIPTOR
    if checked_enum(value, descriptor, field) == execution_pb2.Execution.STATUS_UNSPECIFIED:
        return None
    return ExecutionStatus(descriptor.values_by_number[value].name)


def full_view_from_proto(value: int, field: str = "view") -> bool:
    """Whether an ExecutionView asks for everything (unset is BASIC)."""
    checked_enum(value, execution_pb2.ExecutionView.DESCRIPTOR, field)
    return value == execution_pb2.EXECUTION_VIEW_FULL


def event_to_proto(
    event: EventRecord, snapshot: ExecutionRecord | None = None
) -> execution_pb2.ExecutionEvent:
    message = execution_pb2.ExecutionEvent(
        sequence=event.sequence,
        type=event.type,
        workflow_execution_id=event.execution_id,
        task_name=event.task_name,
        status=_EXECUTION_STATUS[event.status.value],
        timestamp=_ts(event.timestamp),
        attempt=event.attempt,
        error=_error(event.error),
        item_index=event.item_index,
        skip_reason=event.skip_reason,
    )
    if event.task_status is not None:
        message.task_status = _TASK_STATUS[TaskStatus(event.task_status).value]
    if snapshot is not None:
        message.execution.CopyFrom(execution_to_proto(snapshot))
    return message


def file_to_proto(record: FileRecord) -> file_pb2.File:
    return file_pb2.File(
        file_id=record.file_id,
        name=record.name,
        content_type=record.content_type,
        size_bytes=record.size_bytes,
        sha256=record.sha256,
        created_at=_ts(record.created_at),
    )


def _retry(policy: RetryPolicy) -> workflow_pb2.RetryPolicy:
    return workflow_pb2.RetryPolicy(
        max_attempts=policy.max_attempts,
        initial_backoff_seconds=policy.initial_backoff_seconds,
        backoff_multiplier=policy.backoff_multiplier,
        max_backoff_seconds=policy.max_backoff_seconds,
    )


def _field(spec: FieldSpec) -> workflow_pb2.TaskTypeField:
    message = workflow_pb2.TaskTypeField(
        name=spec.name,
        type=spec.type.value,
        description=spec.description,
        required=spec.required,
        allowed_values=[_value(v) for v in spec.allowed_values],
        accepts_secrets=spec.accepts_secrets,
        secret_only=spec.secret_only,
    )
    if spec.default is not None:
        message.default.CopyFrom(_value(spec.default))
    if spec.minimum is not None:
        message.minimum = spec.minimum
    if spec.maximum is not None:
        message.maximum = spec.maximum
    return message


def task_type_to_proto(spec: TaskTypeSpec) -> workflow_pb2.TaskType:
    return workflow_pb2.TaskType(
        name=spec.name,
        description=spec.description,
        inputs=[_field(f) for f in spec.inputs],
        outputs=[_field(f) for f in spec.outputs],
        default_retry=_retry(spec.default_retry),
        default_timeout_seconds=spec.default_timeout_seconds,
    )


def delivery_to_proto(d: DeliveryRecord) -> webhook_pb2.WebhookDelivery:
    return webhook_pb2.WebhookDelivery(
        webhook_id=d.webhook_id,
        workflow_execution_id=d.execution_id,
        sequence=d.sequence,
        event_type=d.event_type,
        url=d.url,
        status=webhook_pb2.WebhookDelivery.Status.Value(d.status),
        attempt_count=d.attempt_count,
        next_attempt_at=_ts(d.next_attempt_at),
        delivered_at=_ts(d.delivered_at),
        created_at=_ts(d.created_at),
        attempts=[
            webhook_pb2.WebhookAttempt(
                attempted_at=_ts(a.attempted_at),
                status_code=a.status_code or 0,
                error=a.error or "",
                latency_ms=a.latency_ms,
            )
            for a in d.attempts
        ],
    )


def webhook_secret_to_proto(secrets: WebhookSecrets) -> webhook_pb2.WebhookSecret:
    return webhook_pb2.WebhookSecret(
        current_secret=secrets.current,
        previous_secret=secrets.previous or "",
        previous_expires_at=_ts(secrets.previous_expires_at),
        rotated_at=_ts(secrets.rotated_at),
    )


def secret_to_proto(record: SecretRecord) -> secret_service_pb2.Secret:
    """A secret's name and times: the proto has no field for a value."""
    return secret_service_pb2.Secret(
        name=record.name, create_time=_ts(record.created_at), update_time=_ts(record.updated_at)
    )
