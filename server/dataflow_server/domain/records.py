"""What the store keeps and returns: workflows, executions, task runs, events, files.

Timestamps are timezone-aware UTC datetimes. JSON-valued fields hold plain
JSON data (dict/list/str/number/bool/None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from .definitions import WorkflowDefinition
from .values import JsonObject

__all__ = [
    "AttemptOutcome",
    "AttemptRecord",
    "DeliveryRecord",
    "DeliveryStatus",
    "DueDelivery",
    "EventRecord",
    "ExecutionRecord",
    "ExecutionStatus",
    "FileRecord",
    "Lease",
    "NewExecution",
    "Page",
    "TaskError",
    "TaskItemRecord",
    "TaskRunRecord",
    "TaskStatus",
    "WorkflowRecord",
    "WorkflowState",
]


class WorkflowState(StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class ExecutionStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    @property
    def is_terminal(self) -> bool:
        return self in (
            ExecutionStatus.COMPLETED,
            ExecutionStatus.FAILED,
            ExecutionStatus.CANCELLED,
        )


class TaskStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    SKIPPED = "SKIPPED"

    @property
    def is_terminal(self) -> bool:
        return self not in (TaskStatus.PENDING, TaskStatus.RUNNING)


@dataclass(frozen=True, slots=True)
class TaskError:
    """A structured error of a task or an execution."""

    code: str
    message: str
    retryable: bool = False
    task_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "retryable": self.retryable,
            "task_name": self.task_name,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> TaskError | None:
        if not d:
            return None
        return cls(
            code=str(d.get("code", "")),
            message=str(d.get("message", "")),
            retryable=bool(d.get("retryable", False)),
            task_name=str(d.get("task_name", "")),
        )


@dataclass(frozen=True, slots=True)
class WorkflowRecord:
    workflow_id: str
    version: int
    definition: WorkflowDefinition
    state: WorkflowState
    created_at: datetime  # when version 1 was created
    updated_at: datetime  # when this version was stored
    tenant_id: str = "default"


@dataclass(frozen=True, slots=True)
class TaskItemRecord:
    """The run of one item of a for_each task (`tasks[i].items[index]`)."""

    index: int
    status: TaskStatus = TaskStatus.PENDING
    attempts: int = 0
    started_at: datetime | None = None
    completed_at: datetime | None = None
    outputs: JsonObject | None = None
    error: TaskError | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form kept in the task run's row."""
        return {
            "index": self.index,
            "status": self.status.value,
            "attempts": self.attempts,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
            "outputs": self.outputs,
            "error": self.error.to_dict() if self.error else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TaskItemRecord:
        return cls(
            index=int(d["index"]),
            status=TaskStatus(d["status"]),
            attempts=int(d.get("attempts") or 0),
            started_at=datetime.fromisoformat(d["started_at"]) if d.get("started_at") else None,
            completed_at=datetime.fromisoformat(d["completed_at"])
            if d.get("completed_at")
            else None,
            outputs=d.get("outputs"),
            error=TaskError.from_dict(d.get("error")),
        )


@dataclass(frozen=True, slots=True)
class TaskRunRecord:
    position: int
    name: str
    type: str
    status: TaskStatus = TaskStatus.PENDING
    attempts: int = 0
    started_at: datetime | None = None
    completed_at: datetime | None = None
    outputs: JsonObject | None = None
    error: TaskError | None = None
    skip_reason: str = ""
    # A for_each task's items once its list is known; None otherwise.
    items: tuple[TaskItemRecord, ...] | None = None


@dataclass(frozen=True, slots=True)
class ExecutionRecord:
    execution_id: str
    workflow_id: str
    workflow_version: int
    status: ExecutionStatus
    inputs: JsonObject
    created_at: datetime
    tasks: tuple[TaskRunRecord, ...] = ()
    outputs: JsonObject | None = None
    error: TaskError | None = None
    webhook_url: str | None = None
    request_id: str | None = None
    request_hash: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    last_sequence: int = 0
    tenant_id: str = "default"


@dataclass(frozen=True, slots=True)
class NewExecution:
    """An accepted execution request, ready to be stored as PENDING."""

    execution_id: str
    workflow_id: str
    workflow_version: int
    inputs: JsonObject
    task_names_and_types: tuple[tuple[str, str], ...]
    webhook_url: str | None = None
    request_id: str | None = None
    request_hash: str | None = None
    # The tenant of the caller who asked; everything of the execution carries it.
    tenant_id: str = field(kw_only=True)
    # Stored already leased (claimed) by the worker that accepted it, which runs
    # it at once; None: queued for any worker to claim.
    lease: Lease | None = None


@dataclass(frozen=True, slots=True)
class Lease:
    """A worker's claim on an execution: every write it makes is fenced by `token`."""

    owner: str
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Claim:
    """An execution leased to a worker by the queue (or at its creation)."""

    execution_id: str
    lease_token: str
    cancel_requested: bool
    # The execution with its task runs, read in the claiming transaction.
    execution: ExecutionRecord


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One entry of an execution's event log."""

    execution_id: str
    sequence: int
    type: str  # execution.pending, task.running, ...
    status: ExecutionStatus  # the execution's status after the event
    timestamp: datetime
    task_name: str = ""
    task_status: TaskStatus | None = None
    attempt: int = 0
    error: TaskError | None = None
    item_index: int | None = None  # task.item.* events
    skip_reason: str = ""  # task.skipped, task.item.skipped


@dataclass(frozen=True, slots=True)
class FileRecord:
    file_id: str
    name: str
    content_type: str
    size_bytes: int
    sha256: str
    created_at: datetime
    tenant_id: str = field(kw_only=True)


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    attempted_at: datetime
    status_code: int | None
    error: str | None
    latency_ms: int


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    webhook_id: str
    execution_id: str
    sequence: int
    event_type: str
    url: str
    status: str
    attempt_count: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    attempts: tuple[AttemptRecord, ...]


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # to be attempted (again) at next_attempt_at
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"  # for good (redelivery starts a new series)


@dataclass(frozen=True, slots=True)
class DueDelivery:
    """A webhook delivery claimed for one attempt: what the dispatcher sends."""

    id: int
    tenant_id: str
    webhook_id: str
    url: str
    payload: dict[str, Any]
    attempts: int  # attempts in the current series (0 before the first)
    endpoint_disabled: bool


@dataclass(frozen=True, slots=True)
class AttemptOutcome:
    """How one attempt went and what the delivery becomes."""

    attempted_at: datetime
    status_code: int | None
    error: str | None
    latency_ms: int
    new_status: DeliveryStatus
    next_attempt_at: datetime | None = None
    # Set when the endpoint answered 410 Gone: nothing more goes to its URL.
    disable_endpoint: str | None = None


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list; `next_cursor` is None on the last page."""

    items: tuple[T, ...]
    next_cursor: str | None = field(default=None)
